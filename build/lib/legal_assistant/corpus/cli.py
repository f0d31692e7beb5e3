"""Corpus commands: copy the shared statutes into the project, look up an article."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from legal_assistant.corpus import get_corpus
from legal_assistant.corpus.sync import sync_corpus
from legal_assistant.settings import get_settings

corpus_app = typer.Typer(help="法规语料：同步与条文查询", no_args_is_help=True)


@corpus_app.command("sync")
def sync(source: Path = typer.Option(Path("../shared/corpus/statutes"), help="共享语料目录")) -> None:
    """从共享目录复制法规到项目自己的 corpus/（并写入 MANIFEST.tsv）。"""
    target = get_settings().corpus_dir
    files, changed = sync_corpus(source, target)
    typer.echo(f"已同步 {files} 个文件（更新 {changed} 个）到 {target}")


@corpus_app.command("lookup")
def lookup(
    citation: str = typer.Argument(..., help="如 民法典第585条、《公司法》第五十二条"),
    version: str | None = typer.Option(None, help="指定版本日期 YYYY-MM-DD"),
    as_of: str | None = typer.Option(None, "--as-of", help="取该日期有效的版本"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """按引用查条文（默认最新有效版本）。"""
    corpus = get_corpus()
    found = corpus.find_citations(citation)
    article = corpus.article(found[-1].law, found[-1].number, found[-1].sub, as_of=as_of, version=version) if found else None
    if article is None:
        typer.echo(f"语料中没有找到“{citation}”对应的条文。", err=True)
        raise typer.Exit(2)
    if as_json:
        typer.echo(json.dumps(article_json(article), ensure_ascii=False))
    else:
        status = "" if article.in_force else "（已被新版本取代）"
        typer.echo(f"{article.citation}{status}\n{article.text}")


def article_json(article) -> dict:
    return {
        "law": article.law_title,
        "article": article.number_text,
        "version_date": article.version_date,
        "in_force": article.in_force,
        "chapter": article.chapter_path,
        "text": article.text,
    }
