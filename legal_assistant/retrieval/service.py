"""The process-wide retriever (loaded once; the index is built first if it is missing)."""

from __future__ import annotations

from functools import lru_cache

from legal_assistant.retrieval.hybrid import HybridRetriever
from legal_assistant.settings import get_settings


def get_retriever() -> HybridRetriever:
    """The retriever for the current settings, loaded once per process and configuration."""
    settings = get_settings()
    return _load(settings.corpus_dir, settings.data_dir, settings.models_dir, settings.embedding_model, settings.chroma_host, settings.chroma_port)


@lru_cache(maxsize=2)
def _load(*configuration) -> HybridRetriever:
    return HybridRetriever(get_settings())


get_retriever.cache_clear = _load.cache_clear  # type: ignore[attr-defined]  (same API as an lru_cache)
