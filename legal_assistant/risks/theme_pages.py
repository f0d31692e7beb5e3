"""安商驿站 法律服务专场: per theme, its key articles, typical court cases, checklist and risk points."""

from __future__ import annotations

from dataclasses import dataclass

from legal_assistant.corpus import get_corpus
from legal_assistant.corpus.parse import CaseDocument
from legal_assistant.risks.citations import ResolvedCitation, resolve_citation
from legal_assistant.risks.kb import KnowledgeBase, RiskPoint, Theme, load_kb

TITLE_HIT_WEIGHT = 3  # a keyword in the case title says more than one in its body
MIN_TEXT_HITS = 2


@dataclass(frozen=True)
class CaseMatch:
    case: CaseDocument
    score: int
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class ThemePage:
    theme: Theme
    key_articles: list[ResolvedCitation]
    cases: list[CaseMatch]
    checklist: list[str]
    risks: list[RiskPoint]


def match_cases(keywords: list[str], limit: int = 3) -> list[CaseMatch]:
    """Court cases of the corpus that concern the keywords, best first.

    A case qualifies with a keyword in its title, or with at least ``MIN_TEXT_HITS`` distinct
    keywords in its text: one passing mention of 合同 does not make a contract case.
    """
    matches: list[CaseMatch] = []
    for case in get_corpus().cases:
        in_title = [k for k in keywords if k in case.title]
        in_text = [k for k in keywords if k in case.text]
        score = TITLE_HIT_WEIGHT * len(in_title) + len(in_text)
        if in_title or len(in_text) >= MIN_TEXT_HITS:
            matches.append(CaseMatch(case, score, tuple(dict.fromkeys(in_title + in_text))))
    matches.sort(key=lambda m: (-m.score, m.case.title))
    return matches[:limit]


def theme_page(theme_key: str, case_limit: int = 3, kb: KnowledgeBase | None = None) -> ThemePage:
    kb = kb or load_kb()
    theme = kb.theme_by_key.get(theme_key)
    if theme is None:
        raise KeyError(f"没有这个专场主题：{theme_key}")
    return ThemePage(
        theme=theme,
        key_articles=[resolve_citation(c) for c in theme.key_articles],
        cases=match_cases(theme.case_keywords, case_limit),
        checklist=list(theme.checklist),
        risks=kb.risks_of(theme.key),
    )
