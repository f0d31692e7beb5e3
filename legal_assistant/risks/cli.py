"""``legal-assistant risks …`` (the knowledge base) and ``legal-assistant selfcheck`` (企业风险智治)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
import yaml

risks_app = typer.Typer(help="企业风险知识库：列出风险点、按文字匹配风险点、查看专场", no_args_is_help=True)


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code=2)


def _print_json(payload: dict) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False))


def _citation_summary(resolved) -> dict[str, Any]:
    return {k: v for k, v in resolved.as_dict().items() if k != "text"}


@risks_app.command("list")
def list_command(
    theme: str = typer.Option(None, "--theme", help="只列出某个主题（如 labor、contract）"),
    with_text: bool = typer.Option(False, "--text", help="同时输出每条法律依据的条文全文，供律师逐条核对"),
    as_json: bool = typer.Option(False, "--json", help="以一个 JSON 对象输出"),
) -> None:
    """列出全部风险点及其法律依据（法条已对照语料库）。"""
    from legal_assistant.risks.citations import resolve_citation
    from legal_assistant.risks.kb import load_kb

    kb = load_kb()
    if theme and theme not in kb.theme_by_key:
        _fail(f"没有这个主题：{theme}（可选：{'、'.join(kb.theme_by_key)}）")
    risks = [r for r in kb.risks if not theme or r.theme == theme]
    if as_json:
        _print_json(
            {
                "themes": [{"key": t.key, "name": t.name, "prefix": t.prefix} for t in kb.themes],
                "count": len(risks),
                "risks": [
                    {
                        "id": r.id,
                        "theme": r.theme,
                        "title": r.title,
                        "severity": r.severity,
                        "triggers": r.triggers,
                        "keywords": r.keywords,
                        "consequences": r.consequences,
                        "remediation": r.remediation,
                        "citations": [
                            resolve_citation(c).as_dict() if with_text else _citation_summary(resolve_citation(c))
                            for c in r.citations
                        ],
                    }
                    for r in risks
                ],
            }
        )
        return
    names = {t.key: t.name for t in kb.themes}
    for risk in risks:
        resolved = [resolve_citation(c) for c in risk.citations]
        typer.echo(f"{risk.id}［{names[risk.theme]}｜{risk.severity_label}］{risk.title}")
        if not with_text:
            typer.echo("    依据：" + "；".join(c.display for c in resolved))
            continue
        for citation in resolved:
            body = citation.article.text if citation.article else citation.problem
            typer.echo(f"    {citation.display}\n        " + body.replace("\n", "\n        "))
    typer.echo(f"共 {len(risks)} 个风险点")


@risks_app.command("match")
def match_command(
    text: str = typer.Argument(..., help="问题或合同条款原文"),
    top_k: int = typer.Option(5, "--top", help="最多返回几个风险点"),
    as_json: bool = typer.Option(False, "--json", help="以一个 JSON 对象输出"),
) -> None:
    """按触发情形和关键词匹配风险点（问答和合同审查使用同一匹配）。"""
    from legal_assistant.risks.matching import match_risks

    matches = match_risks(text, top_k=top_k)
    if as_json:
        _print_json({"matches": [m.as_dict() for m in matches]})
        return
    if not matches:
        typer.echo("未匹配到风险点")
    for match in matches:
        typer.echo(f"{match.risk.id} {match.risk.title}（得分 {match.score:.2f}；命中：{'、'.join(match.matched)}）")


@risks_app.command("theme")
def theme_command(
    key: str = typer.Argument(..., help="主题，如 labor"),
    as_json: bool = typer.Option(False, "--json", help="以一个 JSON 对象输出"),
) -> None:
    """专场页面内容：重点法条、典型案例、自查清单。"""
    from legal_assistant.risks.theme_pages import theme_page

    try:
        page = theme_page(key)
    except KeyError as exc:
        _fail(str(exc.args[0]))
    payload = {
        "theme": page.theme.name,
        "description": page.theme.description,
        "key_articles": [c.as_dict() for c in page.key_articles],
        "cases": [{"title": m.case.title, "category": m.case.category_path, "keywords": list(m.keywords), "summary": m.case.summary} for m in page.cases],
        "checklist": page.checklist,
        "risks": [{"id": r.id, "title": r.title, "severity": r.severity} for r in page.risks],
    }
    if as_json:
        _print_json(payload)
        return
    typer.echo(f"【{page.theme.name}】{page.theme.description}")
    for citation in page.key_articles:
        typer.echo(f"  · {citation.display}")
    for match in page.cases:
        typer.echo(f"  案例：{match.case.title}")
    for item in page.checklist:
        typer.echo(f"  □ {item}")


def _load_answers_file(path: Path) -> tuple[str, dict[str, Any]]:
    """``{"enterprise_name": ..., "answers": {...}}`` (JSON or YAML), or a bare answers object."""
    from legal_assistant.risks.questionnaire import AnswerError

    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AnswerError(f"无法读取答卷文件 {path}：{exc.strerror}") from exc
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise AnswerError(f"答卷文件 {path.name} 格式错误：{exc}") from exc
    if not isinstance(data, dict):
        raise AnswerError("答卷文件必须是一个对象")
    if "answers" in data:
        answers = data["answers"]
        name = str(data.get("enterprise_name") or "")
    else:
        answers, name = data, ""
    if not isinstance(answers, dict):
        raise AnswerError("answers 必须是“题目编号: 答案”形式的对象")
    return name, answers


def selfcheck(
    answers_file: Path = typer.Option(None, "--answers", help="答卷文件（JSON/YAML，格式见 --example）"),
    enterprise: str = typer.Option(None, "--enterprise", help="企业名称（覆盖答卷中的 enterprise_name）"),
    docx: Path = typer.Option(None, "--docx", help="写出自查报告 DOCX"),
    pdf: Path = typer.Option(None, "--pdf", help="写出自查报告 PDF（嵌入中文字体）"),
    top: int = typer.Option(10, "--top", help="报告中列出的重点风险数量"),
    save: bool = typer.Option(False, "--save", help="保存结果并与该企业上一次自查对比（需 --user）"),
    example: bool = typer.Option(False, "--example", help="输出一份完整、有效的示例答卷"),
    as_json: bool = typer.Option(False, "--json", help="以一个 JSON 对象输出"),
) -> None:
    """企业风险智治：按答卷给出各主题得分、重点风险、预警清单，可导出 DOCX/PDF。"""
    from legal_assistant.risks.questionnaire import AnswerError, example_answers, unanswered
    from legal_assistant.risks.selfcheck import run_selfcheck

    if example:
        _print_json({"enterprise_name": "嘉兴示例纺织有限公司", "answers": example_answers()})
        return
    if answers_file is None:
        _fail("请用 --answers 指定答卷文件（用 --example 查看格式）")
    try:
        name, answers = _load_answers_file(answers_file)
        result = run_selfcheck(answers, enterprise_name=enterprise or name)
    except AnswerError as exc:
        _fail(str(exc))
    comparison = None
    saved_id = None
    if save:
        from legal_assistant.auth.cli import cli_actor
        from legal_assistant.risks.history import compare_stored, previous_result, save_result

        actor = cli_actor()
        previous = previous_result(result.enterprise_name, owner_id=actor.user_id)
        saved_id = save_result(result, owner_id=actor.user_id)
        if previous is not None:
            comparison = compare_stored(previous, result)
    try:
        if docx:
            from legal_assistant.risks.export import export_docx

            export_docx(result, docx, top)
        if pdf:
            from legal_assistant.risks.export import export_pdf

            export_pdf(result, pdf, top)
    except OSError as exc:
        _fail(f"无法写出报告：{exc.strerror}")
    except RuntimeError as exc:  # CJKFontMissing carries the install hint
        _fail(str(exc))
    payload = result.as_dict(top)
    payload["unanswered"] = [q.id for q in unanswered(result.answers)]
    if saved_id is not None:
        payload["saved_id"] = saved_id
    if comparison is not None:
        payload["comparison"] = comparison.as_dict()
    if as_json:
        _print_json(payload)
        return
    typer.echo(f"{result.enterprise_name or '本企业'} 综合得分 {result.overall_score}")
    for theme in result.themes:
        typer.echo(f"  {theme.theme.name}：{theme.score if theme.applicable else '不适用'}")
    typer.echo("预警：")
    for warning in result.warnings:
        typer.echo(f"  【{warning.level_label}】{warning.assessment.risk.id} {warning.assessment.risk.title}")
    typer.echo("重点风险：")
    for assessment in result.top_risks(top):
        cites = "；".join(c.display for c in assessment.citations)
        typer.echo(f"  {assessment.risk.id} {assessment.risk.title}［{assessment.risk.severity_label}］ 依据：{cites}")
    if comparison is not None:
        deltas = "，".join(f"{k} {v:+d}" for k, v in comparison.as_dict()["theme_deltas"].items() if v)
        typer.echo(f"与上次相比：{deltas or '各主题得分无变化'}；已解决 {len(comparison.resolved)} 项，新增 {len(comparison.new)} 项")
