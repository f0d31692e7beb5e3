"""Build and open the retrieval index: a Chroma collection (through langchain) plus BM25.

Safe to interrupt and to repeat:
- every vector is cached by content hash (``CachedEmbeddings``), so a killed ingest resumes where
  it stopped and an unchanged corpus re-embeds nothing;
- a build writes a *new* collection named after the embedder and the corpus fingerprint and only
  then switches ``manifest-<embedder>.json`` to it, so the app never serves a half-written
  collection, and changing the embedder never mixes vectors of two models.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from tqdm import tqdm

from legal_assistant.corpus import Corpus, get_corpus
from legal_assistant.retrieval.embeddings import CachedEmbeddings, make_embeddings
from legal_assistant.retrieval.lexical import LexicalIndex
from legal_assistant.retrieval.tokenize import load_legal_dictionary, tokens
from legal_assistant.retrieval.units import IndexUnit, corpus_units
from legal_assistant.settings import Settings, get_settings

ADD_BATCH = 2000


@dataclass
class IngestReport:
    units: int
    embedded: int
    collection: str
    seconds: float
    up_to_date: bool

    def as_dict(self) -> dict:
        return self.__dict__.copy()


def chroma_client(settings: Settings) -> chromadb.ClientAPI:
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def _manifest_path(settings: Settings, embedder_name: str) -> Path:
    return settings.index_dir / f"manifest-{embedder_name}.json"


def read_manifest(settings: Settings, embedder_name: str) -> dict | None:
    path = _manifest_path(settings, embedder_name)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _fingerprint(units: list[IndexUnit], embedder_name: str) -> str:
    digest = sha256(embedder_name.encode())
    for unit in units:
        digest.update(unit.content_hash.encode())
    return digest.hexdigest()[:16]


def all_units(corpus: Corpus, settings: Settings) -> list[IndexUnit]:
    from legal_assistant.retrieval.user_documents import user_units

    return corpus_units(corpus) + user_units(settings)


def ingest(settings: Settings | None = None, corpus: Corpus | None = None, progress: bool = True) -> IngestReport:
    settings = settings or get_settings()
    corpus = corpus or get_corpus()
    started = time.perf_counter()
    embeddings = make_embeddings(settings.embedding_model, settings.index_dir)
    assert isinstance(embeddings, CachedEmbeddings)
    units = all_units(corpus, settings)
    fingerprint = _fingerprint(units, embeddings.name)
    collection_name = f"{settings.collection_prefix}-{embeddings.name}-{fingerprint}"[:63]
    client = chroma_client(settings)
    manifest = read_manifest(settings, embeddings.name)
    if (
        manifest
        and manifest["fingerprint"] == fingerprint
        and (settings.index_dir / manifest["bm25"] / VECTORS_FILE).exists()
        and _collection_complete(client, collection_name, len(units))
    ):
        return IngestReport(len(units), 0, collection_name, time.perf_counter() - started, up_to_date=True)

    texts = [u.dense_text for u in units]
    todo = sorted(embeddings.missing(texts), key=len)  # similar lengths batch with less padding
    with tqdm(total=len(todo), desc="向量化法条", unit="条", disable=not progress) as bar:
        for start in range(0, len(todo), settings.embedding_batch_size):
            batch = todo[start : start + settings.embedding_batch_size]
            embeddings.embed_documents(batch)
            bar.update(len(batch))

    if not _collection_complete(client, collection_name, len(units)):  # its name is its content
        _write_collection(client, collection_name, embeddings, units, progress)
    bm25_dir = settings.index_dir / f"bm25-{fingerprint}"
    _write_lexical(corpus, units, bm25_dir, progress)
    _write_vectors(embeddings, units, bm25_dir)

    settings.index_dir.mkdir(parents=True, exist_ok=True)
    path = _manifest_path(settings, embeddings.name)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps(
            {"fingerprint": fingerprint, "collection": collection_name, "embedder": embeddings.name, "units": len(units), "bm25": bm25_dir.name},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    tmp.replace(path)  # the switch: readers see the old index or the new one, never a mix
    _remove_stale(client, settings, embeddings.name, collection_name, bm25_dir)
    return IngestReport(len(units), len(todo), collection_name, time.perf_counter() - started, up_to_date=False)


def _collection_complete(client: chromadb.ClientAPI, name: str, expected: int) -> bool:
    try:
        return client.get_collection(name).count() == expected
    except Exception:
        return False


def _write_collection(client, name: str, embeddings: CachedEmbeddings, units: list[IndexUnit], progress: bool) -> None:
    try:  # leftovers of a killed build are never trusted
        client.delete_collection(name)
    except Exception:
        pass
    store = Chroma(client=client, collection_name=name, embedding_function=embeddings, collection_metadata={"hnsw:space": "cosine"})
    with tqdm(total=len(units), desc="写入向量库", unit="条", disable=not progress) as bar:
        for start in range(0, len(units), ADD_BATCH):
            batch = units[start : start + ADD_BATCH]
            store.add_texts(
                texts=[u.dense_text for u in batch],
                metadatas=[{**u.metadata, "title": u.title} for u in batch],
                ids=[u.id for u in batch],
            )
            bar.update(len(batch))


def _write_lexical(corpus: Corpus, units: list[IndexUnit], directory: Path, progress: bool) -> None:
    load_legal_dictionary(corpus.legal_terms)
    token_lists = [tokens(u.lexical_text) for u in tqdm(units, desc="分词建索引", unit="条", disable=not progress)]
    tmp = directory.with_name(directory.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    LexicalIndex.build(token_lists, [u.id for u in units]).save(tmp)
    shutil.rmtree(directory, ignore_errors=True)
    tmp.replace(directory)


VECTORS_FILE = "vectors.npy"


def _write_vectors(embeddings: CachedEmbeddings, units: list[IndexUnit], directory: Path) -> None:
    """Unit vectors in index order, memory-mapped by the retriever for exact scoring of the
    candidates the vector store did not return and of narrow filters (one law, one date)."""
    cached = embeddings.cached([u.dense_text for u in units])
    matrix = np.vstack([cached[embeddings.key(u.dense_text)] for u in units]).astype(np.float32)
    np.save(directory / VECTORS_FILE, matrix)


def _remove_stale(client, settings: Settings, embedder_name: str, keep: str, keep_bm25: Path) -> None:
    prefix = f"{settings.collection_prefix}-{embedder_name}-"
    for collection in client.list_collections():
        name = collection if isinstance(collection, str) else collection.name
        if name.startswith(prefix) and name != keep:
            client.delete_collection(name)
    in_use = {keep_bm25.name} | {
        json.loads(p.read_text(encoding="utf-8"))["bm25"] for p in settings.index_dir.glob("manifest-*.json")
    }
    for directory in settings.index_dir.glob("bm25-*"):
        if directory.name not in in_use:
            shutil.rmtree(directory, ignore_errors=True)
