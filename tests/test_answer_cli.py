"""The ``ask`` and ``eval answers`` commands: one JSON object, every citation verbatim from the
corpus, dated versions on request, zh-CN errors with exit code 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from answer_support import built_answer_index
from legal_assistant.cli import app
from legal_assistant.corpus import get_corpus
from legal_assistant.retrieval.service import get_retriever
from legal_assistant.settings import get_settings

DEV_STYLE_QUESTIONS = [
    "技术骨干离职去了对手公司，我们能限制他多久？",
    "签一年的劳动合同，试用期最长可以约定多久？",
    "合同里约定的违约金太高了，可以请求法院调低吗？",
    "民间借贷的利率最高能约定多少？",
    "员工入职两个月了还没签劳动合同，公司要承担什么责任？",
    "民法典第585条怎么理解",
]


@pytest.fixture(scope="module")
def index_env(tmp_path_factory):
    return built_answer_index(tmp_path_factory)[0]


@pytest.fixture
def cli(index_env, monkeypatch):
    """The CLI in-process, configured for the small index (the same code path as the console script)."""
    for key, value in index_env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("LEGAL_LLM_BASE_URL", raising=False)
    for cache in (get_settings, get_corpus, get_retriever):
        cache.cache_clear()
    yield CliRunner()
    for cache in (get_settings, get_corpus, get_retriever):
        cache.cache_clear()


def ask_json(cli, *args) -> dict:
    result = cli.invoke(app, ["ask", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_citation_of_every_answer_is_verbatim_corpus_text(cli):
    corpus = get_corpus()
    cited = 0
    for question in DEV_STYLE_QUESTIONS:
        payload = ask_json(cli, question)
        assert set(payload) >= {"answer", "citations", "cases", "risk_level", "mode"}
        assert payload["mode"] == "offline" and payload["answer"]
        for citation in payload["citations"]:
            law = corpus.law(citation["law"])
            assert law is not None, citation
            article = next(
                a for doc in law.versions if doc.version_date == citation["version_date"] for a in doc.articles if a.number_text == citation["article"]
            )
            assert citation["text"] == article.text
            cited += 1
    assert cited >= len(DEV_STYLE_QUESTIONS)


def test_as_of_picks_the_version_in_force_on_that_date(cli):
    old = ask_json(cli, "春节放假几天？", "--as-of", "2020-01-01")
    holiday = [c for c in old["citations"] if c["law"] == "全国年节及纪念日放假办法"]
    assert holiday and holiday[0]["version_date"] == "2013-12-11"
    assert "放假3天" in holiday[0]["text"] and holiday[0]["warnings"]


def test_bad_date_is_refused_in_chinese_with_exit_code_2(cli):
    result = cli.invoke(app, ["ask", "春节放假几天？", "--as-of", "2020/01/01", "--json"])
    assert result.exit_code == 2
    assert "日期格式应为 YYYY-MM-DD" in result.stderr


def test_missing_index_is_reported_in_chinese_with_exit_code_2(tmp_path, index_env):
    env = {**os.environ, "LEGAL_CORPUS_DIR": index_env["LEGAL_CORPUS_DIR"], "LEGAL_DATA_DIR": str(tmp_path / "empty")}
    env.pop("LEGAL_LLM_BASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "legal_assistant", "ask", "试用期多久", "--json"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "legal-assistant ingest" in result.stderr and result.stdout == ""


def test_eval_answers_reports_grounding_overlap_and_latency(cli, tmp_path):
    queries = [
        {
            "query_id": 1,
            "问题": "签一年的劳动合同，试用期最长可以约定多久？",
            "答案文本": "您好，根据《劳动合同法》第十九条规定，劳动合同期限一年以上不满三年的，试用期不得超过二个月。",
            "match_name": ["中华人民共和国劳动合同法第十九条"],
        },
        {
            "query_id": 2,
            "问题": "违约金约定过高怎么办？",
            "答案文本": "您好，根据《民法典》第五百八十五条规定，约定的违约金过分高于造成的损失的，可以请求人民法院予以适当减少。",
            "match_name": ["中华人民共和国民法典第五百八十五条"],
        },
        {"query_id": 3, "问题": "某部早已废止的条例第一条", "答案文本": "无", "match_name": ["不存在的条例第一条"]},
    ]
    path = tmp_path / "queries.json"
    path.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "answers.jsonl"
    result = cli.invoke(app, ["eval", "answers", "--queries", str(path), "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n_queries"] == 2  # the unresolvable label is left out, as in retrieval evaluation
    assert report["answer_hit_rate"] == 1.0
    assert report["invalid_citations"] == 0
    assert 0 < report["bleu"] <= 1 and 0 < report["meteor"] <= 1
    assert report["latency_ms"]["p50"] > 0 and report["latency_ms"]["p95"] >= report["latency_ms"]["p50"]
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["query_id"] for r in rows] == ["1", "2"]
    assert rows[0]["问题"] == queries[0]["问题"] and rows[0]["answer"] and rows[0]["citations"]
