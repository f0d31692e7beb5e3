"""最嘉法护 Streamlit app: navigation only; every page calls the library."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

st.set_page_config(page_title="最嘉法护 · 企业法律风险助手", page_icon="⚖️", layout="wide")

PAGES_DIR = Path(__file__).parent / "pages"
# (file, title, icon) grouped by what each kind of user does; pages not yet present are left out.
SECTIONS = {
    "企业": [
        ("qa.py", "法律咨询", "💬"),
        ("selfcheck.py", "风险自检", "🩺"),
        ("themes.py", "安商驿站专场", "📚"),
        ("contract_review.py", "合同体检", "📝"),
        ("esign.py", "桐e签", "✍️"),
    ],
    "法律援助与法院": [
        ("review_queue.py", "复核队列", "📋"),
        ("settlement.py", "执行和解", "⚖️"),
    ],
    "公共": [("evidence_verify.py", "存证核验", "🔍")],
}


def home() -> None:
    st.title("最嘉法护 · 企业法律风险助手")
    st.write("依据项目自带的法律法规与案例语料，为企业提供有据可查的法律咨询、风险自检、合同体检、电子签约存证与执行和解分期方案。")
    st.info("所有引用的条文均来自语料库，注明法律名称、条号与版本日期；本工具不替代律师意见。")


pages = {"首页": [st.Page(home, title="首页", icon="🏠", default=True)]}
for section, entries in SECTIONS.items():
    present = [st.Page(str(PAGES_DIR / f), title=t, icon=i) for f, t, i in entries if (PAGES_DIR / f).exists()]
    if present:
        pages[section] = present
st.navigation(pages).run()
