"""批量体检：一次上传多份合同，逐份审查（显示进度），得到评分汇总表、分数图和全部 Word 报告。

薄页面：审查与报告都在 legal_assistant.contracts。
"""

from __future__ import annotations

import io
import zipfile

import plotly.graph_objects as go
import streamlit as st

from legal_assistant.contracts.engine import review_document
from legal_assistant.contracts.queue import DEFAULT_THRESHOLD
from legal_assistant.contracts.report import build_docx
from legal_assistant.documents import DocumentError, read_document
from legal_assistant.settings import get_settings
from legal_assistant.ui.look import csv_bytes

STANCES = {"中立": "neutral", "甲方": "甲方", "乙方": "乙方"}
MAX_FILES = 30
RESULTS_KEY = "batch_results"

st.title("批量体检")
st.caption(
    f"一次上传最多 {MAX_FILES} 份合同（PDF、DOCX、TXT），逐份识别类型、评分并列出主要风险；"
    "适合签约高峰或整理存量合同时先排出优先级。单份合同的逐条审查请用“合同体检”。"
)

stance = STANCES[st.radio("审查立场", list(STANCES), horizontal=True, key="batch_stance")]
uploads = st.file_uploader("合同文件", type=["pdf", "docx", "txt"], accept_multiple_files=True, key="batch_files")
limit = get_settings().max_upload_mb * 1024 * 1024

if st.button("开始批量体检", type="primary", disabled=not uploads):
    if len(uploads) > MAX_FILES:
        st.error(f"一次最多审查 {MAX_FILES} 份合同，您选择了 {len(uploads)} 份。")
        st.stop()
    results = []
    with st.status(f"正在审查 {len(uploads)} 份合同…", expanded=True) as status:
        bar = st.progress(0.0)
        for index, upload in enumerate(uploads, 1):
            bar.progress((index - 1) / len(uploads), text=f"第 {index}/{len(uploads)} 份：{upload.name}")
            entry = {"name": upload.name, "result": None, "error": "", "docx": b""}
            data = upload.getvalue()
            try:
                if len(data) > limit:
                    raise DocumentError(f"文件超过 {get_settings().max_upload_mb} MB")
                result = review_document(read_document(data, upload.name), stance)
                entry["result"] = result
                entry["docx"] = build_docx(result, data if result.document_kind == "docx" else None, result.paragraph_texts)
            except DocumentError as error:
                entry["error"] = str(error)
            results.append(entry)
        bar.progress(1.0, text="全部完成")
        failed = sum(1 for entry in results if entry["error"])
        status.update(label=f"已审查 {len(results)} 份合同" + (f"，{failed} 份无法读取" if failed else ""), state="complete", expanded=False)
    st.session_state[RESULTS_KEY] = results

results = st.session_state.get(RESULTS_KEY)
if results:
    rows = []
    for entry in results:
        result = entry["result"]
        if result is None:
            rows.append({"文件": entry["name"], "合同类型": "", "评分": None, "高风险": None, "中风险": None, "低风险": None, "主要问题": "", "说明": entry["error"]})
            continue
        counts = result.counts()
        rows.append(
            {
                "文件": entry["name"],
                "合同类型": result.contract_type_name,
                "评分": result.score,
                "高风险": counts["high"],
                "中风险": counts["medium"],
                "低风险": counts["low"],
                "主要问题": "；".join(f"{f.clause or '缺失条款'}：{f.title}" for f in result.findings[:3]),
                "说明": "建议提交法律援助审查" if result.score < DEFAULT_THRESHOLD else "",
            }
        )
    reviewed = [row for row in rows if row["评分"] is not None]
    if reviewed:
        ordered = sorted(reviewed, key=lambda row: row["评分"])
        figure = go.Figure(
            go.Bar(
                x=[row["评分"] for row in ordered],
                y=[row["文件"] for row in ordered],
                orientation="h",
                marker_color=["#c0392b" if row["评分"] < DEFAULT_THRESHOLD else "#27ae60" for row in ordered],
                text=[row["评分"] for row in ordered],
                textposition="auto",
            )
        )
        figure.add_vline(x=DEFAULT_THRESHOLD, line_dash="dash", line_color="#c0392b", annotation_text=f"{DEFAULT_THRESHOLD} 分")
        figure.update_layout(
            title="合同评分（从低到高）", xaxis={"range": [0, 100], "title": "评分"}, height=120 + 32 * len(ordered), margin={"l": 10, "r": 10, "t": 40, "b": 10}
        )
        st.plotly_chart(figure, width="stretch")
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={"评分": st.column_config.ProgressColumn("评分", min_value=0, max_value=100, format="%d")},
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for entry in results:
            if entry["docx"]:
                bundle.writestr(entry["name"].rsplit(".", 1)[0] + "_体检报告.docx", entry["docx"])
    left, right = st.columns(2)
    left.download_button("下载汇总表（CSV）", csv_bytes(rows), file_name="批量体检汇总.csv", mime="text/csv")
    right.download_button("下载全部 Word 报告（ZIP）", archive.getvalue(), file_name="批量体检报告.zip", mime="application/zip")
