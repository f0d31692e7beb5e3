"""合同体检：上传合同，按立场标出风险与缺失条款并给出法律依据；低分合同转法律援助审查队列。

薄页面：审查、报告、队列都在 legal_assistant.contracts。
"""

from __future__ import annotations

import json

import streamlit as st

from legal_assistant.auth.permissions import PermissionDenied
from legal_assistant.auth.roles import Role
from legal_assistant.contracts.engine import SEVERITY_ZH, review_document, review_text
from legal_assistant.contracts.models import STATUS_ZH
from legal_assistant.contracts.presentation import dimension_chart, findings_table, score_gauge
from legal_assistant.contracts.queue import DEFAULT_THRESHOLD, QueueError, add_comment, assign, get_case, queue_list, set_status, submit_review
from legal_assistant.contracts.report import build_docx, build_html
from legal_assistant.documents import DocumentError, EncryptedDocument, read_document

STANCES = {"甲方": "甲方", "乙方": "乙方", "中立": "neutral"}

st.title("合同体检")
st.caption("签约前上传合同：识别合同类型，按您的立场标出风险条款和缺失条款，逐条给出法律依据与修改建议。结果由规则引擎生成，不构成法律意见。")
actor = st.session_state.get("actor")
review_tab, queue_tab = st.tabs(["审查合同", "法律援助审查队列"])


def _show_findings(result) -> None:
    by_clause: dict[str, list] = {}
    for finding in result.findings:
        by_clause.setdefault(finding.clause or "", []).append(finding)
    missing = by_clause.get("", [])
    if missing:
        st.subheader("缺失的必要条款")
        for finding in missing:
            _finding_box(finding)
    st.subheader("逐条审查")
    for clause in result.clauses:
        flagged = by_clause.get(clause.number, [])
        left, right = st.columns([3, 2])
        left.markdown(f"**{clause.number}** {clause.text[len(clause.number):][:600]}")
        with right:
            if flagged:
                for finding in flagged:
                    _finding_box(finding)
            else:
                st.caption("未发现问题")


def _finding_box(finding) -> None:
    with st.container(border=True):
        color = {"high": "red", "medium": "orange", "low": "blue"}[finding.severity]
        st.markdown(f":{color}[【{SEVERITY_ZH[finding.severity]}风险】] **{finding.title}** `{finding.rule_id}`")
        st.write(finding.explanation)
        st.markdown(f"**修改建议：** {finding.suggestion}")
        with st.expander("法律依据"):
            for citation in finding.citations:
                st.markdown(f"**{citation['citation']}**")
                st.caption(citation["text"])


with review_tab:
    source = st.radio("合同来源", ["上传文件", "粘贴文本"], horizontal=True)
    stance_label = st.radio("审查立场", list(STANCES), horizontal=True, help="同一条款可能只对一方不利")
    stance = STANCES[stance_label]
    result = None
    original: bytes | None = None
    if source == "上传文件":
        uploaded = st.file_uploader("合同文件（PDF、DOCX、TXT）", type=["pdf", "docx", "txt"])
        password = st.session_state.get("contract_pdf_password")
        if uploaded is not None:
            original = uploaded.getvalue()
            try:
                with st.spinner("正在读取并逐条审查合同…"):  # long contracts take a moment
                    document = read_document(original, uploaded.name, password=password)
                    result = review_document(document, stance)
            except EncryptedDocument as error:
                st.warning(str(error))
                st.text_input("PDF 打开密码", type="password", key="contract_pdf_password")
            except DocumentError as error:
                st.error(str(error))
    else:
        text = st.text_area("合同全文", height=240, key="contract_text", placeholder="把合同全文粘贴到这里，包括标题、当事人和各条款")
        if st.button("开始体检", type="primary") and text.strip():
            st.session_state["contract_pasted"] = text
        if st.session_state.get("contract_pasted"):
            with st.spinner("正在逐条审查合同…"):
                result = review_text(st.session_state["contract_pasted"], stance, filename="粘贴的合同.txt")

    if result is not None:
        counts = result.counts()
        st.success(f"{result.title or result.filename}｜识别为：{result.contract_type_name}")
        gauge, dimensions = st.columns(2)
        gauge.plotly_chart(score_gauge(result, DEFAULT_THRESHOLD), width="stretch")
        dimensions.plotly_chart(dimension_chart(result), width="stretch")
        a, b, c = st.columns(3)
        a.metric("高风险", counts["high"])
        b.metric("中风险", counts["medium"])
        c.metric("低风险", counts["low"])
        with st.expander("评分说明"):
            for dimension in result.dimensions.values():
                st.write(dimension["explanation"])
        with st.expander("关键信息"):
            st.json(result.facts.as_dict())
        if result.findings:
            st.dataframe(findings_table(result), width="stretch", hide_index=True)
        _show_findings(result)
        stem = (result.filename.rsplit(".", 1)[0] or "合同") + "_体检报告"
        d1, d2, d3 = st.columns(3)
        d1.download_button("下载带批注的 Word 报告", build_docx(result, original if result.document_kind == "docx" else None, result.paragraph_texts), f"{stem}.docx")
        d2.download_button("下载 HTML 报告", build_html(result), f"{stem}.html", mime="text/html")
        payload = result.as_dict()
        d3.download_button("下载 JSON", json.dumps(payload, ensure_ascii=False, indent=2), f"{stem}.json", mime="application/json")
        if result.score < DEFAULT_THRESHOLD:
            st.warning(f"评分低于 {DEFAULT_THRESHOLD} 分，建议提交法律援助工作人员审查。")
        if actor is not None and actor.role is Role.OWNER:
            if st.button("提交法律援助审查"):
                summary = submit_review(actor, result, force=True)
                st.success(f"已提交，编号 {summary.id}，状态：{summary.status_label}")
        elif actor is None:
            st.info("登录企业账户后，可将合同提交法律援助工作人员审查。")

