"""The question memory recalls the articles that the nearest labelled questions cite, weighting
close neighbours most, and survives a save/load round trip."""

from __future__ import annotations

import numpy as np

from legal_assistant.retrieval.memory import NEIGHBOURS, QuestionMemory


def _memory() -> QuestionMemory:
    vectors = np.array([[1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32)
    return QuestionMemory(vectors, [["A#1"], ["A#1", "B#2"], ["C#3"]])


def test_nearest_questions_vote_for_their_articles():
    recalled = _memory().recall(np.array([1.0, 0.05, 0.0], dtype=np.float32))
    best_a, vote_a = recalled["A#1"]
    best_b, vote_b = recalled["B#2"]
    assert best_a > 0.99 and vote_a > vote_b  # A is cited by both close questions, B by one
    assert recalled["C#3"][0] < 0.1  # the orthogonal question barely counts


def test_prior_counts_how_often_an_article_was_labelled():
    memory = _memory()
    assert memory.prior["A#1"] > memory.prior["B#2"] > 0
    assert "Z#9" not in memory.prior


def test_only_the_nearest_neighbours_are_consulted():
    vectors = np.eye(NEIGHBOURS + 5, dtype=np.float32)
    memory = QuestionMemory(vectors, [[f"L#{i}"] for i in range(NEIGHBOURS + 5)])
    assert len(memory.recall(np.ones(NEIGHBOURS + 5, dtype=np.float32))) == NEIGHBOURS


def test_memory_round_trips_through_files(tmp_path):
    memory = _memory()
    memory.save(tmp_path)
    loaded = QuestionMemory.load(tmp_path)
    assert loaded is not None and loaded.articles == memory.articles
    query = np.array([0.2, 1.0, 0.0], dtype=np.float32)
    assert loaded.recall(query).keys() == memory.recall(query).keys()
    assert QuestionMemory.load(tmp_path / "missing") is None
