"""The parsed corpus in memory: laws grouped across versions, articles, cases, citation lookup.

Parsing ~2,000 files takes a few seconds, so the result is cached (pickle) under the data dir,
keyed by a hash of the corpus manifest; an unchanged corpus loads in well under a second.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from legal_assistant.corpus.names import ARTICLE_REF, Citation, law_key, to_int
from legal_assistant.corpus.parse import Article, CaseDocument, LawDocument, parse_case, parse_statute
from legal_assistant.pickle_cache import load_or_build

CACHE_VERSION = 5
# Abbreviations used in the wild for instruments whose titles are long.
_ALIAS_SUFFIXES = ("实施条例", "实施细则", "若干规定")
# A law's name as people write it, then an article: 《X》第N条, X条例第N条, X法第N条之一.
_WRITTEN_CITATION = re.compile(
    r"(?:《[^》]{2,40}》|[\u4e00-\u9fff（）()]{1,40}?(?:法典|法|条例|规定|办法|解释|细则|决定))\s*"
    r"第\s*[零〇一二两三四五六七八九十百千万\d]+\s*条(?:之[零〇一二三四五六七八九十\d]+)?"
)
_LEAD_WORDS = re.compile(r"^(?:请问|关于|根据|按照|依照|依据|参照|对照|适用)+")
_PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|"
    "云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
# A province, or a two-character city or county name such as 杭州市 / 嘉善县 (not 上市, 超市, 本市 …).
_REGION_BEFORE = re.compile(
    rf"(?:(?:{_PROVINCES})(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)?|[\u4e00-\u9fff](?![上超本全该门股城])[\u4e00-\u9fff](?:市|县))$"
)


@dataclass
class LawVersions:
    key: str
    title: str
    category: str
    versions: list[LawDocument]  # oldest first

    @property
    def current(self) -> LawDocument:
        return self.versions[-1]

    def version_on(self, as_of: str | None) -> LawDocument | None:
        """The version in force on ``as_of`` (YYYY-MM-DD); the newest when ``as_of`` is None."""
        if not as_of:
            return self.current
        dates = [v.version_date or "0000-00-00" for v in self.versions]
        position = bisect_right(dates, as_of)
        return self.versions[position - 1] if position else None


class Corpus:
    def __init__(self, laws: dict[str, LawVersions], cases: list[CaseDocument]):
        self.laws = laws
        self.cases = cases

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def parse(cls, root: Path) -> "Corpus":
        documents: list[LawDocument] = []
        cases: list[CaseDocument] = []
        for path in sorted(root.rglob("*.md")):
            if path.name.upper() == "README.MD":
                continue
            if path.relative_to(root).parts[0] == "案例":
                cases.append(parse_case(path, root))
            else:
                documents.append(parse_statute(path, root))
        return cls(_group_versions(documents), cases)

    @classmethod
    def load(cls, root: Path, cache_dir: Path | None = None) -> "Corpus":
        if cache_dir is None:
            return cls.parse(root)
        return load_or_build(cache_dir, "corpus", corpus_fingerprint(root), lambda: cls.parse(root))

    # ---- views --------------------------------------------------------------------------
    @cached_property
    def articles(self) -> list[Article]:
        """Every article of every version, in force or superseded."""
        return [a for law in self.laws.values() for doc in law.versions for a in doc.articles]

    @cached_property
    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}

    @cached_property
    def _longest_key(self) -> int:
        return max(len(key) for key in self.laws)

    def law(self, name: str) -> LawVersions | None:
        key = law_key(name)
        if key in self.laws:
            return self.laws[key]
        # 《民法典》有关担保制度的解释 style: the key with 中华人民共和国 removed matches already;
        # tolerate a trailing version like （2018修正）.
        stripped = re.sub(r"[（(]\d{4}[^）)]*[）)]$", "", key)
        return self.laws.get(stripped)

    def article(self, law: str, number: int, sub: int = 0, as_of: str | None = None, version: str | None = None) -> Article | None:
        """Exact lookup: newest version by default, the version in force on ``as_of``, or ``version``."""
        versions = self.law(law)
        if versions is None:
            return None
        if version:
            docs = [d for d in versions.versions if d.version_date == version]
        else:
            doc = versions.version_on(as_of)
            docs = [doc] if doc else []
        for doc in docs:
            for article in doc.articles:
                if article.number == number and article.sub == sub:
                    return article
        return None

    def neighbours(self, article: Article, span: int = 1) -> list[Article]:
        versions = self.laws[article.law_key]
        doc = next(d for d in versions.versions if d.version_date == article.version_date)
        index = next(i for i, a in enumerate(doc.articles) if a.id == article.id)
        return doc.articles[max(0, index - span) : index + span + 1]

    def find_citations(self, text: str) -> list[Citation]:
        """Citations written in free text: 民法典第585条, 《公司法》第五十二条, 劳动合同法第十九条第二款.

        The law name is the longest known law key that ends right before ``第`` (after
        removing 《》). A bare 第X条 after a named law (…第十条、第十一条) reuses that law.
        """
        found: list[Citation] = []
        last_law: str | None = None
        last_end = -1
        for match in ARTICLE_REF.finditer(text):
            before = text[max(0, match.start() - 60) : match.start()]
            key = self._law_ending(before)
            if key is None and last_law and match.start() - last_end <= 3:
                key = last_law
            if key is None:
                continue
            number = to_int(match.group(1))
            sub = to_int(match.group(2)) if match.group(2) else 0
            paragraph = to_int(match.group(3)) if match.group(3) else None
            found.append(Citation(law=key, number=number, sub=sub, paragraph=paragraph, start=match.start(), end=match.end()))
            last_law, last_end = key, match.end()
        return found

    def unresolved_citations(self, text: str) -> list[str]:
        """Citations written in ``text`` (某某条例第十条) that name no article in the corpus: a law it
        does not hold (上海市物业管理条例) or an article number the law does not have."""
        resolved_spans = [(c.start, c.end) for c in self.find_citations(text) if self.resolve(c)]
        unresolved = []
        for match in _WRITTEN_CITATION.finditer(text):
            reference = _LEAD_WORDS.sub("", match.group(0))
            article_start = match.end() - len(reference) + reference.rindex("第")
            if not any(start <= article_start < end for start, end in resolved_spans):
                unresolved.append(reference)
        return unresolved

    def _law_ending(self, before: str) -> str | None:
        normalised = law_key(before)
        for length in range(min(len(normalised), self._longest_key), 1, -1):
            if normalised[-length:] in self.laws:
                # 上海市物业管理条例 is not the State Council's 物业管理条例: a place named right
                # before the key means a law the corpus does not hold.
                return None if _REGION_BEFORE.search(normalised[:-length]) else normalised[-length:]
        return None

    def resolve(self, citation: Citation, as_of: str | None = None) -> Article | None:
        return self.article(citation.law, citation.number, citation.sub, as_of=as_of)

    def resolve_name(self, match_name: str, as_of: str | None = None) -> Article | None:
        """'中华人民共和国民法典第五百八十五条' (LeCoQA ``match_name``) → the article, if in the corpus."""
        citations = self.find_citations(match_name)
        return self.resolve(citations[-1], as_of=as_of) if citations else None

    @cached_property
    def legal_terms(self) -> list[str]:
        """Law short names and defined terms (“本法所称X，是指”) for the tokenizer's dictionary."""
        terms: set[str] = set()
        defined = re.compile(r"本(?:法|条例|规定|解释)所称(?:的)?“?([\u4e00-\u9fff]{2,12}?)”?[，,]?是指")
        for law in self.laws.values():
            terms.add(law.current.title)
            terms.add(law.key)
            for article in law.current.articles:
                for term in defined.findall(article.text):
                    terms.add(term)
        return sorted(t for t in terms if 2 <= len(t) <= 30)


