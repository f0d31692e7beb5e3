"""最嘉法护 Streamlit app: the frame around every page.

It prepares storage once, restores who is signed in, builds the menu that person's role may see
(:mod:`legal_assistant.ui.navigation`), applies the common look and runs the chosen page. The pages
themselves are thin and call the library.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from legal_assistant.logging_setup import configure_logging
from legal_assistant.settings import get_settings
from legal_assistant.store.db import init_db
from legal_assistant.ui.index_gate import require_index
from legal_assistant.ui.look import apply_style, footer, run_page
from legal_assistant.ui.navigation import pages_for
from legal_assistant.ui.session import current_actor, sign_out

APP_DIR = Path(__file__).parent

st.set_page_config(page_title="最嘉法护 · 企业法律风险助手", page_icon=":material/balance:", layout="wide")


@st.cache_resource(show_spinner="正在准备数据库…")
def prepare_storage(database_url: str) -> str:
    """Once per server and database: logging through the personal-data mask, schema up to date."""
    configure_logging()
    init_db(database_url)
    return database_url


prepare_storage(get_settings().sqlalchemy_url)
apply_style()
actor = current_actor()

menu = {
    section: [
        st.Page(APP_DIR / spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path, default=spec.url_path == "home")
        for spec in specs
    ]
    for section, specs in pages_for(actor.role if actor else None).items()
}
current = st.navigation(menu)
home = menu["开始"][0]

with st.sidebar:
    if actor is None:
        st.caption("未登录：可使用法律咨询、风险自查（不保存）、专场、合同体检与存证核验。")
    else:
        st.caption(f"已登录：{actor.label}" + (f"\n\n{actor.organization}" if actor.organization else ""))
        if st.button("退出登录", key="sidebar_sign_out"):
            sign_out()
            st.switch_page(home)  # the page in view may be one visitors cannot open

# The Q&A page needs the retrieval index; on a fresh machine the gate explains that and builds it.
if current.url_path != "qa" or require_index():
    run_page(current)
footer()
