"""Offline answers: a reply composed from the retrieved articles, without a language model.

The reply is extractive. Each article is split into clauses (on 。； and line breaks); the clauses
that share the most words with the question (and its legal-lexicon expansions) are quoted
verbatim, in their original order, with “……” where text is left out. The first article's best
clause is then restated as the conclusion: the first article is the ranker's best, and another
article's clause that merely shares more words (优先购买权 beside 买卖不破租赁) answers less. All
wording around the quotes comes from ``prompts/qa_offline.yaml`` so a lawyer can review it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from legal_assistant.answer.evidence import Evidence, QuestionTerms
from legal_assistant.answer.types import CitedArticle
from legal_assistant.corpus.parse import Article
from legal_assistant.retrieval.tokenize import to_simplified
from legal_assistant.settings import get_settings

# Characters of statute quoted in the reply per article (the full text is in 法律依据).
FIRST_QUOTE_BUDGET = 220
OTHER_QUOTE_BUDGET = 140
# Clauses may be added while they match the question at least this share of the best clause.
CLAUSE_KEEP_RATIO = 0.5
# The reply discusses the two best articles; a third close one is listed in 法律依据 only, which
# on the dev set kept BLEU up (a third quote is mostly noise) without losing its citation.
REPLY_ARTICLES = 2
_CLAUSE = re.compile(r"[^。；;\n]+[。；;]?")
_ITEM_MARK = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_OBLIGATION = re.compile(r"应当|不得|必须|禁止")
_SELF_REFERENCE = {"本法": "该法", "本条例": "该条例", "本规定": "该规定", "本解释": "该解释", "本办法": "该办法"}


@lru_cache(maxsize=4)
def _phrasing(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def phrasing() -> dict:
    return _phrasing(get_settings().prompts_dir / "qa_offline.yaml")


@dataclass
class Clause:
    text: str
    position: int
    score: float


@dataclass
class Composition:
    reply: str
    conclusion: str
    measures: list[str]


def clauses_of(article: Article, terms: QuestionTerms) -> list[Clause]:
    found = []
    for paragraph in article.paragraphs:
        for match in _CLAUSE.finditer(paragraph):
            text = match.group(0).strip()
            if text:
                score, _ = terms.overlap(to_simplified(text))
                found.append(Clause(text, len(found), score))
    return found


def quote(article: Article, terms: QuestionTerms, budget: int) -> tuple[str, Clause | None]:
    """Verbatim excerpt of ``article`` that best matches the terms, and its best clause."""
    clauses = clauses_of(article, terms)
    if not clauses:
        return "", None
    best = max(clauses, key=lambda c: (c.score, -c.position))
    if sum(len(c.text) for c in clauses) <= budget:
        chosen = clauses
    else:
        chosen = [best]
        used = len(best.text)
        for clause in sorted(clauses, key=lambda c: (-c.score, c.position)):
            if clause is best or clause.score < CLAUSE_KEEP_RATIO * best.score or clause.score == 0:
                continue
            if used + len(clause.text) <= budget:
                chosen.append(clause)
                used += len(clause.text)
        chosen.sort(key=lambda c: c.position)
    parts: list[str] = []
    previous = -1
    for clause in chosen:
        if previous >= 0 and clause.position != previous + 1:
            parts.append("……")
        parts.append(clause.text)
        previous = clause.position
    excerpt = "".join(parts)
    if chosen[-1].position != len(clauses) - 1:
        excerpt = excerpt.rstrip("；;，,") + "……"
    return excerpt, best


def restate(clause: str, example_item: str | None = None) -> str:
    """A clause as a stand-alone sentence: no item number, 本法 → 该法, one closing 。.

    A clause that opens a list (继承人有下列行为之一的，丧失继承权：) points at the article's list
    instead, naming the item closest to the question as an example.
    """
    text = _ITEM_MARK.sub("", clause.strip())
    for own, other in _SELF_REFERENCE.items():
        text = text.replace(own, other)
    text = text.rstrip("。；;，,、")
    if text.endswith((":", "：")):
        text = text.rstrip(":：").replace("下列", "该条所列")
        if example_item:
            text += f"（如{_ITEM_MARK.sub('', example_item.strip()).rstrip('。；;，,、')}）"
    return text + "。"


def closest_item(article: Article, terms: QuestionTerms, lead: Clause) -> str | None:
    """The listed item (（一）…) after ``lead`` that shares most words with the question, if any does."""
    items = []
    for clause in clauses_of(article, terms)[lead.position + 1 :]:
        if not _ITEM_MARK.match(clause.text):
            break
        items.append(clause)
    best = max(items, key=lambda c: (c.score, -c.position), default=None)
    return best.text if best is not None and best.score > 0 else None


def compose(evidence: Evidence) -> Composition:
    words = phrasing()
    if not evidence.grounded:
        return Composition(words["no_basis"].strip(), words["no_basis_conclusion"], [])
    explicit = any(c.explicit for c in evidence.cited)
    sentences: list[str] = []
    first_best: tuple[Clause, Article] | None = None
    in_reply = evidence.cited if explicit else evidence.cited[:REPLY_ARTICLES]
    for index, cited in enumerate(in_reply):
        article = cited.article
        budget = 10_000 if explicit else FIRST_QUOTE_BUDGET if index == 0 else OTHER_QUOTE_BUDGET
        excerpt, best = quote(article, evidence.query_terms, budget)
        if not excerpt:
            continue
        template = _basis_template(words, index, explicit)
        sentences.append(template.format(law=article.law_title, number=article.number_text, clauses=excerpt))
        if best is not None and first_best is None:
            first_best = (best, article)
    if first_best:
        best, article = first_best
        conclusion = restate(best.text, closest_item(article, evidence.query_terms, best))
    else:
        conclusion = words["no_basis_conclusion"]
    greeting = words["greeting"] if evidence.confident else words["weak_greeting"]
    reply = greeting.format(question=_as_topic(evidence.question)) + "\n".join(sentences)
    if not evidence.confident:
        reply += "\n" + words["weak_conclusion"]
        conclusion = words["weak_conclusion_label"].format(citation=evidence.cited[0].article.citation)
    elif not explicit:
        reply += "\n" + words["conclusion"].format(conclusion=conclusion)
    return Composition(reply, conclusion, measures_from_articles(evidence.cited, evidence.query_terms))


def _as_topic(question: str) -> str:
    """The question as a phrase to refer back to: one line, no closing question mark."""
    return re.sub(r"\s+", "", question).rstrip("？?。！!")


def _basis_template(words: dict, index: int, explicit: bool) -> str:
    if explicit:
        return words["explicit_basis"] if index == 0 else words["explicit_more"]
    if index == 0:
        return words["first_basis"]
    more = words["more_basis"]
    return more[(index - 1) % len(more)]


def measures_from_articles(cited: list[CitedArticle], terms: QuestionTerms, limit: int = 3) -> list[str]:
    """When no risk point matches: the articles' own duties (应当/不得) as a self-check list."""
    template = phrasing()["measure_from_article"]
    measures = []
    for item in cited:
        duties = [c for c in clauses_of(item.article, terms) if _OBLIGATION.search(c.text)]
        duties.sort(key=lambda c: (-c.score, c.position))
        for clause in duties[:1]:
            measures.append(template.format(law=item.article.short_name, number=item.article.number_text, clause=restate(clause.text)))
        if len(measures) >= limit:
            break
    return measures
