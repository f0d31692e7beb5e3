"""登录 / 我的账户：登录后按角色开放功能；首次使用时创建管理员；修改密码、退出登录。"""

from __future__ import annotations

import streamlit as st

from legal_assistant.auth import AccountError, AuthenticationError, PermissionDenied, Role, change_password, create_first_admin
from legal_assistant.auth.passwords import MIN_PASSWORD_LENGTH
from legal_assistant.auth.service import admin_exists
from legal_assistant.ui.navigation import pages_for
from legal_assistant.ui.session import NOTICE_KEY, sign_in, sign_out

WELCOME_KEY = "login_welcome"  # shown once, right after signing in

ROLE_GUIDE = {
    Role.OWNER: "保存风险自查记录并对比、在线签约（桐e签）、把合同提交法律援助审查、查看本企业的执行和解履行情况",
    Role.LEGAL_AID: "处理分配给自己的合同审查案件：批注意见、变更状态",
    Role.JUDGE_ASSISTANT: "为本院执行案件制作和解分期方案、生成协议草稿、登记付款并监管履行",
    Role.ADMIN: "创建和停用账户、分配角色，把合同审查案件分配给法律援助工作人员",
}

actor = st.session_state.get("actor")

if actor is None:
    st.title("登录")
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.warning(notice)
    if not admin_exists():
        st.info("系统中还没有任何账户。请先创建管理员账户，再由管理员为企业、法律援助机构和法院人员创建账户。")
        with st.form("first_admin"):
            username = st.text_input("管理员用户名")
            display_name = st.text_input("显示名称（选填）")
            password = st.text_input(f"密码（至少 {MIN_PASSWORD_LENGTH} 位）", type="password")
            repeated = st.text_input("再次输入密码", type="password")
            if st.form_submit_button("创建管理员", type="primary"):
                if password != repeated:
                    st.error("两次输入的密码不一致")
                else:
                    try:
                        create_first_admin(username.strip(), password, display_name)
                    except (AccountError, PermissionDenied) as error:
                        st.error(str(error))
                    else:
                        st.success(f"已创建管理员 {username.strip()}，请在下方登录。")
    with st.form("login"):
        username = st.text_input("用户名", key="login_username")
        password = st.text_input("密码", type="password", key="login_password")
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        if not username.strip() or not password:
            st.error("请输入用户名和密码")
        else:
            try:
                sign_in(username, password)
            except AuthenticationError as error:
                st.error(str(error))
            else:
                st.session_state[WELCOME_KEY] = True
                st.rerun()  # the menu is rebuilt for the new role; this page becomes 我的账户
    st.subheader("登录后可以做什么")
    st.markdown("\n".join(f"- **{role.label}**：{text}" for role, text in ROLE_GUIDE.items()))
    st.caption("账户由管理员创建；忘记密码请联系管理员。连续 5 次输错密码，账户将锁定 15 分钟。")
else:
    st.title("我的账户")
    if st.session_state.pop(WELCOME_KEY, False):
        public = {spec.title for specs in pages_for(None).values() for spec in specs}
        opened = [spec.title for specs in pages_for(actor.role).values() for spec in specs if spec.title not in public]
        st.success(f"登录成功，欢迎 {actor.label}。左侧菜单已为您开放：{'、'.join(opened)}。")
    left, right = st.columns(2)
    left.metric("用户名", actor.username)
    right.metric("角色", actor.role.label)
    if actor.organization:
        st.markdown(f"**所属单位**：{actor.organization}")
    st.markdown(f"**可以使用**：{ROLE_GUIDE[actor.role]}")
    with st.expander("修改密码"):
        with st.form("change_password", clear_on_submit=True):
            old = st.text_input("原密码", type="password")
            new = st.text_input(f"新密码（至少 {MIN_PASSWORD_LENGTH} 位）", type="password")
            repeated = st.text_input("再次输入新密码", type="password")
            if st.form_submit_button("修改密码"):
                if new != repeated:
                    st.error("两次输入的新密码不一致")
                else:
                    try:
                        change_password(actor, old, new)
                    except (AuthenticationError, AccountError) as error:
                        st.error(str(error))
                    else:
                        st.success("密码已修改，下次登录请使用新密码。")
    if st.button("退出登录", type="primary"):
        sign_out()
        st.rerun()
