"""Review-queue tables: contracts submitted for review, staff comments, and every status change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from legal_assistant.auth.models import utcnow
from legal_assistant.store.db import Base

STATUSES = ("open", "in_review", "closed")
STATUS_ZH = {"open": "待处理", "in_review": "审查中", "closed": "已关闭"}


class ReviewCase(Base):
    """One reviewed contract; ``flagged`` ones (score below the threshold) form the legal-aid queue."""

    __tablename__ = "review_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    title: Mapped[str] = mapped_column(String(255), default="")
    contract_type: Mapped[str] = mapped_column(String(40))
    stance: Mapped[str] = mapped_column(String(16))
    score: Mapped[int] = mapped_column(Integer)
    high_count: Mapped[int] = mapped_column(Integer, default=0)
    flagged: Mapped[bool] = mapped_column(default=False, index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    text_sha256: Mapped[str] = mapped_column(String(64), default="")
    result_json: Mapped[str] = mapped_column(Text)  # ReviewResult.as_dict(): findings, facts, clauses
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    comments: Mapped[list[ReviewComment]] = relationship(back_populates="case", order_by="ReviewComment.id", cascade="all, delete-orphan")
    history: Mapped[list[ReviewStatusChange]] = relationship(back_populates="case", order_by="ReviewStatusChange.id", cascade="all, delete-orphan")


class ReviewComment(Base):
    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(128), default="")
    clause: Mapped[str | None] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    case: Mapped[ReviewCase] = relationship(back_populates="comments")


class ReviewStatusChange(Base):
    __tablename__ = "review_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("review_cases.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    assignee_id: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    case: Mapped[ReviewCase] = relationship(back_populates="history")
