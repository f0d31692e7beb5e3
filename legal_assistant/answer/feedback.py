"""Storing and reading answer feedback (the ``qa_feedback`` table)."""

from __future__ import annotations

from sqlalchemy import select

from legal_assistant.answer.models import QaFeedback
from legal_assistant.answer.types import Answer
from legal_assistant.privacy import mask_pii
from legal_assistant.store.db import init_db, session_scope

HELPFUL = 1
NOT_HELPFUL = -1


def record_feedback(answer: Answer, rating: int, owner_id: int | None = None, comment: str = "") -> int:
    """Store one rating of an answer; ID numbers and phone numbers are masked before storage."""
    if rating not in (HELPFUL, NOT_HELPFUL):
        raise ValueError("评价只能是 1（有帮助）或 -1（没有帮助）")
    init_db()
    citations = [
        {"citation": c.article.citation, "law": c.article.law_title, "article": c.article.number_text, "version_date": c.article.version_date}
        for c in answer.citations
    ]
    with session_scope() as session:
        row = QaFeedback(
            owner_id=owner_id,
            question=mask_pii(answer.question),
            answer=mask_pii(answer.reply),
            citations=citations,
            rating=rating,
            mode=answer.mode,
            comment=mask_pii(comment),
        )
        session.add(row)
        session.flush()
        return row.id


def list_feedback(owner_id: int | None = None, limit: int = 100) -> list[QaFeedback]:
    init_db()
    with session_scope() as session:
        query = select(QaFeedback).order_by(QaFeedback.id.desc()).limit(limit)
        if owner_id is not None:
            query = query.where(QaFeedback.owner_id == owner_id)
        return list(session.scalars(query))
