"""DOCX drafts: 执行和解协议, 和解方案说明 (note to the file) and 恢复执行申请书.

Wording lives in data/clauses.yaml (Jinja2, reviewed by lawyers); this module only fills it in
and lays it out. Each document ends with the legal bases it used, every one resolved against
the corpus by :mod:`legal_basis`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from legal_assistant.corpus.names import to_cn
from legal_assistant.settlement.amounts import OwedStatement, yuan
from legal_assistant.settlement.analysis import SettlementAnalysis
from legal_assistant.settlement.inputs import SettlementInput
from legal_assistant.settlement.legal_basis import cite
from legal_assistant.settlement.plans import SHAPE_LABELS, Plan

CLAUSES_FILE = Path(__file__).parent / "data" / "clauses.yaml"
BODY_FONT = "宋体"
_templates = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@lru_cache(maxsize=1)
def clause_texts() -> dict[str, Any]:
    return yaml.safe_load(CLAUSES_FILE.read_text(encoding="utf-8"))


def render(template: str, context: dict[str, Any], keep_lines: bool = False) -> str:
    """Fill a clause template. Template lines are wrapped for the reviewer's convenience; in the
    output they are joined without spaces (Chinese prose) unless ``keep_lines`` (signature blocks)."""
    lines = [line.strip() for line in _templates.from_string(template).render(**context).splitlines()]
    return "\n".join(line for line in lines if line) if keep_lines else "".join(lines)


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# ---- layout helpers ------------------------------------------------------------------------
def _new_document() -> DocxDocument:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), BODY_FONT)  # CJK text needs the East Asian font slot
    return document


def _title(document: DocxDocument, text: str, mark: str = "") -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(18)
    if mark:
        note = document.add_paragraph(mark)
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _heading(document: DocxDocument, text: str) -> None:
    document.add_paragraph().add_run(text).bold = True


def _table(document: DocxDocument, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text


def _basis_section(document: DocxDocument, keys: list[str], with_text: bool) -> None:
    _heading(document, "法律依据")
    for key in dict.fromkeys(keys):
        basis = cite(key)
        document.add_paragraph(f"{basis.citation}：{basis.text if with_text else basis.purpose}")


def document_text(document: DocxDocument) -> str:
    """All paragraph and table text, for checks and previews."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


# ---- shared context ------------------------------------------------------------------------
def _owed_context(owed: OwedStatement) -> dict[str, str]:
    return {
        "principal": yuan(owed.principal),
        "interest": yuan(owed.interest),
        "delay_interest": yuan(owed.delay_interest),
        "costs": yuan(owed.costs),
        "total": yuan(owed.total),
    }


def _party_context(data: SettlementInput) -> dict[str, Any]:
    guarantor = data.negotiation.guarantor
    return {
        "creditor": {**data.creditor.model_dump(), "id_label": data.creditor.id_label},
        "debtor": {**data.debtor.model_dump(), "id_label": data.debtor.id_label},
        "guarantor": {**guarantor.model_dump(), "id_label": guarantor.id_label} if guarantor else None,
        "case_number": data.case_number,
        "court": data.court,
        "judgment_document": data.judgment.document,
    }


def _plan_context(plan: Plan, share: Decimal) -> dict[str, Any]:
    installments = [i for i in plan.installments if i.n > 0]
    down = next((i for i in plan.installments if i.n == 0), None)
    return {
        "title": plan.title,
        "waived": yuan(plan.waived_delay_interest),
        "agreed_total": yuan(plan.agreed_total),
        "down_payment": yuan(plan.down_payment),
        "down_payment_due": cn_date(down.due.due) if down else "",
        "installment_count": len(installments),
        "first_due": cn_date(installments[0].due.due) if installments else "",
        "last_due": cn_date(plan.last_due),
        "max_installment": yuan(plan.max_installment),
        "installment_cap": yuan(plan.installment_cap),
        "waiting_cost": yuan(plan.waiting_cost),
        "affordable": plan.affordable,
        "problems": "；".join(plan.problems),
        "share": f"{share * 100:.0f}%",
    }


def _schedule_rows(plan: Plan) -> list[list[str]]:
    return [[i.label, cn_date(i.due.due), yuan(i.amount), i.due.reason] for i in plan.installments] + [
        ["合计", "", yuan(sum((i.amount for i in plan.installments), Decimal(0))), ""]
    ]


