"""桐e签：选模板、填表（逐项校验）、预览、生成、各方依次签署、下载（薄页面，逻辑都在 legal_assistant）。"""

from __future__ import annotations

import io
from datetime import date

import streamlit as st
from docx import Document

from legal_assistant import clock
from legal_assistant.drafting.schema import KIND_LABELS, field_is_active, list_templates, load_template
from legal_assistant.drafting.service import DraftValidationError, create_draft, preview
from legal_assistant.identity import ORGANIZATION
from legal_assistant.ledger.evidence import build_evidence_certificate
from legal_assistant.pdf_fonts import CJKFontMissing
from legal_assistant.signing.service import (
    SigningError,
    confirm_signer_mobile,
    load_contract,
    next_signer,
    record_access,
    sign_contract,
)

st.title("桐e签 · 在线签约")
st.caption("主体信息一处核验，合同一键生成，签署过程全程记入存证链。")

actor = st.session_state.get("actor")
actor_name = getattr(actor, "username", "") or "访客"
owner_id = getattr(actor, "user_id", None)

templates = {t.id: t for t in list_templates()}
template_id = st.selectbox("合同模板", list(templates), format_func=lambda key: templates[key].title)
template = load_template(template_id)
st.write(template.summary)
example = template.example()


def party_inputs(role) -> dict:
    sample = example.get(role.key, {})
    st.markdown(f"**{role.label}**")
    kind = role.kinds[0]
    if len(role.kinds) > 1:
        kind = st.radio("主体类型", role.kinds, format_func=KIND_LABELS.get, horizontal=True,
                        key=f"{template_id}.{role.key}.kind",
                        index=role.kinds.index(sample.get("kind", role.kinds[0])))
    sample = sample if sample.get("kind") == kind else {}
    left, right = st.columns(2)
    party = {"kind": kind}
    party["name"] = left.text_input("单位名称" if kind == ORGANIZATION else "姓名", sample.get("name", ""),
                                    key=f"{template_id}.{role.key}.{kind}.name")
    party["id_number"] = right.text_input("统一社会信用代码" if kind == ORGANIZATION else "居民身份证号码",
                                          sample.get("id_number", ""), key=f"{template_id}.{role.key}.{kind}.id")
    party["mobile"] = left.text_input("手机号码（签署时用于确认身份）", sample.get("mobile", ""),
                                      key=f"{template_id}.{role.key}.{kind}.mobile")
    party["address"] = right.text_input("住所", sample.get("address", ""), key=f"{template_id}.{role.key}.{kind}.address")
    if kind == ORGANIZATION:
        party["representative"] = left.text_input("法定代表人或负责人", sample.get("representative", ""),
                                                  key=f"{template_id}.{role.key}.{kind}.rep")
    return party


def field_input(name: str, spec: dict):
    label = spec.get("label", name) + ("" if spec.get("required", True) else "（选填）")
    key = f"{template_id}.{name}"
    default = example.get(name, spec.get("default"))
    kind = spec.get("type", "string")
    if kind == "bool":
        return st.checkbox(label, value=bool(default), key=key)
    if kind == "choice":
        options = list(spec["choices"])
        return st.selectbox(label, options, format_func=spec["choices"].get, key=key,
                            index=options.index(default) if default in options else 0)
    if kind == "date":
        picked = st.date_input(label, value=date.fromisoformat(default) if default else clock.today(), key=key)
        return picked.isoformat()
    if kind == "integer":
        return int(st.number_input(label, value=int(default or 0), step=1, key=key))
    if kind == "text":
        return st.text_area(label, value=str(default or ""), key=key)
    # money / percent / decimal stay text, so amounts are never rounded through floats
    return st.text_input(label, value="" if default is None else str(default), key=key)


data: dict = {}
st.subheader("一、当事人")
for role in template.parties:
    if role.when and not field_is_active({"when": role.when}, {k: st.session_state.get(f"{template_id}.{k}", example.get(k)) for k in template.fields}):
        continue
    data[role.key] = party_inputs(role)

