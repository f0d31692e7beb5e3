"""Question memory: the labelled questions the ranker was trained on, kept as embeddings with the
articles they were labelled with.

People ask about the same provisions in endlessly different words; a new question that resembles
earlier ones ("老板不给加班费" ~ "加班工资不发怎么办") is likely answered by the articles those were
labelled with. The memory proposes those articles as extra candidates and gives the ranker three
signals per candidate: the best similarity of a labelled neighbour citing it, a similarity-weighted
vote over the nearest neighbours, and how often the article was labelled at all. Only embeddings
and article ids are stored, not the questions' text.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np

NEIGHBOURS = 10
# Similarities are sharpened before voting so one close neighbour outweighs several loose ones.
VOTE_POWER = 4


class QuestionMemory:
    def __init__(self, vectors: np.ndarray, articles: list[list[str]]):
        norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(vectors) else 1.0
        self.vectors = (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)
        self.articles = articles
        counts = Counter(a for labelled in articles for a in labelled)
        self.prior = {a: float(np.log1p(n)) for a, n in counts.items()}

    def __len__(self) -> int:
        return len(self.articles)

    def recall(self, raw_vector: np.ndarray) -> dict[str, tuple[float, float]]:
        """Articles of the nearest labelled questions → (best similarity, weighted vote)."""
        if not len(self.articles):
            return {}
        similarity = self.vectors @ (raw_vector / (np.linalg.norm(raw_vector) or 1.0))
        nearest = np.argsort(-similarity)[:NEIGHBOURS]
        found: dict[str, tuple[float, float]] = {}
        for index in nearest:
            weight = float(max(similarity[index], 0.0))
            for article_id in self.articles[index]:
                best, vote = found.get(article_id, (0.0, 0.0))
                found[article_id] = (max(best, weight), vote + weight**VOTE_POWER)
        return found

    def save(self, directory: Path) -> None:
        np.save(directory / "memory.npy", self.vectors.astype(np.float16))
        (directory / "memory.json").write_text(json.dumps(self.articles, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "QuestionMemory | None":
        if not (directory / "memory.npy").exists():
            return None
        articles = json.loads((directory / "memory.json").read_text(encoding="utf-8"))
        return cls(np.load(directory / "memory.npy").astype(np.float32), articles)
