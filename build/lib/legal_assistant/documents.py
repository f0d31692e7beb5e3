"""Reading untrusted uploaded documents (PDF, DOCX, TXT) into plain paragraphs.

Every upload is treated as hostile: the type is taken from the content (magic bytes), never from
the file name; sizes are bounded before anything is unpacked; DOCX packages are checked for zip
bombs and their XML parts scanned with defusedxml (DTDs and entity declarations are refused)
before python-docx touches them. Each failure raises a :class:`DocumentError` subclass whose
message is a zh-CN sentence a user can act on, so callers show it and store nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler

from defusedxml import DefusedXmlException
from defusedxml.sax import parseString as safe_sax_parse

from legal_assistant.settings import get_settings

# DOCX packages: refuse archives that would unpack to more than this, or that compress suspiciously well.
MAX_DOCX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_DOCX_COMPRESSION_RATIO = 200
MAX_DOCX_ENTRIES = 5000
# A PDF page with fewer visible characters than this on average is treated as a scan.
MIN_TEXT_CHARS_PER_PAGE = 15

_CLAUSE_START = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百零〇两\d]+[条章节款]|[一二三四五六七八九十]+[、.．]|\d+(?:\.\d+)*[.．、\s]|[（(][一二三四五六七八九十\d]+[)）])"
)
_SENTENCE_END = ("。", "：", ":", "；", ";", "！", "？")


class DocumentError(ValueError):
    """An uploaded file that cannot be read; ``str(error)`` is a zh-CN message for the user."""


class FileTooLarge(DocumentError):
    pass


class EmptyDocument(DocumentError):
    pass


class UnsupportedDocument(DocumentError):
    pass


class CorruptDocument(DocumentError):
    pass


class EncryptedDocument(DocumentError):
    """The file is password-protected; the UI can ask for the password and call again."""


class WrongPassword(EncryptedDocument):
    pass


class ScannedDocument(DocumentError):
    pass


class UnsafeDocument(DocumentError):
    """Zip bombs, DTD/entity declarations and other constructs used to attack parsers."""


class UnknownEncoding(DocumentError):
    pass


@dataclass
class Paragraph:
    text: str
    index: int  # position among the document's paragraphs (DOCX body order, PDF/TXT line blocks)
    numbering: str = ""  # automatic list label rendered from DOCX numbering, e.g. "第三条" or "2.1"
    style: str = ""
    in_table: bool = False
    page: int | None = None

    @property
    def display_text(self) -> str:
        """The paragraph as a reader sees it: automatic numbering label followed by the text."""
        if self.numbering and not self.text.startswith(self.numbering):
            return f"{self.numbering} {self.text}".strip()
        return self.text


@dataclass
class Document:
    kind: str  # "pdf" | "docx" | "txt"
    filename: str
    paragraphs: list[Paragraph]
    tables: list[list[list[str]]] = field(default_factory=list)
    pages: int | None = None
    encoding: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(p.display_text for p in self.paragraphs)


def detect_kind(data: bytes) -> str:
    """The file type from its first bytes: ``pdf``, ``docx``, ``ole`` (legacy/encrypted Office), ``image``, ``zip`` or ``text``."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*")) or data[8:12] == b"WEBP":
        return "image"
    return "text"


