"""Parse the corpus Markdown into laws, articles and court cases.

Statute files: ``# title``, enactment/amendment lines, ``<!-- INFO END -->``, then 编/章/节 headings
and paragraphs that start with ``第X条``. The source's irregularities (see corpus/README.md) are
handled here: ``之X`` articles, ``笫``/space typos, several articles in one paragraph, appendices
after the last article, zero-width blank lines, 民法典 split over book files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from legal_assistant.corpus.names import ARTICLE_HEAD, law_key, short_name, to_int

FOLDER_CATEGORY = {
    "行政法规": "行政法规",
    "司法解释": "司法解释",
    "部门规章": "部门规章",
    "浙江地方性法规": "地方性法规",
    "案例": "案例",
}
DEFAULT_CATEGORY = "法律"

INFO_END = "<!-- INFO END -->"
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\ufeff]")
_FILE_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
_TEXT_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_STRUCTURE = re.compile(r"^第[零〇一二三四五六七八九十百千\d]+(编|分编|章|节)")
_STRUCTURE_LEVEL = {"编": 0, "分编": 1, "章": 2, "节": 3}
_APPENDIX = re.compile(r"^(附件|附表|附录|附：|附:)")
# A new article inside a paragraph: sentence end, whitespace, 第X条, whitespace.
_INLINE_ARTICLE = re.compile(r"(?<=[。；;：:」”])\s+(?=[第笫][零〇一二三四五六七八九十百千]+\s*条(?:之[一二三四五六七八九十]+)?\s)")


@dataclass
class Article:
    law_title: str
    category: str
    version_date: str
    number: int
    sub: int
    number_text: str
    paragraphs: list[str]
    chapter_path: list[str] = field(default_factory=list)
    source: str = ""
    in_force: bool = True
    kind: str = "article"

    @property
    def law_key(self) -> str:
        return law_key(self.law_title)

    @property
    def short_name(self) -> str:
        return short_name(self.law_title)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def id(self) -> str:
        sub = f"-{self.sub}" if self.sub else ""
        return f"{self.law_key}@{self.version_date or 'undated'}#{self.number}{sub}"

    @property
    def citation(self) -> str:
        """How the app shows this article: 《劳动合同法》第四十七条（2012-12-28）."""
        return f"《{self.short_name}》{self.number_text}（{self.version_date or '日期不详'}）"


@dataclass
class LawDocument:
    title: str
    category: str
    version_date: str
    source: str
    articles: list[Article]
    # Text of instruments without 第X条 structure (修正案 items, 决定, 批复) and appendices.
    loose_paragraphs: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return law_key(self.title)


@dataclass
class CaseDocument:
    title: str
    category_path: str
    sections: dict[str, str]
    source: str

    @property
    def summary(self) -> str:
        for name in ("裁判要旨", "典型意义", "裁判结果", "基本案情"):
            for section, text in self.sections.items():
                if name in section and text:
                    return text
        return next(iter(self.sections.values()), "")

    @property
    def text(self) -> str:
        return "\n".join(f"{name}：{body}" for name, body in self.sections.items())


def _clean_lines(raw: str) -> list[str]:
    return [_ZERO_WIDTH.sub("", line).rstrip() for line in raw.splitlines()]


def _split_header(lines: list[str]) -> tuple[list[str], list[str]]:
    for i, line in enumerate(lines):
        if line.strip() == INFO_END:
            return lines[:i], lines[i + 1 :]
    return lines[:1], lines[1:]


def _version_date(path: Path, header: list[str]) -> str:
    match = _FILE_DATE.search(path.name)
    if match:
        return match.group(1)
    dates = [f"{y}-{int(m):02d}-{int(d):02d}" for y, m, d in _TEXT_DATE.findall("\n".join(header))]
    return max(dates) if dates else ""


def category_for(path: Path, corpus_root: Path) -> str:
    top = path.relative_to(corpus_root).parts[0]
    return FOLDER_CATEGORY.get(top, DEFAULT_CATEGORY)


def _title(header: list[str], path: Path) -> str:
    for line in header:
        if line.startswith("# "):
            return line[2:].strip()
    return _FILE_DATE.sub("", path.stem).strip()


def _split_inline_articles(paragraph: str) -> list[str]:
    return [part.strip() for part in _INLINE_ARTICLE.split(paragraph) if part.strip()]


def parse_statute(path: Path, corpus_root: Path) -> LawDocument:
    lines = _clean_lines(path.read_text(encoding="utf-8"))
    header, body = _split_header(lines)
    title = _title(header, path)
    category = category_for(path, corpus_root)
    version = _version_date(path, header)
    doc = LawDocument(title=title, category=category, version_date=version, source=str(path.relative_to(corpus_root)), articles=[])

    chapter: list[str | None] = [None, None, None, None]
    titles = [line[2:].strip() for line in header if line.startswith("# ")]
    if len(titles) > 1:  # 民法典 book files: "# 中华人民共和国民法典" then "# 合同编"
        chapter[0] = titles[1]
    current: Article | None = None
    in_appendix = False
    for line in body:
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            heading = stripped.lstrip("#").strip()
            structure = _STRUCTURE.match(heading.replace(" ", ""))
            if structure:
                level = _STRUCTURE_LEVEL[structure.group(1)]
                chapter[level] = re.sub(r"\s+", " ", heading)
                if level == 0 and titles[1:]:
                    chapter[0] = f"{titles[1]} {chapter[0]}"
                for deeper in range(level + 1, 4):
                    chapter[deeper] = None
                in_appendix = False
                current = None
            elif heading and current is not None:
                in_appendix = True  # e.g. "## 附件": text that belongs to no article
                current = None
            continue
        for paragraph in _split_inline_articles(stripped):
            head = ARTICLE_HEAD.match(paragraph)
            number = to_int(head.group(1)) if head else None
            sub = to_int(head.group(2)) if head and head.group(2) else 0
            if head and _starts_new_article(current, doc.articles, number, sub):
                rest = paragraph[head.end() :].strip()
                current = Article(
                    law_title=title,
                    category=category,
                    version_date=version,
                    number=number,
                    sub=sub,
                    number_text=f"第{head.group(1)}条" + (f"之{head.group(2)}" if head.group(2) else ""),
                    paragraphs=[rest] if rest else [],
                    chapter_path=[c for c in chapter if c],
                    source=doc.source,
                )
                doc.articles.append(current)
                in_appendix = False
            elif current is not None and not in_appendix and not _APPENDIX.match(paragraph):
                current.paragraphs.append(paragraph)
            else:
                if current is not None and _APPENDIX.match(paragraph):
                    in_appendix = True
                    current = None
                doc.loose_paragraphs.append(paragraph)
    return doc


def _starts_new_article(current: Article | None, seen: list[Article], number: int, sub: int) -> bool:
    """A ``第X条`` paragraph opens an article only when numbering moves forward.

    Quoted articles (宪法修正案 quoting the constitution, an article citing 第十条 at the start of
    a paragraph) would otherwise split an article in two.
    """
    if current is None:
        return not seen or (number, sub) > (seen[-1].number, seen[-1].sub)
    return (number, sub) > (current.number, current.sub) and number <= current.number + 5


def parse_case(path: Path, corpus_root: Path) -> CaseDocument:
    lines = _clean_lines(path.read_text(encoding="utf-8"))
    header, body = _split_header(lines)
    title = _title(header, path)
    sections: dict[str, list[str]] = {}
    name = "案情"
    for line in body:
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            heading = stripped.lstrip("#").strip()
            if heading.endswith("案") and not sections:
                title = f"{title}（{heading}）"
                continue
            name = heading or name
            continue
        sections.setdefault(name, []).append(stripped)
    relative = path.relative_to(corpus_root)
    return CaseDocument(
        title=title,
        category_path="/".join(relative.parts[1:-1]),
        sections={k: "\n".join(v) for k, v in sections.items()},
        source=str(relative),
    )
