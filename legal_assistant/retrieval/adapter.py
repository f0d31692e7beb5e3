"""A linear query-side adapter for the dense channel, trained on (question, labelled article) pairs.

Layperson questions and statute text live in different regions of the embedding space; a learned
map W (query → W·query) pulls questions toward the articles that answer them without re-embedding
the corpus. Contrastive loss over the labelled article against hard negatives (the nearest
non-labelled articles), with a penalty that keeps W near the identity so it cannot forget what
the base model knows. Training needs torch (installed by the ``st`` extra); using W needs numpy only.
"""

from __future__ import annotations

import numpy as np

SEED = 13


def train_adapter(
    query_vectors: np.ndarray,
    positives: list[list[int]],
    article_matrix: np.ndarray,
    hard_negatives: list[list[int]],
    epochs: int = 30,
    temperature: float = 0.05,
    identity_weight: float = 1.0,
    random_negatives: int = 64,
) -> np.ndarray:
    """Return W (d×d). ``positives``/``hard_negatives`` index rows of ``article_matrix``."""
    import torch

    torch.manual_seed(SEED)
    torch.set_num_threads(1)  # small matrices: a second thread only contends on a busy machine
    generator = np.random.default_rng(SEED)
    dimension = query_vectors.shape[1]
    weight = torch.nn.Parameter(torch.eye(dimension))
    optimizer = torch.optim.Adam([weight], lr=1e-3)
    queries = torch.from_numpy(query_vectors.astype(np.float32))
    articles = torch.from_numpy(article_matrix.astype(np.float32))
    identity = torch.eye(dimension)
    pairs = np.array([(q, p) for q, rows in enumerate(positives) for p in rows])
    # Per query: its hard negatives minus its own positives, padded to a fixed width with random rows.
    width = max(len(h) for h in hard_negatives)
    negatives = np.empty((len(positives), width), dtype=np.int64)
    for q, rows in enumerate(hard_negatives):
        kept = [n for n in rows if n not in positives[q]]
        negatives[q] = kept + list(generator.integers(0, len(articles), width - len(kept)))
    for _ in range(epochs):
        order = generator.permutation(len(pairs))
        for start in range(0, len(order), 64):
            batch = pairs[order[start : start + 64]]
            mapped = torch.nn.functional.normalize(queries[batch[:, 0]] @ weight.T, dim=1)
            shared = generator.integers(0, len(articles), random_negatives)
            candidates = np.concatenate(
                [batch[:, 1:2], negatives[batch[:, 0]], np.broadcast_to(shared, (len(batch), random_negatives))], axis=1
            )
            logits = torch.einsum("bkd,bd->bk", articles[torch.from_numpy(candidates)], mapped) / temperature
            loss = torch.nn.functional.cross_entropy(logits, torch.zeros(len(batch), dtype=torch.long))
            loss = loss + identity_weight * ((weight - identity) ** 2).sum() / dimension
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return weight.detach().numpy().astype(np.float32)
