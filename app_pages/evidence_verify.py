"""存证核验：任何人上传 PDF，查看它是否与存证记录一致、其中的电子签名是否有效（薄页面）。"""

from __future__ import annotations

import json

import streamlit as st

from legal_assistant.settings import get_settings
from legal_assistant.signing.service import check_document

st.title("存证核验")
st.caption("上传合同或存证证明 PDF：系统计算文件的 SHA-256，与存证链中的记录比对，并用本系统根证书验证其中每个电子签名。文件只在内存中处理，不会保存。")

uploaded = st.file_uploader("选择 PDF 文件", type=["pdf"])
if uploaded is not None:
    if uploaded.size > get_settings().max_upload_mb * 1024 * 1024:
        st.error(f"文件超过 {get_settings().max_upload_mb} MB，拒绝处理")
        st.stop()
    content = uploaded.getvalue()
    if not content.startswith(b"%PDF"):
        st.error("这不是 PDF 文件")
        st.stop()
    result = check_document(content)
    st.code(f"SHA-256  {result.sha256}", language=None)
    if result.ledger_match:
        st.success(f"与存证记录一致：该文件是合同 {result.contract_id} 的一个已登记版本，且该合同的存证链完整。")
    else:
        st.error("存证记录中没有与该文件完全一致的版本（文件可能被改动过，或不是本系统生成的文件）。")
    if result.problem:
        st.error(result.problem)
    elif not result.signatures:
        st.info("该文件中没有电子签名。")
    for signature in result.signatures:
        if signature.valid:
            st.success(f"签名有效：{signature.signer}（{signature.signed_at or '时间未知'}）")
        else:
            st.error(f"签名无效：{signature.signer or '未知签署人'} — {signature.problem}")
    with st.expander("技术细节（JSON）"):
        st.json(result.as_dict())
    st.download_button(
        "下载核验结果（JSON）", json.dumps(result.as_dict(), ensure_ascii=False, indent=2),
        file_name=f"存证核验-{result.sha256[:12]}.json", mime="application/json",
    )
