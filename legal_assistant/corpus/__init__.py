"""Statute and case corpus: parsing, the in-memory library, citation lookup."""

from __future__ import annotations

from functools import lru_cache

from legal_assistant.corpus.library import Corpus
from legal_assistant.corpus.names import Citation, law_key
from legal_assistant.corpus.parse import Article, CaseDocument
from legal_assistant.settings import get_settings

__all__ = ["Article", "CaseDocument", "Citation", "Corpus", "get_corpus", "law_key"]


def get_corpus() -> Corpus:
    """The configured corpus, parsed once per process and corpus folder (cached on disk too)."""
    settings = get_settings()
    return _load(settings.corpus_dir, settings.cache_dir)


@lru_cache(maxsize=2)
def _load(corpus_dir, cache_dir) -> Corpus:
    return Corpus.load(corpus_dir, cache_dir)


get_corpus.cache_clear = _load.cache_clear  # type: ignore[attr-defined]  (same API as an lru_cache)
