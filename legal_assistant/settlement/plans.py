"""Installment plans the two sides can negotiate over, each checked against the debtor's capacity.

A plan = agreed total (what is owed minus the share of 加倍部分债务利息 the creditor waives for a
short term), a down payment from cash available now, and monthly installments (equal, or rising
linearly) whose amounts add up to the agreed total to the fen. Each installment must stay within
the stated share of free cash flow; a plan that does not is still listed, marked unaffordable with
the reasons, never silently dropped or silently proposed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from legal_assistant.settlement.amounts import ZERO, OwedStatement, to_fen, yuan
from legal_assistant.settlement.capacity import CapacityAssessment
from legal_assistant.settlement.due_dates import DueDate, add_months, calendar_warning, next_working_day
from legal_assistant.settlement.inputs import GeneralInterest
from legal_assistant.settlement.policy import Policy

YUAN = Decimal("1")
SHAPE_LABELS = {"equal": "等额", "rising": "递增"}


def floor_yuan(value: Decimal) -> Decimal:
    return value.quantize(YUAN, rounding=ROUND_DOWN)


def installment_label(n: int) -> str:
    """首付款 for the down payment (n = 0), 第N期 otherwise."""
    return "首付款" if n == 0 else f"第{n}期"


@dataclass
class Installment:
    n: int  # 0 = 首付款
    due: DueDate
    amount: Decimal

    @property
    def label(self) -> str:
        return installment_label(self.n)

    def as_json(self) -> dict:
        return {
            "n": self.n,
            "label": self.label,
            "due_date": self.due.due.isoformat(),
            "nominal_date": self.due.nominal.isoformat(),
            "shifted": self.due.reason,
            "amount": f"{self.amount:.2f}",
        }


@dataclass
class Plan:
    index: int
    months: int
    shape: str
    origin: str  # "standard" (policy term) or "fit" (shortest affordable term)
    waiver_share: Decimal
    waived_delay_interest: Decimal
    agreed_total: Decimal
    down_payment: Decimal
    installments: list[Installment]
    installment_cap: Decimal
    waiting_cost: Decimal
    problems: list[str] = field(default_factory=list)

    @property
    def affordable(self) -> bool:
        return not self.problems

    @property
    def max_installment(self) -> Decimal:
        return max((i.amount for i in self.installments if i.n > 0), default=ZERO)

    @property
    def last_due(self) -> date:
        return self.installments[-1].due.due

    @property
    def title(self) -> str:
        kind = "最短可负担期限" if self.origin == "fit" else "标准期限"
        return f"方案{self.index}：{self.months}个月{SHAPE_LABELS[self.shape]}（{kind}）"

    def as_json(self) -> dict:
        return {
            "index": self.index,
            "title": self.title,
            "months": self.months,
            "shape": self.shape,
            "origin": self.origin,
            "down_payment": f"{self.down_payment:.2f}",
            "waiver_share": f"{self.waiver_share:.2f}",
            "waived_delay_interest": f"{self.waived_delay_interest:.2f}",
            "agreed_total": f"{self.agreed_total:.2f}",
            "max_installment": f"{self.max_installment:.2f}",
            "installment_cap": f"{self.installment_cap:.2f}",
            "waiting_cost": f"{self.waiting_cost:.2f}",
            "schedule": [i.as_json() for i in self.installments],
            "affordable": self.affordable,
            "problems": self.problems,
        }


def split_amount(total: Decimal, count: int, shape: str, last_to_first: Decimal) -> list[Decimal]:
    """``count`` amounts in whole yuan (the last one takes the remainder) adding up exactly to ``total``."""
    if count <= 0:
        return []
    if count == 1:
        return [total]
    if shape == "equal":
        weights = [Decimal(1)] * count
    else:  # rising linearly from 1 to last_to_first
        step = (last_to_first - 1) / (count - 1)
        weights = [1 + step * k for k in range(count)]
    weight_sum = sum(weights)
    amounts = [floor_yuan(total * w / weight_sum) for w in weights[:-1]]
    if any(a <= 0 for a in amounts):  # tiny totals: fall back to fen so no installment is zero
        amounts = [to_fen(total * w / weight_sum) for w in weights[:-1]]
    amounts.append(total - sum(amounts))
    return amounts


def _waiting_cost(installments: list[Installment], as_of: date, interest: GeneralInterest | None) -> Decimal:
    """What the creditor gives up by waiting, priced at the judgment's own interest rate."""
    if interest is None or interest.annual_rate == 0:
        return ZERO
    cost = sum(
        (i.amount * interest.annual_rate * (i.due.due - as_of).days / interest.day_count for i in installments),
        ZERO,
    )
    return to_fen(cost)


