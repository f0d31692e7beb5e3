"""Signing: real PAdES signatures, one per party in order, validated against the deployment CA;
one changed byte invalidates them and no longer matches the ledger; the evidence certificate can
be checked with standard tools."""

import hashlib
import io
import json
import stat

import pytest
from pypdf import PdfReader
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.keys import load_cert_from_pemder
from pyhanko_certvalidator import ValidationContext
from typer.testing import CliRunner

from legal_assistant.cli import app
from legal_assistant.drafting.schema import load_template
from legal_assistant.drafting.service import create_draft
from legal_assistant.ledger.chain import contract_entries, sha256_hex, verify_chain
from legal_assistant.ledger.evidence import build_evidence_certificate
from legal_assistant.settings import get_settings
from legal_assistant.signing.keys import ensure_ca
from legal_assistant.signing.service import SigningError, check_document, sign_contract
from legal_assistant.store.db import get_engine

runner = CliRunner()


@pytest.fixture(autouse=True)
def fresh_engine():
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield
    get_engine.cache_clear()


@pytest.fixture
def signed_sale():
    """A 买卖合同 drafted and signed by 甲方 then 乙方: (draft, after first signature, fully signed)."""
    draft = create_draft("sale", load_template("sale").example(), actor="测试")
    first = sign_contract(draft.pdf, "party_a")
    both = sign_contract(first, "乙方")
    return draft, first, both


def flip_byte(data: bytes, position: int) -> bytes:
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


def test_each_party_adds_a_pades_signature_that_pyhanko_validates_against_the_deployment_ca(signed_sale):
    draft, first, both = signed_sale
    assert both.startswith(first)  # incremental update: the first signed revision is kept byte for byte
    root = load_cert_from_pemder(str(ensure_ca().cert_path))
    signatures = PdfFileReader(io.BytesIO(both)).embedded_signatures
    assert [s.field_name for s in signatures] == ["Signature1", "Signature2"]
    for signature in signatures:
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root], allow_fetching=False))
        assert status.bottom_line and status.intact and status.trusted
        assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    signers = [s.signer_cert.subject.native["common_name"] for s in signatures]
    assert signers == ["北京嘉禾科技有限公司", "上海浦江贸易有限公司"]


def test_signatures_are_not_trusted_under_a_different_ca(signed_sale, tmp_path, monkeypatch):
    _, _, both = signed_sale
    monkeypatch.setenv("LEGAL_DATA_DIR", str(tmp_path / "other-deployment"))
    get_settings.cache_clear()
    get_engine.cache_clear()
    checks = check_document(both).signatures
    assert [c.valid for c in checks] == [False, False]
    assert all(c.intact and not c.trusted for c in checks)


@pytest.mark.parametrize("where", [0.1, 0.5, 0.97])
def test_one_changed_byte_invalidates_the_signatures_and_breaks_the_ledger_match(signed_sale, where):
    _, _, both = signed_sale
    assert check_document(both).all_signatures_valid and check_document(both).ledger_match
    tampered = flip_byte(both, int(len(both) * where))
    result = check_document(tampered)
    assert result.ledger_match is False
    assert not result.all_signatures_valid
    # The last signature covers every byte of the file except its own value, so it always fails;
    # an earlier signature stays valid only when the change lies outside the revision it signed.
    assert result.signatures == [] and result.problem or result.signatures[-1].valid is False


def test_signers_must_sign_in_order_and_only_once():
    draft = create_draft("sale", load_template("sale").example())
    with pytest.raises(SigningError, match="请按顺序签署：下一位签署人是甲方（出卖人）北京嘉禾科技有限公司"):
        sign_contract(draft.pdf, "party_b")
    first = sign_contract(draft.pdf, "北京嘉禾科技有限公司")
    with pytest.raises(SigningError, match="已签署过本合同"):
        sign_contract(first, "party_a")
    with pytest.raises(SigningError, match="不是合同的最新版本"):
        sign_contract(draft.pdf, "party_b")
    with pytest.raises(SigningError, match="不是本合同的当事人"):
        sign_contract(first, "陌生人")


def test_a_pdf_unknown_to_the_ledger_is_never_signed():
    draft = create_draft("sale", load_template("sale").example())
    with pytest.raises(SigningError, match="与存证记录中的任何合同版本都不一致"):
        sign_contract(flip_byte(draft.pdf, 400), "party_a")


