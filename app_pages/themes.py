"""安商驿站 法律服务专场：每个主题的重点法条（取自法规库）、典型案例、自查清单和风险点。"""

from __future__ import annotations

import streamlit as st

from legal_assistant.risks.kb import SEVERITY_LABEL, load_kb
from legal_assistant.risks.theme_pages import theme_page

kb = load_kb()

st.title("安商驿站 · 法律服务专场")
st.caption("以嘉兴企业近年的典型纠纷为基础，按主题梳理重点法条、典型案例和自查清单。")

names = {t.key: t.name for t in kb.themes}
key = st.selectbox("专场主题", list(names), format_func=names.get, key="theme_key")
page = theme_page(key)
st.write(page.theme.description)

st.subheader("重点法条")
for citation in page.key_articles:
    with st.expander(citation.display):
        st.write(citation.article.text if citation.article else citation.problem)

st.subheader("典型案例")
if not page.cases:
    st.info("案例库中暂无与本专场直接相关的案例。")
for match in page.cases:
    with st.expander(match.case.title):
        st.caption(f"{match.case.category_path} · 相关：{'、'.join(match.keywords)}")
        st.write(match.case.summary)

st.subheader("自查清单")
for index, item in enumerate(page.checklist):
    st.checkbox(item, key=f"theme_{key}_check_{index}")

st.subheader(f"风险点（{len(page.risks)} 个）")
st.dataframe(
    [{"编号": r.id, "风险": r.title, "严重程度": SEVERITY_LABEL[r.severity]} for r in page.risks],
    hide_index=True,
)
