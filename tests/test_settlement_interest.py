"""Amount owed under the judgment, checked against computations done by hand (shown in each test).

Conventions being checked: days are counted without the start day (民法典第二百零一条), so
2024-06-30 → 2024-12-31 is 184 days; 加倍部分债务利息 = unpaid money debt other than general
interest × 0.000175 × days (迟延履行利息解释第一条); payments go to costs → interest → principal,
and only then to 加倍部分债务利息 (民法典第五百六十一条, 解释第四条); rounding once, at the end.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from legal_assistant.settlement.amounts import compute_owed, standard_execution_fee
from legal_assistant.settlement.inputs import GeneralInterest, Judgment, Payment


def judgment(**overrides) -> Judgment:
    values = dict(
        document="（2024）浙0402民初1号民事判决书",
        principal=Decimal("100000.00"),
        general_interest=None,
        litigation_fee=Decimal("0"),
        execution_fee=Decimal("0"),
        performance_deadline=date(2024, 6, 30),
    )
    values.update(overrides)
    return Judgment(**values)


def test_general_interest_delay_interest_and_costs_for_a_judgment_left_unpaid():
    # Principal 100,000.00; general interest 3.85 %/year from 2024-01-01 (365-day basis);
    # 受理费 2,300.00 (in the delay base), 执行费 1,500.00; performance period ended 2024-06-30.
    # General interest 2024-01-01 → 2024-12-31 = 365 days: 100,000 × 3.85 % × 365 / 365 = 3,850.00
    # Delay 2024-06-30 → 2024-12-31 = 31+31+30+31+30+31 = 184 days:
    #   (100,000 + 2,300) × 0.000175 × 184 = 102,300 × 0.0322 = 3,294.06
    # Costs 2,300 + 1,500 = 3,800.00; total 100,000 + 3,850 + 3,294.06 + 3,800 = 110,944.06
    owed = compute_owed(
        judgment(
            general_interest=GeneralInterest(annual_rate=Decimal("0.0385"), start_date=date(2024, 1, 1)),
            litigation_fee=Decimal("2300.00"),
            execution_fee=Decimal("1500.00"),
        ),
        date(2024, 12, 31),
    )
    assert owed.as_json() == {
        "principal": "100000.00",
        "interest": "3850.00",
        "delay_interest": "3294.06",
        "costs": "3800.00",
        "total": "110944.06",
    }


def test_the_execution_fee_is_not_part_of_the_delay_interest_base_and_the_litigation_fee_can_be_left_out():
    # Same dates, 受理费 2,300.00 declared outside the base: 100,000 × 0.000175 × 184 = 3,220.00
    owed = compute_owed(
        judgment(litigation_fee=Decimal("2300.00"), execution_fee=Decimal("1500.00"), litigation_fee_in_delay_base=False),
        date(2024, 12, 31),
    )
    assert owed.delay_interest == Decimal("3220.00")


def test_a_partial_payment_reduces_the_principal_first_and_delay_interest_is_computed_in_segments():
    # Principal 200,000, no general interest, no costs, period ended 2025-03-31.
    # 2025-03-31 → 2025-04-30 (30 days): 200,000 × 0.000175 × 30 = 1,050.00
    # 2025-04-30 payment 50,000 → principal 150,000 (delay interest is paid last: still 1,050.00)
    # 2025-04-30 → 2025-05-31 (31 days): 150,000 × 0.000175 × 31 = 813.75
    # Delay interest 1,050.00 + 813.75 = 1,863.75; total 151,863.75
    owed = compute_owed(
        judgment(principal=Decimal("200000.00"), performance_deadline=date(2025, 3, 31)),
        date(2025, 5, 31),
        [Payment(paid_on=date(2025, 4, 30), amount=Decimal("50000.00"))],
    )
    assert owed.principal == Decimal("150000.00")
    assert owed.delay_interest == Decimal("1863.75")
    assert owed.total == Decimal("151863.75")
    assert owed.paid_total == Decimal("50000.00")


def test_a_payment_goes_to_costs_then_general_interest_then_principal():
    # Principal 100,000; 3.65 %/year from 2025-01-01; 受理费 1,000; 执行费 500; period ended 2025-01-31.
    # To 2025-03-02: general interest 60 days: 100,000 × 3.65 % × 60 / 365 = 600.00
    #                delay 30 days: (100,000 + 1,000) × 0.000175 × 30 = 530.25
    # Payment 5,000 on 2025-03-02: 执行费 500, 受理费 1,000, interest 600, principal 2,900 → 97,100
    # Total 97,100 + 0 + 530.25 + 0 = 97,630.25
    owed = compute_owed(
        judgment(
            general_interest=GeneralInterest(annual_rate=Decimal("0.0365"), start_date=date(2025, 1, 1)),
            litigation_fee=Decimal("1000.00"),
            execution_fee=Decimal("500.00"),
            performance_deadline=date(2025, 1, 31),
        ),
        date(2025, 3, 2),
        [Payment(paid_on=date(2025, 3, 2), amount=Decimal("5000.00"))],
    )
    assert owed.as_json() == {
        "principal": "97100.00",
        "interest": "0.00",
        "delay_interest": "530.25",
        "costs": "0.00",
        "total": "97630.25",
    }
    applied = owed.applications[0].applied
    assert list(applied) == ["申请执行费", "案件受理费", "一般债务利息", "本金"]
    assert applied["本金"] == Decimal("2900.00")


def test_rounding_happens_once_at_the_end_not_per_segment():
    # Principal 1,000.02, period ended 2025-01-01, 0.01 paid on 2025-01-02, as of 2025-01-03.
    # Segment 1: 1,000.02 × 0.000175 × 1 = 0.1750035; segment 2: 1,000.01 × 0.000175 × 1 = 0.17500175
    # Exact sum 0.35000525 → 0.35 (rounding each segment first would give 0.18 + 0.18 = 0.36).
    owed = compute_owed(
        judgment(principal=Decimal("1000.02"), performance_deadline=date(2025, 1, 1)),
        date(2025, 1, 3),
        [Payment(paid_on=date(2025, 1, 2), amount=Decimal("0.01"))],
    )
    assert owed.delay_interest == Decimal("0.35")


def test_a_360_day_basis_and_an_interest_end_date_set_by_the_judgment_are_followed():
    # 36,000 × 6 % × 30 / 360 = 180.00 for 2025-01-01 → 2025-01-31; the judgment stops interest on 2025-01-31.
    owed = compute_owed(
        judgment(
            principal=Decimal("36000.00"),
            general_interest=GeneralInterest(
                annual_rate=Decimal("0.06"), start_date=date(2025, 1, 1), end_date=date(2025, 1, 31), day_count=360
            ),
            performance_deadline=date(2025, 6, 30),
        ),
        date(2025, 6, 30),
    )
    assert owed.interest == Decimal("180.00")
    assert owed.delay_interest == Decimal("0.00")  # as_of is the last day of the performance period


def test_every_figure_carries_its_formula_and_legal_basis():
    owed = compute_owed(judgment(), date(2024, 12, 31))
    delay = next(line for line in owed.lines if line.key == "delay_interest")
    assert "日万分之一点七五" in delay.formula[0]
    assert "2024-06-30 至 2024-12-31，184天" in "\n".join(delay.formula)
    assert {"delay_interest_statute", "delay_interest_scope", "delay_interest_start"} <= set(delay.basis)
    interest = next(line for line in owed.lines if line.key == "interest")
    assert interest.formula == ["执行依据未确定给付一般债务利息，不予计算"]


def test_the_execution_fee_standard_follows_the_progressive_bands():
    # 8,000 ≤ 10,000 → 50.00
    assert standard_execution_fee(Decimal("8000")) == Decimal("50.00")
    # 860,000: 50 + (500,000 − 10,000) × 1.5 % + (860,000 − 500,000) × 1 % = 50 + 7,350 + 3,600 = 11,000.00
    assert standard_execution_fee(Decimal("860000")) == Decimal("11000.00")
    # 6,000,000: 50 + 7,350 + 4,500,000 × 1 % + 1,000,000 × 0.5 % = 50 + 7,350 + 45,000 + 5,000 = 57,400.00
    assert standard_execution_fee(Decimal("6000000")) == Decimal("57400.00")
