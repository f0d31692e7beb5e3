"""``legal-assistant users …`` and the identity every CLI command acts as.

The CLI is subject to the same permission checks as the app: a command acts as the local user
named by the global option ``--user NAME`` or the environment variable ``LEGAL_CLI_USER``. Feature
commands call :func:`cli_actor` and pass the result to their services.
"""

from __future__ import annotations

import json
import os
from typing import NoReturn

import typer

from legal_assistant.auth.permissions import Actor, PermissionDenied
from legal_assistant.auth.roles import parse_role
from legal_assistant.store.db import init_db

CLI_USER_ENV = "LEGAL_CLI_USER"

users_app = typer.Typer(help="账户管理：创建首个管理员、添加账户、列出账户", no_args_is_help=True)

# ``--user`` of the invocation in progress; cleared when that invocation's context closes, so it
# never leaks into the next one (tests run many invocations in one process).
_invocation_user: str | None = None


def set_invocation_user(context: typer.Context, username: str | None) -> None:
    global _invocation_user
    _invocation_user = username
    context.call_on_close(_clear_invocation_user)


def _clear_invocation_user() -> None:
    global _invocation_user
    _invocation_user = None


def cli_username() -> str:
    """``--user`` given to this invocation, else ``LEGAL_CLI_USER``, else empty."""
    return (_invocation_user or os.environ.get(CLI_USER_ENV, "")).strip()


def cli_actor() -> Actor:
    """The actor the CLI runs as; exits with code 2 and a zh-CN message when none is usable."""
    from legal_assistant.auth.service import actor_for_username

    username = cli_username()
    if not username:
        fail(f"请用 --user 用户名 或环境变量 {CLI_USER_ENV} 指定以哪个本地账户执行该命令")
    init_db()
    try:
        return actor_for_username(username)
    except PermissionDenied as exc:
        fail(str(exc))


def fail(message: str) -> NoReturn:
    """Print a zh-CN error to stderr and exit with code 2 (the CLI convention)."""
    typer.echo(message, err=True)
    raise typer.Exit(code=2)


def _print(payload: dict, as_json: bool, text: str) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False) if as_json else text)


_PASSWORD_OPTION = typer.Option(
    ...,
    prompt="密码",
    hide_input=True,
    confirmation_prompt="再次输入密码",
    envvar="LEGAL_NEW_USER_PASSWORD",
    help="新账户密码（不提供时交互输入；脚本可用环境变量 LEGAL_NEW_USER_PASSWORD）",
)


@users_app.command("create-admin")
def create_admin_command(
    username: str = typer.Argument(..., help="管理员用户名"),
    password: str = _PASSWORD_OPTION,
    display_name: str = typer.Option("", "--display-name", help="显示名称"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """首次运行：创建第一个管理员（已有管理员时拒绝）。"""
    from legal_assistant.auth.service import AccountError, create_first_admin

    init_db()
    try:
        actor = create_first_admin(username, password, display_name)
    except (AccountError, PermissionDenied) as exc:
        fail(str(exc))
    _print({"username": actor.username, "role": actor.role.value}, as_json, f"已创建管理员 {actor.username}")


@users_app.command("add")
def add_user_command(
    username: str = typer.Argument(..., help="新账户用户名"),
    role: str = typer.Option(..., "--role", help="owner / legal_aid / judge_assistant / admin"),
    password: str = _PASSWORD_OPTION,
    organization: str = typer.Option(
        "", "--organization", help="企业名称 / 法律援助机构 / 所属法院（法官助理、法律援助人员必填）"
    ),
    display_name: str = typer.Option("", "--display-name", help="显示名称"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """管理员添加账户并分配角色。"""
    from legal_assistant.auth.service import AccountError, create_user

    try:
        parsed_role = parse_role(role)
    except ValueError as exc:
        fail(str(exc))
    actor = cli_actor()
    try:
        view = create_user(
            actor, username, password, parsed_role, display_name=display_name, organization=organization
        )
    except (AccountError, PermissionDenied) as exc:
        fail(str(exc))
    _print(view.as_dict(), as_json, f"已创建{view.role.label}账户 {view.username}")


@users_app.command("list")
def list_users_command(as_json: bool = typer.Option(False, "--json")) -> None:
    """列出全部账户（仅管理员）。"""
    from legal_assistant.auth.service import list_users

    actor = cli_actor()
    try:
        users = list_users(actor)
    except PermissionDenied as exc:
        fail(str(exc))
    if as_json:
        _print({"users": [u.as_dict() for u in users]}, True, "")
        return
    for user in users:
        state = "" if user.is_active else "（已停用）"
        typer.echo(f"{user.id}\t{user.username}\t{user.role.label}\t{user.organization}{state}")


def _set_active(username: str, active: bool, as_json: bool) -> None:
    from legal_assistant.auth.service import AccountError, set_user_active

    actor = cli_actor()
    try:
        view = set_user_active(actor, username, active)
    except (AccountError, PermissionDenied) as exc:
        fail(str(exc))
    _print(view.as_dict(), as_json, f"已{'启用' if active else '停用'}账户 {view.username}")


@users_app.command("disable")
def disable_user_command(username: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """停用账户并结束其登录会话（仅管理员）。"""
    _set_active(username, False, as_json)


@users_app.command("enable")
def enable_user_command(username: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """重新启用账户（仅管理员）。"""
    _set_active(username, True, as_json)


@users_app.command("reset-password")
def reset_password_command(
    username: str = typer.Argument(..., help="要重置密码的账户"),
    password: str = _PASSWORD_OPTION,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """为忘记密码的用户设置新密码，同时解除锁定并结束其登录会话（仅管理员）。"""
    from legal_assistant.auth.service import AccountError, reset_password

    actor = cli_actor()
    try:
        view = reset_password(actor, username, password)
    except (AccountError, PermissionDenied) as exc:
        fail(str(exc))
    _print(view.as_dict(), as_json, f"已重置账户 {view.username} 的密码")


@users_app.command("whoami")
def whoami_command(as_json: bool = typer.Option(False, "--json")) -> None:
    """显示命令行当前以哪个账户执行。"""
    actor = cli_actor()
    payload = {
        "user_id": actor.user_id,
        "username": actor.username,
        "role": actor.role.value,
        "organization": actor.organization,
    }
    _print(payload, as_json, actor.label)


