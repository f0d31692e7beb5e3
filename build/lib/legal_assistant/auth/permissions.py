"""Who is acting, and the checks every service call makes before touching a record.

Services take an :class:`Actor` as their first argument and call one of the ``ensure_*`` /
``require_role`` helpers before reading or changing anything. A failed check raises
:class:`PermissionDenied` with a zh-CN message that is safe to show: it never says whether the
record exists, so guessing ids reveals nothing.

The administrator manages accounts; it is *not* a super-user over business records. Services that
want administrators to see a record must name ``Role.ADMIN`` explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, true

from legal_assistant.auth.roles import Role


class PermissionDenied(Exception):
    """Raised when the actor may not perform the action; ``str(exc)`` is a zh-CN message."""

    def __init__(self, message: str = "无权访问该记录") -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Actor:
    """The authenticated user a service call is made for (from a session token or the CLI)."""

    user_id: int
    username: str
    role: Role
    organization: str = ""
    display_name: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def label(self) -> str:
        return f"{self.display_name or self.username}（{self.role.label}）"


def require_actor(actor: Actor | None) -> Actor:
    if actor is None:
        raise PermissionDenied("请先登录")
    return actor


def require_role(actor: Actor | None, *roles: Role) -> Actor:
    """Allow only the listed roles."""
    actor = require_actor(actor)
    if actor.role not in roles:
        allowed = "、".join(role.label for role in roles)
        raise PermissionDenied(f"该操作仅限{allowed}")
    return actor


def ensure_owner_or_role(actor: Actor | None, record_owner_id: int | None, *roles: Role) -> Actor:
    """Allow the record's owner, or any actor whose role is listed."""
    actor = require_actor(actor)
    if actor.role in roles:
        return actor
    if record_owner_id is not None and record_owner_id == actor.user_id:
        return actor
    raise PermissionDenied()


def ensure_contract_access(
    actor: Actor | None, *, owner_id: int | None, flagged: bool, assigned_legal_aid_id: int | None
) -> Actor:
    """A contract is seen by the enterprise that uploaded it, and by the legal-aid staff member it
    was flagged to and assigned to; nobody else (judges' assistants never see contracts)."""
    actor = require_actor(actor)
    if actor.role is Role.OWNER and owner_id == actor.user_id:
        return actor
    if actor.role is Role.LEGAL_AID and flagged and assigned_legal_aid_id == actor.user_id:
        return actor
    raise PermissionDenied()


def ensure_settlement_access(actor: Actor | None, *, owner_id: int | None, court: str) -> Actor:
    """A settlement case is seen by the enterprise that is party to it and by the judges'
    assistants of the court handling it; legal-aid staff and other courts are refused."""
    actor = require_actor(actor)
    if actor.role is Role.OWNER and owner_id == actor.user_id:
        return actor
    if actor.role is Role.JUDGE_ASSISTANT and court and actor.organization == court:
        return actor
    raise PermissionDenied()


def owned_by(actor: Actor | None, owner_column, *see_all_roles: Role) -> ColumnElement[bool]:
    """WHERE clause for list queries: the actor's own rows, or every row for ``see_all_roles``.

    ``select(Contract).where(owned_by(actor, Contract.owner_id))``
    """
    actor = require_actor(actor)
    if actor.role in see_all_roles:
        return true()
    if actor.role is Role.OWNER:
        return owner_column == actor.user_id
    return false()
