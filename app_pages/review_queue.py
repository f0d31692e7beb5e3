"""合同审查队列（法律援助工作人员、管理员）：企业提交的高风险合同，领取、批注、变更状态、分配。

薄页面：队列规则与权限都在 legal_assistant.contracts.queue。
"""

from __future__ import annotations

import streamlit as st

from legal_assistant.auth import PermissionDenied, Role, list_users
from legal_assistant.contracts.models import STATUS_ZH
from legal_assistant.contracts.queue import QueueError, add_comment, assign, get_case, queue_list, set_status
from legal_assistant.contracts.rulebook import get_rulebook
from legal_assistant.ui.look import SEVERITY_ZH, clause_highlights_html, csv_bytes
from legal_assistant.ui.session import actor_with_role

FLASH_KEY = "review_queue_flash"

actor = actor_with_role(Role.LEGAL_AID, Role.ADMIN)

st.title("合同审查队列")
st.caption(
    "企业经营者提交的、评分偏低或主动申请人工审查的合同。"
    + ("领取案件后逐条批注意见，审完关闭案件；企业可在“合同体检”中看到您的意见。" if actor.role is Role.LEGAL_AID else "请把待处理的案件分配给法律援助工作人员。")
)
flash = st.session_state.pop(FLASH_KEY, None)
if flash:
    st.success(flash)


def done(message: str) -> None:
    st.session_state[FLASH_KEY] = message
    st.rerun()


rulebook = get_rulebook()
cases = queue_list(actor)
mine = [c for c in cases if c.assignee_id == actor.user_id]
a, b, c, d = st.columns(4)
a.metric("待处理", sum(1 for case in cases if case.status == "open"))
b.metric("审查中", sum(1 for case in cases if case.status == "in_review"))
c.metric("已关闭", sum(1 for case in cases if case.status == "closed"))
d.metric("未分配", sum(1 for case in cases if case.assignee_id is None))

status_filter = st.segmented_control(
    "按状态筛选", ["全部", *STATUS_ZH], format_func=lambda s: STATUS_ZH.get(s, s), default="全部", key="queue_status"
)
shown = [case for case in cases if status_filter in (None, "全部") or case.status == status_filter]
rows = [
    {
        "编号": case.id,
        "合同": case.title,
        "类型": rulebook.type_name(case.contract_type),
        "评分": case.score,
        "高风险": case.high_count,
        "状态": case.status_label,
        "经办": "我" if case.assignee_id == actor.user_id else ("未分配" if case.assignee_id is None else "其他工作人员"),
        "提交时间": case.created_at.strftime("%Y-%m-%d %H:%M"),
    }
    for case in shown
]
if not rows:
    st.info("队列中暂无符合条件的合同。企业经营者在“合同体检”中提交合同后，会出现在这里。")
    st.stop()
st.dataframe(
    rows,
    hide_index=True,
    width="stretch",
    column_config={"评分": st.column_config.ProgressColumn("评分", min_value=0, max_value=100, format="%d")},
)
st.download_button("导出队列（CSV）", csv_bytes(rows), file_name="合同审查队列.csv", mime="text/csv")

st.divider()
case_id = st.selectbox(
    "打开案件", [case.id for case in shown], format_func=lambda i: next(f"#{c.id} {c.title}" for c in shown if c.id == i), key="queue_case"
)
summary = next(case for case in shown if case.id == case_id)

if actor.role is Role.ADMIN:
    staff = [user for user in list_users(actor) if user.role is Role.LEGAL_AID and user.is_active]
    if not staff:
        st.warning("还没有可分配的法律援助工作人员账户，请先在“用户管理”中创建。")
    else:
        current = next((index for index, user in enumerate(staff) if user.id == summary.assignee_id), None)
        chosen = st.selectbox("分配给", staff, index=current, format_func=lambda u: f"{u.display_name}（{u.organization}）", key="queue_assignee")
        if st.button("分配", type="primary", disabled=chosen is None):
            try:
                assign(actor, case_id, chosen.id)
            except (QueueError, PermissionDenied) as error:
                st.error(str(error))
            else:
                done(f"已将案件 #{case_id} 分配给 {chosen.display_name}")
    st.caption("管理员只负责分配案件，不发表审查意见，也不变更审查状态。")
    st.stop()

