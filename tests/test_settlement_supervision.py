"""Supervision on a real database: payments, paid/due/overdue with days late, default, resumption draft.

Dates are relative to today (Beijing), because a payment can only be recorded for a day that has come.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from docx import Document
from sqlalchemy import func, select

from legal_assistant import clock
from legal_assistant.auth.permissions import PermissionDenied
from legal_assistant.auth.roles import Role
from legal_assistant.settlement.amounts import compute_owed
from legal_assistant.settlement.analysis import analyse
from legal_assistant.settlement.documents import document_text
from legal_assistant.settlement.errors import SettlementError
from legal_assistant.settlement.inputs import Payment, example_input, load_input
from legal_assistant.settlement.models import SettlementCase, SettlementEvent, SettlementInstallment, SettlementPayment
from legal_assistant.settlement.supervision import case_status, create_case, draft_resume_application, list_cases, record_payment
from legal_assistant.store.db import session_scope
from storage_support import STRONG_PASSWORD, database  # noqa: F401

COURT = "嘉兴市南湖区人民法院"
TODAY = clock.today()
AGREED_ON = TODAY - timedelta(days=150)


def people():
    from legal_assistant.auth.service import actor_for_username, create_first_admin, create_user

    admin = create_first_admin("admin", STRONG_PASSWORD)
    for username, role, organization in (
        ("judge_nh", Role.JUDGE_ASSISTANT, COURT),
        ("judge_xz", Role.JUDGE_ASSISTANT, "嘉兴市秀洲区人民法院"),
        ("debtor_co", Role.OWNER, "嘉兴南湖精工机械制造有限公司"),
    ):
        create_user(admin, username, STRONG_PASSWORD, role, organization=organization)
    return {name: actor_for_username(name) for name in ("judge_nh", "judge_xz", "debtor_co")}


def settlement_input():
    data = example_input()
    data["negotiation"].update(as_of=AGREED_ON.isoformat(), terms_months=[6], shapes=["equal"])
    data["judgment"]["performance_deadline"] = (AGREED_ON - timedelta(days=60)).isoformat()
    data["judgment"]["general_interest"]["start_date"] = (AGREED_ON - timedelta(days=260)).isoformat()
    data["payments_before"][0]["paid_on"] = (AGREED_ON - timedelta(days=30)).isoformat()
    data["capacity"]["monthly_income"] = "1400000.00"  # free cash flow 235,000: six months is affordable
    return load_input(data)


def six_month_plan(data) -> int:
    """The index of the six-month plan (a shorter 'shortest affordable' plan may be listed before it)."""
    return next(p.index for p in analyse(data).plans if p.months == 6)


@pytest.fixture
def supervised(database):  # noqa: F811
    actors = people()
    data = settlement_input()
    case_id = create_case(actors["judge_nh"], data, six_month_plan(data), party_owner_id=actors["debtor_co"].user_id)
    return actors, data, case_id


def installment_due(actor, case_id, n) -> tuple[date, Decimal]:
    item = next(i for i in case_status(actor, case_id, AGREED_ON).installments if i.n == n)
    return item.due_date, item.amount


def test_a_new_case_stores_the_plan_installments_and_history(supervised):
    actors, data, case_id = supervised
    status = case_status(actors["judge_nh"], case_id, AGREED_ON)
    assert [i.state for i in status.installments] == ["未到期"] * 7  # down payment + 6 installments
    assert sum(i.amount for i in status.installments) == status.agreed_total
    # Two years from the last due date, ending on the corresponding day (民诉法第二百五十条, 民法典第二百零二条).
    last_due = status.installments[-1].due_date
    assert status.resume_deadline == last_due.replace(year=last_due.year + 2) or (last_due.month, last_due.day) == (2, 29)
    assert status.as_json()["resume_deadline"] == status.resume_deadline.isoformat()
    with session_scope() as session:
        case = session.get(SettlementCase, case_id)
        assert (case.court, case.case_number, case.owner_id) == (COURT, data.case_number, actors["debtor_co"].user_id)
        assert session.scalar(select(func.count()).select_from(SettlementInstallment)) == 7
        assert [e.kind for e in session.scalars(select(SettlementEvent))] == ["created"]


def test_payments_show_paid_due_and_overdue_with_days_late_and_a_late_installment_beyond_grace_is_a_default(supervised):
    actors, data, case_id = supervised
    judge = actors["judge_nh"]
    down_due, down_amount = installment_due(judge, case_id, 0)
    first_due, first_amount = installment_due(judge, case_id, 1)
    second_due, _ = installment_due(judge, case_id, 2)
    record_payment(judge, case_id, down_due, down_amount, "首付款")
    record_payment(judge, case_id, first_due + timedelta(days=3), first_amount, "第1期，晚3天")

    within_grace = case_status(judge, case_id, second_due + timedelta(days=5))
    states = {i.n: i for i in within_grace.installments}
    assert (states[0].state, states[0].days_late) == ("已付清", 0)
    assert (states[1].state, states[1].days_late) == ("已付清", 3)
    assert (states[2].state, states[2].days_late) == ("逾期", 5)
    assert within_grace.paid_total == down_amount + first_amount
    assert within_grace.overdue_total == states[2].amount
    assert within_grace.default_reason == ""

    beyond_grace = case_status(judge, case_id, second_due + timedelta(days=20))
    assert "第2期款项" in beyond_grace.default_reason and "已逾期20日，超过约定的15日宽限期" in beyond_grace.default_reason
    with session_scope() as session:
        assert session.get(SettlementCase, case_id).status == "defaulted"
        kinds = [e.kind for e in session.scalars(select(SettlementEvent).order_by(SettlementEvent.id))]
    # Recording a payment also checks the case as of today, which here is long past the 2nd due date.
    assert kinds[0] == "created" and kinds.count("payment") == 2 and kinds.count("status_changed") == 1


def test_a_default_produces_a_resumption_application_with_the_debt_recomputed_to_that_day(supervised, tmp_path):
    actors, data, case_id = supervised
    judge = actors["judge_nh"]
    down_due, down_amount = installment_due(judge, case_id, 0)
    second_due, _ = installment_due(judge, case_id, 2)
    record_payment(judge, case_id, down_due, down_amount)
    resume_on = second_due + timedelta(days=20)

    with pytest.raises(SettlementError, match="第十一条第（三）项"):
        draft_resume_application(judge, case_id, tmp_path / "early.docx", down_due)  # nothing overdue yet

    out = tmp_path / "恢复执行申请书.docx"
    draft = draft_resume_application(judge, case_id, out, resume_on)
    # The same figure the judgment gives when every payment (before and under the agreement) is deducted:
    expected = compute_owed(data.judgment, resume_on, [*data.payments_before, Payment(paid_on=down_due, amount=down_amount)])
    assert draft.owed.total == expected.total
    assert draft.owed.delay_interest > 0  # the waived delay interest comes back on resumption
    text = document_text(Document(out))
    assert "恢复执行申请书" in text and data.case_number in text
    assert f"欠款{expected.total:,.2f}元" in text
    assert "第1期款项" in text  # the first installment was never paid
    assert "直接裁定执行担保人王某的财产" in text
    assert "《最高人民法院关于执行和解若干问题的规定》第十七条（2020-12-29版）" in text
    assert "resume_drafted" in [e["kind"] for e in case_status(judge, case_id, resume_on).events]


def test_paying_everything_completes_the_case(supervised):
    actors, data, case_id = supervised
    judge = actors["judge_nh"]
    total = case_status(judge, case_id, AGREED_ON).agreed_total
    status = record_payment(judge, case_id, AGREED_ON + timedelta(days=1), total, "一次性付清")
    assert status.status == "completed" and status.outstanding == 0
    assert all(i.state == "已付清" for i in status.installments)


def test_only_the_courts_assistants_and_the_party_see_a_case(supervised):
    actors, data, case_id = supervised
    with pytest.raises(PermissionDenied):
        case_status(actors["judge_xz"], case_id)
    with pytest.raises(PermissionDenied):
        record_payment(actors["judge_xz"], case_id, TODAY, Decimal("1.00"))
    with pytest.raises(PermissionDenied):
        record_payment(actors["debtor_co"], case_id, TODAY, Decimal("1.00"))  # the party sees, the court records
    assert case_status(actors["debtor_co"], case_id).case_id == case_id
    assert [c["case_id"] for c in list_cases(actors["judge_nh"])] == [case_id]
    assert list_cases(actors["judge_xz"]) == []
    with pytest.raises(PermissionDenied, match="只能登记本院"):
        create_case(actors["judge_xz"], data, six_month_plan(data))
    with pytest.raises(PermissionDenied):
        case_status(actors["judge_nh"], case_id + 99)


def test_an_unaffordable_plan_cannot_be_put_under_supervision(database):  # noqa: F811
    actors = people()
    raw = json.loads(settlement_input().model_dump_json())
    raw["capacity"]["monthly_income"] = "1180000.00"  # free cash flow 15,000: six months is far too much
    with pytest.raises(SettlementError, match="超出被执行人还款能力"):
        unaffordable = load_input(raw)
        create_case(actors["judge_nh"], unaffordable, six_month_plan(unaffordable))


def test_payment_amounts_and_dates_are_checked(supervised):
    actors, data, case_id = supervised
    judge = actors["judge_nh"]
    with pytest.raises(SettlementError, match="最多两位小数"):
        record_payment(judge, case_id, TODAY, Decimal("1.001"))
    with pytest.raises(SettlementError, match="不能晚于今天"):
        record_payment(judge, case_id, clock.today() + timedelta(days=1), Decimal("1.00"))  # read now: the run may cross midnight
    with pytest.raises(SettlementError, match="早于和解协议签订日"):
        record_payment(judge, case_id, AGREED_ON - timedelta(days=1), Decimal("1.00"))
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(SettlementPayment)) == 0
