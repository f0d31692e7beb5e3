"""LLM mode: any OpenAI-compatible endpoint (Qwen, DeepSeek, Ollama, vLLM) through langchain.

The retrieved articles go in as numbered context; the user's question and the conversation are
wrapped in tags and declared data, never instructions. Whatever the model writes is checked
before anyone sees it: text is released sentence by sentence, and every citation in a sentence
must name one of the articles that were given as context — any other citation is cut out and
reported, so an invented article is never shown as law.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from legal_assistant.answer.types import Turn
from legal_assistant.corpus import Corpus, law_key
from legal_assistant.corpus.parse import Article
from legal_assistant.settings import Settings, get_settings

REMOVED_MARK = "〔未经核实的引用已删除〕"
HISTORY_TURNS = 3
HISTORY_ANSWER_CHARS = 300
# A sentence is released once it ends; the rest waits until more text (or the end) arrives.
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_UNKNOWN_LAW_CITATION = re.compile(r"《([^《》]{1,40})》\s*第\s*[零〇一二两三四五六七八九十百千万\d]+\s*条(?:之[零一二三四五六七八九十\d]+)?")
_ARTICLE_KEY = tuple[str, int, int]


class LLMUnavailable(RuntimeError):
    """The endpoint failed, timed out or returned nothing; the caller falls back to offline."""


def read_prompt(name: str, settings: Settings | None = None) -> str:
    path = Path((settings or get_settings()).prompts_dir) / name
    return path.read_text(encoding="utf-8")


def as_data(text: str) -> str:
    """User text inside our tags cannot close them: angle brackets become full-width."""
    return text.replace("<", "＜").replace(">", "＞")


def numbered_context(articles: list[Article]) -> str:
    return "\n\n".join(f"[{i}] {a.citation}\n{a.text}" for i, a in enumerate(articles, 1))


def history_block(history: list[Turn] | None) -> str:
    if not history:
        return "（无）"
    lines = []
    for turn in history[-HISTORY_TURNS:]:
        lines.append(f"用户：{as_data(turn.question)}")
        if turn.answer:
            lines.append(f"助手：{as_data(turn.answer[:HISTORY_ANSWER_CHARS])}")
    return "\n".join(lines)


def chat_model(settings: Settings | None = None, streaming: bool = False):
    from langchain_openai import ChatOpenAI

    settings = settings or get_settings()
    if not settings.llm_base_url:
        raise LLMUnavailable("未配置大模型服务（LEGAL_LLM_BASE_URL）")
    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key,
        timeout=settings.llm_timeout_s,
        max_retries=0,  # a failing endpoint falls back to offline at once instead of retrying
        temperature=0.1,
        streaming=streaming,
    )


def qa_messages(question: str, articles: list[Article], history: list[Turn] | None, settings: Settings | None = None):
    from langchain_core.messages import HumanMessage, SystemMessage

    user = read_prompt("qa_user.md", settings).format(
        context=numbered_context(articles), history=history_block(history), question=as_data(question)
    )
    return [SystemMessage(content=read_prompt("qa_system.md", settings)), HumanMessage(content=user)]


def rewrite_follow_up(question: str, history: list[Turn], settings: Settings | None = None) -> str:
    """The follow-up as a self-contained question (one short, non-streaming call)."""
    from langchain_core.messages import HumanMessage

    prompt = read_prompt("qa_rewrite.md", settings).format(history=history_block(history), question=as_data(question))
    try:
        reply = chat_model(settings).invoke([HumanMessage(content=prompt)])
    except Exception as error:  # noqa: BLE001 - any endpoint failure means: rewrite offline
        raise LLMUnavailable(describe_failure(error)) from error
    text = str(reply.content).strip().splitlines()[0].strip() if str(reply.content).strip() else ""
    if not text:
        raise LLMUnavailable("大模型未返回改写结果")
    return text[:200]


def describe_failure(error: Exception) -> str:
    name = type(error).__name__
    if "Timeout" in name:
        return "大模型服务响应超时"
    if "Connection" in name:
        return "无法连接大模型服务"
    return f"大模型服务调用失败（{name}）"


def stream_reply(messages, settings: Settings | None = None) -> Iterator[str]:
    """Raw text chunks from the endpoint; any failure becomes ``LLMUnavailable``."""
    produced = False
    try:
        for chunk in chat_model(settings, streaming=True).stream(messages):
            text = chunk.content if isinstance(chunk.content, str) else ""
            if text:
                produced = True
                yield text
    except LLMUnavailable:
        raise
    except Exception as error:  # noqa: BLE001 - network, protocol, timeout: all mean fall back
        raise LLMUnavailable(describe_failure(error)) from error
    if not produced:
        raise LLMUnavailable("大模型返回了空回答")


@dataclass
class CitationCheck:
    """Checks the model's citations against the articles it was given."""

    corpus: Corpus
    allowed: list[Article]
    removed: list[str] = field(default_factory=list)
    used: list[Article] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._allowed = {_key(a): a for a in self.allowed}

    def clean(self, text: str) -> str:
        """``text`` with every citation that is not one of the allowed articles cut out."""
        spans: list[tuple[int, int, str]] = []
        for citation in self.corpus.find_citations(text):
            key = (citation.law, citation.number, citation.sub)
            article = self._allowed.get(key)
            start = _law_name_start(text, citation.start, citation.law)
            if article is not None:
                if article not in self.used:
                    self.used.append(article)
                continue
            spans.append((start, citation.end, text[start : citation.end]))
        covered = [(s, e) for s, e, _ in spans]
        for match in _UNKNOWN_LAW_CITATION.finditer(text):
            inside_known = any(s <= match.start() < e or s < match.end() <= e for s, e in covered)
            if inside_known:
                continue
            key_known = self.corpus.find_citations(match.group(0))
            if key_known and (key_known[0].law, key_known[0].number, key_known[0].sub) in self._allowed:
                continue
            spans.append((match.start(), match.end(), match.group(0)))
        for start, end, original in sorted(spans, key=lambda s: -s[0]):
            self.removed.append(f"{original}（不在本次检索到的法条中，已删除）")
            text = text[:start] + REMOVED_MARK + text[end:]
        return text


def _key(article: Article) -> _ARTICLE_KEY:
    return (article.law_key, article.number, article.sub)


def _law_name_start(text: str, start: int, law: str) -> int:
    """Where the law's name written before ``第…条`` begins (《劳动合同法》, 中华人民共和国民法典)."""
    before = text[:start].rstrip()
    if before.endswith("》"):
        opening = before.rfind("《")
        if opening >= 0 and law_key(before[opening:]) == law:
            return opening
    for begin in range(max(0, start - 60), start):
        if law_key(text[begin:start]) == law:
            return begin
    return start


def verified_stream(chunks: Iterator[str], check: CitationCheck) -> Iterator[str]:
    """Release the model's text sentence by sentence, each one checked before it is shown."""
    pending = ""
    for chunk in chunks:
        pending += chunk
        last_end = None
        for match in _SENTENCE_END.finditer(pending):
            last_end = match.end()
        if last_end is not None:
            ready, pending = pending[:last_end], pending[last_end:]
            yield check.clean(ready)
    if pending:
        yield check.clean(pending)
