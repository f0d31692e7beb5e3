"""The risk knowledge base: size, structure, and every legal basis checked against the corpus."""

from __future__ import annotations

import shutil

import pytest
import yaml
from pydantic import ValidationError

from legal_assistant.corpus import get_corpus
from legal_assistant.risks.citations import resolve_citation
from legal_assistant.risks.kb import KB_ROOT, CitationRef, load_kb, read_kb


def test_knowledge_base_has_at_least_ten_themes_and_150_risk_points():
    kb = load_kb()
    assert len(kb.themes) >= 10
    assert len(kb.risks) >= 150
    assert all(kb.risks_of(theme.key) for theme in kb.themes), "every theme has risk points"


def test_contract_labor_and_finance_themes_are_rich_in_clause_risks():
    kb = load_kb()
    for key in ("contract", "labor", "finance"):
        assert len(kb.risks_of(key)) >= 20, key
    ids = set(kb.risk_by_id)
    # The contract-review rules link to these ids.
    for clause_risk in ("CON-001", "CON-003", "CON-004", "CON-006", "CON-008", "LAB-002", "LAB-004", "LAB-005", "FIN-001", "FIN-009"):
        assert clause_risk in ids


def test_each_theme_is_one_yaml_file_named_after_it_with_prefixed_ids():
    kb = load_kb()
    for theme in kb.themes:
        path = KB_ROOT / "kb" / f"{theme.key}.yaml"
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert doc["theme"] == theme.key
        assert all(r["id"].startswith(theme.prefix + "-") for r in doc["risks"])


def test_every_risk_point_has_triggers_keywords_consequences_remediation_and_citations():
    for risk in load_kb().risks:
        assert risk.triggers and risk.keywords and risk.consequences and risk.remediation and risk.citations, risk.id
        assert risk.severity in {"high", "medium", "low"}


def test_every_citation_resolves_to_an_article_in_force_in_the_corpus():
    kb = load_kb()
    refs = [(r.id, c) for r in kb.risks for c in r.citations] + [(t.key, c) for t in kb.themes for c in t.key_articles]
    problems = [f"{owner}: {resolve_citation(c).problem}" for owner, c in refs if not resolve_citation(c).ok]
    assert not problems, "\n".join(problems)
    unpinned = [c for _, c in refs if c.version is None]
    assert all(resolve_citation(c).article.in_force for c in unpinned)


def test_zhejiang_and_jiaxing_local_regulations_are_cited():
    articles = [resolve_citation(c).article for r in load_kb().risks for c in r.citations]
    assert any(a.category == "地方性法规" for a in articles)
    titles = {a.law_title for a in articles}
    assert any(t.startswith("嘉兴市") for t in titles)
    assert sum(t.startswith("浙江省") for t in titles) >= 8


def _law_with_article_only_in_old_version():
    """(law key, article number, old version date) for an article the newest version no longer has."""
    corpus = get_corpus()
    for key, law in sorted(corpus.laws.items()):
        if len(law.versions) < 2:
            continue
        newest = {(a.number, a.sub) for a in law.current.articles}
        for old in law.versions[:-1]:
            for article in old.articles:
                if (article.number, article.sub) not in newest and article.sub == 0:
                    return key, article.number_text, old.version_date
    raise AssertionError("corpus has no renumbered law to test with")


def test_citation_to_an_article_of_a_superseded_version_fails_unless_pinned_to_that_version():
    law, number_text, old_date = _law_with_article_only_in_old_version()
    unpinned = resolve_citation(CitationRef(ref=f"{law}{number_text}"))
    assert not unpinned.ok
    pinned = resolve_citation(CitationRef(ref=f"{law}{number_text}", version=old_date))
    assert pinned.ok and pinned.article.version_date == old_date and not pinned.article.in_force


def test_citation_to_a_non_existent_article_is_reported():
    result = resolve_citation(CitationRef(ref="劳动合同法第九百九十九条"))
    assert not result.ok and "找不到" in result.problem


def _copy_kb(tmp_path):
    root = tmp_path / "risks"
    shutil.copytree(KB_ROOT, root)
    return root


def test_validation_rejects_a_risk_id_with_the_wrong_theme_prefix(tmp_path):
    root = _copy_kb(tmp_path)
    path = root / "kb" / "labor.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: LAB-001", "id: CON-901"), encoding="utf-8")
    with pytest.raises(ValidationError, match="前缀"):
        read_kb(root)


def test_validation_rejects_a_condition_on_an_unknown_question(tmp_path):
    root = _copy_kb(tmp_path)
    path = root / "kb" / "finance.yaml"
    text = path.read_text(encoding="utf-8").replace("q: fin_borrows_from_individuals", "q: fin_no_such_question", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError, match="fin_no_such_question"):
        read_kb(root)


def test_validation_rejects_duplicate_risk_ids(tmp_path):
    root = _copy_kb(tmp_path)
    path = root / "kb" / "tax.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: TAX-002", "id: TAX-001"), encoding="utf-8")
    with pytest.raises(ValidationError, match="重复"):
        read_kb(root)
