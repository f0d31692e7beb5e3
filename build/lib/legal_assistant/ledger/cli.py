"""``legal-assistant ledger verify`` and ``legal-assistant evidence``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from legal_assistant.auth.cli import cli_username, fail
from legal_assistant.ledger.chain import verify_chain
from legal_assistant.store.db import init_db

ledger_app = typer.Typer(help="存证链", no_args_is_help=True)


@ledger_app.command("verify")
def ledger_verify_command(
    contract_id: str = typer.Option(None, "--contract", help="只校验该合同的存证记录"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """逐条校验存证链，报告第一处断裂（记录被修改、删除或调换顺序）；链断裂时退出码为1。"""
    init_db()
    report = verify_chain(contract_id)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    elif report.ok:
        typer.echo(f"存证链完整，共{report.records}条记录")
    else:
        typer.echo(f"存证链在第{report.first_bad}条记录处断裂：{report.reason}")
    if not report.ok:
        raise typer.Exit(code=1)


def evidence_command(
    contract_id: str = typer.Argument(..., metavar="CONTRACT_ID"),
    out: Path = typer.Option(..., "--out", help="存证证明 PDF 输出路径"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """为一份合同出具存证证明（PDF，含全部存证记录、哈希值和签署人信息）。"""
    from legal_assistant.ledger.evidence import UnknownContract, build_evidence_certificate

    try:
        certificate = build_evidence_certificate(contract_id, actor=cli_username() or "命令行")
    except UnknownContract as exc:
        fail(str(exc))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(certificate.pdf)
    result = {"contract_id": contract_id, "out": str(out), "records": certificate.records,
              "chain_ok": certificate.chain_ok, "sha256": certificate.sha256}
    text = f"已出具存证证明 {out}（{certificate.records}条记录，存证链{'完整' if certificate.chain_ok else '异常'}）"
    typer.echo(json.dumps(result, ensure_ascii=False) if as_json else text)
