"""``legal-assistant ask`` and ``legal-assistant eval answers``."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import typer

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code=2)


def ask(
    question: str = typer.Argument(..., help="用日常语言提出的法律问题"),
    as_of: str | None = typer.Option(None, "--as-of", help="YYYY-MM-DD：按该日有效的法律版本回答"),
    mode: str | None = typer.Option(None, "--mode", help="offline（默认）或 llm（需配置 LEGAL_LLM_BASE_URL）"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象"),
) -> None:
    """法律咨询：给出有法条依据的回答（法条逐字引自法规库）。"""
    from legal_assistant.answer.export import to_markdown
    from legal_assistant.answer.service import answer_question
    from legal_assistant.retrieval.hybrid import IndexNotReady

    if as_of and not _DATE.match(as_of):
        _fail(f"日期格式应为 YYYY-MM-DD：{as_of}")
    try:
        answer = answer_question(question, as_of=as_of, mode=mode)
    except IndexNotReady as error:
        _fail(str(error))
    except ValueError as error:
        _fail(str(error))
    if as_json:
        payload = {
            "answer": answer.reply,
            "citations": [
                {"law": c.article.law_title, "article": c.article.number_text, "version_date": c.article.version_date, "text": c.article.text, "warnings": c.warnings}
                for c in answer.citations
            ],
            "cases": [{"title": c.title, "summary": c.summary} for c in answer.cases],
            "risk_level": answer.risk_level,
            "mode": answer.mode,
            "conclusion": answer.conclusion,
            "measures": answer.measures,
            "limits": answer.limits,
            "notices": answer.notices,
            "removed_citations": answer.removed_citations,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False))
        return
    typer.echo(to_markdown(answer))


def eval_answers(
    queries: Path = typer.Option(..., "--queries", exists=True, help="LeCoQA 格式的 JSON 文件"),
    split: str = typer.Option("all", "--split", help="all / tune / holdout（按 query_id 哈希留出五分之一）"),
    limit: int | None = typer.Option(None, "--limit", help="只评测前 N 个问题"),
    mode: str = typer.Option("offline", "--mode", help="offline 或 llm"),
    out: Path | None = typer.Option(None, "--out", help="逐题输出 JSONL"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """回答质量：命中率、无效引用数、BLEU/METEOR、延迟。"""
    from legal_assistant.answer.evaluate import evaluate_answers
    from legal_assistant.answer.service import answer_question
    from legal_assistant.retrieval.hybrid import IndexNotReady
    from legal_assistant.retrieval.service import get_retriever

    if split not in ("all", "tune", "holdout"):
        _fail(f"未知的划分：{split}（可选 all / tune / holdout）")
    try:
        retriever = get_retriever()
    except IndexNotReady as error:
        _fail(str(error))
    report = evaluate_answers(
        queries,
        lambda question: answer_question(question, mode=mode, retriever=retriever),
        retriever.corpus,
        split=split,
        limit=limit,
        out=out,
        progress=not as_json and sys.stderr.isatty(),
    )
    typer.echo(json.dumps(report, ensure_ascii=False, indent=None if as_json else 2))
