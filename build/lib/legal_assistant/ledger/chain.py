"""Append to and verify the evidence hash chain.

Each record's hash covers a canonical JSON of its fields (sorted keys, no spaces, UTF-8), including
the previous record's hash. Anyone can recompute it: the evidence certificate ships every record's
canonical JSON, so ``sha256sum record.json`` must print the record hash.

Appends are optimistic: read the head, insert the next record, and if another writer got there
first (unique ``seq`` / ``prev_hash`` violated, or SQLite busy) start over on the new head.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from legal_assistant.ledger.models import LedgerRecord
from legal_assistant.store.db import session_scope

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq", "contract_id", "event", "actor", "doc_sha256", "payload", "created_at", "prev_hash", "contract_prev_hash",
)
MAX_APPEND_ATTEMPTS = 200

# Event names written to the ledger; the evidence certificate prints their zh-CN labels.
EVENT_LABELS = {
    "draft_created": "生成合同草稿",
    "identity_checked": "核验主体身份",
    "viewed": "查看合同",
    "signed": "签署",
    "downloaded": "下载合同",
    "evidence_issued": "出具存证证明",
}


class LedgerAppendFailed(RuntimeError):
    pass


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class LedgerEntry:
    """A detached, read-only copy of one record (safe to use after the session closed)."""

    seq: int
    contract_id: str | None
    event: str
    actor: str
    doc_sha256: str | None
    payload: dict[str, Any]
    created_at: str
    prev_hash: str
    contract_prev_hash: str | None
    record_hash: str

    def hashed_fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in HASHED_FIELDS}

    def canonical_bytes(self) -> bytes:
        return canonical_json(self.hashed_fields())

    def computed_hash(self) -> str:
        return sha256_hex(self.canonical_bytes())

    @property
    def event_label(self) -> str:
        return EVENT_LABELS.get(self.event, self.event)

    @classmethod
    def from_row(cls, row: LedgerRecord) -> LedgerEntry:
        return cls(
            seq=row.seq, contract_id=row.contract_id, event=row.event, actor=row.actor,
            doc_sha256=row.doc_sha256, payload=json.loads(row.payload_json), created_at=row.created_at,
            prev_hash=row.prev_hash, contract_prev_hash=row.contract_prev_hash, record_hash=row.record_hash,
        )


def append_event(
    event: str,
    *,
    contract_id: str | None = None,
    actor: str = "",
    doc_sha256: str | None = None,
    payload: dict[str, Any] | None = None,
    owner_id: int | None = None,
) -> LedgerEntry:
    """Append one event at the head of the chain, retrying while other writers race for the head."""
    payload = payload or {}
    canonical_json(payload)  # fail fast on values JSON cannot carry, before touching the database
    for attempt in range(MAX_APPEND_ATTEMPTS):
        try:
            with session_scope() as session:
                head = session.execute(select(LedgerRecord).order_by(LedgerRecord.seq.desc()).limit(1)).scalar()
                contract_head = None
                if contract_id is not None:
                    contract_head = session.execute(
                        select(LedgerRecord).where(LedgerRecord.contract_id == contract_id)
                        .order_by(LedgerRecord.seq.desc()).limit(1)
                    ).scalar()
                entry = LedgerEntry(
                    seq=0 if head is None else head.seq + 1,
                    contract_id=contract_id,
                    event=event,
                    actor=actor,
                    doc_sha256=doc_sha256,
                    payload=payload,
                    created_at=datetime.now(timezone.utc).isoformat(timespec="microseconds"),
                    prev_hash=GENESIS_HASH if head is None else head.record_hash,
                    contract_prev_hash=(
                        None if contract_id is None
                        else GENESIS_HASH if contract_head is None else contract_head.record_hash
                    ),
                    record_hash="",
                )
                entry = replace(entry, record_hash=entry.computed_hash())
                session.add(LedgerRecord(
                    seq=entry.seq, contract_id=contract_id, event=event, actor=actor, doc_sha256=doc_sha256,
                    payload_json=canonical_json(payload).decode("utf-8"), created_at=entry.created_at,
                    prev_hash=entry.prev_hash, contract_prev_hash=entry.contract_prev_hash,
                    record_hash=entry.record_hash, owner_id=owner_id,
                ))
            return entry
        except (IntegrityError, OperationalError) as exc:
            if isinstance(exc, OperationalError) and "locked" not in str(exc) and "busy" not in str(exc):
                raise
            # Someone else appended first; back off a little (jittered) and build on the new head.
            time.sleep(random.uniform(0.001, 0.01) * min(attempt + 1, 20))
    raise LedgerAppendFailed("存证记录写入失败：并发写入冲突过多，请稍后重试")


def _entries(contract_id: str | None = None) -> list[LedgerEntry]:
    with session_scope() as session:
        query = select(LedgerRecord).order_by(LedgerRecord.seq, LedgerRecord.id)
        if contract_id is not None:
            query = query.where(LedgerRecord.contract_id == contract_id)
        return [LedgerEntry.from_row(row) for row in session.execute(query).scalars()]


def contract_entries(contract_id: str) -> list[LedgerEntry]:
    return _entries(contract_id)


def entries_for_document(doc_sha256: str) -> list[LedgerEntry]:
    with session_scope() as session:
        rows = session.execute(
            select(LedgerRecord).where(LedgerRecord.doc_sha256 == doc_sha256).order_by(LedgerRecord.seq)
        ).scalars()
        return [LedgerEntry.from_row(row) for row in rows]


def latest_document_hash(contract_id: str) -> str | None:
    """Hash of the newest document state recorded for a contract (the file a signer must sign)."""
    with session_scope() as session:
        return session.execute(
            select(LedgerRecord.doc_sha256)
            .where(LedgerRecord.contract_id == contract_id, LedgerRecord.doc_sha256.is_not(None),
                   LedgerRecord.event.in_(("draft_created", "signed")))
            .order_by(LedgerRecord.seq.desc()).limit(1)
        ).scalar()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    records: int
    first_bad: int | None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "records": self.records, "first_bad": self.first_bad, "reason": self.reason}


def verify_entries(entries: list[LedgerEntry], *, per_contract: bool = False) -> ChainReport:
    """Walk the records in order; report the first one whose hash or link is wrong.

    Whole chain: record i must have seq i and point at record i-1. One contract's records: each must
    point at the previous record of the same contract (``contract_prev_hash``).
    """
    previous = GENESIS_HASH
    for index, entry in enumerate(entries):
        if entry.computed_hash() != entry.record_hash:
            return ChainReport(False, len(entries), index, f"第{index}条记录的内容与其哈希值不符（记录被修改）")
        link = entry.contract_prev_hash if per_contract else entry.prev_hash
        if not per_contract and entry.seq != index:
            return ChainReport(False, len(entries), index, f"第{index}条记录的序号为{entry.seq}（记录被删除或插入）")
        if link != previous:
            return ChainReport(False, len(entries), index, f"第{index}条记录未指向前一条记录（记录被删除或调换顺序）")
        previous = entry.record_hash
    return ChainReport(True, len(entries), None)


def verify_chain(contract_id: str | None = None) -> ChainReport:
    if contract_id is None:
        return verify_entries(_entries())
    return verify_entries(_entries(contract_id), per_contract=True)
