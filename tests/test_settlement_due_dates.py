"""Due dates move off statutory holidays and rest days (民法典第二百零三条), using the official calendar."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from legal_assistant.settlement.due_dates import add_months, calendar_warning, covered_years, next_working_day
from legal_assistant.settlement.plans import build_plan
from legal_assistant.settlement.policy import default_policy
from test_settlement_plans import assessment_for, owed_on


def test_a_due_date_in_the_spring_festival_holiday_moves_to_the_first_working_day_after_it():
    # 2026 春节 holiday: 2026-02-15 to 2026-02-23.
    moved = next_working_day(date(2026, 2, 17))
    assert moved.due == date(2026, 2, 24)
    assert "春节假期" in moved.reason and "顺延至 2026-02-24" in moved.reason


def test_a_due_date_in_the_national_day_holiday_moves_past_the_whole_holiday():
    # 2025 国庆 + 中秋: 2025-10-01 to 2025-10-08; 2026 国庆: 2026-10-01 to 2026-10-07.
    assert next_working_day(date(2025, 10, 1)).due == date(2025, 10, 9)
    assert next_working_day(date(2026, 10, 3)).due == date(2026, 10, 8)
    assert "国庆节假期" in next_working_day(date(2026, 10, 3)).reason


def test_a_weekend_made_a_working_day_by_the_holiday_arrangement_stays_a_due_date():
    # 2026-02-14 (Saturday) and 2025-09-28 (Sunday) are 调休 working days.
    assert not next_working_day(date(2026, 2, 14)).moved
    assert not next_working_day(date(2025, 9, 28)).moved


def test_an_ordinary_weekend_moves_to_monday():
    moved = next_working_day(date(2026, 3, 7))
    assert moved.due == date(2026, 3, 9)
    assert "星期六休息日" in moved.reason


def test_years_the_calendar_does_not_cover_are_named_in_a_warning():
    last_known = covered_years().stop - 1
    beyond = next_working_day(date(last_known + 1, 3, 6))  # a Saturday in 2027
    assert beyond.calendar_unverified
    warning = calendar_warning([beyond, next_working_day(date(last_known, 3, 6))])
    assert warning is not None and f"{last_known + 1}年" in warning and "只按周末顺延" in warning
    assert calendar_warning([next_working_day(date(last_known, 3, 6))]) is None


def test_month_steps_keep_the_day_or_use_the_last_day_of_a_short_month():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2025, 12, 15), 14) == date(2027, 2, 15)


def test_a_schedule_crossing_the_spring_festival_shifts_only_the_installment_inside_the_holiday():
    # As of 2025-12-15, installments fall on the 15th: 2026-01-15 (Thu), 2026-02-15 (春节), 2026-03-15 (Sun).
    owed = owed_on(date(2025, 12, 15))
    plan = build_plan(
        months=3, shape="equal", origin="standard", owed=owed, assessment=assessment_for(owed),
        policy=default_policy(), requested_down_payment=Decimal("0"), interest=None,
    )
    dues = {i.n: i.due.due for i in plan.installments}
    assert dues == {1: date(2026, 1, 15), 2: date(2026, 2, 24), 3: date(2026, 3, 16)}