def test_ledger_records_every_signature_with_the_new_document_hash(signed_sale):
    draft, first, both = signed_sale
    entries = contract_entries(draft.contract_id)
    signed = [e for e in entries if e.event == "signed"]
    assert [e.doc_sha256 for e in signed] == [sha256_hex(first), sha256_hex(both)]
    assert signed[0].payload["previous_doc_sha256"] == draft.pdf_sha256
    assert signed[1].payload["previous_doc_sha256"] == sha256_hex(first)
    assert verify_chain(draft.contract_id).ok


def test_keys_are_private_files_under_the_data_dir(signed_sale):
    keys = get_settings().data_dir / "keys"
    private_files = list(keys.rglob("*key.pem"))
    assert len(private_files) == 3  # the CA and two signers
    for path in private_files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for directory in [keys, *[p for p in keys.rglob("*") if p.is_dir()]]:
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700


def test_evidence_certificate_lists_the_chain_and_ships_files_checkable_with_sha256sum(signed_sale):
    draft, _, both = signed_sale
    certificate = build_evidence_certificate(draft.contract_id)
    reader = PdfReader(io.BytesIO(certificate.pdf))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert draft.contract_id in text and "存证链校验：完整" in text.replace(" ", "")
    entries = contract_entries(draft.contract_id)
    attachments = {name: content[0] for name, content in reader.attachments.items()}
    for entry in entries[:-1]:  # the last entry records the issuing of this very certificate
        record = attachments[f"record-{entry.seq:06d}.json"]
        assert hashlib.sha256(record).hexdigest() == entry.record_hash
        assert entry.record_hash[:16] in text.replace(" ", "")
    assert hashlib.sha256(attachments[f"contract-{draft.contract_id}.pdf"]).hexdigest() == sha256_hex(both)
    assert attachments["ca_cert.pem"] == ensure_ca().cert_path.read_bytes()
    assert entries[-1].event == "evidence_issued" and entries[-1].doc_sha256 == certificate.sha256


def test_cli_sign_verify_and_evidence_end_to_end(tmp_path):
    example = tmp_path / "data.json"
    example.write_text(runner.invoke(app, ["draft", "software_dev", "--example", "--json"]).stdout, encoding="utf-8")
    contract = tmp_path / "contract.pdf"
    drafted = runner.invoke(app, ["draft", "software_dev", "--data", str(example), "--out", str(contract), "--json"])
    contract_id = json.loads(drafted.stdout)["contract_id"]
    first = tmp_path / "signed-1.pdf"
    final = tmp_path / "signed-2.pdf"
    assert runner.invoke(app, ["sign", str(contract), "--signer", "party_a", "--out", str(first)]).exit_code == 0
    assert runner.invoke(app, ["sign", str(first), "--signer", "party_b", "--out", str(final)]).exit_code == 0
    refused = runner.invoke(app, ["sign", str(contract), "--signer", "party_a", "--out", str(tmp_path / "x.pdf")])
    assert refused.exit_code == 2 and "最新版本" in refused.stderr

    verified = json.loads(runner.invoke(app, ["verify", str(final), "--json"]).stdout)
    assert verified["ledger_match"] is True
    assert [(s["signer"], s["valid"]) for s in verified["signatures"]] == [
        ("北京嘉禾科技有限公司", True), ("上海浦江贸易有限公司", True)]
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(flip_byte(final.read_bytes(), 2000))
    broken = json.loads(runner.invoke(app, ["verify", str(tampered), "--json"]).stdout)
    assert broken["ledger_match"] is False and not any(s["valid"] for s in broken["signatures"])

    certificate = tmp_path / "evidence.pdf"
    issued = runner.invoke(app, ["evidence", contract_id, "--out", str(certificate), "--json"])
    assert issued.exit_code == 0 and json.loads(issued.stdout)["chain_ok"] is True
    assert certificate.read_bytes().startswith(b"%PDF")
    unknown = runner.invoke(app, ["evidence", "HT00000000-000000", "--out", str(tmp_path / "n.pdf")])
    assert unknown.exit_code == 2 and "不存在" in unknown.stderr
