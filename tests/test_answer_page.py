"""The chat page, the Markdown/DOCX export and stored feedback, on the small real index."""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from answer_support import built_answer_index
from legal_assistant.answer import answer_question
from legal_assistant.answer.export import to_docx, to_markdown
from legal_assistant.answer.feedback import HELPFUL, NOT_HELPFUL, list_feedback, record_feedback
from legal_assistant.answer.models import QaFeedback
from legal_assistant.corpus import get_corpus
from legal_assistant.retrieval.service import get_retriever
from legal_assistant.settings import PROJECT_ROOT, get_settings
from legal_assistant.store.db import get_engine, session_scope

NON_COMPETE = "技术骨干离职去了对手公司，我们能限制他多久？"


@pytest.fixture(autouse=True)
def fresh_engine():
    """Each test's database lives in its own data dir; never reuse another test's engine."""
    get_engine.cache_clear()
    yield
    get_engine.cache_clear()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return built_answer_index(tmp_path_factory)


@pytest.fixture
def answer(built):
    return answer_question(NON_COMPETE, retriever=built[1], mode="offline")


@pytest.fixture
def page_env(built, monkeypatch, isolated_data_dir):
    """Settings for the page: the small index's corpus and index, but this test's own database."""
    env, _ = built
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("LEGAL_LLM_BASE_URL", raising=False)
    monkeypatch.setenv("LEGAL_DATABASE_URL", f"sqlite:///{isolated_data_dir / 'page.db'}")
    for cache in (get_settings, get_corpus, get_retriever, get_engine):
        cache.cache_clear()
    yield
    for cache in (get_settings, get_corpus, get_retriever, get_engine):
        cache.cache_clear()


def test_markdown_export_has_every_section_and_the_full_article(answer):
    text = to_markdown(answer)
    for heading in ("## 法律依据", "## 风险等级与建议措施", "## 说明与边界", "**结论**"):
        assert heading in text
    article = answer.citations[0].article
    assert f"### {article.citation}" in text
    for paragraph in article.paragraphs:
        assert f"> {paragraph}" in text


def test_docx_export_opens_and_quotes_the_articles(answer):
    document = Document(io.BytesIO(to_docx(answer)))
    body = "\n".join(p.text for p in document.paragraphs)
    assert answer.question in body and answer.conclusion in body
    for cited in answer.citations:
        assert cited.article.citation in body
        for paragraph in cited.article.paragraphs:
            assert paragraph in body
    assert answer.limits in body


def test_feedback_is_stored_with_question_answer_and_citations(answer):
    answer.question = "我的手机号13912345678，" + answer.question
    first = record_feedback(answer, HELPFUL, comment="很清楚")
    second = record_feedback(answer, NOT_HELPFUL)
    with session_scope() as session:
        rows = session.scalars(select(QaFeedback).order_by(QaFeedback.id)).all()
        assert [r.id for r in rows] == [first, second]
        assert [r.rating for r in rows] == [1, -1]
        stored = rows[0]
        assert "13912345678" not in stored.question and "离职" in stored.question
        assert stored.answer == answer.reply and stored.mode == "offline"
        assert [c["citation"] for c in stored.citations] == [c.article.citation for c in answer.citations]
        assert stored.created_at is not None
    assert [r.id for r in list_feedback()] == [second, first]


def test_feedback_rating_must_be_up_or_down(answer):
    with pytest.raises(ValueError, match="评价只能是"):
        record_feedback(answer, 5)


def test_chat_page_answers_shows_citations_and_records_feedback(page_env):
    page = AppTest.from_file(str(PROJECT_ROOT / "app_pages" / "qa.py"), default_timeout=120)
    page.run()
    assert page.title[0].value == "法律咨询"
    page.chat_input[0].set_value(NON_COMPETE).run()
    assert not page.exception
    texts = "\n".join(m.value for m in page.markdown)
    assert "**结论**" in texts and "不得超过二年" in texts
    assert "**法律依据**" in texts and "**风险等级**" in texts
    labels = [e.label for e in page.expander]
    assert "《劳动合同法》第二十四条（2012-12-28）" in labels
    up = next(b for b in page.button if b.label == "有帮助")
    up.click().run()
    assert not page.exception
    stored = list_feedback()
    assert len(stored) == 1 and stored[0].rating == 1 and "竞业" in stored[0].answer


def test_chat_page_follow_up_uses_the_conversation(page_env):
    page = AppTest.from_file(str(PROJECT_ROOT / "app_pages" / "qa.py"), default_timeout=120)
    page.run()
    page.chat_input[0].set_value(NON_COMPETE).run()
    page.chat_input[0].set_value("那补偿标准呢？").run()
    assert not page.exception
    turns = page.session_state["qa_turns"]
    assert len(turns) == 2
    assert NON_COMPETE in turns[1]["answer"].retrieval_query