st.subheader("二、合同条款")
# Switches first, so the fields they enable show up right away.
switches = [(n, s) for n, s in template.fields.items() if s.get("type") in ("bool", "choice")]
others = [(n, s) for n, s in template.fields.items() if s.get("type") not in ("bool", "choice")]
columns = st.columns(2)
for index, (name, spec) in enumerate(switches):
    if field_is_active(spec, data):
        with columns[index % 2]:
            data[name] = field_input(name, spec)
for name, spec in others:
    if field_is_active(spec, data):
        data[name] = field_input(name, spec)


def show_errors(errors) -> None:
    st.error(f"有{len(errors)}处需要修改：")
    for error in errors:
        st.markdown(f"- `{error.field}`：{error.message}")


preview_column, create_column = st.columns(2)
if preview_column.button("预览合同"):
    try:
        draft = preview(template_id, data)
    except DraftValidationError as exc:
        show_errors(exc.errors)
    else:
        with st.expander("合同预览", expanded=True):
            for paragraph in Document(io.BytesIO(draft.docx)).paragraphs:
                if paragraph.text.strip():
                    st.markdown(f"**{paragraph.text}**" if paragraph.style.name in ("Title", "Heading 2") else paragraph.text)

if create_column.button("生成合同", type="primary"):
    try:
        draft = create_draft(template_id, data, actor=actor_name, owner_id=owner_id)
    except DraftValidationError as exc:
        show_errors(exc.errors)
    except CJKFontMissing as exc:
        st.error(str(exc))
    else:
        st.session_state["esign_contract"] = {"id": draft.contract_id, "pdf": draft.pdf, "docx": draft.docx}
        st.success(f"已生成合同，编号 {draft.contract_id}；各方身份已核验并记入存证链。")

current = st.session_state.get("esign_contract")
if current:
    contract = load_contract(current["id"])
    st.subheader(f"三、签署　合同编号 {contract.id}")
    upcoming = next_signer(contract)
    if st.button("查看合同全文"):
        record_access("viewed", current["pdf"], actor=actor_name, owner_id=owner_id)
        with st.expander("合同全文", expanded=True):
            for paragraph in Document(io.BytesIO(current["docx"])).paragraphs:
                if paragraph.text.strip():
                    st.write(paragraph.text)
    for party in contract.parties:
        done = upcoming is None or party.position < upcoming.position
        # Material icons ship with Streamlit, so the marks show even where no emoji font is installed.
        st.markdown(f"{':material/check_circle:' if done else ':material/hourglass_empty:'} {party.role_label}：{party.name}")
    if upcoming is None:
        st.success("各方均已签署。")
    else:
        with st.form("sign_form", clear_on_submit=True):  # each signer types and consents afresh
            st.write(f"下一位签署人：{upcoming.role_label} {upcoming.name}")
            mobile = st.text_input("请签署人输入登记的手机号码以确认身份")
            agreed = st.checkbox("我已阅读并同意本合同全部条款，同意使用电子签名签署")
            if st.form_submit_button("签署"):
                if not agreed:
                    st.error("请先确认同意合同条款")
                elif not confirm_signer_mobile(contract.id, upcoming.role_key, mobile):
                    st.error("手机号码与该签署人登记的号码不一致")
                else:
                    try:
                        current["pdf"] = sign_contract(current["pdf"], upcoming.role_key, actor=actor_name,
                                                       owner_id=owner_id)
                    except SigningError as exc:
                        st.error(str(exc))
                    else:
                        st.rerun()

    st.subheader("四、下载")
    download_pdf, download_docx, download_evidence = st.columns(3)
    download_pdf.download_button(
        "下载合同 PDF", current["pdf"], file_name=f"{contract.id}.pdf", mime="application/pdf",
        on_click=record_access, args=("downloaded", current["pdf"]), kwargs={"actor": actor_name, "owner_id": owner_id},
    )
    download_docx.download_button(
        "下载未签署的 DOCX", current["docx"], file_name=f"{contract.id}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    if download_evidence.button("出具存证证明"):
        certificate = build_evidence_certificate(contract.id, actor=actor_name)
        st.download_button("下载存证证明 PDF", certificate.pdf, file_name=f"{contract.id}-存证证明.pdf",
                           mime="application/pdf")

