"""The Streamlit page runs, computes the example and offers both drafts for download."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from legal_assistant.settlement.supervision import create_case
from storage_support import sqlite_database  # noqa: F401
from test_settlement_supervision import people, settlement_input, six_month_plan

PAGE = str(Path(__file__).resolve().parent.parent / "app_pages" / "settlement.py")


def test_the_page_computes_the_example_and_shows_owed_amounts_plans_and_warnings():
    page = AppTest.from_file(PAGE, default_timeout=60)
    page.run()
    assert not page.exception
    next(b for b in page.button if b.label == "计算方案").click()
    page.run()
    assert not page.exception and not page.error
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["加倍部分债务利息"] == "29,121.45"
    assert metrics["月自由现金流"] == "85,000.00"
    assert any("只按周末顺延" in w.value for w in page.warning)
    assert len(page.dataframe) == 2  # plan comparison and the chosen schedule
    assert len(page.get("plotly_chart")) == 1  # the schedule chart
    assert page.selectbox(key="settlement_plan_index").value == 3  # first affordable plan


def test_a_bad_case_number_typed_in_the_form_is_reported_in_chinese():
    page = AppTest.from_file(PAGE, default_timeout=60)
    page.run()
    next(t for t in page.text_input if t.label == "执行案号").set_value("（2025）浙0402执异1号")
    next(b for b in page.button if b.label == "计算方案").click()
    page.run()
    assert any("执行和解须在执行实施案件中达成" in e.value for e in page.error)


def test_without_a_logged_in_assistant_supervision_asks_to_log_in():
    page = AppTest.from_file(PAGE, default_timeout=60)
    page.run()
    assert any("请先以法官助理账户登录" in i.value for i in page.info)


def test_a_logged_in_assistant_sees_paid_due_and_overdue_for_the_courts_cases(sqlite_database):  # noqa: F811
    actors = people()
    data = settlement_input()
    case_id = create_case(actors["judge_nh"], data, six_month_plan(data))
    page = AppTest.from_file(PAGE, default_timeout=60)
    page.session_state["actor"] = actors["judge_nh"]
    page.run()
    assert not page.exception
    assert page.selectbox[-1].value == case_id  # the supervised case is listed and selected
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["已付"] == "0.00"
    assert metrics["逾期"] != "0.00"  # today every installment due so far is unpaid
    assert any("违约：" in e.value for e in page.error)
