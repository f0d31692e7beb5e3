"""BM25 over jieba tokens (bm25s), saved next to the vector index."""

from __future__ import annotations

import json
import logging
from functools import cached_property
from pathlib import Path

import bm25s
import numpy as np

logging.getLogger("bm25s").setLevel(logging.WARNING)


class LexicalIndex:
    def __init__(self, model: bm25s.BM25, ids: list[str]):
        self.model = model
        self.ids = ids
        self.vocab: dict[str, int] = model.vocab_dict

    @classmethod
    def build(cls, token_lists: list[list[str]], ids: list[str], k1: float = 1.2, b: float = 0.75) -> "LexicalIndex":
        model = bm25s.BM25(k1=k1, b=b)
        model.index(token_lists, show_progress=False)
        return cls(model, ids)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.model.save(str(directory), show_progress=False)
        (directory / "ids.json").write_text(json.dumps(self.ids, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex":
        model = bm25s.BM25.load(str(directory))
        ids = json.loads((directory / "ids.json").read_text(encoding="utf-8"))
        return cls(model, ids)

    @cached_property
    def _doc_terms(self):
        """Documents × terms (CSR) from the BM25 matrix, so overlap features need no re-tokenising."""
        from scipy.sparse import csc_matrix

        raw = self.model.scores
        matrix = csc_matrix((raw["data"], raw["indices"], raw["indptr"]), shape=(raw["num_docs"], len(raw["indptr"]) - 1))
        return matrix.tocsr()

    def doc_term_ids(self, row: int) -> np.ndarray:
        matrix = self._doc_terms
        return matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]

    def term_ids(self, tokens: list[str]) -> set[int]:
        return {self.vocab[t] for t in tokens if t in self.vocab}

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every unit for the query (0 where no term matches)."""
        known = [t for t in query_tokens if t in self.vocab]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.model.get_scores(known), dtype=np.float32)
