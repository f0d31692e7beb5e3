"""Retrieval quality on a LeCoQA-style file: Recall@k, MRR@10, latency, and a plain BM25 baseline
measured in the same process over the same articles."""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path

import jieba
import numpy as np
from tqdm import tqdm

from legal_assistant.corpus import Corpus
from legal_assistant.retrieval.lexical import LexicalIndex
from legal_assistant.retrieval.units import KIND_ARTICLE

KS = (5, 10, 100)
HOLDOUT_SHARE = 5  # one question in five is held out


def in_split(query_id: str, split: str) -> bool:
    """``tune`` (four in five questions, by a hash of the id), ``holdout`` (the fifth) or ``all``."""
    if split == "all":
        return True
    held_out = int(hashlib.sha256(query_id.encode()).hexdigest(), 16) % HOLDOUT_SHARE == 0
    return held_out if split == "holdout" else not held_out


@dataclass
class LabelledQuery:
    query_id: str
    question: str
    gold: set[str]  # article ids in the corpus


def load_queries(path: Path, corpus: Corpus) -> tuple[list[LabelledQuery], float]:
    """Queries with their labelled articles resolved to corpus ids; also the fraction resolved."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    queries: list[LabelledQuery] = []
    labels = resolved = 0
    for index, item in enumerate(data):
        gold = set()
        for name in item.get("match_name", []):
            labels += 1
            article = corpus.resolve_name(name)
            if article:
                resolved += 1
                gold.add(article.id)
        if gold:
            queries.append(LabelledQuery(str(item.get("query_id", index)), item["问题"], gold))
    return queries, (resolved / labels if labels else 0.0)


def metrics(rankings: list[list[str]], queries: list[LabelledQuery]) -> dict[str, float]:
    out: dict[str, float] = {}
    for k in KS:
        out[f"recall@{k}"] = float(np.mean([len(q.gold & set(r[:k])) / len(q.gold) for r, q in zip(rankings, queries)]))
    reciprocal = []
    for ranking, query in zip(rankings, queries):
        rank = next((i for i, unit_id in enumerate(ranking[:10]) if unit_id in query.gold), None)
        reciprocal.append(0.0 if rank is None else 1.0 / (rank + 1))
    out["mrr@10"] = float(np.mean(reciprocal))
    return {k: round(v, 4) for k, v in out.items()}


_PLAIN_PUNCT = re.compile(r"^[\W_]+$")


class PlainBm25:
    """The baseline: default jieba (no legal dictionary, no stop words, no expansion) + BM25."""

    def __init__(self, units, progress: bool = True):
        self.tokenizer = jieba.Tokenizer()
        self.ids = [u.id for u in units]
        tokens = [self._tokens(u.lexical_text) for u in tqdm(units, desc="基线分词", unit="条", leave=False, disable=not progress)]
        self.index = LexicalIndex.build(tokens, self.ids)

    def _tokens(self, text: str) -> list[str]:
        return [w for w in self.tokenizer.lcut(text) if w.strip() and not _PLAIN_PUNCT.match(w)]

    def search(self, query: str, k: int = 100) -> list[str]:
        scores = self.index.scores(self._tokens(query))
        top = np.argsort(-scores)[:k]
        return [self.ids[i] for i in top if scores[i] > 0]


def evaluate_retrieval(retriever, queries_path: Path, baseline: bool = True, progress: bool = True) -> dict:
    queries, resolved = load_queries(queries_path, retriever.corpus)
    rankings, latencies = [], []
    retriever.search("劳动合同", k=10)  # warm-up: first call loads tokenizer caches
    for query in tqdm(queries, desc="检索评测", unit="问", disable=not progress):
        started = time.perf_counter()
        hits = retriever.search(query.question, k=100)
        latencies.append((time.perf_counter() - started) * 1000)
        rankings.append([h.id for h in hits])
    report = {
        "n_queries": len(queries),
        "labels_resolved": round(resolved, 4),
        **metrics(rankings, queries),
        "latency_ms": {"p50": round(float(np.percentile(latencies, 50)), 1), "p95": round(float(np.percentile(latencies, 95)), 1)},
    }
    if baseline:
        articles = [u for u in retriever.units if u.kind == KIND_ARTICLE and u.metadata["in_force"]]
        plain = PlainBm25(articles, progress)
        base = metrics([plain.search(q.question) for q in queries], queries)
        report["baseline_bm25"] = {k: base[k] for k in ("recall@10", "recall@100", "mrr@10")}
        report["ratio_recall@10_vs_baseline"] = round(report["recall@10"] / max(base["recall@10"], 1e-9), 3)
    return report
