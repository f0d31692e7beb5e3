"""The learned parts train from a LeCoQA-style file by a project command, report cross-validated
figures, ship small files under models/, and are used by the retriever once present."""

from __future__ import annotations

import json

import pytest

from legal_assistant.corpus import Corpus
from legal_assistant.retrieval.hybrid import HybridRetriever
from legal_assistant.retrieval.index import ingest
from legal_assistant.retrieval.rerank import Reranker
from legal_assistant.settings import PROJECT_ROOT
from retrieval_support import make_small_corpus, use_settings


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    root = tmp_path_factory.mktemp("training")
    corpus_dir = make_small_corpus(root / "corpus")
    with pytest.MonkeyPatch.context() as mp:
        settings = use_settings(mp, corpus_dir, root / "data", root / "models")
        corpus = Corpus.parse(corpus_dir)
        ingest(settings, corpus, progress=False)
        retriever = HybridRetriever(settings, corpus)
        assert retriever.reranker is None
        from legal_assistant.retrieval.train import train

        queries = PROJECT_ROOT / "tests" / "data" / "retrieval_tiny.json"
        report = train(retriever, queries, folds=2, progress=False)
        reloaded = HybridRetriever(settings, corpus)
    return settings, report, reloaded, root, corpus_dir


def test_training_reports_cross_validated_and_unseen_article_figures(trained):
    _, report, _, _, _ = trained
    assert report["n_queries"] == 8 and report["folds"] == 2
    for block in ("cv_reranker", "cv_rrf_fusion"):
        assert set(report[block]) == {"recall@5", "recall@10", "recall@100", "mrr@10"}
    # With 8 distinct articles, every test question's article is unseen in its training fold.
    assert report["unseen_articles"]["n_queries"] == 8
    assert set(report["cv_dense_only"]) == {"raw_recall@10", "adapter_recall@10"}


def test_trained_model_ships_small_and_is_used_by_the_retriever(trained):
    settings, _, retriever, _, _ = trained
    directory = Reranker.directory(settings.models_dir, "use-multilingual-v3")
    sizes = {p.name: p.stat().st_size for p in directory.iterdir()}
    assert set(sizes) == {"model.txt", "law_prior.json", "adapter.npy", "memory.npy", "memory.json"}
    assert sum(sizes.values()) < 5_000_000
    assert retriever.reranker is not None and retriever.reranker.adapter.shape == (512, 512)
    assert len(retriever.reranker.memory) == 8
    prior = json.loads((directory / "law_prior.json").read_text(encoding="utf-8"))
    assert set(prior) == {"民法典", "劳动合同法", "最高人民法院关于审理民间借贷案件适用法律若干问题的规定"}
    hits = retriever.search("民法典第585条 违约金过高", k=5)
    assert hits[0].explicit and hits[0].id == "民法典@2021-01-01#585"
    assert len({h.id for h in hits}) == len(hits)


def test_a_question_like_a_labelled_one_brings_its_article_into_the_pool(trained):
    """The question memory proposes the articles that similar training questions were labelled
    with, even when neither BM25 nor the dense channel would rank them."""
    _, _, retriever, _, _ = trained
    from legal_assistant.retrieval.hybrid import SearchFilters

    pool = retriever.candidates("试用期最长能约定多久？合同签了一年", SearchFilters(), n=1)
    ids = [retriever.units[r].id for r in pool.rows]
    probation = ids.index("劳动合同法@2012-12-28#19")
    assert pool.memory_best[probation] > 0.5
    assert pool.memory_prior[probation] > 0
    unrelated = [i for i, unit_id in enumerate(ids) if pool.memory_best[i] == 0]
    assert all(pool.memory_vote[i] == 0 for i in unrelated)


def test_training_on_the_tune_split_leaves_the_holdout_questions_unseen(trained, monkeypatch):
    """``--split tune`` trains on four fifths of the file, so ``eval answers --split holdout`` is honest."""
    from legal_assistant.retrieval.evaluate import in_split
    from legal_assistant.retrieval.train import train

    _, _, _, root, corpus_dir = trained
    settings = use_settings(monkeypatch, corpus_dir, root / "data", root / "models-tune")
    retriever = HybridRetriever(settings, Corpus.parse(corpus_dir))
    queries = PROJECT_ROOT / "tests" / "data" / "retrieval_tiny.json"
    tune_ids = [item["query_id"] for item in json.loads(queries.read_text(encoding="utf-8")) if in_split(item["query_id"], "tune")]
    report = train(retriever, queries, folds=2, use_adapter=False, progress=False, split="tune")
    assert report["split"] == "tune" and report["n_queries"] == len(tune_ids) < 8
    memory = HybridRetriever(settings, Corpus.parse(corpus_dir)).reranker.memory
    assert len(memory) == len(tune_ids)


def test_training_files_whose_question_ids_collide_are_refused(tmp_path):
    from legal_assistant.corpus import get_corpus
    from legal_assistant.retrieval.train import load_all_queries

    corpus = get_corpus()
    questions = tmp_path / "q.json"
    questions.write_text('[{"query_id": "x1", "问题": "试用期多长", "match_name": ["中华人民共和国劳动合同法第十九条"]}]', encoding="utf-8")
    found, resolved = load_all_queries([questions], corpus)
    assert [q.query_id for q in found] == ["x1"] and resolved == 1.0
    with pytest.raises(ValueError, match="重复"):
        load_all_queries([questions, questions], corpus)
