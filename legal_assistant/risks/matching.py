"""Match free text (a question, a contract clause) to risk points by their triggers and keywords.

Used by Q&A (风险等级/建议措施) and contract review (findings), so it is general and cheap: the index
is built once per process and a match is a few hundred substring and set operations.

Scoring, per risk point:
- a trigger phrase found verbatim in the text scores 3; otherwise the share of the trigger's words
  present in the text (when at least half of them are) scores up to 2 — business wording varies;
- each keyword found in the text adds up to 1.5, scaled by its inverse document frequency (a
  keyword used by one risk point says more than one shared by twenty);
- the best trigger and the keyword sum are added.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jieba

from legal_assistant.risks.citations import resolve_citation
from legal_assistant.risks.kb import KnowledgeBase, RiskPoint, load_kb

EXACT_TRIGGER_SCORE = 3.0
PARTIAL_TRIGGER_SCORE = 2.0
PARTIAL_TRIGGER_MIN_SHARE = 0.5
KEYWORD_MAX_SCORE = 1.5
DEFAULT_MIN_SCORE = 1.5

# Words too common in business text to carry meaning on their own.
_STOPWORDS = frozenset(
    "的 了 和 与 或 及 在 是 有 没有 没 不 就 也 都 还 被 把 给 对 向 为 以 从 由 按 我们 我方 对方 公司 企业 一个 什么 怎么 如何 可以 是否 要 会".split()
)


def normalize(text: str) -> str:
    """NFKC (全角→半角, ％→%) and lower-case, so "ＬＰＲ" and "lpr" match "LPR"."""
    return unicodedata.normalize("NFKC", text).lower()


@dataclass(frozen=True)
class RiskMatch:
    risk: RiskPoint
    score: float
    matched: tuple[str, ...]  # triggers/keywords that matched, for explaining the match

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.risk.id,
            "title": self.risk.title,
            "theme": self.risk.theme,
            "severity": self.risk.severity,
            "severity_label": self.risk.severity_label,
            "score": round(self.score, 3),
            "matched": list(self.matched),
            "remediation": list(self.risk.remediation),
            "citations": [resolve_citation(c).display for c in self.risk.citations],
        }


@dataclass(frozen=True)
class _IndexedRisk:
    risk: RiskPoint
    triggers: tuple[tuple[str, frozenset[str]], ...]  # (normalized phrase, its content words)
    keywords: tuple[str, ...]


class RiskMatcher:
    def __init__(self, kb: KnowledgeBase):
        self._tokenizer = jieba.Tokenizer()
        # Keywords are domain terms (竞业限制, 流押) the stock dictionary splits; triggers are whole
        # sentences and must stay splittable, or a trigger would only ever match itself.
        for word in {normalize(k) for r in kb.risks for k in r.keywords}:
            if 2 <= len(word) <= 8:
                self._tokenizer.add_word(word, freq=2000)
        document_frequency: dict[str, int] = {}
        for risk in kb.risks:
            for keyword in {normalize(k) for k in risk.keywords}:
                document_frequency[keyword] = document_frequency.get(keyword, 0) + 1
        total = len(kb.risks)
        top = math.log(1 + total)
        self._weight = {k: KEYWORD_MAX_SCORE * math.log(1 + total / df) / top for k, df in document_frequency.items()}
        self._index = [
            _IndexedRisk(
                risk=risk,
                triggers=tuple((normalize(t), self._content_words(normalize(t)) - {normalize(t)}) for t in risk.triggers),
                keywords=tuple(dict.fromkeys(normalize(k) for k in risk.keywords)),
            )
            for risk in kb.risks
        ]

    def _content_words(self, text: str) -> frozenset[str]:
        words = self._tokenizer.lcut_for_search(text)
        return frozenset(w for w in words if w.strip() and w not in _STOPWORDS and not re.fullmatch(r"\W+", w))

    def match(self, text: str, top_k: int = 5, min_score: float = DEFAULT_MIN_SCORE, theme: str | None = None) -> list[RiskMatch]:
        text = normalize(text or "")
        if not text.strip():
            return []
        words = self._content_words(text)
        matches: list[RiskMatch] = []
        for entry in self._index:
            if theme and entry.risk.theme != theme:
                continue
            best_trigger, best_phrase = 0.0, None
            for phrase, phrase_words in entry.triggers:
                if phrase in text:
                    score = EXACT_TRIGGER_SCORE
                elif phrase_words:
                    share = len(phrase_words & words) / len(phrase_words)
                    score = PARTIAL_TRIGGER_SCORE * share if share >= PARTIAL_TRIGGER_MIN_SHARE else 0.0
                else:
                    score = 0.0
                if score > best_trigger:
                    best_trigger, best_phrase = score, phrase
            hits = [k for k in entry.keywords if k in text]
            score = best_trigger + sum(self._weight[k] for k in hits)
            if score >= min_score:
                matched = tuple(([best_phrase] if best_phrase else []) + hits)
                matches.append(RiskMatch(entry.risk, score, matched))
        matches.sort(key=lambda m: (-m.score, m.risk.id))
        return matches[:top_k]


@lru_cache(maxsize=1)
def get_matcher() -> RiskMatcher:
    return RiskMatcher(load_kb())


def match_risks(text: str, top_k: int = 5, min_score: float = DEFAULT_MIN_SCORE, theme: str | None = None) -> list[RiskMatch]:
    """Risk points that a question or contract clause touches, best first.

    ``theme`` restricts to one theme key (e.g. ``"contract"``); ``min_score`` drops weak matches
    (one common keyword alone scores about 1).
    """
    return get_matcher().match(text, top_k=top_k, min_score=min_score, theme=theme)
