"""Logins and sessions: tokens that expire, can be revoked, and reveal nothing when the database leaks."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from storage_support import STRONG_PASSWORD, database, make_people  # noqa: F401

from legal_assistant.audit import AuditEntry
from legal_assistant.auth import (
    AuthenticationError,
    PermissionDenied,
    Role,
    actor_from_token,
    authenticate,
    change_password,
    logout,
    reset_password,
    set_user_active,
)
from legal_assistant.auth.models import User, UserSession, utcnow
from legal_assistant.auth.service import MAX_FAILED_LOGINS, purge_expired_sessions
from legal_assistant.store.db import session_scope


def test_login_returns_a_token_that_identifies_the_user_and_role(database):
    make_people()
    token = authenticate("judge_hd", STRONG_PASSWORD)
    actor = actor_from_token(token)
    assert actor is not None
    assert (actor.username, actor.role, actor.organization) == ("judge_hd", Role.JUDGE_ASSISTANT, "北京市海淀区人民法院")


def test_only_a_hash_of_the_token_is_stored(database):
    make_people()
    token = authenticate("owner_a", STRONG_PASSWORD)
    with session_scope() as session:
        stored = session.scalars(select(UserSession.token_sha256)).all()
    assert len(stored) == 1 and token not in stored[0] and len(stored[0]) == 64


def test_wrong_password_and_unknown_user_get_the_same_answer(database):
    make_people()
    with pytest.raises(AuthenticationError) as wrong_password:
        authenticate("owner_a", "Not-The-Password-1")
    with pytest.raises(AuthenticationError) as unknown_user:
        authenticate("nobody", "Not-The-Password-1")
    assert str(wrong_password.value) == str(unknown_user.value) == "用户名或密码错误"


def test_expired_session_gives_no_actor(database):
    make_people()
    token = authenticate("owner_a", STRONG_PASSWORD, ttl=timedelta(hours=1))
    assert actor_from_token(token) is not None
    with session_scope() as session:
        session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert actor_from_token(token) is None
    assert purge_expired_sessions() == 1


def test_unknown_or_empty_tokens_give_no_actor(database):
    make_people()
    assert actor_from_token("") is None
    assert actor_from_token(None) is None
    assert actor_from_token("forged-token-value") is None


def test_logout_ends_the_session(database):
    make_people()
    token = authenticate("aid", STRONG_PASSWORD)
    logout(token)
    assert actor_from_token(token) is None


def test_disabling_an_account_ends_its_sessions_and_blocks_login(database):
    people = make_people()
    token = authenticate("owner_b", STRONG_PASSWORD)
    set_user_active(people["admin"], "owner_b", False)
    assert actor_from_token(token) is None
    with pytest.raises(AuthenticationError, match="账户已停用"):
        authenticate("owner_b", STRONG_PASSWORD)


def test_repeated_wrong_passwords_lock_the_account_and_are_audited(database):
    make_people()
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationError):
            authenticate("owner_a", "Wrong-Password-99")
    with pytest.raises(AuthenticationError, match="临时锁定"):
        authenticate("owner_a", STRONG_PASSWORD)
    with session_scope() as session:
        failures = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "login_failed", AuditEntry.actor_username == "owner_a")
        ).all()
        locked_until = session.scalar(select(User.locked_until).where(User.username == "owner_a"))
    assert len(failures) == MAX_FAILED_LOGINS + 1
    assert locked_until > utcnow()


def test_lock_expires_and_a_correct_login_then_resets_the_counter(database):
    make_people()
    with session_scope() as session:
        session.execute(
            update(User).where(User.username == "owner_a").values(locked_until=utcnow() - timedelta(seconds=1), failed_logins=3)
        )
    assert actor_from_token(authenticate("owner_a", STRONG_PASSWORD)).username == "owner_a"
    with session_scope() as session:
        assert session.scalar(select(User.failed_logins).where(User.username == "owner_a")) == 0


def test_changing_password_requires_the_old_one(database):
    people = make_people()
    with pytest.raises(AuthenticationError, match="原密码不正确"):
        change_password(people["owner_a"], "Wrong-Password-99", "Brand-New-Secret-7")
    change_password(people["owner_a"], STRONG_PASSWORD, "Brand-New-Secret-7")
    with pytest.raises(AuthenticationError):
        authenticate("owner_a", STRONG_PASSWORD)
    assert actor_from_token(authenticate("owner_a", "Brand-New-Secret-7")) is not None


def test_administrator_resets_a_forgotten_password_lifting_the_lock_and_ending_sessions(database):
    people = make_people()
    token = authenticate("owner_a", STRONG_PASSWORD)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationError):
            authenticate("owner_a", "Wrong-Password-99")
    with pytest.raises(PermissionDenied):
        reset_password(people["owner_b"], "owner_a", "Fresh-Start-2026")
    reset_password(people["admin"], "owner_a", "Fresh-Start-2026")
    assert actor_from_token(token) is None
    assert actor_from_token(authenticate("owner_a", "Fresh-Start-2026")).username == "owner_a"
    with pytest.raises(AuthenticationError):
        authenticate("owner_a", STRONG_PASSWORD)
