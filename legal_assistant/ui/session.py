"""Who is using this browser session.

The login page keeps only the opaque session token; every script run turns it back into an
:class:`~legal_assistant.auth.Actor` with ``actor_from_token`` and stores that in
``st.session_state["actor"]``, the key every page reads. A token that expired, was revoked or
belongs to an account disabled meanwhile therefore signs the user out on their next click.
"""

from __future__ import annotations

import streamlit as st

from legal_assistant.auth import Actor, PermissionDenied, Role, actor_from_token, authenticate, logout, require_role

ACTOR_KEY = "actor"
TOKEN_KEY = "auth_token"
NOTICE_KEY = "auth_notice"


def current_actor() -> Actor | None:
    token = st.session_state.get(TOKEN_KEY)
    actor = actor_from_token(token) if token else None
    if token and actor is None:
        del st.session_state[TOKEN_KEY]
        st.session_state[NOTICE_KEY] = "登录已失效（超时、已退出或账户被停用），请重新登录。"
    st.session_state[ACTOR_KEY] = actor
    return actor


def sign_in(username: str, password: str) -> Actor:
    """Raises ``AuthenticationError`` with a zh-CN message when refused."""
    token = authenticate(username.strip(), password)
    st.session_state[TOKEN_KEY] = token
    return current_actor()


def sign_out() -> None:
    """End the session and forget everything this browser session held (drafts, results, forms),
    so the next person at the same screen starts clean."""
    token = st.session_state.get(TOKEN_KEY)
    if token:
        logout(token)
    st.session_state.clear()
    st.session_state[ACTOR_KEY] = None


def actor_with_role(*roles: Role) -> Actor:
    """The signed-in actor when their role is one of ``roles``; otherwise the page explains who may
    use it and stops, whichever way the visitor reached the page."""
    try:
        return require_role(st.session_state.get(ACTOR_KEY), *roles)
    except PermissionDenied as error:
        st.warning(f"{error}。如需使用该功能，请在左侧“登录”页面以相应账户登录。")
        st.stop()
