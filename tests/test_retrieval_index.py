"""Ingest into a real Chroma is incremental, resumable, never half-served, and retrieval finds
the right article on a small real corpus."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from legal_assistant.corpus import Corpus
from legal_assistant.retrieval.hybrid import HybridRetriever, IndexNotReady, SearchFilters
from legal_assistant.retrieval.index import ingest, read_manifest
from retrieval_support import make_small_corpus, use_settings


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    return make_small_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def built(tmp_path_factory, small_corpus):
    """One real ingest shared by the read-only tests of this module."""
    data = tmp_path_factory.mktemp("built")
    with pytest.MonkeyPatch.context() as mp:
        settings = use_settings(mp, small_corpus, data, data / "models")
        corpus = Corpus.parse(small_corpus)
        report = ingest(settings, corpus, progress=False)
        retriever = HybridRetriever(settings, corpus)
    return settings, corpus, report, retriever


def test_first_ingest_embeds_every_unit_and_a_second_reembeds_nothing(built):
    settings, corpus, report, _ = built
    assert report.units > 600 and report.embedded == report.units and not report.up_to_date
    again = ingest(settings, corpus, progress=False)
    assert again.up_to_date and again.embedded == 0
    assert again.collection == report.collection


def test_changed_document_reembeds_only_what_changed(tmp_path, monkeypatch, small_corpus):
    import shutil

    corpus_dir = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus_dir)
    settings = use_settings(monkeypatch, corpus_dir, tmp_path / "data", tmp_path / "models")
    first = ingest(settings, Corpus.parse(corpus_dir), progress=False)
    path = corpus_dir / "社会法/劳动合同法(2012-12-28).md"
    path.write_text(path.read_text(encoding="utf-8").replace("第九十八条 本法自2008年1月1日起施行。", "第九十八条 本法自2008年1月1日起施行（测试修改）。"), encoding="utf-8")
    second = ingest(settings, Corpus.parse(corpus_dir), progress=False)
    assert second.embedded == 1
    assert second.collection != first.collection
    assert read_manifest(settings, "use-multilingual-v3")["collection"] == second.collection


def test_retrieval_finds_the_article_for_everyday_questions(built):
    _, _, _, retriever = built
    cases = {
        "签一年的劳动合同，试用期最长可以约定多久？": "劳动合同法@2012-12-28#19",
        "合同里的违约金约定得太高了，可以请求法院调低吗？": "民法典@2021-01-01#585",
        "員工離職後競業限制期限最長可以約定幾年？": "劳动合同法@2012-12-28#24",
    }
    for question, expected in cases.items():
        ids = [h.id for h in retriever.search(question, k=10)]
        assert expected in ids, (question, ids)


def test_explicit_citation_goes_straight_to_the_article(built):
    _, _, _, retriever = built
    hits = retriever.search("民法典第585条怎么理解", k=5)
    assert hits[0].id == "民法典@2021-01-01#585" and hits[0].explicit
    assert hits[0].article.number_text == "第五百八十五条"


def test_filters_by_law_and_kind(built):
    _, _, _, retriever = built
    hits = retriever.search("借款利息", k=10, filters=SearchFilters(laws=("劳动合同法",)))
    assert hits and all(h.unit.metadata["law_key"] == "劳动合同法" for h in hits)
    cases = retriever.search("加班费仲裁时效", k=3, filters=SearchFilters(kinds=("case",)))
    assert cases and all(h.unit.kind == "case" for h in cases)


def test_retriever_without_index_says_what_to_do(tmp_path, monkeypatch, small_corpus):
    settings = use_settings(monkeypatch, small_corpus, tmp_path / "empty", tmp_path / "models")
    with pytest.raises(IndexNotReady, match="legal-assistant ingest"):
        HybridRetriever(settings, Corpus.parse(small_corpus))


def test_killed_ingest_resumes_and_never_serves_a_partial_collection(tmp_path, small_corpus):
    import sqlite3

    env = {**os.environ, "LEGAL_CORPUS_DIR": str(small_corpus), "LEGAL_DATA_DIR": str(tmp_path / "data"), "LEGAL_EMBEDDING_BATCH_SIZE": "16"}
    command = [sys.executable, "-m", "legal_assistant", "ingest"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = tmp_path / "data" / "index" / "embeddings.sqlite"

    def cached_vectors() -> int:
        try:
            with sqlite3.connect(cache, timeout=1) as db:
                return db.execute("SELECT count(*) FROM vectors").fetchone()[0]
        except sqlite3.Error:
            return 0

    deadline = time.time() + 300
    while time.time() < deadline and cached_vectors() < 64:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done_before_kill = cached_vectors()
    assert not (tmp_path / "data" / "index" / "manifest-use-multilingual-v3.json").exists()
    resumed = subprocess.run(command + ["--quiet"], env=env, capture_output=True, text=True, check=True)
    report = json.loads(resumed.stdout.strip().splitlines()[-1])
    assert 0 < done_before_kill < report["units"]
    assert report["embedded"] == report["units"] - done_before_kill  # nothing embedded twice
    assert (tmp_path / "data" / "index" / "manifest-use-multilingual-v3.json").exists()


def test_hybrid_retriever_plugs_into_langchain(built):
    from legal_assistant.retrieval.langchain_retriever import LegalArticleRetriever

    _, _, _, retriever = built
    documents = LegalArticleRetriever(retriever=retriever, k=3).invoke("民法典第五百八十六条")
    assert documents[0].metadata["citation"] == "《民法典》第五百八十六条（2021-01-01）"
    assert documents[0].page_content.startswith("当事人可以约定一方向对方给付定金")
