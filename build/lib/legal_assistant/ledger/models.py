"""The evidence ledger (存证) table: an append-only hash chain of everything that happens to a contract."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from legal_assistant.store.db import Base


class LedgerRecord(Base):
    """One event. ``record_hash`` = SHA-256 of the canonical JSON of every other column.

    ``seq`` and ``prev_hash`` are unique, so two writers that both read the same chain head cannot
    both append after it: the loser gets an IntegrityError and retries on the new head. That holds
    on SQLite and PostgreSQL alike, with no table locks. ``contract_prev_hash`` links the records of
    one contract among themselves, so a contract's own chain can be checked on its own.
    """

    __tablename__ = "ledger_records"
    __table_args__ = (
        UniqueConstraint("seq", name="uq_ledger_records_seq"),
        UniqueConstraint("prev_hash", name="uq_ledger_records_prev_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    contract_id: Mapped[str | None] = mapped_column(String(40), index=True)
    event: Mapped[str] = mapped_column(String(40), nullable=False)
    actor: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    doc_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    payload_json: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    created_at: Mapped[str] = mapped_column(String(40), nullable=False)  # ISO-8601 UTC, hashed as text
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    contract_prev_hash: Mapped[str | None] = mapped_column(String(64))
    record_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    owner_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
