"""An answer as a document to keep or forward: Markdown (also the CLI's text output) and DOCX."""

from __future__ import annotations

import io

from legal_assistant.answer.types import MODE_LLM, Answer

SECTION_BASIS = "法律依据"
SECTION_CASES = "相关案例"
SECTION_RISK = "风险等级与建议措施"
SECTION_LIMITS = "说明与边界"


def _mode_label(answer: Answer) -> str:
    return "大模型生成（引用已核实）" if answer.mode == MODE_LLM else "离线生成（摘引法条）"


def to_markdown(answer: Answer) -> str:
    lines = [f"# 法律咨询：{answer.question}", ""]
    for notice in answer.notices:
        lines += [f"> {notice}", ""]
    lines += [f"**结论**：{answer.conclusion}", "", answer.reply, ""]
    if answer.citations:
        lines += [f"## {SECTION_BASIS}", ""]
        for cited in answer.citations:
            lines.append(f"### {cited.article.citation}")
            lines += [f"> {paragraph}" for paragraph in cited.article.paragraphs]
            lines += [f"\n*{warning}*" for warning in cited.warnings]
            lines.append("")
    if answer.cases:
        lines += [f"## {SECTION_CASES}", ""]
        for case in answer.cases:
            lines += [f"- **{case.title}**：{case.summary}"]
        lines.append("")
    lines += [f"## {SECTION_RISK}", "", f"**风险等级**：{answer.risk_level or '未匹配到风险知识库中的风险点'}", ""]
    for risk in answer.risks:
        lines.append(f"- 风险点：{risk.title}（{risk.severity_label}）；依据：{'、'.join(risk.citations)}")
    if answer.measures:
        lines += ["", "**建议措施**：", ""] + [f"{i}. {m}" for i, m in enumerate(answer.measures, 1)]
    if answer.removed_citations:
        lines += ["", "**已删除的未核实引用**：", ""] + [f"- {r}" for r in answer.removed_citations]
    lines += ["", f"## {SECTION_LIMITS}", "", answer.limits, "", f"*回答方式：{_mode_label(answer)}*", ""]
    return "\n".join(lines)


def to_docx(answer: Answer) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.add_heading(f"法律咨询：{answer.question}", level=1)
    for notice in answer.notices:
        document.add_paragraph().add_run(notice).italic = True
    conclusion = document.add_paragraph()
    conclusion.add_run("结论：").bold = True
    conclusion.add_run(answer.conclusion)
    for paragraph in answer.reply.split("\n"):
        if paragraph.strip():
            document.add_paragraph(paragraph)
    if answer.citations:
        document.add_heading(SECTION_BASIS, level=2)
        for cited in answer.citations:
            heading = document.add_paragraph()
            heading.add_run(cited.article.citation).bold = True
            for text in cited.article.paragraphs:
                quoted = document.add_paragraph(text)
                quoted.paragraph_format.left_indent = Pt(18)
            for warning in cited.warnings:
                document.add_paragraph().add_run(warning).italic = True
    if answer.cases:
        document.add_heading(SECTION_CASES, level=2)
        for case in answer.cases:
            item = document.add_paragraph(style="List Bullet")
            item.add_run(case.title + "：").bold = True
            item.add_run(case.summary)
    document.add_heading(SECTION_RISK, level=2)
    document.add_paragraph(f"风险等级：{answer.risk_level or '未匹配到风险知识库中的风险点'}")
    for risk in answer.risks:
        document.add_paragraph(f"风险点：{risk.title}（{risk.severity_label}）；依据：{'、'.join(risk.citations)}", style="List Bullet")
    for measure in answer.measures:
        document.add_paragraph(measure, style="List Number")
    document.add_heading(SECTION_LIMITS, level=2)
    document.add_paragraph(answer.limits)
    document.add_paragraph(f"回答方式：{_mode_label(answer)}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