def _merge_books(documents: list[LawDocument]) -> list[LawDocument]:
    """民法典's book files (民法典/总则.md …) form one law, dated by its newest book."""
    books = [d for d in documents if d.source.startswith("民法典/")]
    if not books:
        return documents
    merged = LawDocument(
        title=books[0].title,
        category=books[0].category,
        version_date=max(b.version_date for b in books),
        source="民法典",
        articles=sorted((a for b in books for a in b.articles), key=lambda a: (a.number, a.sub)),
        loose_paragraphs=[p for b in books for p in b.loose_paragraphs],
    )
    for article in merged.articles:
        article.version_date = merged.version_date
    return [d for d in documents if not d.source.startswith("民法典/")] + [merged]


def _group_versions(documents: list[LawDocument]) -> dict[str, LawVersions]:
    grouped: dict[str, dict[str, LawDocument]] = defaultdict(dict)
    for doc in _merge_books(documents):
        # The same instrument filed in two folders (居民身份证法 …): keep the first copy.
        grouped[doc.key].setdefault(doc.version_date, doc)
    laws: dict[str, LawVersions] = {}
    for key, by_date in grouped.items():
        ordered = [by_date[d] for d in sorted(by_date)]
        for doc in ordered[:-1]:
            for article in doc.articles:
                article.in_force = False
        laws[key] = LawVersions(key=key, title=ordered[-1].title, category=ordered[-1].category, versions=ordered)
    return laws


def corpus_fingerprint(root: Path) -> str:
    digest = hashlib.sha256(f"v{CACHE_VERSION}".encode())
    for path in sorted(root.rglob("*.md")):
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]