def read_document(data: bytes, filename: str = "", password: str | None = None) -> Document:
    """Parse an uploaded file into paragraphs and tables, or raise a :class:`DocumentError`."""
    limit_mb = get_settings().max_upload_mb
    if not data:
        raise EmptyDocument("文件为空（0 字节），请重新选择要上传的文件。")
    if len(data) > limit_mb * 1024 * 1024:
        raise FileTooLarge(f"文件大小 {len(data) / 1024 / 1024:.1f} MB，超过上传上限 {limit_mb} MB。")
    kind = detect_kind(data)
    if kind == "pdf":
        document = _read_pdf(data, filename, password)
    elif kind == "zip":
        document = _read_docx(data, filename)
    elif kind == "ole":
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedDocument("该 Word 文档设置了打开密码，暂不支持在线解密；请在 Word 中取消密码后另存为 .docx 再上传。")
        raise UnsupportedDocument("这是旧版 Word（.doc）或其他 Office 二进制格式，请另存为 .docx 或 PDF 后再上传。")
    elif kind == "image":
        raise UnsupportedDocument("上传的是图片文件，无法读取文字；请上传带文字层的 PDF、DOCX 或 TXT 文件。")
    else:
        document = _read_text(data, filename)
    if not any(p.text.strip() for p in document.paragraphs):
        raise EmptyDocument("文件中没有可读取的文字内容，请确认上传的是合同正文。")
    return document


