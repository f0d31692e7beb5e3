"""The Q&A entry points the CLI and the chat page call: ``answer_question`` and ``stream_answer``.

Offline (default): evidence is gathered and composed extractively. LLM mode (``LEGAL_LLM_BASE_URL``
set, or ``mode="llm"``): the same evidence is given to the model, its text is checked citation by
citation while it streams, and any endpoint failure falls back to the offline answer, saying so.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from legal_assistant.answer.compose import compose, phrasing
from legal_assistant.answer.evidence import Evidence, gather, retrieval_query
from legal_assistant.answer.llm import (
    CitationCheck,
    LLMUnavailable,
    qa_messages,
    rewrite_follow_up,
    stream_reply,
    verified_stream,
)
from legal_assistant.answer.types import MODE_LLM, MODE_OFFLINE, Answer, CitedArticle, Turn
from legal_assistant.retrieval.hybrid import HybridRetriever
from legal_assistant.settings import get_settings

# Articles handed to the model: the selected ones plus the next best candidates, so it can
# judge relevance itself (it may only cite what it was given).
LLM_CONTEXT_ARTICLES = 6
_SEVERITY_ORDER = {"high": 3, "medium": 2, "low": 1}
_OFFLINE_CHUNK = 24


def resolve_mode(mode: str | None) -> str:
    if mode in (MODE_OFFLINE, MODE_LLM):
        return mode
    if mode is not None:
        raise ValueError(f"未知的回答模式：{mode}（可选 offline / llm）")
    return MODE_LLM if get_settings().llm_base_url else MODE_OFFLINE


def _retriever(retriever: HybridRetriever | None) -> HybridRetriever:
    if retriever is not None:
        return retriever
    from legal_assistant.retrieval.service import get_retriever

    return get_retriever()


def answer_question(
    question: str,
    history: list[Turn] | None = None,
    as_of: str | None = None,
    mode: str | None = None,
    retriever: HybridRetriever | None = None,
) -> Answer:
    """The complete answer (LLM text fully generated and checked, or the offline composition)."""
    final = None
    for item in stream_answer(question, history=history, as_of=as_of, mode=mode, retriever=retriever):
        if isinstance(item, Answer):
            final = item
    assert final is not None  # stream_answer always ends with the Answer
    return final


def stream_answer(
    question: str,
    history: list[Turn] | None = None,
    as_of: str | None = None,
    mode: str | None = None,
    retriever: HybridRetriever | None = None,
) -> Iterator[str | Answer]:
    """Text chunks as they become safe to show, then the final ``Answer``.

    The final answer's ``reply`` is authoritative: after a fallback it replaces what was shown.
    """
    started = time.perf_counter()
    question = (question or "").strip()
    if not question:
        raise ValueError("问题不能为空")
    mode = resolve_mode(mode)
    retriever = _retriever(retriever)
    notices: list[str] = []
    if mode == MODE_LLM:
        query = retrieval_query(question, history)
        if history and query != question:
            try:
                query = rewrite_follow_up(question, history)
            except LLMUnavailable as failure:
                notices.append(f"{failure}，追问改写已改用离线规则。")
        evidence = gather(question, retriever, history=history, as_of=as_of, query=query)
        try:
            answer = yield from _llm_answer(evidence, history, retriever, notices)
        except LLMUnavailable as failure:
            notices.append(f"{failure}，以下改为离线生成的回答。")
            answer = _offline_answer(evidence, notices)
            yield from _chunks(answer.reply)
    else:
        evidence = gather(question, retriever, history=history, as_of=as_of)
        answer = _offline_answer(evidence, notices)
        yield from _chunks(answer.reply)
    answer.latency_ms = round((time.perf_counter() - started) * 1000, 1)
    yield answer


def _chunks(text: str) -> Iterator[str]:
    for start in range(0, len(text), _OFFLINE_CHUNK):
        yield text[start : start + _OFFLINE_CHUNK]


def _offline_answer(evidence: Evidence, notices: list[str]) -> Answer:
    composition = compose(evidence)
    return _assemble(evidence, composition.reply, composition.conclusion, evidence.cited, composition.measures, MODE_OFFLINE, notices, [])


def _llm_answer(evidence: Evidence, history: list[Turn] | None, retriever: HybridRetriever, notices: list[str]):
    context = _llm_context(evidence)
    check = CitationCheck(retriever.corpus, [c.article for c in context])
    messages = qa_messages(evidence.question, [c.article for c in context], history)
    parts: list[str] = []
    for piece in verified_stream(stream_reply(messages), check):
        parts.append(piece)
        yield piece
    reply = "".join(parts).strip()
    if check.removed:
        notices.append(f"已删除 {len(check.removed)} 处无法在法规库检索结果中核实的引用。")
    by_key = {(c.article.law_key, c.article.number, c.article.sub): c for c in context}
    cited = [by_key[(a.law_key, a.number, a.sub)] for a in check.used] or evidence.cited
    measures = compose(evidence).measures
    return _assemble(evidence, reply, _first_sentence(reply), cited, measures, MODE_LLM, notices, check.removed)


def _llm_context(evidence: Evidence) -> list[CitedArticle]:
    context = list(evidence.cited)
    chosen = {c.article.id for c in context}
    for candidate in evidence.candidates:
        if len(context) >= LLM_CONTEXT_ARTICLES:
            break
        if candidate.article.id not in chosen:
            context.append(CitedArticle(candidate.article, explicit=candidate.hit.explicit))
            chosen.add(candidate.article.id)
    return context


def _first_sentence(reply: str) -> str:
    body = reply.removeprefix("您好，").removeprefix("您好！").strip()
    for end, char in enumerate(body):
        if char in "。！？\n":
            return body[: end + 1].strip()
    return body[:120]


def _assemble(evidence: Evidence, reply, conclusion, cited, article_measures, mode, notices, removed) -> Answer:
    words = phrasing()
    risks = evidence.risks
    if risks:
        top = max(risks, key=lambda r: _SEVERITY_ORDER[r.severity])
        risk_level = top.severity_label
        measures = list(dict.fromkeys(m for r in risks for m in r.remediation))[:5]
    else:
        risk_level = None
        measures = article_measures
    limits = words["limits"] if evidence.grounded else words["limits_ungrounded"]
    return Answer(
        question=evidence.question,
        reply=reply,
        conclusion=conclusion,
        citations=list(cited),
        cases=evidence.cases,
        risk_level=risk_level,
        risks=risks,
        measures=measures,
        limits=limits.strip(),
        mode=mode,
        retrieval_query=evidence.retrieval_query,
        grounded=evidence.grounded,
        notices=[*evidence.notices, *notices],
        removed_citations=list(removed),
        as_of=evidence.as_of,
    )
