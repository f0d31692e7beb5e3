"""用户管理（管理员）：创建账户并分配角色、停用与启用账户、导出账户清单。"""

from __future__ import annotations

import streamlit as st

from legal_assistant.auth import AccountError, PermissionDenied, Role, create_user, list_users, set_user_active
from legal_assistant.auth.passwords import MIN_PASSWORD_LENGTH
from legal_assistant.ui.look import csv_bytes
from legal_assistant.ui.session import actor_with_role

ORGANIZATION_LABEL = {
    Role.OWNER: "企业名称",
    Role.LEGAL_AID: "所属法律援助机构（必填）",
    Role.JUDGE_ASSISTANT: "所属法院（必填，须与执行案件中的法院名称一致）",
    Role.ADMIN: "所属单位（选填）",
}

FLASH_KEY = "admin_users_flash"  # a confirmation shown once after the page reloads with the change

actor = actor_with_role(Role.ADMIN)

st.title("用户管理")
st.caption("为企业经营者、法律援助工作人员和法官助理创建账户。角色决定每个人能看到哪些功能和哪些记录。")

flash = st.session_state.pop(FLASH_KEY, None)
if flash:
    st.success(flash)

users = list_users(actor)
counts = st.columns(len(Role))
for column, role in zip(counts, Role):
    column.metric(role.label, sum(1 for user in users if user.role is role and user.is_active))

rows = [
    {
        "用户名": user.username,
        "显示名称": user.display_name,
        "角色": user.role.label,
        "所属单位": user.organization,
        "状态": "正常" if user.is_active else "已停用",
        "创建时间": user.created_at.strftime("%Y-%m-%d %H:%M"),
    }
    for user in users
]
st.dataframe(rows, hide_index=True, width="stretch")
st.download_button("导出账户清单（CSV）", csv_bytes(rows), file_name="账户清单.csv", mime="text/csv")

st.subheader("新建账户")
role = st.selectbox("角色", list(Role), format_func=lambda r: r.label, key="new_user_role")
with st.form("create_user", clear_on_submit=True):
    left, right = st.columns(2)
    username = left.text_input("用户名（2-64 位字母、数字、汉字或 . _ -）")
    display_name = right.text_input("显示名称（选填）")
    organization = st.text_input(ORGANIZATION_LABEL[role])
    password = left.text_input(f"初始密码（至少 {MIN_PASSWORD_LENGTH} 位）", type="password")
    repeated = right.text_input("再次输入初始密码", type="password")
    if st.form_submit_button("创建账户", type="primary"):
        if password != repeated:
            st.error("两次输入的密码不一致")
        else:
            try:
                view = create_user(actor, username.strip(), password, role, display_name=display_name, organization=organization)
            except (AccountError, PermissionDenied) as error:
                st.error(str(error))
            else:
                st.session_state[FLASH_KEY] = f"已创建{view.role.label}账户 {view.username}。请把初始密码当面或电话告知本人，并提醒登录后修改。"
                st.rerun()

st.subheader("停用 / 启用账户")
others = {user.username: user for user in users if user.id != actor.user_id}
if not others:
    st.caption("除您之外还没有其他账户。")
else:
    # Usernames, not account objects, as options: the choice survives the account's state changing.
    username = st.selectbox(
        "账户",
        list(others),
        format_func=lambda name: f"{name}（{others[name].role.label}{'，已停用' if not others[name].is_active else ''}）",
        key="toggle_user",
    )
    chosen = others[username]
    label = "启用该账户" if not chosen.is_active else "停用该账户（并结束其登录）"
    if st.button(label, key="toggle_user_active"):
        try:
            set_user_active(actor, chosen.username, not chosen.is_active)
        except (AccountError, PermissionDenied) as error:
            st.error(str(error))
        else:
            st.session_state[FLASH_KEY] = f"已{'停用' if chosen.is_active else '启用'}账户 {chosen.username}。"
            st.rerun()
