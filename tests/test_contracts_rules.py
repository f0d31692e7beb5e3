"""The rule book is data a lawyer can review: every rule is well-formed, cites articles that exist in
the corpus (quoted from it, never invented), and links only to risk points that exist."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from legal_assistant.contracts.rulebook import DIMENSIONS, RULES_DIR, RuleBookError, load_rulebook
from legal_assistant.corpus import get_corpus

KB_DIR = Path(__file__).resolve().parent.parent / "risks" / "kb"


@pytest.fixture(scope="module")
def book():
    return load_rulebook(get_corpus())  # grounded directly in the corpus, no citation cache


def test_every_rule_cites_an_article_whose_text_comes_from_the_corpus(book):
    corpus = get_corpus()
    assert len(book.rules) >= 60
    for rule in book.rules:
        assert rule.citations, rule.id
        for citation in rule.citations:
            article = corpus.resolve(corpus.find_citations(citation.reference)[-1])
            assert article is not None, f"{rule.id}: {citation.reference}"
            assert citation.text in article.text
            assert citation.version == article.version_date


def test_rules_cover_the_three_generic_check_kinds_and_all_dimensions(book):
    kinds = {rule.kind for rule in book.rules}
    assert kinds == {"pattern", "numeric", "missing"}
    assert {rule.dimension for rule in book.rules} == set(DIMENSIONS)


def test_linked_risk_ids_exist_in_the_risk_knowledge_base(book):
    known = set()
    for path in KB_DIR.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        known.update(item["id"] for item in data.get("risks", []) if isinstance(item, dict) and "id" in item)
    linked = {rule.id: rule.risk_id for rule in book.rules if rule.risk_id}
    assert len(linked) >= 30
    assert {rule: risk for rule, risk in linked.items() if risk not in known} == {}


def test_a_rule_citing_an_article_the_corpus_lacks_stops_the_load(tmp_path):
    rule = {
        "id": "TEST-INVENTED",
        "title": "虚构依据",
        "severity": "low",
        "dimension": "validity",
        "check": {"kind": "pattern", "any": ["定金"]},
        "explanation": "说明",
        "suggestion": "建议",
        "citations": ["民法典第一千九百九十九条"],
    }
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump([rule], allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleBookError, match="法规库中找不到"):
        load_rulebook(get_corpus(), rules_dir=tmp_path)


def test_a_rule_without_legal_basis_is_refused(tmp_path):
    rule = {"id": "TEST-NOBASIS", "title": "无依据", "severity": "low", "dimension": "validity",
            "check": {"kind": "pattern", "any": ["定金"]}, "explanation": "说明", "suggestion": "建议", "citations": []}
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump([rule], allow_unicode=True), encoding="utf-8")
    with pytest.raises(RuleBookError, match="法律依据"):
        load_rulebook(get_corpus(), rules_dir=tmp_path)


def test_rule_files_contain_no_code_only_declared_fields():
    allowed = {"id", "title", "severity", "dimension", "risk_id", "risk_for", "other_side", "applies_to", "exclude_types",
               "check", "explanation", "explanation_other_side", "suggestion", "citations"}
    for path in RULES_DIR.glob("*.yaml"):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
            assert set(raw) <= allowed, (path.name, raw["id"], set(raw) - allowed)


def test_the_lpr_table_is_dated_and_ordered(book):
    dates = [d for d, _ in book.lpr]
    assert dates == sorted(dates) and dates[0] == "2019-08-20"
    assert book.lpr_on("2021-06-01") == (3.85, "2020-04-20")
    assert book.lpr_on("2024-08-01") == (3.35, "2024-07-22")


def test_the_cited_laws_subset_grounds_every_citation_exactly_as_the_full_corpus():
    from legal_assistant.contracts.rulebook import _cited_laws_corpus, ground_citation

    subset = _cited_laws_corpus()
    full = get_corpus()
    references = {ref for path in RULES_DIR.glob("*.yaml") for raw in yaml.safe_load(path.read_text(encoding="utf-8")) for ref in raw["citations"]}
    assert len(subset.laws) < len(full.laws) / 10  # a fresh machine parses a few files, not the corpus
    for reference in references:
        assert ground_citation(reference, subset) == ground_citation(reference, full), reference
