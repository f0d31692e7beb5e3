"""企业风险自查报告 as DOCX (python-docx) and PDF (reportlab, CJK font embedded)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from legal_assistant.pdf_fonts import register_cjk_font
from legal_assistant.risks.kb import SEVERITY_LABEL
from legal_assistant.risks.selfcheck import RiskAssessment, SelfCheckResult

REPORT_TITLE = "企业法律风险自查报告（企业风险智治）"
DISCLAIMER = "本报告依据企业自行填写的问卷和法律法规知识库自动生成，仅供风险排查参考，不构成正式法律意见；具体事项请咨询律师。"
ARTICLE_EXCERPT_CHARS = 160
DOCX_FONT = "SimSun"  # East Asian font name Word/WPS map to an installed CJK font


def _meta_lines(result: SelfCheckResult) -> list[str]:
    return [
        f"企业名称：{result.enterprise_name or '（未填写）'}",
        f"自查时间：{result.created_at.strftime('%Y-%m-%d %H:%M')}（UTC）",
        f"综合得分：{result.overall_score} 分（100 分表示未发现风险敞口）",
    ]


def _excerpt(text: str | None) -> str:
    if not text:
        return ""
    flat = text.replace("\n", " ")
    return flat if len(flat) <= ARTICLE_EXCERPT_CHARS else flat[:ARTICLE_EXCERPT_CHARS] + "……"


def _risk_heading(assessment: RiskAssessment) -> str:
    risk = assessment.risk
    return f"{risk.id} {risk.title}（严重程度：{SEVERITY_LABEL[risk.severity]}；可能性：{assessment.likelihood_label}）"


# ---- DOCX -----------------------------------------------------------------------------------
def _docx_font(document: Document) -> None:
    style = document.styles["Normal"]
    style.font.name = DOCX_FONT
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), DOCX_FONT)


def build_docx(result: SelfCheckResult, top_n: int = 10) -> bytes:
    document = Document()
    _docx_font(document)
    document.add_heading(REPORT_TITLE, level=0)
    for line in _meta_lines(result):
        document.add_paragraph(line)

    document.add_heading("一、各主题得分", level=1)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text, header[1].text, header[2].text = "主题", "得分", "需关注风险数"
    for theme in result.themes:
        cells = table.add_row().cells
        cells[0].text = theme.theme.name
        cells[1].text = str(theme.score) if theme.applicable else "不适用"
        cells[2].text = str(theme.flagged_count)

    document.add_heading("二、预警清单（需要立即行动）", level=1)
    if not result.warnings:
        document.add_paragraph("未触发预警。")
    for warning in result.warnings:
        paragraph = document.add_paragraph(style="List Bullet")
        run = paragraph.add_run(f"【{warning.level_label}】{warning.assessment.risk.id} {warning.assessment.risk.title}")
        run.bold = True
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00) if warning.level == "red" else RGBColor(0xD0, 0x70, 0x00)
        if warning.assessment.raised_by:
            document.add_paragraph("依据您的回答：" + "；".join(warning.assessment.raised_by))
        document.add_paragraph("首要措施：" + warning.assessment.risk.remediation[0])

    document.add_heading(f"三、重点风险（前 {top_n} 项）", level=1)
    for assessment in result.top_risks(top_n):
        document.add_heading(_risk_heading(assessment), level=2)
        if assessment.raised_by:
            document.add_paragraph("触发因素：" + "；".join(assessment.raised_by))
        document.add_paragraph("可能后果：")
        for line in assessment.risk.consequences:
            document.add_paragraph(line, style="List Bullet")
        document.add_paragraph("整改建议：")
        for line in assessment.risk.remediation:
            document.add_paragraph(line, style="List Number")
        document.add_paragraph("法律依据：")
        for citation in assessment.citations:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(citation.display).bold = True
            if citation.article is not None:
                paragraph.add_run("　" + _excerpt(citation.article.text))
    document.add_paragraph(DISCLAIMER)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---- PDF ------------------------------------------------------------------------------------
def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=24, spaceAfter=8),
        "h1": ParagraphStyle("h1", parent=base, fontSize=13, leading=19, spaceBefore=10, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontSize=11, leading=16, spaceBefore=8, spaceAfter=2, textColor=colors.HexColor("#1F3B73")),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12, textColor=colors.HexColor("#444444")),
        "red": ParagraphStyle("red", parent=base, textColor=colors.HexColor("#C00000")),
        "orange": ParagraphStyle("orange", parent=base, textColor=colors.HexColor("#C86400")),
    }


def _radar(result: SelfCheckResult, font: str) -> Drawing:
    themes = [t for t in result.themes if t.applicable]
    drawing = Drawing(170 * mm, 95 * mm)
    chart = SpiderChart()
    chart.x, chart.y = 45 * mm, 8 * mm
    chart.width = chart.height = 80 * mm
    # The second, invisible strand pins the scale to 0–100 (the chart otherwise scales to the data).
    chart.data = [[t.score for t in themes], [100] * len(themes)]
    chart.labels = [t.theme.name for t in themes]
    chart.strands[0].strokeColor = colors.HexColor("#1F3B73")
    chart.strands[0].fillColor = colors.HexColor("#1F3B7333", hasAlpha=True)
    chart.strands[1].strokeColor = None
    chart.strands[1].fillColor = None
    chart.strandLabels.fontName = font
    chart.spokeLabels.fontName = font
    chart.spokeLabels.fontSize = 8
    drawing.add(chart)
    return drawing


def build_pdf(result: SelfCheckResult, top_n: int = 10) -> bytes:
    font = register_cjk_font()
    styles = _styles(font)
    story: list = [Paragraph(escape(REPORT_TITLE), styles["title"])]
    story += [Paragraph(escape(line), styles["body"]) for line in _meta_lines(result)]

    story.append(Paragraph("一、各主题得分", styles["h1"]))
    if sum(t.applicable for t in result.themes) >= 3:  # a radar needs at least three axes
        story.append(_radar(result, font))
    rows = [["主题", "得分", "需关注风险数"]] + [
        [t.theme.name, str(t.score) if t.applicable else "不适用", str(t.flagged_count)] for t in result.themes
    ]
    table = Table(rows, colWidths=[70 * mm, 30 * mm, 40 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE4F0")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("ALIGN", (1, 1), (-1, -1), "CENTER"),
            ]
        )
    )
    story.append(table)

    story.append(Paragraph("二、预警清单（需要立即行动）", styles["h1"]))
    if not result.warnings:
        story.append(Paragraph("未触发预警。", styles["body"]))
    for warning in result.warnings:
        risk = warning.assessment.risk
        story.append(Paragraph(escape(f"【{warning.level_label}】{risk.id} {risk.title}"), styles[warning.level]))
        if warning.assessment.raised_by:
            story.append(Paragraph(escape("依据您的回答：" + "；".join(warning.assessment.raised_by)), styles["small"]))
        story.append(Paragraph(escape("首要措施：" + risk.remediation[0]), styles["small"]))

    story.append(Paragraph(escape(f"三、重点风险（前 {top_n} 项）"), styles["h1"]))
    for assessment in result.top_risks(top_n):
        story.append(Paragraph(escape(_risk_heading(assessment)), styles["h2"]))
        if assessment.raised_by:
            story.append(Paragraph(escape("触发因素：" + "；".join(assessment.raised_by)), styles["small"]))
        story.append(Paragraph("可能后果：", styles["body"]))
        story += [Paragraph(escape("· " + line), styles["body"]) for line in assessment.risk.consequences]
        story.append(Paragraph("整改建议：", styles["body"]))
        story += [Paragraph(escape(f"{i}. {line}"), styles["body"]) for i, line in enumerate(assessment.risk.remediation, 1)]
        story.append(Paragraph("法律依据：", styles["body"]))
        for citation in assessment.citations:
            text = f"<b>{escape(citation.display)}</b>　{escape(_excerpt(citation.article.text if citation.article else ''))}"
            story.append(Paragraph(text, styles["small"]))
    story += [Spacer(1, 6 * mm), Paragraph(escape(DISCLAIMER), styles["small"])]

    buffer = BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=REPORT_TITLE, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm)
    document.build(story)
    return buffer.getvalue()


def export_docx(result: SelfCheckResult, path: Path, top_n: int = 10) -> Path:
    path.write_bytes(build_docx(result, top_n))
    return path


def export_pdf(result: SelfCheckResult, path: Path, top_n: int = 10) -> Path:
    path.write_bytes(build_pdf(result, top_n))
    return path
