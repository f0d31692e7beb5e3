"""Contracts drafted from templates and their parties (the people and firms who will sign)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from legal_assistant.store.db import Base


class DraftedContract(Base):
    __tablename__ = "drafting_contracts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # 合同编号, e.g. HT20261201-9F3A2C
    template_id: Mapped[str] = mapped_column(String(40), nullable=False)
    title: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[str] = mapped_column(String(40), nullable=False)
    # Where each party's visible signature goes, as laid out in the PDF: [{"index","page","box"}].
    signature_slots_json: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    owner_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    parties: Mapped[list[ContractParty]] = relationship(
        back_populates="contract", order_by="ContractParty.position", cascade="all, delete-orphan"
    )


class ContractParty(Base):
    """A signer, in signing order (``position`` 0 signs first)."""

    __tablename__ = "drafting_parties"
    __table_args__ = (UniqueConstraint("contract_id", "role_key", name="uq_drafting_parties_role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    contract_id: Mapped[str] = mapped_column(ForeignKey("drafting_contracts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    role_key: Mapped[str] = mapped_column(String(20), nullable=False)  # party_a
    role_label: Mapped[str] = mapped_column(String(40), nullable=False)  # 甲方（出卖人）
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    id_number: Mapped[str] = mapped_column(String(30), nullable=False)
    mobile: Mapped[str] = mapped_column(String(20), nullable=False)
    contract: Mapped[DraftedContract] = relationship(back_populates="parties")
