"""首页：本系统能做什么、从哪里开始（按当前角色）、检索索引是否就绪。"""

from __future__ import annotations

import streamlit as st

from legal_assistant.auth import Role
from legal_assistant.settings import get_settings
from legal_assistant.ui.index_gate import shared_index_build
from legal_assistant.ui.navigation import pages_for

actor = st.session_state.get("actor")
role = actor.role if actor else None

START_HERE: dict[Role | None, list[str]] = {
    None: [
        "遇到具体法律问题：到 **法律咨询** 用日常语言提问，回答附有法条原文和版本日期。",
        "签合同之前：到 **合同体检** 上传合同，看风险条款、缺失条款和修改建议。",
        "想全面了解企业的法律风险：做一次 **风险自查**，得到雷达图和整改清单。",
        "收到一份电子合同或存证证明：到 **存证核验** 上传 PDF，核对是否被改动、签名是否有效。",
        "需要保存自查记录、在线签约或提交法律援助审查：请 **登录** 企业账户（账户由管理员创建）。",
    ],
    Role.OWNER: [
        "签约：在 **桐e签** 选模板填表，生成合同后各方依次签署，下载签署版 PDF 与存证证明。",
        "签约前：在 **合同体检** 审查对方发来的合同，评分偏低时可一键提交法律援助工作人员审查。",
        "定期做 **风险自查** 并保存，系统会与上一次对比改进情况。",
        "作为执行案件当事人：在 **执行和解** 的“履行监管”中查看本企业案件的履行情况。",
    ],
    Role.LEGAL_AID: [
        "打开 **合同审查队列**：领取企业提交的高风险合同，逐条批注意见，审完后关闭案件。",
        "答复企业时可在 **法律咨询** 中检索法条，在 **安商驿站专场** 查典型案例。",
    ],
    Role.JUDGE_ASSISTANT: [
        "打开 **执行和解**：录入判决与被执行人还款能力，比较分期方案，生成和解协议草稿。",
        "和解签订后在“履行监管”登记付款；逾期时系统提示违约并可生成恢复执行申请书。",
    ],
    Role.ADMIN: [
        "在 **用户管理** 为企业、法律援助机构和法院人员创建账户并分配角色。",
        "在 **合同审查队列** 把企业提交的合同分配给法律援助工作人员。",
    ],
}

st.title("最嘉法护 · 企业法律风险助手")
st.markdown(
    "面向嘉兴中小企业的法律风险助手：**有据可查的法律咨询**、**企业风险自查**、**合同体检**、"
    "**电子签约与存证**、**执行和解分期方案**。所有引用的法条都来自系统自带的法规库，"
    "注明法律名称、条号和版本日期，可逐条核对。"
)
if actor is not None:
    st.success(f"欢迎，{actor.label}。")

st.subheader("从这里开始")
st.markdown("\n".join(f"{index}. {tip}" for index, tip in enumerate(START_HERE[role], 1)))

st.subheader("您可以使用的功能")
features = [spec for specs in pages_for(role).values() for spec in specs if spec.url_path not in ("home", "login")]
columns = st.columns(3)
for index, spec in enumerate(features):
    with columns[index % 3].container(border=True, height="stretch"):
        st.markdown(f"#### {spec.icon} {spec.title}")
        st.caption(spec.summary)
        st.page_link(spec.path, label=f"打开{spec.title}", icon=":material/arrow_forward:")

settings = get_settings()
build = shared_index_build(str(settings.data_dir))
if build.running:
    st.info(f"检索索引正在建立（{build.label}），完成后即可使用法律咨询；其他功能不受影响。")
elif not any(settings.index_dir.glob("manifest-*.json")):
    st.info("检索索引尚未建立：打开“法律咨询”即可一键建立（完整法规库首次约需 10–20 分钟），其他功能可直接使用。")
