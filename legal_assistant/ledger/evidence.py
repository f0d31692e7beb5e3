"""The evidence certificate (存证证明): a PDF a court can check without trusting this system.

It lists every ledger record of one contract (time, event, actor, document hash, record hash,
link), the signers and their certificate fingerprints, and how to check all of it with standard
tools. Attached inside the PDF: the CA certificate (trust root for the signatures), the latest
contract PDF, and each record's canonical JSON (``record-NNNNNN.json``), whose ``sha256sum`` is the record hash.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timezone
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from legal_assistant.drafting.service import contract_files_dir
from legal_assistant.identity import ORGANIZATION, mask_id_number
from legal_assistant.ledger.chain import append_event, contract_entries, sha256_hex, verify_chain
from legal_assistant.pdf_fonts import register_cjk_font
from legal_assistant.signing.keys import ensure_ca
from legal_assistant.signing.service import load_contract


class UnknownContract(LookupError):
    pass


@dataclass(frozen=True)
class EvidenceCertificate:
    contract_id: str
    pdf: bytes
    records: int
    chain_ok: bool

    @property
    def sha256(self) -> str:
        return sha256_hex(self.pdf)


def _styles(font: str) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=body, fontSize=18, leading=26, alignment=1, spaceAfter=10),
        "heading": ParagraphStyle("heading", parent=body, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4),
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.5, leading=10),
        "hash": ParagraphStyle("hash", parent=body, fontName=font, fontSize=6.5, leading=8.5),
    }


def _table(rows: list[list], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.92, 0.92)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def build_evidence_certificate(contract_id: str, *, actor: str = "") -> EvidenceCertificate:
    contract = load_contract(contract_id)
    if contract is None:
        raise UnknownContract(f"合同编号“{contract_id}”不存在")
    entries = contract_entries(contract_id)
    contract_chain = verify_chain(contract_id)
    whole_chain = verify_chain()
    ca = ensure_ca()
    font = register_cjk_font()
    style = _styles(font)
    issued_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    signed = {e.payload.get("role_key"): e for e in entries if e.event == "signed"}
    document_entries = [e for e in entries if e.event in ("draft_created", "signed")]
    latest = document_entries[-1] if document_entries else None

    def p(text: str, name: str = "body") -> Paragraph:
        return Paragraph(escape(text), style[name])

    story = [
        p("电子合同存证证明", "title"),
        p(f"合同编号：{contract.id}"),
        p(f"合同名称：{contract.title}（模板：{contract.template_id}）"),
        p(f"出具时间（UTC）：{issued_at}"),
        p(f"合同最新版本文件 SHA-256：{latest.doc_sha256 if latest else '无'}"),
        p(f"本合同存证链校验：{'完整' if contract_chain.ok else '异常：' + (contract_chain.reason or '')}，"
          f"共{contract_chain.records}条记录；系统全链校验：{'完整' if whole_chain.ok else '异常'}，"
          f"共{whole_chain.records}条记录。"),
        p("一、当事人及签署情况", "heading"),
    ]
    party_rows = [[p("角色", "cell"), p("名称/姓名", "cell"), p("证件号码（自然人脱敏）", "cell"), p("签署状态及签名证书 SHA-256", "cell")]]
    for party in contract.parties:
        event = signed.get(party.role_key)
        status = (f"已签署 {event.created_at}；证书 {event.payload.get('certificate_sha256')}" if event else "未签署")
        party_rows.append([p(party.role_label, "cell"), p(party.name, "cell"), p(party.id_number if party.kind == ORGANIZATION else mask_id_number(party.id_number), "cell"),
                           p(status, "hash")])
    story.append(_table(party_rows, [30 * mm, 42 * mm, 32 * mm, 56 * mm]))
    story.append(p("二、存证记录（按时间顺序）", "heading"))
    record_rows = [[p(h, "cell") for h in ("序号", "时间（UTC）", "事件", "操作人", "文件 SHA-256 / 记录哈希 / 前一记录哈希")]]
    for entry in entries:
        detail = entry.payload.get("signer") or entry.payload.get("name") or ""
        hashes = (f"文件：{entry.doc_sha256 or '—'}\n记录：{entry.record_hash}\n"
                  f"前一条（本合同）：{entry.contract_prev_hash}")
        record_rows.append([
            p(str(entry.seq), "cell"), p(entry.created_at.replace("T", " ")[:26], "cell"),
            p(f"{entry.event_label} {detail}".strip(), "cell"), p(entry.actor or "—", "cell"),
            Paragraph("<br/>".join(escape(line) for line in hashes.splitlines()), style["hash"]),
        ])
    story.append(_table(record_rows, [12 * mm, 28 * mm, 30 * mm, 22 * mm, 68 * mm]))
    story += [
        p("三、信任根", "heading"),
        p(f"签名证书均由本系统部署的根证书签发。根证书 SHA-256 指纹：{ca.fingerprint}（附件 ca_cert.pem）。"),
        p("四、独立核验方法", "heading"),
        p("1. 文件一致性：对所持合同PDF执行 sha256sum 合同.pdf，结果应与上表中“签署”或“生成合同草稿”记录的文件 SHA-256 完全一致；任何一个字节的改动都会使哈希值不同。"),
        p("2. 电子签名：用任一支持 PAdES 的PDF签名验证工具（如 pyHanko、poppler 的 pdfsig、Adobe Acrobat）验证合同中的每个签名，并将附件 ca_cert.pem 设为信任根；签名后文件如被改动，验证会失败。"),
        p("3. 存证记录：附件中每个 record-序号.json 文件是一条记录的规范化内容（可用 pdfdetach -saveall 导出）（键排序、无空格、UTF-8），对其执行 sha256sum 的结果应等于上表中的“记录”哈希；每条记录的“前一条”哈希应等于本合同上一条记录的哈希，首条为64个0。"),
        p("本证明由系统根据存证记录自动生成。出具本证明的行为本身也会记入存证链。"),
    ]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                                 bottomMargin=18 * mm, title="电子合同存证证明", subject=contract.id,
                                 author="最嘉法护", creator="最嘉法护 桐e签", initialFontName=font)

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"存证证明　合同编号：{contract.id}　第 {doc.page} 页")
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buffer.getvalue())))
    writer.add_attachment("ca_cert.pem", ca.cert_path.read_bytes())
    for entry in entries:
        writer.add_attachment(f"record-{entry.seq:06d}.json", entry.canonical_bytes())
    if latest is not None:
        for candidate in sorted(contract_files_dir(contract_id).glob("*.pdf")):
            if sha256_hex(candidate.read_bytes()) == latest.doc_sha256:
                writer.add_attachment(f"contract-{contract_id}.pdf", candidate.read_bytes())
                break
    output = io.BytesIO()
    writer.write(output)
    certificate = EvidenceCertificate(contract_id, output.getvalue(), len(entries), contract_chain.ok)
    append_event("evidence_issued", contract_id=contract_id, actor=actor, doc_sha256=certificate.sha256,
                 payload={"records_listed": len(entries), "chain_ok": contract_chain.ok})
    return certificate
