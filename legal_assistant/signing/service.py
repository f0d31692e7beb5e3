"""Sign a drafted contract party by party, and check any PDF against the ledger and its signatures."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from legal_assistant.drafting.models import ContractParty, DraftedContract
from legal_assistant.drafting.service import contract_files_dir
from legal_assistant.identity import normalize_mobile, validate_mobile
from legal_assistant.ledger.chain import (
    append_event,
    contract_entries,
    entries_for_document,
    latest_document_hash,
    sha256_hex,
    verify_chain,
)
from legal_assistant.signing.keys import ensure_ca, ensure_signer
from legal_assistant.signing.pades import SignatureCheck, UnreadablePdf, sign_pdf, validate_signatures
from legal_assistant.store.db import init_db, session_scope


class SigningError(ValueError):
    """A signing request that must be refused; the message is for the user (zh-CN)."""


@dataclass(frozen=True)
class PartyView:
    position: int
    role_key: str
    role_label: str
    name: str
    kind: str
    id_number: str


@dataclass(frozen=True)
class ContractView:
    id: str
    title: str
    template_id: str
    parties: list[PartyView]
    signature_slots: list[dict[str, Any]]


def load_contract(contract_id: str) -> ContractView | None:
    init_db()
    with session_scope() as session:
        contract = session.execute(
            select(DraftedContract).options(selectinload(DraftedContract.parties))
            .where(DraftedContract.id == contract_id)
        ).scalar()
        if contract is None:
            return None
        return ContractView(
            id=contract.id, title=contract.title, template_id=contract.template_id,
            parties=[PartyView(p.position, p.role_key, p.role_label, p.name, p.kind, p.id_number)
                     for p in contract.parties],
            signature_slots=json.loads(contract.signature_slots_json),
        )


def contract_for_document(pdf_bytes: bytes) -> str | None:
    """Contract whose ledger records this exact file (by SHA-256), or None."""
    entries = entries_for_document(sha256_hex(pdf_bytes))
    return next((e.contract_id for e in entries if e.contract_id), None)


def signed_roles(contract_id: str) -> list[str]:
    return [e.payload.get("role_key") for e in contract_entries(contract_id) if e.event == "signed"]


def _match_party(contract: ContractView, signer: str) -> PartyView:
    wanted = signer.strip()
    for party in contract.parties:
        short = party.role_label.split("（")[0]
        if wanted in (party.role_key, party.name, party.role_label, short):
            return party
    names = "、".join(f"{p.role_key}（{p.name}）" for p in contract.parties)
    raise SigningError(f"签署人“{wanted}”不是本合同的当事人。本合同的签署人：{names}")


def next_signer(contract: ContractView) -> PartyView | None:
    done = set(signed_roles(contract.id))
    return next((p for p in contract.parties if p.role_key not in done), None)


def sign_contract(pdf_bytes: bytes, signer: str, *, actor: str = "", owner_id: int | None = None) -> bytes:
    """Add ``signer``'s PAdES signature to the current version of a contract and record it on the ledger."""
    contract_id = contract_for_document(pdf_bytes)
    if contract_id is None:
        raise SigningError("该PDF与存证记录中的任何合同版本都不一致（文件可能被修改，或不是本系统生成的合同），拒绝签署")
    contract = load_contract(contract_id)
    if contract is None:
        raise SigningError(f"合同{contract_id}不存在")
    document_hash = sha256_hex(pdf_bytes)
    if latest_document_hash(contract_id) != document_hash:
        raise SigningError("该PDF不是合同的最新版本，请在最新版本上签署")
    party = _match_party(contract, signer)
    if party.role_key in signed_roles(contract_id):
        raise SigningError(f"{party.role_label}{party.name}已签署过本合同")
    expected = next_signer(contract)
    if expected is not None and expected.role_key != party.role_key:
        raise SigningError(f"请按顺序签署：下一位签署人是{expected.role_label}{expected.name}")

    ca = ensure_ca()
    credentials = ensure_signer(name=party.name, kind=party.kind, id_number=party.id_number)
    slot = next((s for s in contract.signature_slots if s["index"] == party.position), None)
    signed = sign_pdf(
        pdf_bytes, credentials=credentials, ca=ca, field_name=f"Signature{party.position + 1}",
        signer_name=party.name, reason=f"{party.role_label}签署《{contract.title}》",
        page=slot["page"] if slot else None, box=tuple(slot["box"]) if slot else None,
    )
    signed_hash = sha256_hex(signed)
    (contract_files_dir(contract_id) / f"signed-{party.position + 1}.pdf").write_bytes(signed)
    certificate = credentials.certificate
    append_event(
        "signed", contract_id=contract_id, actor=actor or party.name, doc_sha256=signed_hash, owner_id=owner_id,
        payload={
            "role_key": party.role_key, "role": party.role_label, "signer": party.name,
            "certificate_serial": f"{certificate.serial_number:x}", "certificate_sha256": credentials.fingerprint,
            "ca_certificate_sha256": ca.fingerprint, "signature_field": f"Signature{party.position + 1}",
            "previous_doc_sha256": document_hash,
        },
    )
    return signed


def confirm_signer_mobile(contract_id: str, role_key: str, mobile: str) -> bool:
    """The person at the keyboard proves they are the party by typing the mobile number registered for it."""
    contract = load_contract(contract_id)
    party = next((p for p in contract.parties if p.role_key == role_key), None) if contract else None
    if party is None or validate_mobile(mobile) is not None:
        return False
    with session_scope() as session:
        registered = session.execute(
            select(ContractParty.mobile).where(ContractParty.contract_id == contract_id,
                                               ContractParty.role_key == role_key)
        ).scalar()
    return registered == normalize_mobile(mobile)


def record_access(event: str, pdf_bytes: bytes, *, actor: str = "", owner_id: int | None = None) -> None:
    """Put a 'viewed' or 'downloaded' event for this exact file on the ledger (files unknown to it are skipped)."""
    contract_id = contract_for_document(pdf_bytes)
    if contract_id is not None:
        append_event(event, contract_id=contract_id, actor=actor, doc_sha256=sha256_hex(pdf_bytes), owner_id=owner_id)


@dataclass(frozen=True)
class DocumentCheck:
    sha256: str
    contract_id: str | None
    ledger_match: bool
    signatures: list[SignatureCheck]
    readable: bool
    problem: str | None = None

    @property
    def all_signatures_valid(self) -> bool:
        return bool(self.signatures) and all(s.valid for s in self.signatures)

    def as_dict(self) -> dict[str, Any]:
        return {"signatures": [s.as_dict() for s in self.signatures], "ledger_match": self.ledger_match,
                "all_signatures_valid": self.all_signatures_valid,
                "contract_id": self.contract_id, "sha256": self.sha256, "problem": self.problem}


def check_document(pdf_bytes: bytes) -> DocumentCheck:
    """Does this exact file appear on an intact ledger chain, and are its signatures valid?"""
    init_db()
    digest = sha256_hex(pdf_bytes)
    contract_id = contract_for_document(pdf_bytes)
    ledger_match = contract_id is not None and verify_chain(contract_id).ok
    try:
        signatures = validate_signatures(pdf_bytes, ca=ensure_ca())
    except UnreadablePdf as exc:
        return DocumentCheck(digest, contract_id, ledger_match, [], False, str(exc))
    return DocumentCheck(digest, contract_id, ledger_match, signatures, True)
