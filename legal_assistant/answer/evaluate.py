"""Answer quality on a LeCoQA-style file: grounding (hit rate, invalid citations), latency, and
overlap with the annotators' reference answers (BLEU, METEOR).

BLEU is NLTK's sentence BLEU (smoothing method 4); METEOR is NLTK's ``meteor_score``. Both run on
jieba tokens (the default dictionary, in a tokenizer of its own, so the app's legal dictionary
does not change the measure). WordNet cannot be downloaded here and has no Chinese synonyms
anyway, so METEOR is given a WordNet with no synonyms: it aligns exact (and stem) matches only.

Splits (``retrieval.evaluate.in_split``): ``tune`` and ``holdout`` divide the file by a hash of the
query id (one in five held out), so phrasing can be tuned on one part and measured on questions
never looked at. For an honest figure the ranker must not have seen them either: train it with
``legal-assistant train reranker --split tune`` into another ``LEGAL_MODELS_DIR``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from legal_assistant.answer.types import Answer
from legal_assistant.corpus import Corpus
from legal_assistant.retrieval.evaluate import LabelledQuery, in_split, load_queries

class _NoSynonyms:
    """Stands in for NLTK's WordNet: no synsets, so METEOR matches exact words and stems only."""

    def synsets(self, *_args, **_kwargs) -> list:
        return []


@dataclass
class ReferenceQuery:
    labelled: LabelledQuery
    reference: str


def load_reference_queries(path: Path, corpus: Corpus, split: str = "all", limit: int | None = None) -> tuple[list[ReferenceQuery], float]:
    labelled, resolved = load_queries(path, corpus)
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    references = {str(item.get("query_id", index)): item.get("答案文本") for index, item in enumerate(data)}
    chosen = [
        ReferenceQuery(q, references.get(q.query_id) if isinstance(references.get(q.query_id), str) else "")
        for q in labelled
        if in_split(q.query_id, split)
    ]
    return (chosen[:limit] if limit else chosen), resolved


class OverlapScorer:
    """BLEU and METEOR of a candidate answer against one reference, on jieba tokens."""

    def __init__(self):
        import jieba
        from nltk.translate.bleu_score import SmoothingFunction

        self._tokenizer = jieba.Tokenizer()
        self._smoothing = SmoothingFunction().method4
        self._wordnet = _NoSynonyms()

    def tokens(self, text: str) -> list[str]:
        return [t for t in self._tokenizer.lcut(text) if t.strip()]

    def bleu(self, candidate: str, reference: str) -> float:
        from nltk.translate.bleu_score import sentence_bleu

        hypothesis, expected = self.tokens(candidate), self.tokens(reference)
        if not hypothesis or not expected:
            return 0.0
        return float(sentence_bleu([expected], hypothesis, smoothing_function=self._smoothing))

    def meteor(self, candidate: str, reference: str) -> float:
        from nltk.translate.meteor_score import meteor_score

        hypothesis, expected = self.tokens(candidate), self.tokens(reference)
        if not hypothesis or not expected:
            return 0.0
        return float(meteor_score([expected], hypothesis, wordnet=self._wordnet))


def invalid_citations(answer: Answer, corpus: Corpus) -> int:
    """Citations whose quoted text is not the corpus text of that exact article version."""
    bad = 0
    for cited in answer.citations:
        article = cited.article
        stored = corpus.article(article.law_title, article.number, article.sub, version=article.version_date)
        if stored is None or stored.text != article.text:
            bad += 1
    return bad


def evaluate_answers(
    queries_path: Path,
    answer,
    corpus: Corpus,
    split: str = "all",
    limit: int | None = None,
    out: Path | None = None,
    progress: bool = True,
) -> dict:
    """``answer`` is a callable question → Answer (so the CLI chooses the mode and retriever)."""
    from tqdm import tqdm

    queries, resolved = load_reference_queries(queries_path, corpus, split, limit)
    scorer = OverlapScorer()
    answer("劳动合同试用期最长多久")  # warm-up: tokenizer dictionaries, embedder, risk matcher
    hits = invalid = 0
    latencies, bleus, meteors = [], [], []
    sink = out.open("w", encoding="utf-8") if out else None
    try:
        for query in tqdm(queries, desc="回答评测", unit="问", disable=not progress):
            started = time.perf_counter()
            result: Answer = answer(query.labelled.question)
            latencies.append((time.perf_counter() - started) * 1000)
            cited_ids = {c.article.id for c in result.citations}
            hits += bool(cited_ids & query.labelled.gold)
            invalid += invalid_citations(result, corpus)
            if query.reference:
                bleus.append(scorer.bleu(result.reply, query.reference))
                meteors.append(scorer.meteor(result.reply, query.reference))
            if sink:
                row = {
                    "query_id": query.labelled.query_id,
                    "问题": query.labelled.question,
                    "answer": result.reply,
                    "citations": [c.article.citation for c in result.citations],
                }
                sink.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if sink:
            sink.close()
    n = len(queries)
    return {
        "n_queries": n,
        "split": split,
        "labels_resolved": round(resolved, 4),
        "answer_hit_rate": round(hits / n, 4) if n else 0.0,
        "invalid_citations": invalid,
        "bleu": round(float(np.mean(bleus)), 4) if bleus else None,
        "meteor": round(float(np.mean(meteors)), 4) if meteors else None,
        "meteor_matching": "exact+stem (no WordNet synonyms)",
        "latency_ms": {
            "p50": round(float(np.percentile(latencies, 50)), 1) if latencies else None,
            "p95": round(float(np.percentile(latencies, 95)), 1) if latencies else None,
        },
    }
