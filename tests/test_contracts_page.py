"""The 合同体检 Streamlit page: a pasted contract gets a gauge, a dimension chart, findings beside
the clauses and downloads; an owner can send it to the legal-aid queue, where staff see it."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from legal_assistant.contracts.engine import review_file
from legal_assistant.contracts.queue import assign, submit_review
from storage_support import make_people, sqlite_database  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "app_pages" / "contract_review.py")
LOAN = (ROOT / "tests" / "data" / "contracts" / "01_private_loan.txt").read_text(encoding="utf-8")


def paste_and_review(page: AppTest, text: str) -> None:
    page.run()
    page.radio[0].set_value("粘贴文本")
    page.run()
    page.text_area(key="contract_text").set_value(text)
    next(b for b in page.button if b.label == "开始体检").click()
    page.run()


def test_a_pasted_contract_is_scored_with_findings_beside_clauses_and_downloads():
    page = AppTest.from_file(PAGE, default_timeout=60)
    paste_and_review(page, LOAN)
    assert not page.exception and not page.error
    assert any("民间借贷合同" in s.value for s in page.success)
    assert len(page.get("plotly_chart")) == 2  # score gauge and dimension chart
    metrics = {m.label: m.value for m in page.metric}
    assert int(metrics["高风险"]) >= 3
    assert any("FIN-INTEREST-OVER-4LPR" in m.value for m in page.markdown)
    assert any("评分低于" in w.value for w in page.warning)
    assert any("登录企业账户后" in i.value for i in page.info)


def test_an_owner_sends_the_contract_to_legal_aid(sqlite_database):  # noqa: F811
    people = make_people()
    page = AppTest.from_file(PAGE, default_timeout=60)
    page.session_state["actor"] = people["owner_a"]
    paste_and_review(page, LOAN)
    next(b for b in page.button if b.label == "提交法律援助审查").click()
    page.run()
    assert any("已提交，编号" in s.value for s in page.success)


def test_legal_aid_staff_see_their_assigned_case_in_the_queue_tab(sqlite_database):  # noqa: F811
    people = make_people()
    case = submit_review(people["owner_a"], review_file(ROOT / "tests" / "data" / "contracts" / "01_private_loan.txt", "乙方"))
    assign(people["admin"], case.id, people["aid"].user_id)
    page = AppTest.from_file(PAGE, default_timeout=60)
    page.session_state["actor"] = people["aid"]
    page.run()
    assert not page.exception
    assert page.selectbox(key="review_case_id").value == case.id
    assert any("个人借款协议" in m.value and "评分" in m.value for m in page.markdown)
