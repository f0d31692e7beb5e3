"""Recall@k and MRR@10 on a tiny hand-checked set, computed exactly as the eval command reports."""

from legal_assistant.retrieval.evaluate import LabelledQuery, metrics


def test_metrics_match_hand_computation():
    queries = [
        LabelledQuery("a", "q1", {"x", "y"}),  # x at rank 1, y at rank 12
        LabelledQuery("b", "q2", {"z"}),  # z at rank 3
        LabelledQuery("c", "q3", {"w"}),  # never retrieved
    ]
    rankings = [
        ["x"] + [f"n{i}" for i in range(10)] + ["y"],
        ["n1", "n2", "z"],
        ["n1", "n2"],
    ]
    result = metrics(rankings, queries)
    # recall@5: (1/2 + 1 + 0) / 3 = 0.5 ; recall@10 same ; recall@100: (1 + 1 + 0) / 3
    assert result["recall@5"] == 0.5
    assert result["recall@10"] == 0.5
    assert result["recall@100"] == round(2 / 3, 4)
    # MRR@10: (1/1 + 1/3 + 0) / 3
    assert result["mrr@10"] == round((1 + 1 / 3) / 3, 4)
