"""Figures and tables for the contract-review page (kept out of the page so it stays thin)."""

from __future__ import annotations

import plotly.graph_objects as go

from legal_assistant.contracts.engine import SEVERITY_ZH, ReviewResult

def score_gauge(result: ReviewResult, threshold: int) -> go.Figure:
    figure = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=result.score,
            title={"text": "合同健康分"},
            gauge={
                "axis": {"range": [0, 100]},
                "bar": {"color": "#2c3e50"},
                "steps": [
                    {"range": [0, threshold], "color": "#f5b7b1"},
                    {"range": [threshold, 85], "color": "#fdebd0"},
                    {"range": [85, 100], "color": "#d5f5e3"},
                ],
                "threshold": {"line": {"color": "#c0392b", "width": 3}, "value": threshold},
            },
        )
    )
    figure.update_layout(height=260, margin={"l": 20, "r": 20, "t": 50, "b": 10})
    return figure


def dimension_chart(result: ReviewResult) -> go.Figure:
    names = [d["name"] for d in result.dimensions.values()]
    percents = [d["percent"] for d in result.dimensions.values()]
    labels = [f"{d['score']}/{d['max']}" for d in result.dimensions.values()]
    figure = go.Figure(go.Bar(x=percents, y=names, orientation="h", text=labels, textposition="auto", marker_color="#27ae60"))
    figure.update_layout(height=260, xaxis={"range": [0, 100], "title": "得分率（%）"}, margin={"l": 10, "r": 10, "t": 30, "b": 10}, title="分维度得分")
    return figure


def findings_table(result: ReviewResult) -> list[dict]:
    return [
        {
            "风险": SEVERITY_ZH[f.severity],
            "条款": f.clause or "（缺失）",
            "问题": f.title,
            "规则": f.rule_id,
            "依据": "；".join(c["citation"] for c in f.citations),
        }
        for f in result.findings
    ]
