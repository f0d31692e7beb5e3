"""Draft a contract: validate the data, render DOCX + PDF, register the parties, start the evidence chain."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from legal_assistant.drafting.models import ContractParty, DraftedContract
from legal_assistant.drafting.render import SignatureSlot, pdf_from_docx, render_docx
from legal_assistant.drafting.schema import ContractTemplate, load_template, validate
from legal_assistant.identity import FieldError, mask_id_number, mask_mobile
from legal_assistant.ledger.chain import append_event, sha256_hex
from legal_assistant.settings import get_settings
from legal_assistant.store.db import init_db, session_scope


class DraftValidationError(ValueError):
    """The data file has problems; ``errors`` lists one zh-CN message per bad field."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("；".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Draft:
    contract_id: str
    template: ContractTemplate
    docx: bytes
    pdf: bytes
    signature_slots: list[SignatureSlot]

    @property
    def pdf_sha256(self) -> str:
        return sha256_hex(self.pdf)

    @property
    def docx_sha256(self) -> str:
        return sha256_hex(self.docx)


def contract_files_dir(contract_id: str) -> Path:
    """Where the system keeps its own copy of every version of a contract."""
    directory = get_settings().data_dir / "contracts" / contract_id
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def new_contract_id() -> str:
    return f"HT{datetime.now(timezone.utc):%Y%m%d}-{secrets.token_hex(3).upper()}"


def preview(template_id: str, data: dict[str, Any]) -> Draft:
    """Validate and render without storing anything (for the form's preview)."""
    template = load_template(template_id)
    result = validate(template, data)
    if not result.ok:
        raise DraftValidationError(result.errors)
    contract_id = "（预览，生成后编号）"
    docx = render_docx(template, {**result.context, "contract_id": contract_id})
    pdf, slots = pdf_from_docx(docx, contract_id=contract_id, title=template.title)
    return Draft(contract_id, template, docx, pdf, slots)


def create_draft(template_id: str, data: dict[str, Any], *, actor: str = "", owner_id: int | None = None) -> Draft:
    """Validate, render, store the contract and its parties, and record the creation on the ledger."""
    template = load_template(template_id)
    result = validate(template, data)
    if not result.ok:
        raise DraftValidationError(result.errors)
    init_db()
    contract_id = new_contract_id()
    docx = render_docx(template, {**result.context, "contract_id": contract_id})
    pdf, slots = pdf_from_docx(docx, contract_id=contract_id, title=template.title)
    draft = Draft(contract_id, template, docx, pdf, slots)

    directory = contract_files_dir(contract_id)
    (directory / "draft.docx").write_bytes(docx)
    (directory / "draft.pdf").write_bytes(pdf)
    with session_scope() as session:
        contract = DraftedContract(
            id=contract_id, template_id=template.id, title=template.title,
            created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            signature_slots_json=json.dumps([slot.as_dict() for slot in slots]), owner_id=owner_id,
        )
        contract.parties = [
            ContractParty(position=position, role_key=party["key"], role_label=party["role"], kind=party["kind"],
                          name=party["name"], id_number=party["id_number"], mobile=party["mobile"])
            for position, party in enumerate(result.parties)
        ]
        session.add(contract)
    for party in result.parties:
        append_event(
            "identity_checked", contract_id=contract_id, actor=actor, owner_id=owner_id,
            payload={
                "role": party["role"], "name": party["name"], "kind": party["kind_label"],
                "id_type": party["id_label"], "id_number_masked": mask_id_number(party["id_number"]),
                "mobile_masked": mask_mobile(party["mobile"]),
                "checks": ["证件号码格式与校验位", "手机号码格式", "名称已填写", "未在合同多方重复出现"],
                "result": "通过",
            },
        )
    append_event(
        "draft_created", contract_id=contract_id, actor=actor, doc_sha256=draft.pdf_sha256, owner_id=owner_id,
        payload={"template": template.id, "title": template.title, "file": "PDF",
                 "docx_sha256": draft.docx_sha256, "parties": [p["name"] for p in result.parties]},
    )
    return draft
