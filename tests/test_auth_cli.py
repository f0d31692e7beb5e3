"""The CLI acts as a named local user and is held to the same permission checks as the app."""

import json

import pytest
from storage_support import STRONG_PASSWORD, sqlite_database  # noqa: F401
from typer.testing import CliRunner

from legal_assistant.cli import app

runner = CliRunner()


def invoke(*args, user=None, password=None):
    env = {"LEGAL_NEW_USER_PASSWORD": password} if password else {}
    if user:
        env["LEGAL_CLI_USER"] = user
    return runner.invoke(app, list(args), env=env)


@pytest.fixture
def installed(sqlite_database):
    result = invoke("users", "create-admin", "root", password=STRONG_PASSWORD)
    assert result.exit_code == 0, result.output
    return sqlite_database


def test_first_admin_is_created_with_a_prompted_password(sqlite_database):
    result = runner.invoke(app, ["users", "create-admin", "root"], input=f"{STRONG_PASSWORD}\n{STRONG_PASSWORD}\n")
    assert result.exit_code == 0 and "已创建管理员 root" in result.output
    again = invoke("users", "create-admin", "root2", password=STRONG_PASSWORD)
    assert again.exit_code == 2 and "管理员账户已存在" in again.stderr


def test_admin_adds_legal_aid_staff_and_judges_assistants(installed):
    added = invoke(
        "users", "add", "li_aid", "--role", "legal_aid", "--organization", "朝阳区法律援助中心", "--json",
        user="root", password=STRONG_PASSWORD,
    )
    assert added.exit_code == 0, added.stderr
    assert json.loads(added.stdout)["role"] == "legal_aid"
    judge = invoke(
        "--user", "root", "users", "add", "wang", "--role", "法官助理", "--organization", "北京市朝阳区人民法院",
        password=STRONG_PASSWORD,
    )
    assert judge.exit_code == 0 and "已创建法官助理账户 wang" in judge.stdout
    listed = json.loads(invoke("users", "list", "--json", user="root").stdout)
    assert [(u["username"], u["role"]) for u in listed["users"]] == [
        ("root", "admin"), ("li_aid", "legal_aid"), ("wang", "judge_assistant")
    ]


def test_non_admin_cli_user_is_refused(installed):
    assert invoke("users", "add", "boss", "--role", "owner", user="root", password=STRONG_PASSWORD).exit_code == 0
    for args in (("users", "list"), ("audit",), ("users", "disable", "root"), ("users", "reset-password", "root")):
        result = invoke(*args, user="boss", password="Takeover-Attempt-1")
        assert result.exit_code == 2 and "仅限管理员" in result.stderr


def test_commands_without_a_cli_user_or_with_an_unknown_one_are_refused(installed):
    missing = invoke("users", "list")
    assert missing.exit_code == 2 and "LEGAL_CLI_USER" in missing.stderr
    unknown = invoke("users", "list", user="ghost")
    assert unknown.exit_code == 2 and "本地用户“ghost”不存在或已停用" in unknown.stderr


def test_unknown_role_is_explained(installed):
    result = invoke("users", "add", "x1", "--role", "boss", user="root", password=STRONG_PASSWORD)
    assert result.exit_code == 2 and "未知角色" in result.stderr


def test_whoami_and_audit_show_who_did_what(installed):
    who = json.loads(invoke("users", "whoami", "--json", user="root").stdout)
    assert who["username"] == "root" and who["role"] == "admin"
    events = json.loads(invoke("audit", "--json", "--action", "user_created", user="root").stdout)["events"]
    assert [(e["actor_username"], e["action"]) for e in events] == [("root", "user_created")]


def test_backup_and_restore_commands_round_trip(installed, tmp_path):
    archive = tmp_path / "nightly.tar.gz"
    made = invoke("backup", "--out", str(archive), "--json", user="root")
    assert made.exit_code == 0, made.stderr
    assert json.loads(made.stdout)["table_rows"]["users"] == 1
    assert invoke("users", "add", "temp", "--role", "owner", user="root", password=STRONG_PASSWORD).exit_code == 0
    refused = runner.invoke(app, ["restore", str(archive)], env={"LEGAL_CLI_USER": "root"}, input="n\n")
    assert refused.exit_code == 2 and "已取消" in refused.stderr
    restored = invoke("restore", str(archive), "--yes", "--json", user="root")
    assert restored.exit_code == 0, restored.stderr
    listed = json.loads(invoke("users", "list", "--json", user="root").stdout)
    assert [u["username"] for u in listed["users"]] == ["root"]


def test_owner_cannot_back_up(installed, tmp_path):
    assert invoke("users", "add", "boss", "--role", "owner", user="root", password=STRONG_PASSWORD).exit_code == 0
    result = invoke("backup", "--out", str(tmp_path / "b.tar.gz"), user="boss")
    assert result.exit_code == 2 and "仅限管理员" in result.stderr
    assert not (tmp_path / "b.tar.gz").exists()


def test_each_invocation_acts_as_its_own_user(installed):
    """One invocation's --user must not leak into the next, even when a sub-app is run on its own."""
    from legal_assistant.auth.cli import users_app

    assert invoke("users", "add", "boss", "--role", "owner", user="root", password=STRONG_PASSWORD).exit_code == 0
    assert json.loads(invoke("--user", "root", "users", "whoami", "--json").stdout)["username"] == "root"
    assert json.loads(invoke("users", "whoami", "--json", user="boss").stdout)["username"] == "boss"
    direct = runner.invoke(users_app, ["whoami", "--json"], env={"LEGAL_CLI_USER": "boss"})
    assert json.loads(direct.stdout)["username"] == "boss"
    assert invoke("users", "whoami").exit_code == 2
