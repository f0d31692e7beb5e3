"""Train the dense adapter and the reranker from a LeCoQA-style dev file, with honest estimates.

Everything is cross-fitted by question (k folds): the adapter and the question memory used to
build a question's candidate pool never saw that question, and each fold's reranker (and its law
prior) is fitted on the other folds only. So the CV figures estimate what an unseen question gets.
The "unseen articles" split keeps the test questions whose labelled articles never appear in that
fold's training labels, where a learned prior could hurt. The shipped adapter is then fitted on the whole
file, and the shipped reranker on the out-of-fold pools (the same view an unseen question gives).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from legal_assistant.retrieval.adapter import train_adapter
from legal_assistant.retrieval.evaluate import LabelledQuery, in_split, load_queries, metrics
from legal_assistant.retrieval.hybrid import HybridRetriever, SearchFilters, rrf_scores
from legal_assistant.retrieval.memory import QuestionMemory
from legal_assistant.retrieval.rerank import Reranker, pool_features, with_law_prior
from legal_assistant.retrieval.tokenize import to_simplified

SEED = 13
HARD_NEGATIVES = 30


@dataclass
class QueryPool:
    query: LabelledQuery
    pool: object
    explicit: list[str]
    unit_ids: list[str]
    law_keys: list[str]
    features: np.ndarray  # law-prior column filled per fold

    def features_under(self, prior: dict[str, float]) -> np.ndarray:
        return with_law_prior(self.features, self.law_keys, prior)


def law_prior(queries: list[LabelledQuery]) -> dict[str, float]:
    """log(1 + labels per law) over the training questions: what people tend to ask about."""
    counts = Counter(article_id.split("@")[0] for q in queries for article_id in q.gold)
    return {law: float(np.log1p(n)) for law, n in counts.items()}


def question_memory(queries: list[LabelledQuery], query_vectors: np.ndarray, indices: np.ndarray) -> QuestionMemory:
    return QuestionMemory(query_vectors[indices], [sorted(queries[i].gold) for i in indices])


def _ranking(item: QueryPool, scores: np.ndarray) -> list[str]:
    ordered = [item.unit_ids[i] for i in np.argsort(-scores, kind="stable")]
    return list(dict.fromkeys(item.explicit + ordered))[:100]


def _fit_ranker(pools: list[QueryPool], prior: dict[str, float]):
    import lightgbm

    features, labels, groups = [], [], []
    for item in pools:
        y = np.array([1 if i in item.query.gold else 0 for i in item.unit_ids])
        if not y.any():
            continue
        features.append(item.features_under(prior))
        labels.append(y)
        groups.append(len(y))
    dataset = lightgbm.Dataset(np.vstack(features), np.concatenate(labels), group=groups)
    params = {
        "objective": "lambdarank",
        "metric": "ndcg",
        "learning_rate": 0.05,
        "num_leaves": 15,
        "min_data_in_leaf": 50,
        "feature_fraction": 0.9,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambdarank_truncation_level": 30,
        "verbose": -1,
        "seed": SEED,
        "num_threads": 2,
    }
    return lightgbm.train(params, dataset, num_boost_round=250)


def load_all_queries(paths: list[Path], corpus) -> tuple[list[LabelledQuery], float]:
    queries: list[LabelledQuery] = []
    resolved_shares = []
    for path in paths:
        found, resolved = load_queries(path, corpus)
        queries += found
        resolved_shares.append(resolved)
    ids = [q.query_id for q in queries]
    if len(set(ids)) != len(ids):
        raise ValueError("训练问题的 query_id 在不同文件之间重复，请为每个文件使用不同的编号前缀。")
    return queries, float(np.mean(resolved_shares)) if resolved_shares else 0.0


class DenseTrainingView:
    """In-force article vectors (from the index) and raw query vectors for training."""

    def __init__(self, retriever: HybridRetriever, queries: list[LabelledQuery], query_vectors: np.ndarray):
        mask = retriever.mask(SearchFilters())
        self.rows = np.flatnonzero(mask)
        units = [retriever.units[r] for r in self.rows]
        self.matrix = np.asarray(retriever.vectors[self.rows], dtype=np.float32)
        position = {u.id: i for i, u in enumerate(units)}
        self.positives = [[position[g] for g in q.gold if g in position] for q in queries]
        self.query_vectors = query_vectors
        similarity = self.query_vectors @ self.matrix.T
        top = np.argpartition(-similarity, HARD_NEGATIVES, axis=1)[:, :HARD_NEGATIVES]
        self.hard_negatives = [list(map(int, row)) for row in top]

    def fit(self, indices: np.ndarray) -> np.ndarray:
        return train_adapter(
            self.query_vectors[indices],
            [self.positives[i] for i in indices],
            self.matrix,
            [self.hard_negatives[i] for i in indices],
        )

    def dense_recall(self, indices: np.ndarray, adapter: np.ndarray | None, gold: list[set[int]], k: int = 10) -> float:
        vectors = self.query_vectors[indices] if adapter is None else self.query_vectors[indices] @ adapter.T
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        top = np.argsort(-(vectors @ self.matrix.T), axis=1)[:, :k]
        return float(np.mean([len(set(row) & gold[i]) / max(len(gold[i]), 1) for row, i in zip(top, indices)]))


def train(
    retriever: HybridRetriever, queries_paths: Path | list[Path], folds: int = 5, use_adapter: bool = True, progress: bool = True, split: str = "all"
) -> dict:
    """Train on the labelled questions of one or more LeCoQA-style files (ids must not collide)."""
    retriever.reranker = None  # a previously shipped model must not shape its own training data
    queries, resolved = load_all_queries([queries_paths] if isinstance(queries_paths, Path) else queries_paths, retriever.corpus)
    queries = [q for q in queries if in_split(q.query_id, split)]
    filters = SearchFilters()
    fold_of = np.empty(len(queries), dtype=int)
    fold_of[np.random.default_rng(SEED).permutation(len(queries))] = np.arange(len(queries)) % folds
    query_vectors = np.vstack(
        [np.asarray(retriever.embeddings.embed_query(to_simplified(q.question)), dtype=np.float32) for q in tqdm(queries, desc="问题向量", unit="问", leave=False)]
    )
    view = DenseTrainingView(retriever, queries, query_vectors) if use_adapter else None

    pools: list[QueryPool | None] = [None] * len(queries)
    dense_report = {"raw_recall@10": [], "adapter_recall@10": []}
    for fold in tqdm(range(folds), desc="交叉拟合", unit="折", disable=not progress):
        test = np.flatnonzero(fold_of == fold)
        rest = np.flatnonzero(fold_of != fold)
        adapter = view.fit(rest) if view else None
        memory = question_memory(queries, query_vectors, rest)
        if view:
            gold_rows = [set(p) for p in view.positives]
            dense_report["raw_recall@10"].append(view.dense_recall(test, None, gold_rows) * len(test))
            dense_report["adapter_recall@10"].append(view.dense_recall(test, adapter, gold_rows) * len(test))
        for index in test:
            query = queries[index]
            pool = retriever.candidates(query.question, filters, adapter=adapter, memory=memory)
            explicit = [h.id for h in retriever.explicit_articles(query.question, filters)]
            units = [retriever.units[r] for r in pool.rows]
            pools[index] = QueryPool(
                query, pool, explicit, [u.id for u in units], [u.metadata["law_key"] for u in units], pool_features(retriever, pool, {})
            )

    learned: list[list[str]] = [[] for _ in queries]
    fused: list[list[str]] = [[] for _ in queries]
    unseen: list[int] = []
    for fold in range(folds):
        train_pools = [p for p, f in zip(pools, fold_of) if f != fold]
        prior = law_prior([p.query for p in train_pools])
        model = _fit_ranker(train_pools, prior)
        seen_articles = {a for p in train_pools for a in p.query.gold}
        for index in np.flatnonzero(fold_of == fold):
            item = pools[index]
            scores = model.predict(item.features_under(prior)) if item.unit_ids else np.zeros(0)
            learned[index] = _ranking(item, scores)
            fused[index] = _ranking(item, rrf_scores(item.pool))
            if not (item.query.gold & seen_articles):
                unseen.append(index)

    prior = law_prior(queries)
    final_adapter = view.fit(np.arange(len(queries))) if view else None
    final_memory = question_memory(queries, query_vectors, np.arange(len(queries)))
    final = Reranker(_fit_ranker(pools, prior), prior, adapter=final_adapter, memory=final_memory)
    final.save(Reranker.directory(retriever.settings.models_dir, retriever.embeddings.name))
    unseen_queries = [queries[i] for i in unseen]
    report = {
        "n_queries": len(queries),
        "split": split,
        "labels_resolved": round(resolved, 4),
        "folds": folds,
        "cv_reranker": metrics(learned, queries),
        "cv_rrf_fusion": metrics(fused, queries),
        "unseen_articles": {
            "n_queries": len(unseen),
            "reranker": metrics([learned[i] for i in unseen], unseen_queries) if unseen else {},
            "rrf_fusion": metrics([fused[i] for i in unseen], unseen_queries) if unseen else {},
        },
    }
    if view:
        report["cv_dense_only"] = {k: round(sum(v) / len(queries), 4) for k, v in dense_report.items()}
    return report
