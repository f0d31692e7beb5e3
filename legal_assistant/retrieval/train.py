"""Train the reranker from a LeCoQA-style dev file, with an honest k-fold estimate.

The estimate for unseen questions comes from k-fold cross-validation split by question: each
fold's model (and its law prior) is fitted on the other folds only. The "unseen articles" split
keeps the test questions whose labelled articles never appear in that fold's training labels, the
case where a learned prior could hurt. The shipped model is then fitted on the whole file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from legal_assistant.retrieval.evaluate import LabelledQuery, load_queries, metrics
from legal_assistant.retrieval.hybrid import HybridRetriever, SearchFilters, rrf_scores
from legal_assistant.retrieval.rerank import Reranker, pool_features

SEED = 13


@dataclass
class QueryPool:
    query: LabelledQuery
    pool: object
    explicit: list[str]
    unit_ids: list[str]
    law_keys: list[str]


def law_prior(queries: list[LabelledQuery]) -> dict[str, float]:
    """log(1 + labels per law) over the training questions: what people tend to ask about."""
    counts = Counter(article_id.split("@")[0] for q in queries for article_id in q.gold)
    return {law: float(np.log1p(n)) for law, n in counts.items()}


def collect(retriever: HybridRetriever, queries: list[LabelledQuery], progress: bool) -> list[QueryPool]:
    filters = SearchFilters()
    pools = []
    for query in tqdm(queries, desc="候选集", unit="问", disable=not progress):
        pool = retriever.candidates(query.question, filters)
        explicit = [h.id for h in retriever.explicit_articles(query.question, filters)]
        ids = [retriever.units[r].id for r in pool.rows]
        pools.append(QueryPool(query, pool, explicit, ids, [retriever.units[r].metadata["law_key"] for r in pool.rows]))
    return pools


def _ranking(item: QueryPool, scores: np.ndarray) -> list[str]:
    ordered = [item.unit_ids[i] for i in np.argsort(-scores, kind="stable")]
    return list(dict.fromkeys(item.explicit + ordered))[:100]


def _fit(retriever, pools: list[QueryPool], prior: dict[str, float]):
    import lightgbm

    features, labels, groups = [], [], []
    for item in pools:
        y = np.array([1 if i in item.query.gold else 0 for i in item.unit_ids])
        if not y.any() or not item.unit_ids:
            continue
        features.append(pool_features(retriever, item.pool, prior))
        labels.append(y)
        groups.append(len(y))
    dataset = lightgbm.Dataset(np.vstack(features), np.concatenate(labels), group=groups)
    params = {
        "objective": "lambdarank",
        "metric": "ndcg",
        "ndcg_eval_at": [10],
        "learning_rate": 0.05,
        "num_leaves": 31,
        "min_data_in_leaf": 50,
        "feature_fraction": 0.9,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambdarank_truncation_level": 30,
        "verbose": -1,
        "seed": SEED,
        "num_threads": 2,
    }
    return lightgbm.train(params, dataset, num_boost_round=300)


def train_reranker(retriever: HybridRetriever, queries_path: Path, folds: int = 5, progress: bool = True) -> dict:
    queries, resolved = load_queries(queries_path, retriever.corpus)
    pools = collect(retriever, queries, progress)
    order = np.random.default_rng(SEED).permutation(len(pools))
    fold_of = np.empty(len(pools), dtype=int)
    fold_of[order] = np.arange(len(pools)) % folds

    learned: list[list[str]] = [[] for _ in pools]
    fused: list[list[str]] = [[] for _ in pools]
    unseen: list[int] = []
    for fold in tqdm(range(folds), desc="交叉验证", unit="折", disable=not progress):
        train = [p for p, f in zip(pools, fold_of) if f != fold]
        prior = law_prior([p.query for p in train])
        model = _fit(retriever, train, prior)
        seen_articles = {a for p in train for a in p.query.gold}
        for index in np.flatnonzero(fold_of == fold):
            item = pools[index]
            scores = model.predict(pool_features(retriever, item.pool, prior)) if item.unit_ids else np.zeros(0)
            learned[index] = _ranking(item, scores)
            fused[index] = _ranking(item, rrf_scores(item.pool))
            if not (item.query.gold & seen_articles):
                unseen.append(index)

    all_queries = [p.query for p in pools]
    prior = law_prior(all_queries)
    final = Reranker(_fit(retriever, pools, prior), prior, adapter=None)
    final.save(Reranker.directory(retriever.settings.models_dir, retriever.embeddings.name))
    pick = lambda rankings, idx: [rankings[i] for i in idx]  # noqa: E731
    unseen_queries = [all_queries[i] for i in unseen]
    return {
        "n_queries": len(pools),
        "labels_resolved": round(resolved, 4),
        "folds": folds,
        "cv_reranker": metrics(learned, all_queries),
        "cv_rrf_fusion": metrics(fused, all_queries),
        "unseen_articles": {
            "n_queries": len(unseen),
            "reranker": metrics(pick(learned, unseen), unseen_queries) if unseen else {},
            "rrf_fusion": metrics(pick(fused, unseen), unseen_queries) if unseen else {},
        },
    }
