"""Accounts: a first administrator, role assignment by administrators only, and sound input checks."""

import pytest
from sqlalchemy import select
from storage_support import STRONG_PASSWORD, database, make_people, sqlite_database  # noqa: F401

from legal_assistant.auth import (
    AccountError,
    PermissionDenied,
    Role,
    create_first_admin,
    create_user,
    list_users,
    parse_role,
    set_user_active,
)
from legal_assistant.auth.models import User
from legal_assistant.store.db import session_scope


def test_first_run_creates_an_administrator_and_refuses_a_second_one(database):
    admin = create_first_admin("admin", STRONG_PASSWORD)
    assert admin.role is Role.ADMIN and admin.is_admin
    with pytest.raises(PermissionDenied, match="管理员账户已存在"):
        create_first_admin("admin2", STRONG_PASSWORD)


def test_administrator_assigns_each_role_and_lists_accounts(database):
    people = make_people()
    listed = {u.username: u for u in list_users(people["admin"])}
    assert listed["aid"].role is Role.LEGAL_AID and listed["aid"].organization == "海淀区法律援助中心"
    assert listed["judge_hd"].role is Role.JUDGE_ASSISTANT
    assert listed["owner_a"].role is Role.OWNER and listed["owner_a"].as_dict()["role_label"] == "企业经营者"
    assert len(listed) == 6


def test_only_administrators_create_or_list_accounts(database):
    people = make_people()
    for who in ("owner_a", "aid", "judge_hd"):
        with pytest.raises(PermissionDenied, match="仅限管理员"):
            create_user(people[who], "intruder", STRONG_PASSWORD, Role.ADMIN)
        with pytest.raises(PermissionDenied):
            list_users(people[who])
        with pytest.raises(PermissionDenied):
            set_user_active(people[who], "owner_b", False)
    assert "intruder" not in {u.username for u in list_users(people["admin"])}
    with pytest.raises(PermissionDenied, match="请先登录"):
        list_users(None)


def test_passwords_are_stored_only_as_argon2id_hashes(database):
    create_first_admin("admin", STRONG_PASSWORD)
    with session_scope() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "admin"))
    assert stored.startswith("$argon2id$")
    assert STRONG_PASSWORD not in stored


@pytest.mark.parametrize(
    ("username", "password", "role", "organization", "message"),
    [
        ("x", STRONG_PASSWORD, Role.OWNER, "", "用户名"),
        ("../etc", STRONG_PASSWORD, Role.OWNER, "", "用户名"),
        ("newowner", "short1", Role.OWNER, "", "至少需要10个字符"),
        ("newowner", "newowner-2026", Role.OWNER, "", "不能包含用户名"),
        ("newowner", "aaaaaaaaaaaa", Role.OWNER, "", "过于简单"),
        ("judge3", STRONG_PASSWORD, Role.JUDGE_ASSISTANT, " ", "所属法院"),
        ("aid2", STRONG_PASSWORD, Role.LEGAL_AID, "", "法律援助机构"),
        ("owner_a", STRONG_PASSWORD, Role.OWNER, "", "已被使用"),
    ],
)
def test_invalid_accounts_are_refused_with_a_zh_message(sqlite_database, username, password, role, organization, message):
    people = make_people()
    with pytest.raises(AccountError, match=message):
        create_user(people["admin"], username, password, role, organization=organization)


def test_chinese_usernames_are_accepted(sqlite_database):
    people = make_people()
    view = create_user(people["admin"], "张经理", STRONG_PASSWORD, Role.OWNER, organization="丙餐饮店")
    assert view.username == "张经理" and view.display_name == "张经理"


def test_administrator_cannot_disable_own_account(sqlite_database):
    people = make_people()
    with pytest.raises(AccountError, match="不能停用自己的账户"):
        set_user_active(people["admin"], "admin", False)


def test_roles_parse_from_value_or_chinese_label():
    assert parse_role("legal_aid") is Role.LEGAL_AID
    assert parse_role("法官助理") is Role.JUDGE_ASSISTANT
    with pytest.raises(ValueError, match="未知角色"):
        parse_role("superuser")


def test_simultaneous_first_run_commands_create_exactly_one_administrator(database):
    from concurrent.futures import ThreadPoolExecutor

    def attempt(n):
        try:
            return create_first_admin(f"admin{n}", STRONG_PASSWORD).username
        except PermissionDenied:
            return None

    with ThreadPoolExecutor(max_workers=6) as pool:
        winners = [name for name in pool.map(attempt, range(6)) if name]
    assert len(winners) == 1
    with session_scope() as session:
        admins = session.scalars(select(User.username).where(User.role == Role.ADMIN.value)).all()
    assert admins == winners
