"""``legal-assistant settle`` (compute plans, write drafts) and ``legal-assistant settle-case`` (supervision)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer

from legal_assistant.auth.permissions import PermissionDenied
from legal_assistant.settlement.amounts import yuan
from legal_assistant.settlement.errors import SettlementError
from legal_assistant.settlement.inputs import capacity_from_file, example_input, load_input, load_input_file
from legal_assistant.settings import get_settings

case_app = typer.Typer(help="执行和解监管：登记和解、登记付款、查看履行情况、生成恢复执行申请书", no_args_is_help=True)


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code=2)


def _print_json(payload: dict) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False))


def _parse_date(text: str | None, label: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"{label}“{text}”不是有效日期，格式应为 YYYY-MM-DD")


def _load(data: Path, capacity: Path | None, as_of: str | None):
    settlement_input = load_input_file(data)
    if capacity is None and as_of is None:
        return settlement_input
    raw = json.loads(settlement_input.model_dump_json())
    if capacity is not None:
        imported = capacity_from_file(capacity, get_settings().max_upload_mb * 1024 * 1024)
        raw["capacity"] = json.loads(imported.model_dump_json())
    if as_of is not None:
        raw["negotiation"]["as_of"] = _parse_date(as_of, "计算基准日").isoformat()
    return load_input(raw)


def settle(
    data: Path = typer.Option(None, "--data", help="和解输入文件（JSON，格式见 --example）"),
    capacity: Path = typer.Option(None, "--capacity", help="从 CSV/XLSX 导入还款能力（表头：类别,名称,金额,可继续使用,月还款）"),
    as_of: str = typer.Option(None, "--as-of", help="计算基准日 YYYY-MM-DD（默认取输入文件）"),
    plan: int = typer.Option(None, "--plan", help="选定的方案序号，与 --out/--note 一起使用"),
    out: Path = typer.Option(None, "--out", help="写出执行和解协议草稿（DOCX）"),
    note: Path = typer.Option(None, "--note", help="写出和解方案说明（附卷，DOCX）"),
    example: bool = typer.Option(False, "--example", help="输出一份完整、有效的示例输入文件"),
    as_json: bool = typer.Option(False, "--json", help="以一个 JSON 对象输出"),
) -> None:
    """执行和解：计算欠款、评估还款能力、提出分期方案并生成协议草稿。"""
    if example:
        typer.echo(json.dumps(example_input(), ensure_ascii=False, indent=None if as_json else 2))
        return
    if data is None:
        _fail("请用 --data 指定输入文件，或用 --example 查看示例")
    if (out or note) and plan is None:
        _fail("生成文书需要用 --plan 指定方案序号")
    from legal_assistant.settlement.analysis import analyse
    from legal_assistant.settlement.documents import agreement_document, note_document

    try:
        analysis = analyse(_load(data, capacity, as_of))
        chosen = analysis.plan(plan) if plan is not None else None
        written = []
        if chosen and out:
            out.parent.mkdir(parents=True, exist_ok=True)
            agreement_document(analysis, chosen).save(out)
            written.append(str(out))
        if chosen and note:
            note.parent.mkdir(parents=True, exist_ok=True)
            note_document(analysis, chosen).save(note)
            written.append(str(note))
    except SettlementError as error:
        _fail(str(error))
    if as_json:
        payload = analysis.as_json()
        if written:
            payload["written"] = written
        _print_json(payload)
        return
    owed = analysis.owed
    typer.echo(f"{analysis.data.case_number}  截至 {owed.as_of}：应付合计 {yuan(owed.total)} 元")
    for line in owed.lines:
        typer.echo(f"  {line.label}：{yuan(line.amount)}")
    capacity_result = analysis.capacity
    typer.echo(f"还款能力：月自由现金流 {yuan(capacity_result.free_cash_flow)}，评分 {capacity_result.score}（{capacity_result.band}）")
    for candidate in analysis.plans:
        flag = "可负担" if candidate.affordable else "不可负担：" + "；".join(candidate.problems)
        typer.echo(
            f"  {candidate.title}  首付 {yuan(candidate.down_payment)}  和解总额 {yuan(candidate.agreed_total)}"
            f"  最高一期 {yuan(candidate.max_installment)}  {flag}"
        )
    for warning in analysis.warnings:
        typer.echo(f"提示：{warning}")
    for path in written:
        typer.echo(f"已生成：{path}")


def _actor():
    from legal_assistant.auth.cli import cli_actor

    return cli_actor()


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        _fail(f"金额“{text}”不是数字")
    if not value.is_finite():
        _fail(f"金额“{text}”不是数字")
    return value


@case_app.command("create")
def create(
    data: Path = typer.Option(..., "--data", help="和解输入文件（JSON）"),
    plan: int = typer.Option(..., "--plan", help="双方同意的方案序号"),
    agreement_date: str = typer.Option(None, "--agreement-date", help="和解协议签订日（默认计算基准日）"),
    party_owner_id: int = typer.Option(None, "--party-user-id", help="当事企业在本系统的账户 id（可查看本案）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """登记已签订的执行和解，开始监管。"""
    from legal_assistant.settlement.supervision import create_case

    actor = _actor()
    try:
        case_id = create_case(
            actor, load_input_file(data), plan,
            agreement_date=_parse_date(agreement_date, "签订日"), party_owner_id=party_owner_id,
        )
    except (SettlementError, PermissionDenied) as error:
        _fail(str(error))
    if as_json:
        _print_json({"case_id": case_id})
    else:
        typer.echo(f"已登记和解监管案件，编号 {case_id}")


@case_app.command("pay")
def pay(
    case_id: int = typer.Argument(..., help="监管案件编号"),
    amount: str = typer.Option(..., "--amount", help="付款金额（元）"),
    paid_on: str = typer.Option(..., "--date", help="付款日 YYYY-MM-DD"),
    note: str = typer.Option("", "--note"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """登记被执行人的一笔付款。"""
    from legal_assistant.settlement.supervision import record_payment

    actor = _actor()
    try:
        status = record_payment(actor, case_id, _parse_date(paid_on, "付款日"), _amount(amount), note)
    except (SettlementError, PermissionDenied) as error:
        _fail(str(error))
    _show_status(status, as_json)


def _show_status(status, as_json: bool) -> None:
    if as_json:
        _print_json(status.as_json())
        return
    typer.echo(
        f"{status.case_number}（{status.status}）截至 {status.as_of}：和解总额 {yuan(status.agreed_total)}，"
        f"已付 {yuan(status.paid_total)}，已到期 {yuan(status.due_total)}，逾期 {yuan(status.overdue_total)}"
    )
    for item in status.installments:
        late = f"，逾期{item.days_late}日" if item.days_late else ""
        typer.echo(f"  {item.label} {item.due_date} {yuan(item.amount)} 已付 {yuan(item.paid)} {item.state}{late}")
    if status.default_reason:
        typer.echo(f"违约：{status.default_reason}")


@case_app.command("status")
def status(
    case_id: int = typer.Argument(...),
    as_of: str = typer.Option(None, "--as-of", help="查看日 YYYY-MM-DD（默认今天）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """已付 / 到期 / 逾期（含逾期天数）。"""
    from legal_assistant.settlement.supervision import case_status

    actor = _actor()
    try:
        result = case_status(actor, case_id, _parse_date(as_of, "查看日"))
    except (SettlementError, PermissionDenied) as error:
        _fail(str(error))
    _show_status(result, as_json)


@case_app.command("list")
def list_command(as_json: bool = typer.Option(False, "--json")) -> None:
    """本院（或本企业）的和解监管案件。"""
    from legal_assistant.settlement.supervision import list_cases

    actor = _actor()
    try:
        cases = list_cases(actor)
    except PermissionDenied as error:
        _fail(str(error))
    if as_json:
        _print_json({"cases": cases})
        return
    for case in cases:
        typer.echo(f"{case['case_id']}\t{case['case_number']}\t{case['debtor']}\t{case['status_label']}\t{case['agreed_total']}")


@case_app.command("resume")
def resume(
    case_id: int = typer.Argument(...),
    out: Path = typer.Option(..., "--out", help="恢复执行申请书（DOCX）"),
    as_of: str = typer.Option(None, "--as-of", help="欠款计算截止日（默认今天）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """被执行人违约时生成恢复执行申请书，按原判决重新计算至该日的欠款。"""
    from legal_assistant.settlement.supervision import draft_resume_application

    actor = _actor()
    try:
        draft = draft_resume_application(actor, case_id, out, _parse_date(as_of, "计算截止日"))
    except (SettlementError, PermissionDenied) as error:
        _fail(str(error))
    if as_json:
        _print_json({
            "case_id": case_id,
            "as_of": draft.owed.as_of.isoformat(),
            "owed": draft.owed.as_json(),
            "default": draft.status.default_reason,
            "written": str(out),
            "citations": [{k: v for k, v in c.items() if k != "text"} for c in draft.citations],
        })
    else:
        typer.echo(f"{draft.status.default_reason}\n截至 {draft.owed.as_of} 按原判决应付 {yuan(draft.owed.total)} 元；已生成：{out}")


def register_settlement_commands(app: typer.Typer) -> None:
    app.command("settle")(settle)
    app.add_typer(case_app, name="settle-case")