# ---- TXT ---------------------------------------------------------------------------------
def _read_text(data: bytes, filename: str) -> Document:
    text, encoding = _decode_text(data)
    lines = (line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    paragraphs = [Paragraph(text=line, index=position) for position, line in enumerate(line for line in lines if line)]
    return Document(kind="txt", filename=filename, paragraphs=paragraphs, encoding=encoding)


def _decode_text(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise UnknownEncoding("文本文件的 UTF-16 编码已损坏，无法读取。") from error
    if b"\x00" in data:
        raise UnsupportedDocument("无法识别的文件类型（不是 PDF、DOCX 或纯文本），请上传 PDF、DOCX 或 TXT 文件。")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise UnknownEncoding("无法识别文本文件的编码（既不是 UTF-8 也不是 GBK/GB18030），请另存为 UTF-8 编码后再上传。") from error
    if _looks_like_text(text):
        return text, "gb18030"
    raise UnknownEncoding("文本文件内容无法识别为中文或英文文字，请确认文件未损坏并另存为 UTF-8 编码。")


def _looks_like_text(text: str) -> bool:
    """GB18030 decodes almost any byte string; accept it only when the result reads as CJK/ASCII prose."""
    if not text:
        return False
    readable = sum(1 for ch in text if ch.isspace() or ch.isascii() and ch.isprintable() or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return readable / len(text) >= 0.95


def _join_lines(lines: list[str]) -> list[str]:
    """Hard-wrapped lines (PDF text) rejoined into paragraphs.

    A line continues the previous one only when the previous line ran to (nearly) the full width
    of the page and did not end a sentence; clause numbers and 'key：value' lines always start anew.
    """
    stripped = [line.strip() for line in lines]
    width = max((len(line) for line in stripped), default=0)
    paragraphs: list[str] = []
    current = ""
    last_line = ""
    for line in stripped:
        if not line:
            if current:
                paragraphs.append(current)
            current, last_line = "", ""
            continue
        wrapped = bool(current) and len(last_line) >= 0.8 * width and not last_line.endswith(_SENTENCE_END)
        if current and wrapped and not _CLAUSE_START.match(line) and not _is_label_line(line):
            current = f"{current}{_joiner(current, line)}{line}"
        else:
            if current:
                paragraphs.append(current)
            current = line
        last_line = line
    if current:
        paragraphs.append(current)
    return paragraphs


def _is_label_line(line: str) -> bool:
    """Short 'key：value' lines of a parties block (甲方：…, 住所：…) are paragraphs of their own."""
    return len(line) <= 60 and bool(re.match(r"^[\u4e00-\u9fff（）()]{1,14}[：:]", line))


def _joiner(previous: str, following: str) -> str:
    # Latin words wrapped across lines need a space back; Chinese text joins directly.
    return " " if previous[-1:].isascii() and following[:1].isascii() and previous[-1:].isalnum() else ""


# ---- PDF ---------------------------------------------------------------------------------
def _read_pdf(data: bytes, filename: str, password: str | None) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # Owner-password-only PDFs open with an empty user password: no need to bother the user.
            if not reader.decrypt(""):
                if password is None:
                    raise EncryptedDocument("该 PDF 已加密，请输入打开密码后重试。")
                if not reader.decrypt(password):
                    raise WrongPassword("PDF 打开密码不正确，请重新输入。")
        pages = list(reader.pages)
        page_texts = [(page.extract_text() or "") for page in pages]
    except DocumentError:
        raise
    except FileNotDecryptedError as error:
        raise EncryptedDocument("该 PDF 已加密，请输入打开密码后重试。") from error
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as error:
        raise CorruptDocument("PDF 文件已损坏或格式不正确，无法读取；请重新导出后再上传。") from error
    if not pages:
        raise EmptyDocument("PDF 中没有任何页面。")
    visible = sum(len(re.sub(r"\s", "", text)) for text in page_texts)
    if visible < MIN_TEXT_CHARS_PER_PAGE * len(pages):
        raise ScannedDocument(
            "该 PDF 没有可提取的文字层（可能是扫描件或图片），无法进行合同审查；请上传可复制文字的 PDF 或 Word 文件，或先进行文字识别（OCR）。"
        )
    paragraphs: list[Paragraph] = []
    for page_number, text in enumerate(page_texts, start=1):
        for block in _join_lines(text.split("\n")):
            paragraphs.append(Paragraph(text=block, index=len(paragraphs), page=page_number))
    return Document(kind="pdf", filename=filename, paragraphs=paragraphs, pages=len(pages))


# ---- DOCX --------------------------------------------------------------------------------
def _check_docx_package(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise CorruptDocument("压缩包结构已损坏，无法作为 Word 文档读取。") from error
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise UnsupportedDocument("这是一个压缩包而不是 Word（.docx）文档，请上传 PDF、DOCX 或 TXT 文件。")
    if len(entries) > MAX_DOCX_ENTRIES:
        raise UnsafeDocument("Word 文档内部文件数量异常，疑似恶意构造的文件，已拒绝读取。")
    total = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries) or 1
    if total > MAX_DOCX_UNCOMPRESSED_BYTES:
        raise UnsafeDocument("Word 文档解压后体积异常巨大（疑似“压缩炸弹”），已拒绝读取。")
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size / max(entry.compress_size, 1) > MAX_DOCX_COMPRESSION_RATIO:
            raise UnsafeDocument("Word 文档中存在压缩比异常的内容（疑似“压缩炸弹”），已拒绝读取。")
    if total > 10 * 1024 * 1024 and total / compressed > MAX_DOCX_COMPRESSION_RATIO:
        raise UnsafeDocument("Word 文档整体压缩比异常（疑似“压缩炸弹”），已拒绝读取。")
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")):
            try:
                # SAX: the defused parser refuses DTDs and entities without building a tree (fast on long contracts).
                safe_sax_parse(archive.read(entry), ContentHandler(), forbid_dtd=True, forbid_entities=True, forbid_external=True)
            except DefusedXmlException as error:
                raise UnsafeDocument("Word 文档包含被禁止的 XML 声明（DTD/实体，可被用于攻击解析器），已拒绝读取。") from error
            except SAXParseException as error:
                raise CorruptDocument("Word 文档内部 XML 已损坏，无法读取。") from error
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
                raise CorruptDocument("Word 文档内部数据已损坏，无法读取。") from error
    return archive


def _read_docx(data: bytes, filename: str) -> Document:
    _check_docx_package(data)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        word = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many types for malformed packages
        raise CorruptDocument("Word 文档已损坏或不是有效的 .docx 文件，无法读取。") from error
    numbering = _DocxNumbering(word)
    paragraphs: list[Paragraph] = []
    tables: list[list[list[str]]] = []
    for block in word.iter_inner_content():
        if isinstance(block, DocxParagraph):
            paragraphs.append(Paragraph(text=block.text.strip(), index=len(paragraphs), numbering=numbering.label(block), style=numbering.style_id(block)))
        elif isinstance(block, Table):
            rows = [[cell.text.strip() for cell in row.cells] for row in block.rows]
            tables.append(rows)
            for row in rows:
                unique_cells = list(dict.fromkeys(cell for cell in row if cell))
                paragraphs.append(Paragraph(text=" | ".join(unique_cells), index=len(paragraphs), in_table=True))
    return Document(kind="docx", filename=filename, paragraphs=paragraphs, tables=tables)


class _DocxNumbering:
    """Renders Word automatic list labels (第%1条, %1., %1.%2, 一、…) that ``paragraph.text`` omits."""

    _WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def __init__(self, word) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        w = self._WORD_NS
        # Styles by id, read once: python-docx's paragraph.style looks the default style up on every call.
        self.styles: dict[str, object] = {}
        try:
            for style in word.styles.element.findall(f"{w}style"):
                self.styles[style.get(f"{w}styleId")] = style
        except (KeyError, AttributeError):
            pass
        try:
            root = word.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        w = self._WORD_NS
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.findall(f"{w}abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in node.findall(f"{w}lvl"):
                ilvl = int(lvl.get(f"{w}ilvl", "0"))
                fmt = lvl.find(f"{w}numFmt")
                text = lvl.find(f"{w}lvlText")
                start = lvl.find(f"{w}start")
                levels[ilvl] = (
                    fmt.get(f"{w}val") if fmt is not None else "decimal",
                    text.get(f"{w}val") if text is not None else f"%{ilvl + 1}.",
                    int(start.get(f"{w}val")) if start is not None else 1,
                )
            abstract[node.get(f"{w}abstractNumId")] = levels
        for num in root.findall(f"{w}num"):
            ref = num.find(f"{w}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{w}numId")] = abstract.get(ref.get(f"{w}val"), {})

    def label(self, paragraph) -> str:
        num_pr = self._num_pr(paragraph)
        if num_pr is None:
            return ""
        num_id, ilvl = num_pr
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        for level in range(9):
            if counters[level] == 0 and level < ilvl:
                counters[level] = levels.get(level, ("decimal", "", 1))[2]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else levels[ilvl][2]
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        fmt, template, _ = levels[ilvl]
        if fmt in ("bullet", "none"):
            return ""

        def render(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            level_fmt = levels.get(level, (fmt,))[0]
            return _format_number(counters[level], level_fmt)

        return re.sub(r"%(\d)", render, template).strip()

    def style_id(self, paragraph) -> str:
        p_pr = paragraph._p.pPr
        style = p_pr.find(f"{self._WORD_NS}pStyle") if p_pr is not None else None
        return style.get(f"{self._WORD_NS}val") if style is not None else ""

    def _num_pr(self, paragraph) -> tuple[str, int] | None:
        w = self._WORD_NS
        candidates = [paragraph._p.pPr]
        style = self.styles.get(self.style_id(paragraph))
        seen = 0
        while style is not None and seen < 10:  # basedOn chains are short; the bound stops cycles
            candidates.append(style.find(f"{w}pPr"))
            based_on = style.find(f"{w}basedOn")
            style = self.styles.get(based_on.get(f"{w}val")) if based_on is not None else None
            seen += 1
        for p_pr in candidates:
            if p_pr is None:
                continue
            num_pr = p_pr.find(f"{w}numPr")
            if num_pr is None:
                continue
            num_id = num_pr.find(f"{w}numId")
            ilvl = num_pr.find(f"{w}ilvl")
            if num_id is None or num_id.get(f"{w}val") == "0":
                return None
            return num_id.get(f"{w}val"), int(ilvl.get(f"{w}val")) if ilvl is not None else 0
        return None


def _format_number(value: int, fmt: str) -> str:
    import cn2an

    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting", "japaneseCounting"):
        return cn2an.an2cn(value)
    if fmt == "chineseLegalSimplified":
        return cn2an.an2cn(value, "up")
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (value - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalEnclosedCircle" and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    return str(value)


def _roman(value: int) -> str:
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for number, letters in numerals:
        while value >= number:
            out += letters
            value -= number
    return out
