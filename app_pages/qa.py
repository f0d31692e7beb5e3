"""法律咨询 — chat page. Thin: every answer comes from ``legal_assistant.answer``."""

from __future__ import annotations

import streamlit as st

from legal_assistant import clock
from legal_assistant.answer import Answer, Turn, stream_answer
from legal_assistant.answer.export import to_docx, to_markdown
from legal_assistant.answer.feedback import HELPFUL, NOT_HELPFUL, record_feedback
from legal_assistant.retrieval.hybrid import IndexNotReady

TURNS_KEY = "qa_turns"
MODE_LABELS = {"自动（已配置大模型时使用大模型）": None, "离线（摘引法条）": "offline", "大模型": "llm"}


def _retriever():
    from legal_assistant.retrieval.service import get_retriever

    return get_retriever()


def _owner_id() -> int | None:
    # The login page keeps the signed-in actor in the session; anonymous use stores no owner.
    return getattr(st.session_state.get("actor"), "user_id", None)


def show_answer(answer: Answer, key: str) -> None:
    for notice in answer.notices:
        st.info(notice)
    st.markdown(f"**结论**：{answer.conclusion}")
    st.markdown(answer.reply.replace("\n", "  \n"))
    if answer.citations:
        st.markdown("**法律依据**")
        corpus = _retriever().corpus
        for cited in answer.citations:
            with st.expander(cited.article.citation):
                for warning in cited.warnings:
                    st.warning(warning)
                st.markdown("\n\n".join(f"> {p}" for p in cited.article.paragraphs))
                neighbours = [a for a in corpus.neighbours(cited.article) if a.id != cited.article.id]
                if neighbours:
                    st.caption("相邻条文")
                    for neighbour in neighbours:
                        st.caption(f"{neighbour.number_text}　{neighbour.text}")
    if answer.cases:
        st.markdown("**相关案例**")
        for case in answer.cases:
            with st.expander(case.title):
                st.write(case.summary)
                st.caption(f"来源：{case.source}")
    level = answer.risk_level or "未匹配到风险知识库中的风险点"
    st.markdown(f"**风险等级**：{level}")
    for risk in answer.risks:
        st.caption(f"风险点：{risk.title}（{risk.severity_label}）；依据：{'、'.join(risk.citations)}")
    if answer.measures:
        st.markdown("**建议措施**\n\n" + "\n".join(f"{i}. {m}" for i, m in enumerate(answer.measures, 1)))
    for removed in answer.removed_citations:
        st.caption(f"已删除的未核实引用：{removed}")
    st.caption(answer.limits)
    columns = st.columns(4)
    columns[0].download_button("下载 Markdown", to_markdown(answer), file_name="法律咨询.md", mime="text/markdown", key=f"md-{key}")
    columns[1].download_button(
        "下载 Word",
        to_docx(answer),
        file_name="法律咨询.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key=f"docx-{key}",
    )
    if columns[2].button("有帮助", key=f"up-{key}"):
        record_feedback(answer, HELPFUL, owner_id=_owner_id())
        st.toast("感谢反馈，已记录。")
    if columns[3].button("没帮助", key=f"down-{key}"):
        record_feedback(answer, NOT_HELPFUL, owner_id=_owner_id())
        st.toast("感谢反馈，我们会据此改进。")


st.title("法律咨询")
st.caption("用日常语言提问，回答中的法条均逐字引自法规库，并注明版本日期。")
with st.sidebar:
    mode = MODE_LABELS[st.selectbox("回答方式", list(MODE_LABELS))]
    use_date = st.checkbox("按历史日期适用的法律版本回答")
    as_of = st.date_input("适用日期", value=clock.today()).isoformat() if use_date else None
    if st.button("新的对话"):
        st.session_state[TURNS_KEY] = []

turns: list[dict] = st.session_state.setdefault(TURNS_KEY, [])
for index, turn in enumerate(turns):
    with st.chat_message("user"):
        st.write(turn["question"])
    with st.chat_message("assistant"):
        show_answer(turn["answer"], key=str(index))

question = st.chat_input("例如：技术骨干离职去了对手公司，我们能限制他多久？")
if question:
    with st.chat_message("user"):
        st.write(question)
    history = [Turn(t["question"], t["answer"].reply, t["answer"].retrieval_query) for t in turns]
    with st.chat_message("assistant"):
        placeholder = st.empty()
        try:
            shown = ""
            final: Answer | None = None
            with st.spinner("正在检索法条…"):
                for item in stream_answer(question, history=history, as_of=as_of, mode=mode, retriever=_retriever()):
                    if isinstance(item, Answer):
                        final = item
                    else:
                        shown += item
                        placeholder.markdown(shown)
        except IndexNotReady as error:
            placeholder.error(str(error))
        except ValueError as error:
            placeholder.error(str(error))
        else:
            placeholder.empty()  # the checked final answer replaces the streamed text
            turns.append({"question": question, "answer": final})
            show_answer(final, key=str(len(turns) - 1))
