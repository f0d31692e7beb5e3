"""Tables and charts for the Streamlit page (kept here so the page itself stays a thin layout)."""

from __future__ import annotations

import io
from decimal import Decimal

import plotly.graph_objects as go
from docx.document import Document as DocxDocument

from legal_assistant.settlement.analysis import SettlementAnalysis
from legal_assistant.settlement.plans import SHAPE_LABELS, Plan
from legal_assistant.settlement.supervision import CaseStatus

STATE_COLOURS = {"已付清": "#2e7d32", "部分支付": "#f9a825", "未到期": "#90a4ae", "逾期": "#c62828"}


def docx_bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plan_rows(analysis: SettlementAnalysis) -> list[dict]:
    return [
        {
            "方案": plan.index,
            "期限（月）": plan.months,
            "形态": SHAPE_LABELS[plan.shape],
            "首付款": f"{plan.down_payment:,.2f}",
            "减免加倍部分利息": f"{plan.waived_delay_interest:,.2f}",
            "和解总额": f"{plan.agreed_total:,.2f}",
            "最高一期": f"{plan.max_installment:,.2f}",
            "资金占用成本": f"{plan.waiting_cost:,.2f}",
            "可负担": "是" if plan.affordable else "否",
            "原因": "；".join(plan.problems),
        }
        for plan in analysis.plans
    ]


def schedule_rows(plan: Plan) -> list[dict]:
    return [
        {"期次": i.label, "付款日": i.due.due.isoformat(), "金额（元）": f"{i.amount:,.2f}", "顺延说明": i.due.reason}
        for i in plan.installments
    ]


def schedule_figure(plan: Plan) -> go.Figure:
    """Installments as bars, the per-installment cap as a line, cumulative payments on a second axis."""
    dates = [i.due.due for i in plan.installments]
    amounts = [float(i.amount) for i in plan.installments]
    cumulative, running = [], Decimal(0)
    for installment in plan.installments:
        running += installment.amount
        cumulative.append(float(running))
    figure = go.Figure()
    figure.add_bar(x=dates, y=amounts, name="每期金额", marker_color=["#1565c0" if i.n else "#6a1b9a" for i in plan.installments])
    monthly_dates = [i.due.due for i in plan.installments if i.n > 0]  # the cap concerns installments, not the down payment
    figure.add_scatter(
        x=monthly_dates, y=[float(plan.installment_cap)] * len(monthly_dates), name="每期还款上限", mode="lines",
        line={"dash": "dash", "color": "#c62828"},
    )
    figure.add_scatter(x=dates, y=cumulative, name="累计应付", mode="lines+markers", yaxis="y2", line={"color": "#2e7d32"})
    figure.update_layout(
        title=plan.title,
        yaxis={"title": "每期金额（元）"},
        yaxis2={"title": "累计（元）", "overlaying": "y", "side": "right", "rangemode": "tozero"},
        legend={"orientation": "h"},
        margin={"t": 50, "b": 20},
    )
    return figure


def status_rows(status: CaseStatus) -> list[dict]:
    return [
        {
            "期次": i.label,
            "到期日": i.due_date.isoformat(),
            "应付": f"{i.amount:,.2f}",
            "已付": f"{i.paid:,.2f}",
            "状态": i.state,
            "逾期天数": i.days_late,
        }
        for i in status.installments
    ]


def status_figure(status: CaseStatus) -> go.Figure:
    figure = go.Figure()
    figure.add_bar(
        x=[i.due_date for i in status.installments],
        y=[float(i.amount) for i in status.installments],
        marker_color=[STATE_COLOURS[i.state] for i in status.installments],
        text=[i.state for i in status.installments],
        name="应付",
    )
    figure.add_bar(x=[i.due_date for i in status.installments], y=[float(i.paid) for i in status.installments], name="已付", marker_color="#a5d6a7")
    figure.update_layout(barmode="overlay", title=f"{status.case_number} 履行情况（截至 {status.as_of}）", margin={"t": 50, "b": 20})
    return figure
