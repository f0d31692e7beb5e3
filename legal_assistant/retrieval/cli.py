"""Index, search, evaluate and train commands."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from legal_assistant.settings import get_settings

eval_app = typer.Typer(help="评测：检索与回答质量", no_args_is_help=True)
train_app = typer.Typer(help="从开发集训练检索组件", no_args_is_help=True)


def ingest(quiet: bool = typer.Option(False, "--quiet", help="不显示进度条")) -> None:
    """建立或更新检索索引（增量；未变化的内容不会重新向量化）。"""
    from legal_assistant.retrieval.index import ingest as run_ingest

    report = run_ingest(progress=not quiet)
    state = "索引已是最新" if report.up_to_date else f"新向量化 {report.embedded} 条"
    typer.echo(json.dumps({**report.as_dict(), "message": state}, ensure_ascii=False))


def search(
    query: str,
    k: int = typer.Option(10, "-k"),
    law: list[str] = typer.Option([], "--law", help="只在这些法律中检索"),
    category: list[str] = typer.Option([], "--category", help="法律/行政法规/司法解释/地方性法规/部门规章"),
    as_of: str | None = typer.Option(None, "--as-of", help="YYYY-MM-DD：取该日有效的版本"),
    include_superseded: bool = typer.Option(False, "--include-superseded"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """混合检索法条。"""
    from legal_assistant.retrieval.hybrid import SearchFilters
    from legal_assistant.retrieval.service import get_retriever

    filters = SearchFilters(laws=tuple(law), categories=tuple(category), as_of=as_of, in_force_only=not include_superseded)
    hits = get_retriever().search(query, k=k, filters=filters)
    rows = [
        {"id": h.id, "title": h.unit.title, "law": h.unit.metadata["law"], "version_date": h.unit.metadata["version_date"], "score": h.score if h.score != float("inf") else None, "text": h.unit.text}
        for h in hits
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for i, row in enumerate(rows, 1):
        typer.echo(f"{i:>2}. {row['title']}（{row['version_date']}）  {row['text'][:80]}")


@eval_app.command("retrieval")
def eval_retrieval(
    queries: Path = typer.Option(..., "--queries", exists=True, help="LeCoQA 格式的 JSON 文件"),
    as_json: bool = typer.Option(False, "--json"),
    no_baseline: bool = typer.Option(False, "--no-baseline", help="不计算 BM25 基线"),
) -> None:
    """检索质量：Recall@5/10/100、MRR@10、延迟，并与同进程内的纯 BM25 基线比较。"""
    from legal_assistant.retrieval.evaluate import evaluate_retrieval
    from legal_assistant.retrieval.service import get_retriever

    report = evaluate_retrieval(get_retriever(), queries, baseline=not no_baseline, progress=not as_json)
    typer.echo(json.dumps(report, ensure_ascii=False, indent=None if as_json else 2))


@train_app.command("reranker")
def train_reranker(
    queries: list[Path] = typer.Option(..., "--queries", exists=True, help="带标注的问题文件，可重复给出多个"),
    folds: int = typer.Option(5, help="交叉验证折数"),
    adapter: bool = typer.Option(True, "--adapter/--no-adapter", help="同时训练向量检索的查询适配器（需要 torch）"),
    split: str = typer.Option("all", help="all / tune：只用 tune 部分训练，留出的五分之一（eval answers --split holdout）才是模型没见过的问题"),
) -> None:
    """训练查询适配器与 LightGBM 重排序模型（报告 k 折交叉拟合结果），保存到 models/（或 LEGAL_MODELS_DIR）。"""
    from legal_assistant.retrieval.service import get_retriever
    from legal_assistant.retrieval.train import train as run

    if split not in ("all", "tune"):
        raise typer.BadParameter("--split 只能是 all 或 tune")
    report = run(get_retriever(), queries, folds=folds, use_adapter=adapter, split=split)
    typer.echo(json.dumps(report, ensure_ascii=False, indent=2))

from legal_assistant.answer import cli as answers_cli  # noqa: E402

eval_app.command("answers")(answers_cli.eval_answers)
