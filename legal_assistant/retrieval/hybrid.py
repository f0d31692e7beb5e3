"""Hybrid retrieval: explicit citations first, then BM25 and dense candidates, fused and reranked.

Candidates come from two channels that fail differently (BM25 on exact statute wording, dense on
paraphrase), plus the articles that similar labelled questions cite (the question memory); a
LightGBM ranker trained by ``legal-assistant train reranker`` orders the union using ranks, score
gaps, term overlap, a law-level prior and the memory's signals. Without a trained model the union
is ordered by weighted reciprocal-rank fusion.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from legal_assistant.corpus import Corpus, get_corpus
from legal_assistant.corpus.parse import Article
from legal_assistant.retrieval.embeddings import make_embeddings
from legal_assistant.retrieval.index import VECTORS_FILE, chroma_client, read_manifest
from legal_assistant.retrieval.lexical import LexicalIndex
from legal_assistant.retrieval.memory import QuestionMemory
from legal_assistant.retrieval.tokenize import expand_query, load_legal_dictionary, to_simplified
from legal_assistant.retrieval.units import KIND_ARTICLE, IndexUnit
from legal_assistant.settings import Settings, get_settings

CANDIDATES = 200
# Below this many allowed units, exact scoring beats a post-filtered approximate search.
EXACT_SEARCH_LIMIT = 20000
RRF_K = 60


class IndexNotReady(RuntimeError):
    """The index has not been built yet for the configured embedder."""


@dataclass
class SearchFilters:
    kinds: tuple[str, ...] = (KIND_ARTICLE,)
    laws: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    # Default: only versions in force today. ``as_of`` picks the version in force on that date.
    in_force_only: bool = True
    as_of: str | None = None


@dataclass
class Hit:
    unit: IndexUnit
    score: float
    article: Article | None = None
    signals: dict = field(default_factory=dict)
    explicit: bool = False

    @property
    def id(self) -> str:
        return self.unit.id


@dataclass
class Candidates:
    """Per-query candidate pool with the raw signals the fusion and the ranker use."""

    query: str
    query_tokens: list[str]
    rows: list[int]
    bm25: np.ndarray
    dense: np.ndarray
    bm25_rank: np.ndarray
    dense_rank: np.ndarray
    # From the question memory (zeros without one): best neighbour similarity, weighted vote,
    # log(1 + times labelled).
    memory_best: np.ndarray
    memory_vote: np.ndarray
    memory_prior: np.ndarray


class HybridRetriever:
    def __init__(self, settings: Settings | None = None, corpus: Corpus | None = None):
        self.settings = settings or get_settings()
        self.corpus = corpus or get_corpus()
        self.embeddings = make_embeddings(self.settings.embedding_model, self.settings.index_dir)
        manifest = read_manifest(self.settings, self.embeddings.name)
        if manifest is None:
            raise IndexNotReady("检索索引尚未建立，请先运行 `legal-assistant ingest`（首次约需数分钟）。")
        self.manifest = manifest
        self.lexical = LexicalIndex.load(self.settings.index_dir / manifest["bm25"])
        self.vectors = np.load(self.settings.index_dir / manifest["bm25"] / VECTORS_FILE, mmap_mode="r")
        self.collection = chroma_client(self.settings).get_collection(manifest["collection"])
        load_legal_dictionary(self.corpus.legal_terms)
        from legal_assistant.retrieval.index import all_units

        units = {u.id: u for u in all_units(self.corpus, self.settings)}
        self.units = [units[i] for i in self.lexical.ids]
        self.row_of = {u.id: i for i, u in enumerate(self.units)}
        self._columns = _metadata_columns(self.units)
        from legal_assistant.retrieval.rerank import Reranker

        self.reranker = Reranker.load(self.settings.models_dir, self.embeddings.name)

    # ---- public API ---------------------------------------------------------------------
    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Hit]:
        filters = filters or SearchFilters()
        explicit = self.explicit_articles(query, filters)
        pool = self.candidates(query, filters)
        scores = self.reranker.score(self, pool) if self.reranker else rrf_scores(pool)
        order = np.argsort(-scores, kind="stable")
        hits = [h for h in explicit]
        seen = {h.id for h in hits}
        for position in order:
            row = pool.rows[position]
            unit = self.units[row]
            if unit.id in seen:
                continue
            seen.add(unit.id)
            hits.append(
                Hit(
                    unit=unit,
                    score=float(scores[position]),
                    article=self.corpus.by_id.get(unit.id),
                    signals={"bm25": float(pool.bm25[position]), "dense": float(pool.dense[position])},
                )
            )
            if len(hits) >= k:
                break
        return hits[:k]

    def explicit_articles(self, query: str, filters: SearchFilters) -> list[Hit]:
        """Articles the question names (民法典第585条): they go first, exactly as written."""
        hits = []
        for citation in self.corpus.find_citations(to_simplified(query)):
            article = self.corpus.resolve(citation, as_of=filters.as_of)
            if article and article.id in self.row_of:
                hits.append(Hit(unit=self.units[self.row_of[article.id]], score=math.inf, article=article, explicit=True))
        return hits

    # ---- candidate generation -------------------------------------------------------------
    def candidates(
        self,
        query: str,
        filters: SearchFilters,
        n: int = CANDIDATES,
        adapter: np.ndarray | None = None,
        memory: QuestionMemory | None = None,
    ) -> Candidates:
        """BM25 and dense top-n plus the question memory's articles. ``adapter`` and ``memory``
        default to the trained reranker's (training passes each fold's own)."""
        query = to_simplified(query)
        query_tokens = expand_query(query)
        mask = self.mask(filters)
        bm25_all = self.lexical.scores(query_tokens)
        bm25_all = np.where(mask, bm25_all, -1.0)
        bm25_top = np.argpartition(-bm25_all, min(n, len(bm25_all) - 1))[:n]
        bm25_top = bm25_top[bm25_all[bm25_top] > 0]
        bm25_top = bm25_top[np.argsort(-bm25_all[bm25_top], kind="stable")]

        raw_vector, query_vector = self.query_vectors(query, adapter)
        dense_rows, dense_scores = self._dense_search(query_vector, mask, n)
        if memory is None and self.reranker is not None:
            memory = self.reranker.memory
        recalled = memory.recall(raw_vector) if memory is not None else {}
        memory_rows = [self.row_of[a] for a in recalled if a in self.row_of and mask[self.row_of[a]]]

        rows = list(dict.fromkeys([*map(int, bm25_top), *dense_rows, *memory_rows]))
        bm25 = bm25_all[rows].clip(min=0)
        bm25_order = {int(r): i for i, r in enumerate(bm25_top)}
        bm25_rank = np.array([bm25_order.get(r, n + 1) for r in rows], dtype=np.float32)
        dense_by_row = dict(zip(dense_rows, dense_scores))
        missing = [r for r in rows if r not in dense_by_row]
        if missing:
            dense_by_row.update(zip(missing, (self.vectors[missing] @ query_vector).tolist()))
        dense = np.array([dense_by_row[r] for r in rows], dtype=np.float32)
        dense_order = {r: i for i, r in enumerate(dense_rows)}
        dense_rank = np.array([dense_order.get(r, n + 1) for r in rows], dtype=np.float32)
        ids = [self.units[r].id for r in rows]
        memory_best = np.array([recalled.get(i, (0.0, 0.0))[0] for i in ids], dtype=np.float32)
        memory_vote = np.array([recalled.get(i, (0.0, 0.0))[1] for i in ids], dtype=np.float32)
        prior = memory.prior if memory is not None else {}
        memory_prior = np.array([prior.get(i, 0.0) for i in ids], dtype=np.float32)
        return Candidates(query, query_tokens, rows, bm25, dense, bm25_rank, dense_rank, memory_best, memory_vote, memory_prior)

    def query_vectors(self, query: str, adapter: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The raw query embedding (for the question memory) and the one used against articles,
        mapped by the trained adapter when there is one."""
        raw = np.asarray(self.embeddings.embed_query(to_simplified(query)), dtype=np.float32)
        if adapter is None and self.reranker is not None:
            adapter = self.reranker.adapter
        vector = adapter @ raw if adapter is not None else raw
        return raw, vector / (np.linalg.norm(vector) or 1.0)

    def _dense_search(self, vector: np.ndarray, mask: np.ndarray, n: int) -> tuple[list[int], list[float]]:
        """Nearest units allowed by ``mask``: the vector store's index for broad filters (post-
        filtered), exact scoring over the few allowed rows for narrow ones (one law, one date)."""
        allowed = np.flatnonzero(mask)
        if len(allowed) > EXACT_SEARCH_LIMIT:
            result = self.collection.query(query_embeddings=[vector.tolist()], n_results=2 * n, include=["distances"])
            found = [(self.row_of[i], 1.0 - d) for i, d in zip(result["ids"][0], result["distances"][0]) if i in self.row_of]
            found = [(row, score) for row, score in found if mask[row]][:n]
            return [r for r, _ in found], [s for _, s in found]
        scores = self.vectors[allowed] @ vector
        top = np.argsort(-scores)[:n]
        return allowed[top].tolist(), scores[top].tolist()

    def mask(self, filters: SearchFilters) -> np.ndarray:
        c = self._columns
        mask = np.isin(c["kind"], list(filters.kinds))
        if filters.as_of:
            day = int(filters.as_of.replace("-", ""))
            mask &= (c["valid_from"] <= day) & (day < c["valid_to"])
        elif filters.in_force_only:
            mask &= c["in_force"]
        if filters.laws:
            from legal_assistant.corpus.names import law_key

            mask &= np.isin(c["law_key"], [law_key(x) for x in filters.laws])
        if filters.categories:
            mask &= np.isin(c["category"], list(filters.categories))
        return mask


def _metadata_columns(units: list[IndexUnit]) -> dict[str, np.ndarray]:
    return {
        "kind": np.array([u.metadata["kind"] for u in units]),
        "law_key": np.array([u.metadata["law_key"] for u in units]),
        "category": np.array([u.metadata["category"] for u in units]),
        "in_force": np.array([bool(u.metadata["in_force"]) for u in units]),
        "valid_from": np.array([u.metadata["valid_from"] for u in units]),
        "valid_to": np.array([u.metadata["valid_to"] for u in units]),
    }


def rrf_scores(pool: Candidates, dense_weight: float = 1.0) -> np.ndarray:
    return 1.0 / (RRF_K + pool.bm25_rank) + dense_weight / (RRF_K + pool.dense_rank)
