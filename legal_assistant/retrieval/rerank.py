"""Learned ranking over the hybrid candidate pool (LightGBM LambdaRank), a query-side adapter for
the dense channel and the question memory (``memory.py``); all trained from the dev set by
``legal-assistant train reranker`` and shipped small under ``models/``."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from legal_assistant.retrieval.memory import QuestionMemory
from legal_assistant.retrieval.tokenize import tokens

FEATURES = [
    "bm25",
    "bm25_rel",
    "bm25_rank",
    "dense",
    "dense_gap",
    "dense_rank",
    "rrf",
    "coverage",
    "law_in_query",
    "chapter_overlap",
    "law_prior",
    "category",
    "length",
    "law_votes",
    "law_best_rrf",
    "memory_best",
    "memory_vote",
    "memory_prior",
]
LAW_PRIOR_COLUMN = FEATURES.index("law_prior")
CATEGORY_CODES = {"法律": 0, "行政法规": 1, "司法解释": 2, "地方性法规": 3, "部门规章": 4, "案例": 5, "自有文件": 6}


def pool_features(retriever, pool, law_prior: dict[str, float]) -> np.ndarray:
    """Feature matrix (candidates × FEATURES) for one query's pool."""
    from legal_assistant.retrieval.hybrid import rrf_scores

    n = len(pool.rows)
    rrf = rrf_scores(pool)
    lexical = retriever.lexical
    query_set = lexical.term_ids(pool.query_tokens)
    query_text = pool.query
    bm25_max = float(pool.bm25.max()) if n else 1.0
    dense_max = float(pool.dense.max()) if n else 1.0
    units = [retriever.units[r] for r in pool.rows]
    laws = [u.metadata["law_key"] for u in units]
    votes: dict[str, int] = {}
    best: dict[str, float] = {}
    top_positions = np.argsort(-rrf)[:50]
    for position in top_positions:
        votes[laws[position]] = votes.get(laws[position], 0) + 1
    for law, score in zip(laws, rrf):
        best[law] = max(best.get(law, 0.0), float(score))
    rows = []
    for i, unit in enumerate(units):
        unit_terms = lexical.doc_term_ids(pool.rows[i])
        chapter_terms = lexical.term_ids(_context_tokens(unit.context))
        short = unit.metadata["law"].replace("中华人民共和国", "")
        core = short[:-1] if short.endswith("法") else short
        rows.append(
            [
                float(pool.bm25[i]),
                float(pool.bm25[i]) / (bm25_max or 1.0),
                math.log1p(float(pool.bm25_rank[i])),
                float(pool.dense[i]),
                float(pool.dense[i]) - dense_max,
                math.log1p(float(pool.dense_rank[i])),
                float(rrf[i]),
                len(query_set.intersection(unit_terms.tolist())) / (len(query_set) or 1),
                1.0 if core and core in query_text else 0.0,
                len(query_set & chapter_terms) / (len(query_set) or 1),
                law_prior.get(laws[i], 0.0),
                CATEGORY_CODES.get(unit.metadata["category"], 7),
                math.log1p(len(unit.text)),
                votes.get(laws[i], 0),
                best[laws[i]],
                float(pool.memory_best[i]),
                float(pool.memory_vote[i]),
                float(pool.memory_prior[i]),
            ]
        )
    return np.asarray(rows, dtype=np.float32).reshape(n, len(FEATURES))


@lru_cache(maxsize=200_000)
def _context_tokens(context: str) -> tuple[str, ...]:
    return tuple(tokens(context))


def with_law_prior(features: np.ndarray, law_keys: list[str], law_prior: dict[str, float]) -> np.ndarray:
    """The same features under another law prior (cross-validation refits the prior per fold)."""
    out = features.copy()
    out[:, LAW_PRIOR_COLUMN] = [law_prior.get(k, 0.0) for k in law_keys]
    return out


class Reranker:
    def __init__(self, booster, law_prior: dict[str, float], adapter: np.ndarray | None, memory: QuestionMemory | None = None):
        self.booster = booster
        self.law_prior = law_prior
        self.adapter = adapter
        self.memory = memory

    @staticmethod
    def directory(models_dir: Path, embedder_name: str) -> Path:
        return models_dir / f"reranker-{embedder_name}"

    @classmethod
    def load(cls, models_dir: Path, embedder_name: str) -> "Reranker | None":
        directory = cls.directory(models_dir, embedder_name)
        if not (directory / "model.txt").exists():
            return None
        import lightgbm

        booster = lightgbm.Booster(model_file=str(directory / "model.txt"))
        law_prior = json.loads((directory / "law_prior.json").read_text(encoding="utf-8"))
        adapter_path = directory / "adapter.npy"
        adapter = np.load(adapter_path) if adapter_path.exists() else None
        return cls(booster, law_prior, adapter, QuestionMemory.load(directory))

    def score(self, retriever, pool) -> np.ndarray:
        if not pool.rows:
            return np.zeros(0, dtype=np.float32)
        return self.booster.predict(pool_features(retriever, pool, self.law_prior))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.booster.save_model(str(directory / "model.txt"))
        (directory / "law_prior.json").write_text(json.dumps(self.law_prior, ensure_ascii=False, indent=0), encoding="utf-8")
        if self.adapter is not None:
            np.save(directory / "adapter.npy", self.adapter.astype(np.float32))
        if self.memory is not None:
            self.memory.save(directory)
