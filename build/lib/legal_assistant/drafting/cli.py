"""``legal-assistant draft``: list templates, print an example data file, or draft a contract."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from legal_assistant.auth.cli import cli_username, fail
from legal_assistant.drafting.schema import TemplateNotFound, list_templates, load_template
from legal_assistant.drafting.service import DraftValidationError, create_draft
from legal_assistant.pdf_fonts import CJKFontMissing

OUTPUT_SUFFIXES = (".docx", ".pdf")


def draft_command(
    template_id: str = typer.Argument(None, metavar="TEMPLATE", help="模板编号，如 sale、labor"),
    list_templates_: bool = typer.Option(False, "--list", help="列出全部合同模板"),
    example: bool = typer.Option(False, "--example", help="输出该模板的完整示例数据（可直接用作 --data）"),
    data: Path = typer.Option(None, "--data", exists=True, dir_okay=False, readable=True, help="合同数据 JSON 文件"),
    out: Path = typer.Option(None, "--out", help="输出文件：.docx 或 .pdf"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出"),
) -> None:
    """按模板生成合同（DOCX/PDF），核验各方身份并记入存证链。"""
    if list_templates_:
        templates = [{"id": t.id, "title": t.title, "summary": t.summary, "parties": [p.label for p in t.parties],
                      "fields": len(t.fields)} for t in list_templates()]
        text = "\n".join(f"{t['id']:<24}{t['title']}　{t['summary']}" for t in templates)
        typer.echo(json.dumps({"templates": templates}, ensure_ascii=False) if as_json else text)
        return
    if not template_id:
        fail("请指定模板编号，或用 --list 查看全部模板")
    try:
        template = load_template(template_id)
    except TemplateNotFound as exc:
        fail(f"{exc}；可用 legal-assistant draft --list 查看全部模板")
    if example:
        typer.echo(json.dumps(template.example(), ensure_ascii=False, indent=None if as_json else 2))
        return
    if data is None or out is None:
        fail("请同时提供 --data 合同数据文件 和 --out 输出文件")
    if out.suffix.lower() not in OUTPUT_SUFFIXES:
        fail("输出文件只能是 .docx 或 .pdf")
    try:
        payload = json.loads(data.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        fail(f"数据文件不是有效的 UTF-8 JSON：{exc}")
    try:
        draft = create_draft(template.id, payload, actor=cli_username() or "命令行")
    except DraftValidationError as exc:
        typer.echo(json.dumps([e.as_dict() for e in exc.errors], ensure_ascii=False))
        typer.echo(f"合同数据校验未通过，共{len(exc.errors)}处问题", err=True)
        raise typer.Exit(code=2)
    except CJKFontMissing as exc:
        fail(str(exc))
    content = draft.docx if out.suffix.lower() == ".docx" else draft.pdf
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    result = {"contract_id": draft.contract_id, "template": template.id, "out": str(out),
              "sha256": draft.pdf_sha256 if out.suffix.lower() == ".pdf" else draft.docx_sha256,
              "pdf_sha256": draft.pdf_sha256, "signers": [p.label for p in template.parties]}
    text = f"已生成《{template.title}》，合同编号 {draft.contract_id}，文件 {out}"
    typer.echo(json.dumps(result, ensure_ascii=False) if as_json else text)