with queue_tab:
    if actor is None:
        st.info("请先登录后查看审查队列。")
    else:
        status_filter = st.selectbox("状态", ["全部", *STATUS_ZH], format_func=lambda s: STATUS_ZH.get(s, s))
        try:
            cases = queue_list(actor, status=None if status_filter == "全部" else status_filter)
        except PermissionDenied as error:
            st.error(str(error))
            cases = []
        if not cases:
            st.caption("队列中暂无合同。")
        else:
            st.dataframe(
                [{"编号": c.id, "合同": c.title, "评分": c.score, "高风险": c.high_count, "状态": c.status_label, "已分配": "是" if c.assignee_id else "否", "提交时间": c.created_at.strftime("%Y-%m-%d %H:%M")} for c in cases],
                hide_index=True,
                width="stretch",
            )
            case_id = st.selectbox("打开案件", [c.id for c in cases], key="review_case_id")
            try:
                detail = get_case(actor, case_id)
            except PermissionDenied:
                detail = None
                if actor.role is Role.LEGAL_AID and st.button("领取该案件"):
                    assign(actor, case_id)
                    st.rerun()
                else:
                    st.info("该案件尚未分配给您。")
            if detail is not None:
                st.markdown(f"**{detail.summary.title}**｜{detail.result['contract_type_name']}｜评分 {detail.summary.score}｜{detail.summary.status_label}")
                for finding in detail.result["findings"]:
                    st.markdown(f"- 【{SEVERITY_ZH[finding['severity']]}】{finding['clause'] or '缺失条款'}：{finding['title']}")
                st.markdown("**意见与记录**")
                for comment in detail.comments:
                    st.write(f"{comment.created_at:%Y-%m-%d %H:%M} {comment.author_label}{'（' + comment.clause + '）' if comment.clause else ''}：{comment.body}")
                for change in detail.history:
                    st.caption(f"{change.at:%Y-%m-%d %H:%M} {STATUS_ZH.get(change.from_status or '', '—')} → {STATUS_ZH[change.to_status]} {change.note}")
                with st.form("review_comment"):
                    body = st.text_area("审查意见")
                    clause = st.text_input("针对条款（可选，如 第五条）")
                    if st.form_submit_button("提交意见"):
                        try:
                            add_comment(actor, case_id, body, clause=clause or None)
                            st.rerun()
                        except (QueueError, PermissionDenied) as error:
                            st.error(str(error))
                new_status = st.selectbox("变更状态", list(STATUS_ZH), format_func=STATUS_ZH.get, key="review_new_status")
                note = st.text_input("备注", key="review_status_note")
                if st.button("更新状态"):
                    try:
                        set_status(actor, case_id, new_status, note=note)
                        st.rerun()
                    except (QueueError, PermissionDenied) as error:
                        st.error(str(error))