def _owed_rows(owed: OwedStatement) -> list[list[str]]:
    rows = [[line.label, yuan(line.amount), "\n".join(line.formula)] for line in owed.lines]
    rows.append(["合计", yuan(owed.total), "各项分别四舍五入至分后相加"])
    return rows


def _included_clauses(analysis: SettlementAnalysis) -> list[dict[str, Any]]:
    data = analysis.data
    conditions = {
        "always": True,
        "guarantor": data.negotiation.guarantor is not None,
        "seized_assets": bool(data.capacity.seized_assets) and data.negotiation.release_seizure_after_down_payment,
    }
    return [clause for clause in clause_texts()["agreement"]["clauses"] if conditions[clause["when"]]]


def agreement_basis_keys(analysis: SettlementAnalysis) -> list[str]:
    return analysis.owed.basis_keys + [key for clause in _included_clauses(analysis) for key in clause["basis"]]


# ---- the three documents -------------------------------------------------------------------
def agreement_document(analysis: SettlementAnalysis, plan: Plan) -> DocxDocument:
    texts = clause_texts()["agreement"]
    data = analysis.data
    clauses = _included_clauses(analysis)
    fee_payer = data.debtor.name if data.negotiation.execution_fee_borne_by == "debtor" else data.creditor.name
    context = {
        **_party_context(data),
        "as_of": cn_date(analysis.owed.as_of),
        "owed": _owed_context(analysis.owed),
        "plan": _plan_context(plan, analysis.policy.max_share_of_free_cash_flow),
        "grace_days": analysis.policy.grace_days,
        "execution_fee": yuan(data.judgment.execution_fee),
        "execution_fee_payer": fee_payer,
        "seized_assets": "、".join(a.description for a in data.capacity.seized_assets),
        "account": data.negotiation.creditor_account or "（由申请执行人书面指定）",
        "number_of": {clause["key"]: to_cn(n) for n, clause in enumerate(clauses, start=1)},
    }
    document = _new_document()
    _title(document, texts["title"], texts["draft_mark"])
    for line in render(_party_lines_template(data), context, keep_lines=True).splitlines():
        document.add_paragraph(line)
    document.add_paragraph(render(texts["preamble"], context))
    for n, clause in enumerate(clauses, start=1):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"第{to_cn(n)}条 {clause['heading']}　").bold = True
        paragraph.add_run(render(clause["text"], context))
    document.add_paragraph(render(texts["signature"], context, keep_lines=True))
    _heading(document, render(texts["owed_caption"], context))
    _table(document, ["项目", "金额（元）", "计算方法"], _owed_rows(analysis.owed))
    _heading(document, texts["schedule_caption"])
    _table(document, ["期次", "付款日", "金额（元）", "顺延说明"], _schedule_rows(plan))
    _basis_section(document, agreement_basis_keys(analysis), with_text=False)
    return document


def _party_lines_template(data: SettlementInput) -> str:
    lines = [
        "申请执行人：{{ creditor.name }}，{{ creditor.id_label }}：{{ creditor.id_number }}"
        "{% if creditor.representative %}，法定代表人：{{ creditor.representative }}{% endif %}",
        "被执行人：{{ debtor.name }}，{{ debtor.id_label }}：{{ debtor.id_number }}"
        "{% if debtor.representative %}，法定代表人：{{ debtor.representative }}{% endif %}",
    ]
    if data.negotiation.guarantor:
        lines.append("担保人：{{ guarantor.name }}，{{ guarantor.id_label }}：{{ guarantor.id_number }}")
    return "\n".join(lines)


