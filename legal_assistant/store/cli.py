"""``legal-assistant backup`` / ``restore`` / ``audit`` and the registration of the core commands."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from legal_assistant.auth.cli import CLI_USER_ENV, cli_actor, cli_username, fail, set_invocation_user, users_app
from legal_assistant.auth.permissions import PermissionDenied
from legal_assistant.logging_setup import configure_logging


def root_options(
    context: typer.Context,
    user: str = typer.Option(
        None, "--user", "-u", envvar=CLI_USER_ENV, help=f"以哪个本地账户执行（也可用环境变量 {CLI_USER_ENV}）"
    ),
) -> None:
    """最嘉法护 企业法律风险助手"""
    configure_logging("WARNING")
    set_invocation_user(context, user)


def backup_command(
    out: Path = typer.Option(..., "--out", help="备份文件路径（.tar.gz）"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """备份数据库、上传文件和密钥（仅管理员）。"""
    from legal_assistant.backup import BackupError, create_backup

    actor = cli_actor()
    try:
        summary = create_backup(actor, out)
    except (BackupError, PermissionDenied, OSError) as exc:
        fail(f"备份失败：{exc}")
    rows = sum(summary.table_rows.values())
    text = f"已备份到 {summary.path}：{rows} 行数据，{summary.files} 个文件"
    typer.echo(json.dumps(summary.as_dict(), ensure_ascii=False) if as_json else text)


def restore_command(
    archive: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="备份文件"),
    yes: bool = typer.Option(False, "--yes", help="不再确认，直接覆盖当前数据"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """用备份覆盖当前数据库和数据文件（管理员；全新安装尚无账户时任何人可执行）。"""
    from legal_assistant.auth.service import actor_for_username
    from legal_assistant.backup import BackupError, restore_backup
    from legal_assistant.store.db import init_db

    init_db()
    # A fresh install has no accounts yet, so the named user may not exist; the restore itself
    # decides whether an actor is needed.
    username = cli_username()
    try:
        actor = actor_for_username(username) if username else None
    except PermissionDenied:
        actor = None
    if not yes and not typer.confirm("恢复将覆盖当前全部数据，确定继续？", default=False):
        fail("已取消")
    try:
        summary = restore_backup(actor, archive, requested_by=username)
    except (BackupError, PermissionDenied, OSError) as exc:
        fail(f"恢复失败：{exc}")
    rows = sum(summary.table_rows.values())
    text = f"已从 {archive} 恢复：{rows} 行数据，{summary.files} 个文件"
    typer.echo(json.dumps(summary.as_dict(), ensure_ascii=False) if as_json else text)


def audit_command(
    action: str = typer.Option(None, "--action", help="只看某种操作，如 viewed / uploaded / login_failed"),
    username: str = typer.Option(None, "--of", help="只看某个用户的操作"),
    limit: int = typer.Option(50, "--limit", min=1, max=10000),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """查看审计日志（仅管理员）。"""
    from legal_assistant.audit import AuditAction, list_events
    from legal_assistant.store.db import session_scope

    actor = cli_actor()
    if action and action not in {a.value for a in AuditAction}:
        fail(f"未知操作类型：{action}")
    try:
        with session_scope() as session:
            events = list_events(session, actor, action=action, actor_username=username, limit=limit)
    except PermissionDenied as exc:
        fail(str(exc))
    if as_json:
        payload = [
            {**e.__dict__, "at": e.at.isoformat(timespec="seconds")} for e in events
        ]
        typer.echo(json.dumps({"events": payload}, ensure_ascii=False))
        return
    for e in events:
        typer.echo(f"{e.at:%Y-%m-%d %H:%M:%S}\t{e.actor_username}\t{e.action}\t{e.object_type}:{e.object_id}\t{e.detail}")


def register_core_commands(app: typer.Typer) -> None:
    app.callback()(root_options)
    app.add_typer(users_app, name="users")
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
    app.command("audit")(audit_command)
