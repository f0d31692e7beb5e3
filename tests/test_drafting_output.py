"""Drafting end to end: DOCX and PDF files, the embedded CJK font, the CLI and the ledger entries it writes."""

import io
import json
import subprocess

import pytest
from docx import Document
from PIL import Image
from pypdf import PdfReader
from typer.testing import CliRunner

from legal_assistant.cli import app
from legal_assistant.drafting.schema import load_template
from legal_assistant.drafting.service import DraftValidationError, create_draft
from legal_assistant.ledger.chain import contract_entries, sha256_hex
from legal_assistant.settings import get_settings
from legal_assistant.store.db import get_engine

runner = CliRunner()


@pytest.fixture(autouse=True)
def fresh_engine():
    get_settings.cache_clear()
    get_engine.cache_clear()
    yield
    get_engine.cache_clear()


def embedded_font_files(pdf: bytes) -> list[str]:
    names = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                names.append(str(font.get_object()["/BaseFont"]))
    return names


def test_pdf_embeds_a_cjk_truetype_font_and_carries_the_contract_text():
    draft = create_draft("sale", load_template("sale").example())
    fonts = embedded_font_files(draft.pdf)
    assert fonts and all("WenQuanYi" in name for name in fonts)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(draft.pdf)).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "买卖合同" in compact and "北京嘉禾科技有限公司" in compact and draft.contract_id in compact
    assert "人民币壹拾万元整" in compact


def test_pdf_and_docx_carry_the_same_clauses():
    draft = create_draft("labor", load_template("labor").example())
    docx_lines = [p.text for p in Document(io.BytesIO(draft.docx)).paragraphs if p.text.strip()]
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(draft.pdf)).pages).replace("\n", "")
    headings = [line for line in docx_lines if line.startswith("第") and "条　" in line]
    assert len(headings) >= 10
    for heading in headings:
        assert heading.split("　")[1] in pdf_text


def test_pdf_pages_render_to_png_with_poppler(tmp_path):
    # pdftoppm comes from poppler-utils (scripts/install_system_deps.sh).
    draft = create_draft("nda_noncompete", load_template("nda_noncompete").example())
    source = tmp_path / "contract.pdf"
    source.write_bytes(draft.pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(source), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(io.BytesIO(draft.pdf)).pages) >= 2
    for page in pages:  # every page has drawn text (dark pixels), i.e. the glyphs were found in the PDF
        with Image.open(page) as image:
            dark = sum(image.convert("L").histogram()[:128])
        assert dark > 50


def test_drafting_records_identity_checks_and_the_pdf_hash_on_the_ledger():
    draft = create_draft("loan", load_template("loan").example())
    entries = contract_entries(draft.contract_id)
    assert [e.event for e in entries] == ["identity_checked"] * 3 + ["draft_created"]
    assert entries[-1].doc_sha256 == sha256_hex(draft.pdf)
    assert entries[-1].payload["docx_sha256"] == sha256_hex(draft.docx)
    # Personal numbers are masked in the ledger; the full number lives only in the contract.
    assert entries[0].payload["id_number_masked"] == "9111************0B"
    assert "13812345678" not in json.dumps([e.payload for e in entries], ensure_ascii=False)


def test_invalid_data_stores_nothing():
    data = load_template("sale").example() | {"price": -5}
    with pytest.raises(DraftValidationError) as caught:
        create_draft("sale", data)
    assert [e.field for e in caught.value.errors] == ["price"]
    assert not (get_settings().data_dir / "contracts").exists()


def test_cli_lists_templates_as_one_json_object():
    result = runner.invoke(app, ["draft", "--list", "--json"])
    assert result.exit_code == 0
    templates = json.loads(result.stdout)["templates"]
    assert len(templates) >= 12 and {"id", "title", "parties"} <= set(templates[0])


def test_cli_example_is_a_valid_data_file_that_drafts_docx_and_pdf(tmp_path):
    example = runner.invoke(app, ["draft", "house_lease", "--example", "--json"])
    assert example.exit_code == 0
    data_file = tmp_path / "lease.json"
    data_file.write_text(example.stdout, encoding="utf-8")
    for suffix in ("docx", "pdf"):
        out = tmp_path / f"lease.{suffix}"
        result = runner.invoke(app, ["draft", "house_lease", "--data", str(data_file), "--out", str(out), "--json"])
        assert result.exit_code == 0, result.output
        summary = json.loads(result.stdout)
        assert summary["sha256"] == sha256_hex(out.read_bytes())
        assert summary["contract_id"].startswith("HT")
    assert "房屋租赁合同" in Document(str(tmp_path / "lease.docx")).paragraphs[0].text


def test_cli_validation_errors_exit_2_with_a_json_list_of_field_messages(tmp_path):
    data = load_template("labor").example() | {"probation_months": 6}
    data["party_b"] = data["party_b"] | {"mobile": "12345"}
    data_file = tmp_path / "labor.json"
    data_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["draft", "labor", "--data", str(data_file), "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    errors = json.loads(result.stdout)
    assert {e["field"] for e in errors} == {"party_b.mobile", "probation_months"}
    assert all(set(e) == {"field", "message"} for e in errors)
    assert not (tmp_path / "x.pdf").exists()


def test_cli_unknown_template_exits_2_with_a_chinese_message():
    result = runner.invoke(app, ["draft", "no_such_template", "--example"])
    assert result.exit_code == 2
    assert "模板编号“no_such_template”不存在" in result.stderr
