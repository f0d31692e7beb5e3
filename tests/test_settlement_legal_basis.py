"""Every legal basis the settlement feature cites exists in the corpus, is current, and says what we claim."""

from __future__ import annotations

import pytest
import yaml

from legal_assistant.corpus import get_corpus
from legal_assistant.settlement.documents import CLAUSES_FILE
from legal_assistant.settlement.errors import SettlementError
from legal_assistant.settlement.legal_basis import LEGAL_BASIS_FILE, cite, legal_bases

ENTRIES = yaml.safe_load(LEGAL_BASIS_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", sorted(ENTRIES))
def test_each_basis_resolves_to_a_current_article_containing_the_quoted_words(key):
    entry = ENTRIES[key]
    article = get_corpus().article(entry["law"], int(entry["article"]))
    assert article is not None, f"{entry['law']}第{entry['article']}条 not in corpus"
    assert article.in_force
    assert entry["must_contain"] in article.text
    assert cite(key).text == article.text


def test_the_articles_the_issue_asks_to_verify_carry_the_current_numbers():
    bases = legal_bases()
    # 民事诉讼法 (2023-09-01): delay interest is 第二百六十四条, settlement in enforcement 第二百四十一条.
    assert bases["delay_interest_statute"].citation == "《民事诉讼法》第二百六十四条（2023-09-01版）"
    assert bases["settlement_allowed"].citation == "《民事诉讼法》第二百四十一条（2023-09-01版）"
    assert bases["guarantor_direct_enforcement"].number_text == "第十八条"
    assert "日万分之一点七五" in bases["delay_interest_scope"].text
    assert bases["holiday_shift"].number_text == "第二百零三条"


def test_the_clause_file_cites_only_registered_bases():
    clauses = yaml.safe_load(CLAUSES_FILE.read_text(encoding="utf-8"))
    keys = [key for clause in clauses["agreement"]["clauses"] for key in clause["basis"]]
    keys += clauses["resume"]["basis"] + clauses["resume"]["guarantor_basis"]
    assert keys and set(keys) <= set(ENTRIES)


def test_article_references_written_into_clause_texts_exist_in_the_corpus():
    corpus = get_corpus()
    text = CLAUSES_FILE.read_text(encoding="utf-8")
    found = corpus.find_citations(text)
    assert found, "the clause file names at least one article in its wording"
    for citation in found:
        assert corpus.resolve(citation) is not None, citation


def test_an_unregistered_basis_is_refused_instead_of_cited():
    with pytest.raises(SettlementError, match="未登记的法律依据"):
        cite("made_up_article")