if summary.assignee_id is None:
    st.info("该案件尚未分配。领取后由您负责审查，其他工作人员将看不到它。")
    if st.button("领取该案件", type="primary"):
        try:
            assign(actor, case_id)
        except (QueueError, PermissionDenied) as error:
            st.error(str(error))
        else:
            done(f"已领取案件 #{case_id}")
    st.stop()

detail = get_case(actor, case_id)
result = detail.result
st.subheader(f"#{case_id} {summary.title}")
st.markdown(f"**合同类型**：{result['contract_type_name']}　**评分**：{summary.score}　**状态**：{summary.status_label}")

findings_tab, clauses_tab, record_tab = st.tabs(["风险清单", "条款标注", "意见与记录"])
with findings_tab:
    for finding in result["findings"]:
        with st.container(border=True):
            st.markdown(f"**【{SEVERITY_ZH[finding['severity']]}】{finding['clause'] or '缺失条款'}：{finding['title']}**")
            st.write(finding["explanation"])
            st.markdown(f"**修改建议**：{finding['suggestion']}")
            st.caption("法律依据：" + "；".join(citation["citation"] for citation in finding["citations"]))
with clauses_tab:
    st.caption("按每条条款中最严重的问题着色：红色为高风险，橙色为中风险，蓝色为低风险。")
    st.html(clause_highlights_html(result))
with record_tab:
    for comment in detail.comments:
        target = f"（{comment.clause}）" if comment.clause else ""
        st.markdown(f"**{comment.author_label}**{target}　{comment.created_at:%Y-%m-%d %H:%M}\n\n{comment.body}")
    for change in detail.history:
        before = STATUS_ZH.get(change.from_status or "", "—")
        st.caption(f"{change.at:%Y-%m-%d %H:%M}　{before} → {STATUS_ZH[change.to_status]}　{change.note}")
    with st.form("queue_comment", clear_on_submit=True):
        clause_options = ["（整份合同）", *[clause["clause"] for clause in result.get("clauses", [])]]
        clause = st.selectbox("针对条款", clause_options)
        body = st.text_area("审查意见", placeholder="例如：违约金约定明显过高，建议调整为不超过实际损失的百分之三十，并写明计算方式。")
        if st.form_submit_button("提交意见", type="primary"):
            try:
                add_comment(actor, case_id, body, clause=None if clause == clause_options[0] else clause)
            except (QueueError, PermissionDenied) as error:
                st.error(str(error))
            else:
                done("意见已提交，企业可在合同体检中看到。")
    moves = {"open": "退回待处理", "in_review": "标记为审查中", "closed": "审查完毕，关闭案件"}
    allowed = [status for status in moves if status != summary.status]
    left, right = st.columns([2, 3])
    new_status = left.selectbox("变更状态", allowed, format_func=moves.get, key="queue_new_status")
    note = right.text_input("备注（选填）", key="queue_status_note")
    if st.button("更新状态"):
        try:
            set_status(actor, case_id, new_status, note=note)
        except (QueueError, PermissionDenied) as error:
            st.error(str(error))
        else:
            done(f"案件 #{case_id} 已变更为“{STATUS_ZH[new_status]}”")

report_lines = [f"# 合同审查意见：{summary.title}", "", f"- 合同类型：{result['contract_type_name']}", f"- 评分：{summary.score}", f"- 状态：{summary.status_label}", "", "## 风险清单", ""]
report_lines += [f"- 【{SEVERITY_ZH[f['severity']]}】{f['clause'] or '缺失条款'}：{f['title']}（依据：{'；'.join(c['citation'] for c in f['citations'])}）" for f in result["findings"]]
report_lines += ["", "## 审查意见", ""] + [f"- {c.author_label}{('（' + c.clause + '）') if c.clause else ''}：{c.body}" for c in detail.comments]
st.download_button("下载审查意见（Markdown）", "\n".join(report_lines), file_name=f"审查意见-{case_id}.md", mime="text/markdown")
