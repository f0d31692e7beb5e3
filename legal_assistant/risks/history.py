"""Save self-check results and compare an enterprise's runs over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from legal_assistant.risks.models import SelfCheckRecord
from legal_assistant.risks.selfcheck import Comparison, SelfCheckResult, compare
from legal_assistant.store.db import session_scope


@dataclass(frozen=True)
class StoredSelfCheck:
    id: int
    owner_id: int | None
    enterprise_name: str
    answers: dict[str, Any]
    theme_scores: dict[str, int]
    overall_score: int
    flagged: list[str]
    warnings: list[str]
    created_at: datetime

    @classmethod
    def from_record(cls, record: SelfCheckRecord) -> "StoredSelfCheck":
        scores = record.scores
        return cls(
            id=record.id,
            owner_id=record.owner_id,
            enterprise_name=record.enterprise_name,
            answers=dict(record.answers),
            theme_scores={k: int(v) for k, v in scores.get("themes", {}).items()},
            overall_score=int(scores.get("overall", 0)),
            flagged=list(scores.get("flagged", [])),
            warnings=list(scores.get("warnings", [])),
            created_at=record.created_at,
        )


def save_result(result: SelfCheckResult, owner_id: int | None = None, url: str | None = None) -> int:
    """Store a result; returns its id."""
    record = SelfCheckRecord(
        owner_id=owner_id,
        enterprise_name=result.enterprise_name,
        answers=result.answers,
        scores={
            "themes": result.theme_scores,
            "overall": result.overall_score,
            "flagged": result.flagged_ids,
            "warnings": [w.assessment.risk.id for w in result.warnings],
        },
    )
    with session_scope(url) as session:
        session.add(record)
        session.flush()
        return record.id


def list_results(enterprise_name: str | None = None, owner_id: int | None = None, url: str | None = None) -> list[StoredSelfCheck]:
    """Stored results, oldest first, optionally for one enterprise and/or one owner."""
    query = select(SelfCheckRecord).order_by(SelfCheckRecord.created_at, SelfCheckRecord.id)
    if enterprise_name is not None:
        query = query.where(SelfCheckRecord.enterprise_name == enterprise_name)
    if owner_id is not None:
        query = query.where(SelfCheckRecord.owner_id == owner_id)
    with session_scope(url) as session:
        return [StoredSelfCheck.from_record(r) for r in session.scalars(query)]


def get_result(result_id: int, url: str | None = None) -> StoredSelfCheck | None:
    with session_scope(url) as session:
        record = session.get(SelfCheckRecord, result_id)
        return StoredSelfCheck.from_record(record) if record else None


def compare_stored(old: StoredSelfCheck, new: StoredSelfCheck | SelfCheckResult) -> Comparison:
    if isinstance(new, SelfCheckResult):
        return compare(old.theme_scores, old.flagged, new.theme_scores, new.flagged_ids)
    return compare(old.theme_scores, old.flagged, new.theme_scores, new.flagged)


def previous_result(enterprise_name: str, owner_id: int | None = None, before_id: int | None = None, url: str | None = None) -> StoredSelfCheck | None:
    """The latest stored run of this enterprise (before ``before_id`` when given)."""
    runs = [r for r in list_results(enterprise_name, owner_id, url) if before_id is None or r.id < before_id]
    return runs[-1] if runs else None
