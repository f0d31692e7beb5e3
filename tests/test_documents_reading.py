"""Untrusted uploads: every kind of bad file ends in a DocumentError with a clear zh-CN message,
and good files come back as paragraphs (with Word numbering and tables)."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from legal_assistant.documents import (
    CorruptDocument,
    DocumentError,
    EmptyDocument,
    EncryptedDocument,
    FileTooLarge,
    ScannedDocument,
    UnknownEncoding,
    UnsafeDocument,
    UnsupportedDocument,
    WrongPassword,
    detect_kind,
    read_document,
)
from legal_assistant.pdf_fonts import register_cjk_font
from legal_assistant.settings import get_settings

CONTRACT_LINES = [
    "房屋租赁合同",
    "出租人（甲方）：张三",
    "承租人（乙方）：李四",
    "第一条 甲方将位于杭州市西湖区的住房一套出租给乙方居住。",
    "第二条 租金为每月人民币三千元，乙方于每月五日前支付。",
]


def text_pdf(lines=CONTRACT_LINES) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setFont(register_cjk_font(), 12)
    y = 800
    for line in lines:
        pdf.drawString(60, y, line)
        y -= 24
    pdf.save()
    return out.getvalue()


def encrypted_pdf(password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    writer.encrypt(user_password=password, owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf() -> bytes:
    from PIL import Image

    picture = Image.new("RGB", (400, 300), "white")
    for x in range(50, 350):
        picture.putpixel((x, 150), (0, 0, 0))  # a scanned page: pixels, no text layer
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 50, 400, width=400, height=300)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def docx_bytes(build) -> bytes:
    word = docx.Document()
    build(word)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def rewrite_docx_part(data: bytes, part: str, content: bytes, extra: dict[str, bytes] | None = None, compress=zipfile.ZIP_DEFLATED) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as target:
        for item in source.infolist():
            target.writestr(item.filename, content if item.filename == part else source.read(item.filename))
        for name, payload in (extra or {}).items():
            target.writestr(name, payload)
    return out.getvalue()


def test_a_text_pdf_is_read_into_paragraphs_with_page_numbers():
    document = read_document(text_pdf(), "lease.pdf")
    assert document.kind == "pdf" and document.pages == 1
    texts = [p.text for p in document.paragraphs]
    assert "房屋租赁合同" in texts
    assert any(t.startswith("第二条") and "三千元" in t for t in texts)
    assert all(p.page == 1 for p in document.paragraphs)


def test_the_type_comes_from_the_content_not_the_file_name():
    assert detect_kind(text_pdf()) == "pdf"
    document = read_document(text_pdf(), "looks-like-text.txt")
    assert document.kind == "pdf"
    with pytest.raises(UnsupportedDocument, match="图片"):
        read_document(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "contract.docx")


def test_an_encrypted_pdf_asks_for_the_password_and_opens_with_it():
    data = encrypted_pdf("s3cret")
    with pytest.raises(EncryptedDocument, match="已加密，请输入打开密码"):
        read_document(data, "secret.pdf")
    with pytest.raises(WrongPassword, match="密码不正确"):
        read_document(data, "secret.pdf", password="wrong")
    document = read_document(data, "secret.pdf", password="s3cret")
    assert any("租金" in p.text for p in document.paragraphs)


def test_a_scanned_pdf_without_a_text_layer_gets_a_clear_message_not_an_empty_review():
    with pytest.raises(ScannedDocument, match="没有可提取的文字层"):
        read_document(image_only_pdf(), "scan.pdf")


def test_a_corrupt_pdf_is_reported_as_damaged():
    damaged = text_pdf()[:400]  # header survives, cross-reference table and objects do not
    with pytest.raises(DocumentError) as caught:
        read_document(damaged, "broken.pdf")
    assert isinstance(caught.value, (CorruptDocument, EmptyDocument, ScannedDocument))
    assert "PDF" in str(caught.value) or "文字" in str(caught.value)


def test_docx_numbered_lists_and_tables_are_read_in_document_order():
    def build(word):
        word.add_paragraph("设备采购合同")
        table = word.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "采购方（甲方）：", "杭州某公司"
        table.cell(1, 0).text, table.cell(1, 1).text = "供货方（乙方）：", "宁波某公司"
        word.add_paragraph("交货：乙方于2025年5月1日前交货。", style="List Number")
        word.add_paragraph("付款：甲方于验收后三十日内付款。", style="List Number")

    document = read_document(docx_bytes(build), "purchase.docx")
    assert document.kind == "docx"
    assert document.tables[0][1] == ["供货方（乙方）：", "宁波某公司"]
    numbered = [p for p in document.paragraphs if p.numbering]
    assert [p.numbering for p in numbered] == ["1.", "2."]
    assert numbered[1].display_text == "2. 付款：甲方于验收后三十日内付款。"
    order = [p.text for p in document.paragraphs]
    assert order.index("采购方（甲方）： | 杭州某公司") < order.index("交货：乙方于2025年5月1日前交货。")


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = rewrite_docx_part(docx_bytes(lambda w: w.add_paragraph("正文")), "", b"", extra={"word/media/padding.bin": b"\x00" * (60 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024  # tiny on disk, 60 MB when unpacked
    with pytest.raises(UnsafeDocument, match="压缩"):
        read_document(bomb, "bomb.docx")


def test_a_billion_laughs_docx_is_refused_before_python_docx_parses_it():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>'
    )
    hostile = rewrite_docx_part(docx_bytes(lambda w: w.add_paragraph("正文")), "word/document.xml", laughs)
    with pytest.raises(UnsafeDocument, match="DTD/实体"):
        read_document(hostile, "laughs.docx")


def test_a_zip_that_is_not_a_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(UnsupportedDocument, match="压缩包而不是 Word"):
        read_document(out.getvalue(), "contract.docx")


def test_gbk_text_is_detected_and_decoded():
    data = "借款合同\n第一条 借款金额为人民币十万元。\n".encode("gbk")
    document = read_document(data, "loan.txt")
    assert document.encoding == "gb18030"
    assert document.paragraphs[1].text == "第一条 借款金额为人民币十万元。"


def test_binary_junk_and_undecodable_text_are_refused():
    with pytest.raises(UnsupportedDocument):
        read_document(b"\x00\x01\x02garbage\x00", "x.txt")
    with pytest.raises(UnknownEncoding, match="编码"):
        read_document(bytes(range(0x80, 0x100)) * 3, "x.txt")


def test_empty_and_blank_files_are_refused():
    with pytest.raises(EmptyDocument, match="文件为空"):
        read_document(b"", "empty.txt")
    with pytest.raises(EmptyDocument, match="没有可读取的文字"):
        read_document("\n  \n".encode(), "blank.txt")


def test_files_over_the_upload_limit_are_refused(monkeypatch):
    monkeypatch.setenv("LEGAL_MAX_UPLOAD_MB", "1")
    get_settings.cache_clear()
    with pytest.raises(FileTooLarge, match="超过上传上限 1 MB"):
        read_document(("合同" * 400_000).encode(), "huge.txt")


def test_legacy_and_password_protected_word_files_get_a_message():
    ole_header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    with pytest.raises(UnsupportedDocument, match=r"\.doc"):
        read_document(ole_header, "old.doc")
    with pytest.raises(EncryptedDocument, match="打开密码"):
        read_document(ole_header + "EncryptedPackage".encode("utf-16-le"), "locked.docx")
