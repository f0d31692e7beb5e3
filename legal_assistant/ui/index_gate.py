"""The Q&A page needs the retrieval index; on a fresh machine it does not exist yet.

Instead of an error, the page explains what the index is, offers to build it, and shows the
build's progress (the build itself: :mod:`legal_assistant.ui.index_build`).
"""

from __future__ import annotations

import time

import streamlit as st

from legal_assistant.retrieval.hybrid import IndexNotReady
from legal_assistant.retrieval.service import get_retriever
from legal_assistant.settings import get_settings
from legal_assistant.ui.index_build import IndexBuild

EXPLANATION = (
    "**首次使用需要先建立检索索引。** 法律咨询会先在法规库中检索相关法条，再据此作答；"
    "检索依赖把每一条法条转换成向量的索引。索引只需建立一次，之后启动即可直接使用，"
    "法规库更新时只处理变化的部分。完整法规库约 8 万条，在双核电脑上首次约需 10–20 分钟，"
    "期间其他功能（风险自查、合同体检、存证核验等）可以照常使用。"
)


@st.cache_resource(show_spinner=False)
def shared_index_build(data_dir: str) -> IndexBuild:
    """One build per data directory for the whole server, whichever browser started it."""
    return IndexBuild()


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes} 分 {seconds} 秒" if minutes else f"{seconds} 秒"


def _remaining(build: IndexBuild) -> str:
    remaining = build.remaining_seconds
    return f"，本阶段预计还需 {_duration(remaining)}" if remaining is not None and remaining >= 1 else ""


def _watch(build: IndexBuild) -> None:
    with st.status("正在建立检索索引…", expanded=True) as status:
        st.write("索引在后台进程中建立：离开本页面不会中断，回来即可看到进度。")
        bar = st.progress(build.fraction, text=build.label)
        while build.running:
            bar.progress(build.fraction, text=f"{build.label}　已用时 {_duration(build.elapsed_seconds)}{_remaining(build)}")
            time.sleep(0.5)
        if build.succeeded:
            bar.progress(1.0, text=f"完成：共 {build.report.get('units', 0):,} 条，用时 {_duration(build.elapsed_seconds)}")
            status.update(label="检索索引已建立", state="complete", expanded=False)
        else:
            status.update(label="检索索引建立失败", state="error", expanded=True)


def require_index() -> bool:
    """True when the retriever is ready; otherwise shows the build panel and returns False."""
    build = shared_index_build(str(get_settings().data_dir))
    if build.running:
        st.info(EXPLANATION)
        _watch(build)
        if build.succeeded:
            st.rerun()
    try:
        with st.spinner("正在加载法规库与检索索引（仅启动后第一次需要数秒）…"):
            get_retriever()  # process-wide and cached: only the first call loads anything
        return True
    except IndexNotReady:
        pass
    st.title("法律咨询")
    st.info(EXPLANATION)
    if build.error:
        st.error(f"{build.error}。请查看下方技术信息，或在命令行运行 `legal-assistant ingest` 查看详细输出。")
        with st.expander("技术信息"):
            st.code(build.error_details or "（无输出）", language=None)
    if st.button("开始建立检索索引", type="primary", key="index_build_start"):
        build.start()
        _watch(build)
        if build.succeeded:
            st.rerun()
    return False
