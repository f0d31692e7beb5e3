"""Self-check reports: real DOCX and PDF files that open and contain the results."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from pypdf import PdfReader

from legal_assistant.risks.export import build_docx, build_pdf, export_docx, export_pdf
from legal_assistant.risks.questionnaire import example_answers
from legal_assistant.risks.selfcheck import run_selfcheck

ENTERPRISE = "嘉兴禾城纺织有限公司"


def _result():
    return run_selfcheck(example_answers(), ENTERPRISE)


def test_docx_report_opens_and_contains_scores_warnings_risks_and_legal_basis(tmp_path):
    result = _result()
    path = export_docx(result, tmp_path / "report.docx")
    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    table_text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert ENTERPRISE in text
    assert "劳动用工" in table_text and str(result.themes[0].score) in table_text
    top = result.top_risks(1)[0]
    assert top.risk.title in text
    assert top.citations[0].display in text  # e.g. 《保障中小企业款项支付条例》第九条（2025-03-17）
    assert result.warnings[0].assessment.risk.title in text


def test_pdf_report_opens_embeds_a_cjk_font_and_contains_the_text(tmp_path):
    result = _result()
    path = export_pdf(result, tmp_path / "report.pdf")
    reader = PdfReader(str(path))
    text = "".join(page.extract_text() for page in reader.pages)
    assert ENTERPRISE in text
    assert result.top_risks(1)[0].risk.id in text and "法律依据" in text
    embedded = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                embedded.add(str(font.get_object()["/BaseFont"]))
    assert any("ZenHei" in name or "Ming" in name or "CJK" in name for name in embedded), embedded


def test_reports_list_only_the_requested_number_of_top_risks():
    result = _result()
    few = Document(BytesIO(build_docx(result, top_n=2)))
    headings = [p.text for p in few.paragraphs if p.style.name == "Heading 2"]
    assert len(headings) == 2
    assert len(build_pdf(result, top_n=2)) < len(build_pdf(result, top_n=10))