def build_plan(
    *,
    months: int,
    shape: str,
    origin: str,
    owed: OwedStatement,
    assessment: CapacityAssessment,
    policy: Policy,
    requested_down_payment: Decimal | None,
    interest: GeneralInterest | None,
) -> Plan:
    as_of = owed.as_of
    waiver_share = policy.waiver_share(months)
    waived = to_fen(owed.delay_interest * waiver_share)
    agreed_total = owed.total - waived
    problems: list[str] = []
    if requested_down_payment is not None:
        down = min(requested_down_payment, agreed_total)
    else:
        down = min(floor_yuan(assessment.available_for_down_payment), agreed_total)
    if down > assessment.available_for_down_payment:
        problems.append(f"首付款 {yuan(down)} 超过可用于首付的资金 {yuan(assessment.available_for_down_payment)}")
    installments: list[Installment] = []
    if down > 0:
        installments.append(Installment(0, next_working_day(as_of + timedelta(days=policy.down_payment_due_days)), down))
    amounts = split_amount(agreed_total - down, months, shape, policy.rising_last_to_first) if agreed_total > down else []
    for n, amount in enumerate(amounts, start=1):
        installments.append(Installment(n, next_working_day(add_months(as_of, n)), amount))
    cap = assessment.installment_cap
    if assessment.free_cash_flow <= 0 and amounts:
        problems.append("月自由现金流不为正，无力按月支付分期款")
    else:
        over = [i for i in installments if i.n > 0 and i.amount > cap]
        if over:
            first = over[0]
            problems.append(
                f"{len(over)}期超过每期还款上限 {yuan(cap)}（如{first.label} {yuan(first.amount)}，"
                f"占月自由现金流 {first.amount / assessment.free_cash_flow * 100:.0f}%）"
            )
    return Plan(
        index=0,
        months=months,
        shape=shape,
        origin=origin,
        waiver_share=waiver_share,
        waived_delay_interest=waived,
        agreed_total=agreed_total,
        down_payment=down,
        installments=installments,
        installment_cap=cap,
        waiting_cost=_waiting_cost(installments, as_of, interest),
        problems=problems,
    )


def propose_plans(
    owed: OwedStatement,
    assessment: CapacityAssessment,
    policy: Policy,
    requested_down_payment: Decimal | None,
    interest: GeneralInterest | None,
) -> tuple[list[Plan], list[str]]:
    """Plans for every policy term and shape, plus the shortest affordable equal plan; and warnings."""
    common = dict(owed=owed, assessment=assessment, policy=policy, requested_down_payment=requested_down_payment, interest=interest)
    plans = [
        build_plan(months=months, shape=shape, origin="standard", **common)
        for months in policy.terms_months
        for shape in policy.shapes
    ]
    warnings: list[str] = []
    fit = None
    if assessment.free_cash_flow > 0:
        for months in range(1, policy.max_term_months + 1):
            candidate = build_plan(months=months, shape="equal", origin="fit", **common)
            if candidate.affordable:
                fit = candidate
                break
        if fit is None:
            warnings.append(f"按当前还款能力，{policy.max_term_months}个月内无法以不超过每期上限的分期付清，建议先处置被查封财产或追加担保")
    if fit is not None and not any(p.months == fit.months and p.shape == "equal" for p in plans):
        plans.append(fit)
    plans.sort(key=lambda p: (p.months, p.shape != "equal"))
    for index, plan in enumerate(plans, start=1):
        plan.index = index
    if plans and not any(p.affordable for p in plans):
        warnings.append("所列方案均超出被执行人的还款能力，不宜直接提出；请核实还款能力或协商追加担保、处置财产")
    calendar_note = calendar_warning([i.due for p in plans for i in p.installments])
    if calendar_note:
        warnings.append(calendar_note)
    return plans, warnings
