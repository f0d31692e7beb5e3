"""Feedback on answers (👍/👎), kept with the question, the answer and its citations so answer
quality can be evaluated later on real questions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from legal_assistant.auth.models import utcnow
from legal_assistant.store.db import Base


class QaFeedback(Base):
    __tablename__ = "qa_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    question: Mapped[str] = mapped_column(Text, nullable=False)
    answer: Mapped[str] = mapped_column(Text, nullable=False)
    # [{"citation": "《劳动合同法》第二十四条（2012-12-28）", "law": ..., "article": ..., "version_date": ...}]
    citations: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    rating: Mapped[int] = mapped_column(Integer, nullable=False)  # +1 helpful, -1 not helpful
    mode: Mapped[str] = mapped_column(String(16), nullable=False, default="offline")
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow, index=True)
