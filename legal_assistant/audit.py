"""Audit log: who did what to which record, and when.

This is an operational record for administrators (viewed, uploaded, reviewed, signed, exported,
logins, account changes, backups). It is deliberately separate from the e-signature evidence chain,
which is tamper-evident and belongs to the signing feature.

Entries are written inside the caller's unit of work (``record_event(session, ...)``), so an action
that rolls back leaves no audit entry claiming it happened. Details pass through ``mask_pii``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from legal_assistant.auth.models import utcnow
from legal_assistant.auth.permissions import Actor, require_role
from legal_assistant.auth.roles import Role
from legal_assistant.privacy import mask_pii
from legal_assistant.store.db import Base


class AuditAction(StrEnum):
    VIEWED = "viewed"
    UPLOADED = "uploaded"
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"
    REVIEWED = "reviewed"
    ASSIGNED = "assigned"
    SIGNED = "signed"
    EXPORTED = "exported"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    USER_CREATED = "user_created"
    USER_UPDATED = "user_updated"
    BACKUP = "backup"
    RESTORE = "restore"
    DENIED = "denied"


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow, index=True)
    # Username is copied so the entry stays readable if the account is later renamed or removed.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    actor_username: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    action: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    object_type: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    object_id: Mapped[str] = mapped_column(String(128), nullable=False, default="")
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")


@dataclass(frozen=True)
class AuditView:
    at: datetime
    actor_username: str
    action: str
    object_type: str
    object_id: str
    detail: str


def record_event(
    session: Session,
    actor: Actor | None,
    action: AuditAction | str,
    object_type: str = "",
    object_id: object = "",
    detail: str = "",
    *,
    username: str = "",
) -> AuditEntry:
    """Add an audit entry to ``session``; it is committed (or discarded) with the caller's work.

    ``username`` names the subject when there is no actor yet (a failed login).
    """
    entry = AuditEntry(
        actor_id=actor.user_id if actor else None,
        actor_username=actor.username if actor else username[:64],
        action=AuditAction(action).value,
        object_type=object_type,
        object_id=str(object_id),
        detail=mask_pii(detail),
    )
    session.add(entry)
    return entry


def record_denied(actor: Actor | None, object_type: str, object_id: object, reason: str = "") -> None:
    """Log a refused access in its own transaction (the caller's work is being rolled back).

    Repeated refusals for one user are how id guessing shows up to an administrator.
    """
    from legal_assistant.store.db import session_scope

    with session_scope() as session:
        record_event(session, actor, AuditAction.DENIED, object_type, object_id, reason)


def list_events(
    session: Session,
    actor: Actor | None,
    *,
    action: AuditAction | str | None = None,
    actor_username: str | None = None,
    limit: int = 200,
) -> list[AuditView]:
    """Newest first; administrators only."""
    require_role(actor, Role.ADMIN)
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEntry.action == AuditAction(action).value)
    if actor_username:
        query = query.where(AuditEntry.actor_username == actor_username)
    return [
        AuditView(e.at, e.actor_username, e.action, e.object_type, e.object_id, e.detail)
        for e in session.scalars(query)
    ]
