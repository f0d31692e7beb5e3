"""Capacity assessment and installment plans: exact sums, affordability flags, term vs waiver."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from legal_assistant.settlement.amounts import compute_owed
from legal_assistant.settlement.analysis import analyse
from legal_assistant.settlement.capacity import assess_capacity
from legal_assistant.settlement.errors import SettlementError
from legal_assistant.settlement.inputs import Capacity, Judgment, example_input, load_input
from legal_assistant.settlement.plans import split_amount
from legal_assistant.settlement.policy import default_policy


def owed_on(as_of: date):
    judgment = Judgment(
        document="（2025）浙0402民初9号民事判决书",
        principal=Decimal("300000.00"),
        litigation_fee=Decimal("0"),
        execution_fee=Decimal("0"),
        performance_deadline=date(2025, 6, 30),
    )
    return compute_owed(judgment, as_of)


def assessment_for(owed, income="200000", expenses="120000", cash="0"):
    capacity = Capacity(monthly_income=Decimal(income), monthly_expenses=Decimal(expenses), cash=Decimal(cash))
    return assess_capacity(capacity, "organization", owed.total, default_policy())


def example(**negotiation):
    data = example_input()
    data["negotiation"].update(negotiation)
    return data


def test_every_schedule_adds_up_exactly_to_the_agreed_total():
    analysis = analyse(load_input(example()))
    assert analysis.plans
    for plan in analysis.plans:
        assert sum(i.amount for i in plan.installments) == plan.agreed_total
        assert plan.agreed_total == analysis.owed.total - plan.waived_delay_interest


def test_installments_are_whole_yuan_and_the_last_takes_the_remainder():
    # 1,000.03 in 3 equal installments: 333 + 333 + 334.03
    assert split_amount(Decimal("1000.03"), 3, "equal", Decimal("2")) == [Decimal("333"), Decimal("333"), Decimal("334.03")]
    rising = split_amount(Decimal("120000.55"), 12, "rising", Decimal("2"))
    assert sum(rising) == Decimal("120000.55")
    assert all(a <= b for a, b in zip(rising, rising[1:]))
    assert rising[-1] / rising[0] > Decimal("1.9")


def test_a_plan_above_the_stated_share_of_free_cash_flow_is_flagged_with_the_reason():
    # Example: free cash flow 85,000 × 60 % = 51,000 per installment; 6 months needs ~96,500.
    analysis = analyse(load_input(example()))
    assert analysis.capacity.free_cash_flow == Decimal("85000.00")
    assert analysis.capacity.installment_cap == Decimal("51000.00")
    six = next(p for p in analysis.plans if p.months == 6 and p.shape == "equal")
    assert not six.affordable
    assert "超过每期还款上限 51,000.00" in six.problems[0]
    affordable = [p for p in analysis.plans if p.affordable]
    assert affordable and all(p.max_installment <= Decimal("51000.00") for p in affordable)


def test_a_shorter_term_buys_a_larger_waiver_of_delay_interest():
    analysis = analyse(load_input(example(terms_months=[6, 12, 24], shapes=["equal"])))
    by_term = {p.months: p for p in analysis.plans if p.origin == "standard"}
    assert by_term[6].waived_delay_interest == analysis.owed.delay_interest  # 100 % waived
    # 12 months: half of 29,121.45 = 14,560.725 → 14,560.73 (rounded half up, as every amount)
    assert analysis.owed.delay_interest == Decimal("29121.45")
    assert by_term[12].waived_delay_interest == Decimal("14560.73")
    assert by_term[24].waived_delay_interest == Decimal("0.00")
    # ... while the creditor's cost of waiting grows with the term.
    assert by_term[6].waiting_cost < by_term[12].waiting_cost < by_term[24].waiting_cost


def test_the_shortest_affordable_term_is_added_when_no_listed_term_fits_exactly():
    analysis = analyse(load_input(example(terms_months=[6], shapes=["equal"])))
    fit = [p for p in analysis.plans if p.origin == "fit"]
    assert len(fit) == 1 and fit[0].affordable
    assert fit[0].months > 6
    shorter = analyse(load_input(example(terms_months=[fit[0].months - 1], shapes=["equal"])))
    assert not shorter.plans[0].affordable  # one month shorter would not be affordable


def test_when_free_cash_flow_is_negative_no_plan_is_affordable_and_the_assistant_is_told():
    data = example()
    data["capacity"]["monthly_expenses"] = "1300000.00"
    analysis = analyse(load_input(data))
    assert analysis.capacity.free_cash_flow < 0
    assert not any(p.affordable for p in analysis.plans)
    assert any("月自由现金流为" in w for w in analysis.warnings)
    assert any("均超出被执行人的还款能力" in w for w in analysis.warnings)


def test_a_requested_down_payment_beyond_the_cash_available_is_a_problem():
    analysis = analyse(load_input(example(down_payment="500000.00")))
    assert all("超过可用于首付的资金" in p.problems[0] for p in analysis.plans)


def test_the_capacity_score_is_the_weighted_sum_of_its_components():
    # Example: coverage min(1, 51,000×12 / (888,328.19 − 280,000)) = 1 → 40;
    # liquidity 280,000 / 888,328.19 × 20 = 6.30; security min(1, 2,635,000 / 888,328.19) → 20;
    # other debts (1 − 200,000 / 1,088,328.19) × 20 = 16.32; total 82.62 → 83 (较强).
    analysis = analyse(load_input(example()))
    assert analysis.capacity.score == 83
    assert analysis.capacity.band == "较强"
    points = {c.key: c.points for c in analysis.capacity.components}
    assert points["installment_coverage"] == 40 and points["security"] == 20


def test_an_individual_debtor_keeps_necessary_living_expenses_and_the_basis_is_cited():
    data = example()
    data["debtor"] = {"name": "张某某", "kind": "individual", "id_number": "330402198503122016"}
    data["negotiation"]["guarantor"] = None
    analysis = analyse(load_input(data))
    assert "必要生活支出" in analysis.capacity.formulas[0]
    assert "living_expenses_reserved" in analysis.basis_keys


def test_a_judgment_already_paid_in_full_needs_no_settlement():
    data = example()
    data["payments_before"] = [{"paid_on": "2025-03-10", "amount": "900000.00"}]
    with pytest.raises(SettlementError, match="已履行完毕"):
        analyse(load_input(data))
