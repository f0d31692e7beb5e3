"""First start on a fresh machine: the Q&A page explains the missing index, builds it in a child
process with visible progress, and then answers. Progress is read from the real tqdm output of
``legal-assistant ingest``."""

from __future__ import annotations

import io
import sys
import time

import pytest
from streamlit.testing.v1 import AppTest
from tqdm import tqdm

from legal_assistant.corpus import get_corpus
from legal_assistant.retrieval.service import get_retriever
from legal_assistant.settings import get_settings
from legal_assistant.ui.index_build import PHASES, PREPARING, IndexBuild, parse_progress
from retrieval_support import make_small_corpus, use_settings


def tqdm_line(phase: str, done: int, total: int) -> str:
    """What tqdm itself prints for a bar (the format the parser must understand)."""
    stream = io.StringIO()
    with tqdm(total=total, desc=phase, unit="条", file=stream, mininterval=0) as bar:
        bar.update(done)
        bar.refresh()
    return stream.getvalue().split("\r")[-2]


def test_progress_is_read_from_tqdm_bars_of_every_ingest_phase():
    progress = parse_progress(tqdm_line("向量化法条", 2773, 6610))
    assert (progress.phase, progress.done, progress.total) == ("向量化法条", 2773, 6610)
    assert progress.label == "向量化法条：2,773 / 6,610 条"
    assert parse_progress("Building prefix dict from the default dictionary ...") is None
    assert parse_progress(tqdm_line("其他进度", 1, 2)) is None  # not an ingest phase


def test_overall_progress_only_moves_forward_through_the_phases():
    fractions = [
        parse_progress(tqdm_line(phase, done, 100)).fraction for phase in PHASES for done in (0, 50, 100)
    ]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0 and fractions[-1] == pytest.approx(1.0)


def test_a_failed_build_reports_its_exit_code_and_keeps_the_commands_last_words():
    build = IndexBuild([sys.executable, "-c", "import sys; sys.stderr.write('磁盘空间不足\\n'); sys.exit(3)"])
    assert build.label == PREPARING
    assert build.start()
    assert build.wait(timeout=30)
    assert not build.succeeded and not build.running
    assert build.error == "索引建立失败（退出码 3）"
    assert "磁盘空间不足" in build.error_details


def index_gate_page() -> None:
    """The part of app.py that stands in front of the Q&A page."""
    import streamlit as st

    from legal_assistant.ui.index_gate import require_index

    if require_index():
        st.success("检索索引可用，可以提问。")


@pytest.fixture
def fresh_machine(tmp_path, monkeypatch):
    """A small real corpus and an empty data directory: no index yet."""
    corpus_dir = make_small_corpus(tmp_path / "corpus")
    use_settings(monkeypatch, corpus_dir, tmp_path / "data", tmp_path / "models")
    for cache in (get_corpus, get_retriever):
        cache.cache_clear()
    yield get_settings()
    for cache in (get_settings, get_corpus, get_retriever):
        cache.cache_clear()


def test_on_a_fresh_machine_the_qa_page_explains_builds_the_index_and_then_is_ready(fresh_machine):
    page = AppTest.from_function(index_gate_page, default_timeout=240)
    page.run()
    assert not page.exception
    assert page.title[0].value == "法律咨询"
    assert page.info[0].value.startswith("**首次使用需要先建立检索索引。**")
    assert not page.success

    next(b for b in page.button if b.label == "开始建立检索索引").click().run()
    assert not page.exception and not page.error
    assert [s.value for s in page.success] == ["检索索引可用，可以提问。"]
    assert list(fresh_machine.index_dir.glob("manifest-*.json"))
    hits = get_retriever().search("竞业限制的期限最长多久", k=3)
    assert any(hit.unit.metadata["law"].endswith("劳动合同法") for hit in hits)


SLOW_EMBEDDING = """
import sys, time
from tqdm import tqdm
with tqdm(total=60, desc="向量化法条", unit="条", file=sys.stderr, mininterval=0) as bar:
    for _ in range(20):
        time.sleep(0.1)
        bar.update(3)
print('{"units": 60, "embedded": 60}')
"""


def test_while_embedding_the_build_reports_progress_and_an_estimate_of_the_time_left():
    build = IndexBuild([sys.executable, "-c", SLOW_EMBEDDING])
    build.start()
    seen = []
    while build.running:
        if build.progress is not None and build.remaining_seconds is not None:
            seen.append((build.progress.done, build.remaining_seconds))
        time.sleep(0.05)
    assert build.succeeded and build.report == {"units": 60, "embedded": 60}
    assert seen, "no progress was reported while the build ran"
    done, remaining = seen[len(seen) // 2]
    assert 0 < done < 60 and 0 < remaining < 10
    assert build.remaining_seconds is None  # nothing left once finished
