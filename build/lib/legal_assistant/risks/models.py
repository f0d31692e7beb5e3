"""Stored self-check results, so an enterprise can re-run the check and see what improved.

The answers are kept with the scores: a later knowledge-base revision can re-score old answers,
and the comparison of two runs needs nothing but these rows.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from legal_assistant.store.db import Base


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # naive UTC, like every other table


class SelfCheckRecord(Base):
    __tablename__ = "selfcheck_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    enterprise_name: Mapped[str] = mapped_column(String(200), nullable=False, default="", index=True)
    answers: Mapped[dict] = mapped_column(JSON, nullable=False)
    # {"themes": {theme key: 0-100}, "overall": int, "flagged": [risk ids], "warnings": [risk ids]}
    scores: Mapped[dict] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=_utcnow, index=True)
