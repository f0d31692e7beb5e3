"""The process-wide retriever (loaded once; the index is built first if it is missing)."""

from __future__ import annotations

from functools import lru_cache

from legal_assistant.retrieval.hybrid import HybridRetriever


@lru_cache(maxsize=1)
def get_retriever() -> HybridRetriever:
    return HybridRetriever()
