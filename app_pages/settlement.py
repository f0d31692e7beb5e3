"""执行和解：法官助理用的和解方案与履行监管页面（薄页面，计算都在 legal_assistant.settlement）。"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import streamlit as st

from legal_assistant import clock
from legal_assistant.auth.permissions import PermissionDenied
from legal_assistant.settlement.analysis import analyse
from legal_assistant.settlement.documents import agreement_document, note_document
from legal_assistant.settlement.errors import SettlementError
from legal_assistant.settlement.inputs import capacity_from_csv, capacity_from_xlsx, example_input, load_input
from legal_assistant.settlement.presentation import docx_bytes, plan_rows, schedule_figure, schedule_rows, status_figure, status_rows
from legal_assistant.settings import get_settings
from legal_assistant.ui.look import csv_bytes

st.title("执行和解")
st.caption("按判决计算欠款（含加倍部分债务利息），评估被执行人还款能力，提出分期方案并生成和解协议草稿；签订后登记付款、监管履行。")

plan_tab, supervision_tab = st.tabs(["和解方案", "履行监管"])

with plan_tab:
    source = st.radio("输入来源", ["示例案件", "上传输入文件（JSON）"], horizontal=True)
    raw = example_input()
    if source != "示例案件":
        uploaded = st.file_uploader("和解输入文件", type=["json"], help="格式与 legal-assistant settle --example 的输出相同")
        if uploaded is not None:
            if uploaded.size > get_settings().max_upload_mb * 1024 * 1024:
                st.error("文件过大")
                st.stop()
            try:
                raw = json.loads(uploaded.getvalue().decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                st.error("输入文件不是有效的 UTF-8 JSON")
                st.stop()

    with st.form("settlement_form"):
        st.subheader("案件与当事人")
        left, right = st.columns(2)
        raw["case_number"] = left.text_input("执行案号", raw.get("case_number", ""))
        raw["court"] = right.text_input("执行法院", raw.get("court", ""))
        for column, role, label in ((left, "creditor", "申请执行人"), (right, "debtor", "被执行人")):
            party = raw.setdefault(role, {})
            party["name"] = column.text_input(f"{label}名称/姓名", party.get("name", ""))
            party["kind"] = column.selectbox(
                f"{label}类型", ["organization", "individual"], index=0 if party.get("kind", "organization") == "organization" else 1,
                format_func=lambda k: "单位（统一社会信用代码）" if k == "organization" else "自然人（居民身份证）", key=f"{role}_kind",
            )
            party["id_number"] = column.text_input(f"{label}证件号码", party.get("id_number", ""))
        st.subheader("执行依据")
        judgment = raw.setdefault("judgment", {})
        interest = judgment.get("general_interest") or {}
        a, b, c = st.columns(3)
        judgment["document"] = a.text_input("执行依据文书", judgment.get("document", ""))
        judgment["principal"] = b.text_input("本金（元）", str(judgment.get("principal", "0")))
        judgment["performance_deadline"] = c.date_input("履行期间届满日", date.fromisoformat(judgment.get("performance_deadline", "2025-01-01"))).isoformat()
        rate = a.text_input("一般债务利息年利率（如 0.0345，无则填 0）", str(interest.get("annual_rate", "0")))
        start = b.date_input("利息起算日", date.fromisoformat(interest.get("start_date", judgment["performance_deadline"])))
        judgment["litigation_fee"] = c.text_input("案件受理费（元）", str(judgment.get("litigation_fee", "0")))
        judgment["execution_fee"] = a.text_input("申请执行费（元）", str(judgment.get("execution_fee", "0")))
        judgment["general_interest"] = (
            {**interest, "annual_rate": rate, "start_date": start.isoformat()} if rate.strip() not in ("", "0") else None
        )
        st.subheader("还款能力")
        capacity = raw.setdefault("capacity", {})
        a, b, c, d = st.columns(4)
        capacity["monthly_income"] = a.text_input("月收入/营业收入", str(capacity.get("monthly_income", "0")))
        capacity["monthly_expenses"] = b.text_input("月支出/经营成本（自然人：必要生活支出）", str(capacity.get("monthly_expenses", "0")))
        capacity["cash"] = c.text_input("现金", str(capacity.get("cash", "0")))
        capacity["receivables"] = d.text_input("应收账款", str(capacity.get("receivables", "0")))
        capacity_file = st.file_uploader("或从表格导入还款能力（CSV/XLSX，表头：类别,名称,金额,可继续使用,月还款）", type=["csv", "xlsx"])
        negotiation = raw.setdefault("negotiation", {})
        negotiation["as_of"] = st.date_input("计算基准日", date.fromisoformat(negotiation.get("as_of", clock.today().isoformat()))).isoformat()
        submitted = st.form_submit_button("计算方案", type="primary")

    if submitted:
        try:
            if capacity_file is not None:
                if capacity_file.size > get_settings().max_upload_mb * 1024 * 1024:
                    raise SettlementError("还款能力文件过大")
                content = capacity_file.getvalue()
                imported = capacity_from_xlsx(content) if capacity_file.name.lower().endswith(".xlsx") else capacity_from_csv(content)
                raw["capacity"] = json.loads(imported.model_dump_json())
            st.session_state["settlement_analysis"] = analyse(load_input(raw))
        except (SettlementError, ArithmeticError) as error:
            st.session_state.pop("settlement_analysis", None)
            st.error(str(error) or "金额格式不正确")

    analysis = st.session_state.get("settlement_analysis")
    if analysis is not None:
        owed = analysis.owed
        st.subheader(f"截至 {owed.as_of} 的欠款：{owed.total:,.2f} 元")
        columns = st.columns(4)
        for column, line in zip(columns, owed.lines):
            column.metric(line.label, f"{line.amount:,.2f}")
        for line in owed.lines:
            with st.expander(f"{line.label}的计算方法与依据"):
                st.text("\n".join(line.formula))
        capacity_result = analysis.capacity
        st.subheader(f"还款能力评分 {capacity_result.score}（{capacity_result.band}）")
        st.metric("月自由现金流", f"{capacity_result.free_cash_flow:,.2f}")
        st.text("\n".join(capacity_result.formulas))
        st.subheader("可选方案（期限与让利的取舍）")
        st.dataframe(plan_rows(analysis), hide_index=True)
        for warning in analysis.warnings:
            st.warning(warning)
        affordable = [p.index for p in analysis.plans if p.affordable] or [p.index for p in analysis.plans]
        chosen_index = st.selectbox("选定方案", affordable, format_func=lambda i: analysis.plan(i).title, key="settlement_plan_index")
        chosen = analysis.plan(chosen_index)
        if not chosen.affordable:
            st.error("该方案超出被执行人还款能力：" + "；".join(chosen.problems))
        st.dataframe(schedule_rows(chosen), hide_index=True)
        st.plotly_chart(schedule_figure(chosen), width="stretch")
        left, right = st.columns(2)
        left.download_button(
            "下载执行和解协议草稿（DOCX）", docx_bytes(agreement_document(analysis, chosen)),
            file_name=f"执行和解协议-方案{chosen.index}.docx",
        )
        right.download_button(
            "下载和解方案说明（附卷，DOCX）", docx_bytes(note_document(analysis, chosen)),
            file_name=f"和解方案说明-方案{chosen.index}.docx",
        )
        st.download_button(
            "下载付款时间表（CSV）", csv_bytes(schedule_rows(chosen)), file_name=f"付款时间表-方案{chosen.index}.csv", mime="text/csv"
        )
        with st.expander("法律依据"):
            from legal_assistant.settlement.legal_basis import citations_for

            for citation in citations_for(analysis.basis_keys):
                st.markdown(f"**{citation['citation']}**：{citation['text']}")

with supervision_tab:
    actor = st.session_state.get("actor")
    if actor is None:
        st.info("请先以法官助理账户登录，再登记和解、登记付款和查看履行情况。")
    else:
        from legal_assistant.settlement.supervision import case_status, create_case, draft_resume_application, list_cases, record_payment

        try:
            cases = list_cases(actor)
        except PermissionDenied as error:
            st.error(str(error))
            st.stop()
        analysis = st.session_state.get("settlement_analysis")
        if analysis is not None and st.button("将当前选定方案登记为已签订的和解"):
            try:
                new_id = create_case(actor, analysis.data, st.session_state.get("settlement_plan_index") or analysis.plans[0].index)
                st.success(f"已登记，监管编号 {new_id}")
                cases = list_cases(actor)
            except (SettlementError, PermissionDenied) as error:
                st.error(str(error))
        if not cases:
            st.info("本院暂无监管中的和解案件。")
        else:
            st.dataframe(cases, hide_index=True)
            case_id = st.selectbox("监管案件", [c["case_id"] for c in cases], format_func=lambda i: next(c["case_number"] for c in cases if c["case_id"] == i))
            view_date = st.date_input("查看日", clock.today(), key="status_date")
            with st.form("payment_form"):
                a, b, c = st.columns(3)
                paid_on = a.date_input("付款日", clock.today())
                amount = b.text_input("付款金额（元）")
                note = c.text_input("备注")
                if st.form_submit_button("登记付款"):
                    try:
                        record_payment(actor, case_id, paid_on, Decimal(amount.replace(",", "")), note)
                        st.success("已登记")
                    except (SettlementError, PermissionDenied, ArithmeticError) as error:
                        st.error(str(error) or "金额格式不正确")
            try:
                status = case_status(actor, case_id, view_date)
            except PermissionDenied as error:
                st.error(str(error))
                st.stop()
            a, b, c, d = st.columns(4)
            a.metric("和解总额", f"{status.agreed_total:,.2f}")
            b.metric("已付", f"{status.paid_total:,.2f}")
            c.metric("已到期", f"{status.due_total:,.2f}")
            d.metric("逾期", f"{status.overdue_total:,.2f}")
            st.dataframe(status_rows(status), hide_index=True)
            st.plotly_chart(status_figure(status), width="stretch")
            if status.default_reason:
                st.error("违约：" + status.default_reason)
                if st.button("生成恢复执行申请书"):
                    import tempfile
                    from pathlib import Path

                    with tempfile.TemporaryDirectory() as folder:
                        target = Path(folder) / "恢复执行申请书.docx"
                        draft = draft_resume_application(actor, case_id, target, view_date)
                        st.download_button("下载恢复执行申请书（DOCX）", target.read_bytes(), file_name=f"恢复执行申请书-{status.case_number}.docx")
                    st.write(f"截至 {draft.owed.as_of} 按原判决应付 {draft.owed.total:,.2f} 元（已扣除已履行部分）")
