"""Accounts, logins and sessions: the functions the CLI and the Streamlit login page call.

Every function opens its own unit of work (``session_scope``), so each call is one transaction.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from legal_assistant.audit import AuditAction, record_event
from legal_assistant.auth.models import User, UserSession, utcnow
from legal_assistant.auth.passwords import (
    dummy_hash,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from legal_assistant.auth.permissions import Actor, PermissionDenied, require_actor, require_role
from legal_assistant.auth.roles import Role
from legal_assistant.store.db import session_scope

SESSION_TTL = timedelta(hours=8)
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
# Any fixed number distinct from the migration lock: serialises first-run admin creation on PostgreSQL.
_FIRST_ADMIN_LOCK_ID = 7_202_611_290_809
# Letters (including CJK), digits, dot, underscore, hyphen: safe in logs, URLs and file names.
_USERNAME_RE = re.compile(r"^[\w.-]{2,64}$")


class AccountError(ValueError):
    """Invalid account data (zh-CN message)."""


class AuthenticationError(Exception):
    """Login refused (zh-CN message); deliberately vague about which part was wrong."""


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    role: Role
    organization: str
    is_active: bool
    created_at: datetime

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role.value,
            "role_label": self.role.label,
            "organization": self.organization,
            "is_active": self.is_active,
            "created_at": self.created_at.isoformat(timespec="seconds"),
        }


def _actor(user: User) -> Actor:
    return Actor(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        organization=user.organization,
        display_name=user.display_name,
    )


def _view(user: User) -> UserView:
    return UserView(
        user.id, user.username, user.display_name, Role(user.role), user.organization, user.is_active, user.created_at
    )


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _validated_new_user(username: str, password: str, role: Role, organization: str) -> None:
    if not _USERNAME_RE.match(username):
        raise AccountError("用户名应为2-64位字母、数字、汉字或 . _ -")
    problem = password_problem(password, username)
    if problem:
        raise AccountError(problem)
    if role is Role.JUDGE_ASSISTANT and not organization.strip():
        raise AccountError("法官助理账户必须填写所属法院")
    if role is Role.LEGAL_AID and not organization.strip():
        raise AccountError("法律援助工作人员账户必须填写所属法律援助机构")


def _insert_user(session, username, password_hash, role, display_name, organization, created_by_id) -> User:
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"用户名“{username}”已被使用")
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        role=role.value,
        organization=organization.strip(),
        password_hash=password_hash,
        created_by_id=created_by_id,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # the same name taken by a concurrent request since the check above
        raise AccountError(f"用户名“{username}”已被使用") from None
    return user


def admin_exists() -> bool:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN.value)) > 0


def create_first_admin(username: str, password: str, display_name: str = "") -> Actor:
    """First-run set-up: create the administrator. Refused once any administrator exists."""
    _validated_new_user(username, password, Role.ADMIN, "")
    password_hash = hash_password(password)  # slow on purpose: done before taking any lock
    with session_scope() as session:
        if session.get_bind().dialect.name == "postgresql":
            # Two first-run commands at once must not both see "no administrator yet" (SQLite
            # already serialises them: every unit of work there takes the write lock first).
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _FIRST_ADMIN_LOCK_ID})
        if session.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN.value)):
            raise PermissionDenied("管理员账户已存在，请由现有管理员创建新账户")
        user = _insert_user(session, username, password_hash, Role.ADMIN, display_name, "", None)
        actor = _actor(user)
        record_event(session, actor, AuditAction.USER_CREATED, "user", user.id, "首个管理员")
        return actor


def create_user(
    actor: Actor | None,
    username: str,
    password: str,
    role: Role,
    *,
    display_name: str = "",
    organization: str = "",
) -> UserView:
    """An administrator creates an account (this is how legal-aid staff and judges' assistants are assigned)."""
    require_role(actor, Role.ADMIN)
    _validated_new_user(username, password, role, organization)
    password_hash = hash_password(password)  # slow on purpose: done before taking any lock
    with session_scope() as session:
        user = _insert_user(session, username, password_hash, role, display_name, organization, actor.user_id)
        record_event(session, actor, AuditAction.USER_CREATED, "user", user.id, f"{username} {role.value}")
        return _view(user)


def list_users(actor: Actor | None) -> list[UserView]:
    require_role(actor, Role.ADMIN)
    with session_scope() as session:
        return [_view(u) for u in session.scalars(select(User).order_by(User.id))]


def set_user_active(actor: Actor | None, username: str, active: bool) -> UserView:
    """Disable or re-enable an account; disabling also ends its open sessions."""
    require_role(actor, Role.ADMIN)
    with session_scope() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise AccountError(f"用户“{username}”不存在")
        if user.id == actor.user_id and not active:
            raise AccountError("不能停用自己的账户")
        user.is_active = active
        if not active:
            for open_session in session.scalars(
                select(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
            ):
                open_session.revoked_at = utcnow()
        record_event(session, actor, AuditAction.USER_UPDATED, "user", user.id, "启用" if active else "停用")
        return _view(user)


def change_password(actor: Actor | None, old_password: str, new_password: str) -> None:
    actor = require_actor(actor)
    with session_scope() as session:
        user = session.get(User, actor.user_id)
        old_hash = user.password_hash if user else None
    if old_hash is None or not verify_password(old_hash, old_password):
        raise AuthenticationError("原密码不正确")
    problem = password_problem(new_password, actor.username)
    if problem:
        raise AccountError(problem)
    new_hash = hash_password(new_password)  # hashed outside the write transaction
    with session_scope() as session:
        user = session.get(User, actor.user_id)
        if user.password_hash != old_hash:
            raise AuthenticationError("密码已在别处被修改，请重新登录后再试")
        user.password_hash = new_hash
        record_event(session, actor, AuditAction.USER_UPDATED, "user", user.id, "修改密码")


def reset_password(actor: Actor | None, username: str, new_password: str) -> UserView:
    """An administrator sets a new password for a user who forgot theirs; it also lifts a lockout
    and ends the user's open sessions."""
    require_role(actor, Role.ADMIN)
    problem = password_problem(new_password, username)
    if problem:
        raise AccountError(problem)
    new_hash = hash_password(new_password)
    with session_scope() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise AccountError(f"用户“{username}”不存在")
        user.password_hash = new_hash
        user.failed_logins = 0
        user.locked_until = None
        for open_session in session.scalars(
            select(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        ):
            open_session.revoked_at = utcnow()
        record_event(session, actor, AuditAction.USER_UPDATED, "user", user.id, "管理员重置密码")
        return _view(user)


def authenticate(username: str, password: str, *, ttl: timedelta = SESSION_TTL) -> str:
    """Check the password and open a session; returns the opaque session token.

    Raises :class:`AuthenticationError`. Five wrong passwords in a row lock the account for 15 minutes.
    The deliberately slow Argon2 check runs between two short transactions, so concurrent logins
    do not queue behind each other's hashing on SQLite's single write lock.
    """
    with session_scope() as session:
        user = session.scalar(select(User).where(User.username == username))
        stored = (user.id, user.password_hash, user.locked_until) if user else None
    now = utcnow()
    locked = stored is not None and stored[2] is not None and stored[2] > now
    if stored is None:
        verify_password(dummy_hash(), password)  # same time as a real check: names stay secret
        password_ok = False
    else:
        password_ok = not locked and verify_password(stored[1], password)
    upgraded_hash = hash_password(password) if password_ok and needs_rehash(stored[1]) else None

    refusal: str | None = None
    token = secrets.token_urlsafe(32)
    with session_scope() as session:
        user = session.get(User, stored[0]) if stored else None
        if user is None:
            record_event(session, None, AuditAction.LOGIN_FAILED, "user", "", "用户不存在", username=username)
            refusal = "用户名或密码错误"
        elif locked:
            record_event(session, None, AuditAction.LOGIN_FAILED, "user", user.id, "账户锁定中", username=username)
            refusal = "登录失败次数过多，账户已临时锁定，请稍后再试"
        elif not password_ok:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
            record_event(session, None, AuditAction.LOGIN_FAILED, "user", user.id, "密码错误", username=username)
            refusal = "用户名或密码错误"
        elif not user.is_active:
            record_event(session, None, AuditAction.LOGIN_FAILED, "user", user.id, "账户已停用", username=username)
            refusal = "账户已停用，请联系管理员"
        else:
            user.failed_logins = 0
            user.locked_until = None
            if upgraded_hash and user.password_hash == stored[1]:
                user.password_hash = upgraded_hash
            session.add(UserSession(token_sha256=_token_digest(token), user_id=user.id, expires_at=now + ttl))
            record_event(session, _actor(user), AuditAction.LOGIN, "user", user.id)
    # Raised after the unit of work so the failed-login counter and audit entry are committed.
    if refusal:
        raise AuthenticationError(refusal)
    return token


def actor_from_token(token: str | None) -> Actor | None:
    """The actor of a live session; None for unknown, expired, revoked or disabled-user tokens."""
    if not token:
        return None
    with session_scope() as session:
        row = session.execute(
            select(UserSession, User)
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.token_sha256 == _token_digest(token))
        ).first()
        if row is None:
            return None
        user_session, user = row
        if user_session.revoked_at is not None or user_session.expires_at <= utcnow() or not user.is_active:
            return None
        return _actor(user)


def logout(token: str) -> None:
    with session_scope() as session:
        user_session = session.get(UserSession, _token_digest(token))
        if user_session is not None and user_session.revoked_at is None:
            user_session.revoked_at = utcnow()
            user = session.get(User, user_session.user_id)
            record_event(session, _actor(user), AuditAction.LOGOUT, "user", user.id)


def purge_expired_sessions() -> int:
    """Delete sessions that can no longer be used; returns how many."""
    with session_scope() as session:
        stale = list(
            session.scalars(
                select(UserSession).where(
                    (UserSession.expires_at <= utcnow()) | UserSession.revoked_at.is_not(None)
                )
            )
        )
        for user_session in stale:
            session.delete(user_session)
        return len(stale)


def actor_for_username(username: str) -> Actor:
    """The actor for a named local user (the CLI acts as one); refused for unknown or disabled accounts."""
    with session_scope() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None or not user.is_active:
            raise PermissionDenied(f"本地用户“{username}”不存在或已停用")
        return _actor(user)
