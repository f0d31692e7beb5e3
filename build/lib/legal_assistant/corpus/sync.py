"""Reproducible copy of the shared statute corpus into the project's own ``corpus/``.

Writes ``corpus/MANIFEST.tsv`` (relative path, sha256, bytes) so anyone can check which files came
from where; the app itself only ever reads the project's copy.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

MANIFEST = "MANIFEST.tsv"


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sync_corpus(source: Path, target: Path) -> tuple[int, int]:
    """Copy every ``*.md`` under ``source`` into ``target``; returns (files, copied_or_changed)."""
    if not source.is_dir():
        raise FileNotFoundError(f"找不到语料来源目录：{source}")
    files = sorted(p for p in source.rglob("*.md") if p.is_file())
    changed = 0
    rows = []
    for path in files:
        relative = path.relative_to(source)
        destination = target / relative
        digest = sha256_file(path)
        if not destination.exists() or sha256_file(destination) != digest:
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
            changed += 1
        rows.append(f"{relative.as_posix()}\t{digest}\t{path.stat().st_size}")
    (target.parent / MANIFEST).write_text("path\tsha256\tbytes\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return len(files), changed
