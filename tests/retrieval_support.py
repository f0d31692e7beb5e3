"""A small real corpus (three instruments copied from the project's corpus) and settings for it,
so index tests run a real embedder and a real Chroma in seconds."""

from __future__ import annotations

import shutil
from pathlib import Path

from legal_assistant.settings import PROJECT_ROOT, get_settings

SMALL_CORPUS_FILES = [
    "社会法/劳动合同法(2012-12-28).md",
    "司法解释/最高人民法院关于审理民间借贷案件适用法律若干问题的规定(2020-12-29).md",
    "民法典/合同编.md",
    "案例/劳动人事/加班费的仲裁时效应当如何认定.md",
]


def make_small_corpus(root: Path, files: list[str] = SMALL_CORPUS_FILES) -> Path:
    source = PROJECT_ROOT / "corpus" / "statutes"
    for relative in files:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, target)
    return root


def use_settings(monkeypatch, corpus_dir: Path, data_dir: Path, models_dir: Path, **extra: str):
    monkeypatch.setenv("LEGAL_CORPUS_DIR", str(corpus_dir))
    monkeypatch.setenv("LEGAL_DATA_DIR", str(data_dir))
    monkeypatch.setenv("LEGAL_MODELS_DIR", str(models_dir))
    for key, value in extra.items():
        monkeypatch.setenv(f"LEGAL_{key.upper()}", value)
    get_settings.cache_clear()
    return get_settings()
