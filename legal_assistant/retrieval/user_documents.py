"""Users' own documents (PDF, DOCX, MD, TXT under ``LEGAL_USER_DOCS_DIR``) as index units.

Files are read through the same hardened reader as uploads and chunked on paragraph boundaries,
so a policy manual or an internal rule book becomes searchable next to the statutes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from legal_assistant.retrieval.units import KIND_USER, IndexUnit, chunk_paragraphs, undated_metadata
from legal_assistant.settings import Settings

SUFFIXES = {".pdf", ".docx", ".md", ".txt"}
log = logging.getLogger(__name__)


def user_units(settings: Settings) -> list[IndexUnit]:
    root = settings.user_docs_dir
    if not root or not Path(root).is_dir():
        return []
    from legal_assistant.documents import DocumentError, read_document

    units: list[IndexUnit] = []
    for path in sorted(p for p in Path(root).rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()):
        try:
            document = read_document(path.read_bytes(), path.name)
        except DocumentError as error:
            log.warning("跳过无法读取的文件 %s：%s", path.name, error)
            continue
        paragraphs = [line.strip() for line in document.text.splitlines() if line.strip()]
        relative = path.relative_to(root).as_posix()
        for i, chunk in enumerate(chunk_paragraphs(paragraphs, size=600)):
            units.append(
                IndexUnit(
                    id=f"user:{relative}~{i}",
                    kind=KIND_USER,
                    title=f"{path.stem}（第{i + 1}段）",
                    text=chunk,
                    context=path.stem,
                    metadata=undated_metadata(KIND_USER, path.stem, "自有文件", i, source=relative),
                )
            )
    return units