def note_document(analysis: SettlementAnalysis, plan: Plan) -> DocxDocument:
    texts = clause_texts()["note"]
    data = analysis.data
    share = analysis.policy.max_share_of_free_cash_flow
    context = {
        **_party_context(data),
        "as_of": cn_date(analysis.owed.as_of),
        "plan": _plan_context(plan, share),
        "share": f"{share * 100:.0f}%",
    }
    document = _new_document()
    _title(document, texts["title"])
    document.add_paragraph(render(texts["intro"], context))

    _heading(document, "一、应付金额计算")
    for line in analysis.owed.lines:
        document.add_paragraph(f"{line.label}：{yuan(line.amount)}元")
        for step in line.formula:
            document.add_paragraph(f"    {step}")
        if line.basis:
            document.add_paragraph("    依据：" + "；".join(cite(key).citation for key in dict.fromkeys(line.basis)))
    document.add_paragraph(f"合计：{yuan(analysis.owed.total)}元")
    document.add_paragraph(render(texts["delay_interest_numbering"], context))

    capacity = analysis.capacity
    _heading(document, "二、还款能力评估")
    for formula in capacity.formulas:
        document.add_paragraph(formula)
    _table(
        document,
        ["评分项", "权重", "得分", "计算"],
        [[c.label, str(c.weight), f"{c.points:.1f}", c.formula] for c in capacity.components],
    )
    document.add_paragraph(f"还款能力评分：{capacity.score}分（{capacity.band}）。评分仅为协商参考，不是法定标准。")
    if capacity.basis:
        document.add_paragraph("依据：" + "；".join(cite(key).citation for key in capacity.basis))

    _heading(document, "三、可选方案比较（期限与让利的取舍）")
    _table(
        document,
        ["方案", "首付款", "减免加倍部分利息", "和解总额", "最高一期", "资金占用成本", "可负担"],
        [
            [
                f"{p.index}. {p.months}个月{SHAPE_LABELS[p.shape]}",
                yuan(p.down_payment),
                f"{yuan(p.waived_delay_interest)}（{p.waiver_share * 100:.0f}%）",
                yuan(p.agreed_total),
                yuan(p.max_installment),
                yuan(p.waiting_cost),
                "是" if p.affordable else "否：" + "；".join(p.problems),
            ]
            for p in analysis.plans
        ],
    )
    _heading(document, "四、拟采用方案")
    document.add_paragraph(render(texts["plan_reason"], context))
    _table(document, ["期次", "付款日", "金额（元）", "顺延说明"], _schedule_rows(plan))
    document.add_paragraph(render(texts["acceleration_reason"], context))
    if analysis.warnings:
        _heading(document, "五、提示")
        for warning in analysis.warnings:
            document.add_paragraph(f"· {warning}")
    _basis_section(document, agreement_basis_keys(analysis) + analysis.basis_keys, with_text=True)
    return document


@dataclass
class ResumeFacts:
    """What the supervision record knows when a default is found."""

    data: SettlementInput
    owed: OwedStatement  # recomputed under the original judgment to ``owed.as_of``
    agreement_date: date
    agreed_total: Decimal
    paid_under_agreement: Decimal
    default_description: str


def resume_basis_keys(facts: ResumeFacts) -> list[str]:
    texts = clause_texts()["resume"]
    guarantor = facts.data.negotiation.guarantor
    extra = texts["guarantor_basis"] if guarantor and guarantor.consents_to_direct_enforcement else []
    return facts.owed.basis_keys + texts["basis"] + extra


def resume_document(facts: ResumeFacts) -> DocxDocument:
    texts = clause_texts()["resume"]
    context = {
        **_party_context(facts.data),
        "as_of": cn_date(facts.owed.as_of),
        "owed": _owed_context(facts.owed),
        "paid_total": yuan(facts.owed.paid_total),
        "agreement_date": cn_date(facts.agreement_date),
        "agreed_total": yuan(facts.agreed_total),
        "paid_under_agreement": yuan(facts.paid_under_agreement),
        "default_description": facts.default_description,
    }
    document = _new_document()
    _title(document, texts["title"], texts["draft_mark"])
    document.add_paragraph(render(texts["applicant"], context))
    document.add_paragraph(render(texts["respondent"], context))
    _heading(document, "请求事项")
    requests = [text for text in (render(t, context) for t in texts["requests"]) if text]
    for n, text in enumerate(requests, start=1):
        document.add_paragraph(f"{n}. {text}")
    _heading(document, "事实与理由")
    document.add_paragraph(render(texts["facts"], context))
    _table(document, ["项目", "金额（元）", "计算方法"], _owed_rows(facts.owed))
    for line in render(texts["closing"], context, keep_lines=True).splitlines():
        document.add_paragraph(line)
    document.add_paragraph(render(texts["signature"], context, keep_lines=True))
    _basis_section(document, resume_basis_keys(facts), with_text=False)
    return document
