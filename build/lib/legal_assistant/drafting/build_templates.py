"""Build the contract DOCX templates (docxtpl placeholders) from the YAML clause text.

Lawyers edit ``templates/contracts/*.yaml``; this script turns each into ``<id>.docx`` next to it.
Output is byte-for-byte reproducible (fixed ZIP timestamps and document properties), so a test can
check that the committed DOCX files are up to date with their YAML.

    python -m legal_assistant.drafting.build_templates
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from legal_assistant.drafting.schema import TEMPLATES_DIR, ContractTemplate, list_templates

SIGNATURE_STYLE = "Signature Block"
PARTY_STYLE = "Party Block"
BODY_FONT = "宋体"
HEADING_FONT = "黑体"
_FIXED_TIME = datetime(2024, 1, 1)


def _set_east_asian_font(style, name: str, size: float) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _prepare_styles(document) -> None:
    styles = document.styles
    _set_east_asian_font(styles["Normal"], BODY_FONT, 12)
    styles["Normal"].paragraph_format.first_line_indent = Pt(24)
    styles["Normal"].paragraph_format.space_after = Pt(4)
    styles["Normal"].paragraph_format.line_spacing = 1.3
    _set_east_asian_font(styles["Title"], HEADING_FONT, 20)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_east_asian_font(styles["Heading 2"], HEADING_FONT, 13)
    for name in (PARTY_STYLE, SIGNATURE_STYLE):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.paragraph_format.first_line_indent = Pt(0)


def _tag(document, tag: str) -> None:
    """A paragraph holding only a docxtpl ``{%p ... %}`` tag; docxtpl removes it when rendering."""
    document.add_paragraph(f"{{%p {tag} %}}")


def _paragraph(document, text: str, style: str = "Normal", align=None):
    # One run per paragraph, so no Jinja tag is ever split across runs.
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run(text)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _party_block(document, template: ContractTemplate) -> None:
    for role in template.parties:
        key = role.key
        if role.when:
            _tag(document, f"if {role.when}")
        _paragraph(document, f"{role.label}：{{{{ {key}.name }}}}", PARTY_STYLE)
        _paragraph(document, f"{{{{ {key}.id_label }}}}：{{{{ {key}.id_number }}}}", PARTY_STYLE)
        _tag(document, f"if {key}.kind == 'organization'")
        _paragraph(document, f"法定代表人或负责人：{{{{ {key}.representative }}}}", PARTY_STYLE)
        _tag(document, "endif")
        _paragraph(document, f"住所：{{{{ {key}.address }}}}", PARTY_STYLE)
        _paragraph(document, f"联系电话：{{{{ {key}.mobile }}}}", PARTY_STYLE)
        if role.when:
            _tag(document, "endif")


def _signature_block(document, template: ContractTemplate) -> None:
    _paragraph(document, "（以下为签署栏，无正文）", SIGNATURE_STYLE, WD_ALIGN_PARAGRAPH.CENTER)
    for role in template.parties:
        key = role.key
        if role.when:
            _tag(document, f"if {role.when}")
        _paragraph(document, f"{role.label}（签名或盖章）：{{{{ {key}.name }}}}", SIGNATURE_STYLE)
        _tag(document, f"if {key}.kind == 'organization'")
        _paragraph(document, "法定代表人或授权代表（签名）：", SIGNATURE_STYLE)
        _tag(document, "endif")
        _paragraph(document, "签署日期：", SIGNATURE_STYLE)
        if role.when:
            _tag(document, "endif")
    _paragraph(document, "签订地点：{{ sign_place }}　　签订日期：{{ sign_date }}", SIGNATURE_STYLE)


def build_docx(template: ContractTemplate) -> bytes:
    document = Document()
    _prepare_styles(document)
    properties = document.core_properties
    properties.title = template.title
    properties.author = "最嘉法护"
    properties.created = properties.modified = _FIXED_TIME
    properties.last_modified_by = "最嘉法护"
    properties.revision = 1

    _paragraph(document, template.title, "Title")
    _paragraph(document, "合同编号：{{ contract_id }}", PARTY_STYLE, WD_ALIGN_PARAGRAPH.RIGHT)
    _party_block(document, template)
    for text in template.preamble:
        _paragraph(document, text)
    for clause in template.clauses:
        if clause.when:
            _tag(document, f"if {clause.when}")
        _paragraph(document, f"{{{{ no.{clause.key} }}}}　{clause.heading}", "Heading 2")
        for text in clause.paragraphs:
            _paragraph(document, text)
        if clause.when:
            _tag(document, "endif")
    _signature_block(document, template)

    buffer = io.BytesIO()
    document.save(buffer)
    return _normalize_zip(buffer.getvalue())


def _normalize_zip(data: bytes) -> bytes:
    """Same members in the same order with a fixed timestamp, so rebuilding gives identical bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return output.getvalue()


def build_all(templates_dir: Path = TEMPLATES_DIR) -> list[Path]:
    written = []
    for template in list_templates(templates_dir):
        template.docx_path.write_bytes(build_docx(template))
        written.append(template.docx_path)
    return written


if __name__ == "__main__":
    for path in build_all():
        print(path)
