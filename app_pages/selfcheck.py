"""企业风险智治：按企业情况逐题作答（只问适用的问题）→ 各主题得分雷达图、重点风险、预警、报告下载、历史对比。"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from legal_assistant.pdf_fonts import CJKFontMissing
from legal_assistant.risks.export import build_docx, build_pdf
from legal_assistant.risks.history import compare_stored, previous_result, save_result
from legal_assistant.risks.kb import SEVERITY_LABEL, load_kb
from legal_assistant.risks.questionnaire import AnswerError, example_answers
from legal_assistant.risks.selfcheck import run_selfcheck

BOOL_LABELS = {"是": True, "否": False}

kb = load_kb()
actor = st.session_state.get("actor")

st.title("企业风险智治 · 法律风险自查")
st.caption("依据嘉兴安商驿站十大专场的风险知识库：只回答与贵企业相关的问题，即可得到各主题得分、重点风险、法律依据和整改建议。")


def _fill_example() -> None:
    for question_id, value in example_answers(kb).items():
        question = kb.question_by_id[question_id]
        st.session_state[f"sc_{question_id}"] = ("是" if value else "否") if question.kind == "bool" else value
    st.session_state["sc_enterprise"] = "嘉兴示例纺织有限公司"


st.button("填入示例答卷", on_click=_fill_example)
enterprise = st.text_input("企业名称", value=getattr(actor, "organization", "") or "", key="sc_enterprise")

answers: dict = {}
section = None
for question in kb.questions:
    if not question.applies(answers):
        continue
    if question.section != section:
        section = question.section
        st.subheader(section)
    key = f"sc_{question.id}"
    if question.kind == "bool":
        choice = st.radio(question.text, list(BOOL_LABELS), index=None, horizontal=True, key=key, help=question.help)
        value = BOOL_LABELS.get(choice) if choice else None
    elif question.kind == "choice":
        labels = {o.value: o.label for o in question.options}
        value = st.selectbox(question.text, list(labels), index=None, format_func=labels.get, key=key, help=question.help, placeholder="请选择")
    else:
        value = st.number_input(question.text, min_value=0, value=None, step=1, key=key, help=question.help)
    if value is not None:
        answers[question.id] = value

if st.button("生成自查结果", type="primary"):
    try:
        st.session_state["sc_result"] = run_selfcheck(answers, enterprise)
        st.session_state.pop("sc_saved_id", None)
    except AnswerError as exc:
        st.error(str(exc))

result = st.session_state.get("sc_result")
if result is not None:
    st.header(f"{result.enterprise_name or '本企业'} 自查结果")
    st.metric("综合得分", result.overall_score, help="100 分表示未发现风险敞口")
    applicable = [t for t in result.themes if t.applicable]
    radar = go.Figure(
        go.Scatterpolar(
            r=[t.score for t in applicable] + [applicable[0].score],
            theta=[t.theme.name for t in applicable] + [applicable[0].theme.name],
            fill="toself",
            name="得分",
        )
    )
    radar.update_layout(polar={"radialaxis": {"range": [0, 100]}}, showlegend=False, margin={"t": 30, "b": 30})
    st.plotly_chart(radar, use_container_width=True)
    skipped = [t.theme.name for t in result.themes if not t.applicable]
    if skipped:
        st.caption("不适用的主题：" + "、".join(skipped))

    st.subheader(f"预警清单（{len(result.warnings)} 项）")
    if not result.warnings:
        st.success("未触发预警。")
    for warning in result.warnings:
        risk = warning.assessment.risk
        message = f"【{warning.level_label}】{risk.id} {risk.title}\n\n依据您的回答：{'；'.join(warning.assessment.raised_by)}\n\n首要措施：{risk.remediation[0]}"
        (st.error if warning.level == "red" else st.warning)(message)

    st.subheader("重点风险")
    for assessment in result.top_risks(10):
        risk = assessment.risk
        with st.expander(f"{risk.id} {risk.title}（严重程度 {SEVERITY_LABEL[risk.severity]} · 可能性 {assessment.likelihood_label}）"):
            if assessment.raised_by:
                st.markdown("**触发因素：**" + "；".join(assessment.raised_by))
            st.markdown("**可能后果：**\n" + "\n".join(f"- {line}" for line in risk.consequences))
            st.markdown("**整改建议：**\n" + "\n".join(f"{i}. {line}" for i, line in enumerate(risk.remediation, 1)))
            st.markdown("**法律依据：**")
            for citation in assessment.citations:
                st.markdown(f"- {citation.display}")
                if citation.article is not None:
                    st.caption(citation.article.text)

    left, right = st.columns(2)
    left.download_button("下载报告（DOCX）", build_docx(result), file_name="企业法律风险自查报告.docx")
    try:
        right.download_button("下载报告（PDF）", build_pdf(result), file_name="企业法律风险自查报告.pdf", mime="application/pdf")
    except CJKFontMissing as exc:
        right.error(str(exc))

    st.subheader("历史对比")
    if actor is None:
        st.info("登录后可保存自查结果，并与本企业上一次自查对比改进情况。")
    else:
        if st.button("保存本次结果") and "sc_saved_id" not in st.session_state:
            previous = previous_result(result.enterprise_name, owner_id=actor.user_id)
            st.session_state["sc_saved_id"] = save_result(result, owner_id=actor.user_id)
            st.session_state["sc_previous"] = previous
        if "sc_saved_id" in st.session_state:
            previous = st.session_state.get("sc_previous")
            if previous is None:
                st.success("已保存。这是本企业的第一次自查记录。")
            else:
                comparison = compare_stored(previous, result).as_dict(kb)
                st.success(f"已保存，并与 {previous.created_at:%Y-%m-%d} 的自查对比：")
                st.dataframe(
                    [{"主题": name, "得分变化": delta} for name, delta in comparison["theme_deltas"].items()],
                    hide_index=True,
                )
                st.markdown("**已解决：** " + ("、".join(f"{r['id']} {r['title']}" for r in comparison["resolved"]) or "无"))
                st.markdown("**新出现：** " + ("、".join(f"{r['id']} {r['title']}" for r in comparison["new"]) or "无"))
