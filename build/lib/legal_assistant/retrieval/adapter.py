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
    epochs: int = 40,
    temperature: float = 0.05,
    identity_weight: float = 1.0,
    random_negatives: int = 256,
) -> np.ndarray:
    """Return W (d×d). ``positives``/``hard_negatives`` index rows of ``article_matrix``."""
    import torch

    torch.manual_seed(SEED)
    generator = np.random.default_rng(SEED)
    dimension = query_vectors.shape[1]
    weight = torch.nn.Parameter(torch.eye(dimension))
    optimizer = torch.optim.Adam([weight], lr=1e-3)
    queries = torch.from_numpy(query_vectors.astype(np.float32))
    articles = torch.from_numpy(article_matrix.astype(np.float32))
    identity = torch.eye(dimension)
    pairs = [(q, p) for q, rows in enumerate(positives) for p in rows]
    for _ in range(epochs):
        order = generator.permutation(len(pairs))
        for start in range(0, len(order), 64):
            batch = [pairs[i] for i in order[start : start + 64]]
            q_index = torch.tensor([q for q, _ in batch])
            mapped = torch.nn.functional.normalize(queries[q_index] @ weight.T, dim=1)
            losses = []
            shared = torch.from_numpy(generator.integers(0, len(articles), random_negatives))
            for row, (q, positive) in enumerate(batch):
                negatives = [n for n in hard_negatives[q] if n not in positives[q]]
                candidates = torch.cat([torch.tensor([positive] + negatives), shared])
                logits = (articles[candidates] @ mapped[row]) / temperature
                losses.append(torch.nn.functional.cross_entropy(logits.unsqueeze(0), torch.zeros(1, dtype=torch.long)))
            loss = torch.stack(losses).mean() + identity_weight * ((weight - identity) ** 2).sum() / dimension
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return weight.detach().numpy().astype(np.float32)
