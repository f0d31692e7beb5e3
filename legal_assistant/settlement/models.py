"""Supervised settlements: the agreed plan, its installments, payments received and a history.

Money is stored as integer fen (``*_fen`` columns): exact on SQLite and PostgreSQL alike, where a
NUMERIC on SQLite would silently become a float. The full input file is kept as JSON so that a
default can be recomputed under the original judgment years later. ``owner_id`` is the user who
created the record (FK to users is added by the storage migrations); ``court`` scopes access.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from legal_assistant.store.db import Base


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class SettlementCase(Base):
    __tablename__ = "settlement_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    court: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    case_number: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    creditor_name: Mapped[str] = mapped_column(String(200), nullable=False)
    debtor_name: Mapped[str] = mapped_column(String(200), nullable=False)
    # active → completed (all paid) | defaulted (a late installment beyond the grace days) → resumed
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active", index=True)
    agreement_date: Mapped[date] = mapped_column(Date, nullable=False)
    plan_title: Mapped[str] = mapped_column(String(200), nullable=False)
    agreed_total_fen: Mapped[int] = mapped_column(BigInteger, nullable=False)
    grace_days: Mapped[int] = mapped_column(Integer, nullable=False)
    input_json: Mapped[str] = mapped_column(Text, nullable=False)
    plan_json: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    installments: Mapped[list["SettlementInstallment"]] = relationship(
        back_populates="case", order_by="SettlementInstallment.n", cascade="all, delete-orphan"
    )
    payments: Mapped[list["SettlementPayment"]] = relationship(
        back_populates="case", order_by="SettlementPayment.paid_on", cascade="all, delete-orphan"
    )
    events: Mapped[list["SettlementEvent"]] = relationship(
        back_populates="case", order_by="SettlementEvent.id", cascade="all, delete-orphan"
    )


class SettlementInstallment(Base):
    __tablename__ = "settlement_installments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("settlement_cases.id", ondelete="CASCADE"), nullable=False, index=True)
    n: Mapped[int] = mapped_column(Integer, nullable=False)  # 0 = 首付款
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    amount_fen: Mapped[int] = mapped_column(BigInteger, nullable=False)

    case: Mapped[SettlementCase] = relationship(back_populates="installments")


class SettlementPayment(Base):
    __tablename__ = "settlement_payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("settlement_cases.id", ondelete="CASCADE"), nullable=False, index=True)
    paid_on: Mapped[date] = mapped_column(Date, nullable=False)
    amount_fen: Mapped[int] = mapped_column(BigInteger, nullable=False)
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    recorded_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    case: Mapped[SettlementCase] = relationship(back_populates="payments")


class SettlementEvent(Base):
    """Append-only history: created, payment, status change, resume application drafted."""

    __tablename__ = "settlement_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("settlement_cases.id", ondelete="CASCADE"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)

    case: Mapped[SettlementCase] = relationship(back_populates="events")
