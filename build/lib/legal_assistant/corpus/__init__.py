"""Statute and case corpus: parsing, the in-memory library, citation lookup."""

from __future__ import annotations

from functools import lru_cache

from legal_assistant.corpus.library import Corpus
from legal_assistant.corpus.names import Citation, law_key
from legal_assistant.corpus.parse import Article, CaseDocument
from legal_assistant.settings import get_settings

__all__ = ["Article", "CaseDocument", "Citation", "Corpus", "get_corpus", "law_key"]


@lru_cache(maxsize=1)
def get_corpus() -> Corpus:
    """The project's corpus, parsed once per process (cached on disk under the data dir)."""
    settings = get_settings()
    return Corpus.load(settings.corpus_dir, settings.cache_dir)
