"""Render a validated contract to DOCX (docxtpl) and lay the same paragraphs out as a PDF (reportlab).

The PDF is built from the rendered DOCX itself, so both files always carry the same words. It
embeds a CJK TrueType font (see :mod:`legal_assistant.pdf_fonts`) and is produced with reportlab's
``invariant`` mode, so the same contract always gives the same bytes and therefore the same hash.
While laying out the signature block it records where each party's signature box falls, so the
signing step can place a visible signature there.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docxtpl import DocxTemplate
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer
from xml.sax.saxutils import escape

from legal_assistant.drafting.build_templates import PARTY_STYLE, SIGNATURE_STYLE
from legal_assistant.drafting.schema import ContractTemplate
from legal_assistant.pdf_fonts import register_cjk_font

SIGNATURE_DATE_PREFIX = "签署日期"
SIGNATURE_SLOT_HEIGHT = 22 * mm
SIGNATURE_SLOT_WIDTH = 70 * mm


def render_docx(template: ContractTemplate, context: dict[str, Any]) -> bytes:
    document = DocxTemplate(str(template.docx_path))
    # autoescape: party names and free text are user input and must not inject WordprocessingML.
    document.render(context, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class SignatureSlot:
    """Where party number ``index`` signs: 0-based page and a box in PDF points (x1, y1, x2, y2)."""

    index: int
    page: int
    box: tuple[float, float, float, float]

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "page": self.page, "box": list(self.box)}


class _SignatureSpace(Flowable):
    """Blank space below a party's signature lines that remembers where it was drawn."""

    def __init__(self, index: int, slots: list[SignatureSlot]):
        super().__init__()
        self.index = index
        self.slots = slots

    def wrap(self, available_width, available_height):
        return available_width, SIGNATURE_SLOT_HEIGHT

    def draw(self):
        x, y = self.canv.absolutePosition(0, 0)
        page = self.canv.getPageNumber() - 1
        self.slots.append(
            SignatureSlot(self.index, page, (round(x, 2), round(y, 2), round(x + SIGNATURE_SLOT_WIDTH, 2),
                                             round(y + SIGNATURE_SLOT_HEIGHT, 2)))
        )


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=11, leading=19, wordWrap="CJK",
                          alignment=TA_JUSTIFY, firstLineIndent=22, spaceAfter=3)
    return {
        "Title": ParagraphStyle("title", parent=base, fontSize=20, leading=28, alignment=TA_CENTER,
                                firstLineIndent=0, spaceAfter=14),
        "Heading 2": ParagraphStyle("heading", parent=base, fontSize=12.5, leading=20, firstLineIndent=0,
                                    spaceBefore=8, spaceAfter=2),
        "Normal": base,
        PARTY_STYLE: ParagraphStyle("party", parent=base, firstLineIndent=0, alignment=TA_LEFT, spaceAfter=1),
        SIGNATURE_STYLE: ParagraphStyle("signature", parent=base, firstLineIndent=0, alignment=TA_LEFT,
                                        spaceBefore=4),
    }


_ALIGNMENTS = {WD_ALIGN_PARAGRAPH.RIGHT: TA_RIGHT, WD_ALIGN_PARAGRAPH.CENTER: TA_CENTER}


def pdf_from_docx(docx_bytes: bytes, *, contract_id: str, title: str) -> tuple[bytes, list[SignatureSlot]]:
    font = register_cjk_font()
    styles = _styles(font)
    story: list[Flowable] = []
    slots: list[SignatureSlot] = []
    signer_index = 0
    for paragraph in Document(io.BytesIO(docx_bytes)).paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = styles.get(paragraph.style.name, styles["Normal"])
        if paragraph.alignment in _ALIGNMENTS:
            style = ParagraphStyle(f"{style.name}-aligned", parent=style, alignment=_ALIGNMENTS[paragraph.alignment])
        story.append(Paragraph(escape(text), style))
        if paragraph.style.name == SIGNATURE_STYLE and text.startswith(SIGNATURE_DATE_PREFIX):
            story.append(_SignatureSpace(signer_index, slots))
            signer_index += 1
    story.append(Spacer(1, 6))

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"合同编号：{contract_id}　　第 {document.page} 页")
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=22 * mm, bottomMargin=22 * mm,
        title=title, subject=contract_id, author="最嘉法护", creator="最嘉法护 桐e签", invariant=1, initialFontName=font,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue(), slots
