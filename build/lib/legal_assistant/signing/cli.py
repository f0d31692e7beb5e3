"""``legal-assistant sign`` / ``verify``, and registration of all 桐e签 commands."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from legal_assistant.auth.cli import cli_username, fail
from legal_assistant.signing.service import SigningError, check_document, sign_contract

MAX_PDF_BYTES = 50 * 1024 * 1024


def _read_pdf(path: Path) -> bytes:
    if path.stat().st_size > MAX_PDF_BYTES:
        fail("文件超过50MB，拒绝处理")
    return path.read_bytes()


def sign_command(
    pdf: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, metavar="FILE.pdf"),
    signer: str = typer.Option(..., "--signer", help="签署人：当事人编号（如 party_a）、名称或“甲方”"),
    out: Path = typer.Option(..., "--out", help="签署后的 PDF 输出路径"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """以当事人的数字证书对合同 PDF 加盖 PAdES 电子签名（按签署顺序），并记入存证链。"""
    try:
        signed = sign_contract(_read_pdf(pdf), signer, actor=cli_username() or "命令行")
    except SigningError as exc:
        fail(str(exc))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(signed)
    check = check_document(signed)
    result = {"out": str(out), "contract_id": check.contract_id, "sha256": check.sha256,
              "signatures": [s.as_dict() for s in check.signatures]}
    text = f"已签署，输出 {out}；当前共{len(check.signatures)}个签名"
    typer.echo(json.dumps(result, ensure_ascii=False) if as_json else text)


def verify_command(
    pdf: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, metavar="FILE.pdf"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """核验 PDF：是否与存证记录一致、每个电子签名是否有效。"""
    check = check_document(_read_pdf(pdf))
    if as_json:
        typer.echo(json.dumps(check.as_dict(), ensure_ascii=False))
        return
    lines = [f"存证记录：{'一致（合同 ' + check.contract_id + '）' if check.ledger_match else '不一致或未找到'}"]
    if check.problem:
        lines.append(check.problem)
    for signature in check.signatures:
        lines.append(f"签名 {signature.signer}：{'有效' if signature.valid else '无效（' + (signature.problem or '') + '）'}")
    if not check.signatures and not check.problem:
        lines.append("文件中没有电子签名")
    typer.echo("\n".join(lines))


def register_esign_commands(app: typer.Typer) -> None:
    from legal_assistant.drafting.cli import draft_command
    from legal_assistant.ledger.cli import evidence_command, ledger_app

    app.command("draft")(draft_command)
    app.command("sign")(sign_command)
    app.command("verify")(verify_command)
    app.add_typer(ledger_app, name="ledger")
    app.command("evidence")(evidence_command)
