"""What gets indexed: one unit per article (every version), per case section, per chunk of
instruments without article structure, and per chunk of a user's own documents."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from legal_assistant.corpus.library import Corpus

KIND_ARTICLE = "article"
KIND_CASE = "case"
KIND_DOC = "doc"
KIND_USER = "user"
FOREVER = 99991231


@dataclass
class IndexUnit:
    id: str
    kind: str
    title: str
    text: str
    # Prefix that gives short articles their context: law name and chapter path.
    context: str
    metadata: dict = field(default_factory=dict)

    @property
    def dense_text(self) -> str:
        return f"{self.context}：{self.text}"

    @property
    def lexical_text(self) -> str:
        return f"{self.context} {self.text}"

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(f"{self.id}\0{self.dense_text}\0{sorted(self.metadata.items())}".encode()).hexdigest()


def _date_int(date: str) -> int:
    return int(date.replace("-", "")) if date else 0


def chunk_paragraphs(paragraphs: list[str], size: int = 500) -> list[str]:
    """Greedy chunks of whole paragraphs up to ~size characters (a long paragraph stands alone)."""
    chunks: list[str] = []
    current = ""
    for paragraph in paragraphs:
        if current and len(current) + len(paragraph) > size:
            chunks.append(current)
            current = ""
        current = f"{current}\n{paragraph}" if current else paragraph
    if current:
        chunks.append(current)
    return chunks


def undated_metadata(kind: str, title: str, category: str, part: int, **extra: str) -> dict:
    """Metadata of a unit that is not a dated statute (a case section, a user's document chunk):
    always current, so date and in-force filters never hide it."""
    return {
        "kind": kind,
        "law_key": "",
        "law": title,
        "category": category,
        "version_date": "",
        "valid_from": 0,
        "valid_to": FOREVER,
        "in_force": True,
        "number": 0,
        "sub": part,
        **extra,
    }


def corpus_units(corpus: Corpus) -> list[IndexUnit]:
    units: list[IndexUnit] = []
    for law in corpus.laws.values():
        dates = [v.version_date for v in law.versions]
        for position, doc in enumerate(law.versions):
            valid_to = _date_int(dates[position + 1]) if position + 1 < len(dates) else FOREVER
            base = {
                "law_key": law.key,
                "law": doc.title,
                "category": doc.category,
                "version_date": doc.version_date,
                "valid_from": _date_int(doc.version_date),
                "valid_to": valid_to,
                "in_force": position == len(law.versions) - 1,
            }
            for article in doc.articles:
                chapter = article.chapter_path[-1] if article.chapter_path else ""
                units.append(
                    IndexUnit(
                        id=article.id,
                        kind=KIND_ARTICLE,
                        title=f"{article.short_name}{article.number_text}",
                        text=article.text,
                        context=f"{article.short_name} {chapter}".strip(),
                        metadata={**base, "kind": KIND_ARTICLE, "number": article.number, "sub": article.sub},
                    )
                )
            for i, chunk in enumerate(chunk_paragraphs(doc.loose_paragraphs) if not doc.articles else []):
                units.append(
                    IndexUnit(
                        id=f"{law.key}@{doc.version_date or 'undated'}~{i}",
                        kind=KIND_DOC,
                        title=f"{doc.title}（第{i + 1}部分）",
                        text=chunk,
                        context=doc.title,
                        metadata={**base, "kind": KIND_DOC, "number": 0, "sub": i},
                    )
                )
    for case in corpus.cases:
        for name, body in case.sections.items():
            for i, chunk in enumerate(chunk_paragraphs(body.split("\n"))):
                units.append(
                    IndexUnit(
                        id=f"case:{case.source}#{name}~{i}",
                        kind=KIND_CASE,
                        title=case.title,
                        text=chunk,
                        context=f"{case.title} {name}",
                        metadata=undated_metadata(KIND_CASE, case.title, "案例", i, source=case.source, section=name),
                    )
                )
    return units
