"""What the debtor owes on a date under the judgment: principal, general interest, 加倍部分债务利息, costs.

Every figure carries its formula and legal basis. Arithmetic is exact ``Decimal`` throughout; each
component is rounded to the fen once, at the end (ROUND_HALF_UP), and the total is the sum of the
rounded components so that the table in the documents adds up.

Payments already made are applied in the order the law sets: within the money debt the judgment
fixed, costs → interest → principal (民法典第五百六十一条), and only then 加倍部分债务利息
(迟延履行利息解释第四条); 加倍部分债务利息 on each paid part stops on the day it is paid (第三条).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from legal_assistant.settlement.inputs import Judgment, Payment

CENT = Decimal("0.01")
ZERO = Decimal("0")
# 日万分之一点七五 (迟延履行利息解释第一条第三款).
DELAY_DAILY_RATE = Decimal("0.000175")
FEE_SCHEDULE_FILE = Path(__file__).parent / "data" / "execution_fee_schedule.yaml"


def to_fen(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def yuan(value: Decimal) -> str:
    """1234567.891 → '1,234,567.89' (display only; rounding to the fen)."""
    return f"{to_fen(value):,.2f}"


def percent(rate: Decimal) -> str:
    text = format((rate * 100).normalize(), "f")
    return f"{text}%"


@dataclass
class LineItem:
    key: str
    label: str
    amount: Decimal
    formula: list[str]
    basis: list[str]

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "amount": f"{self.amount:.2f}", "formula": self.formula, "basis": self.basis}


@dataclass
class PaymentApplication:
    paid_on: date
    amount: Decimal
    applied: dict[str, Decimal]  # component label → exact amount applied
    overpaid: Decimal = ZERO


@dataclass
class OwedStatement:
    as_of: date
    principal: Decimal
    interest: Decimal
    delay_interest: Decimal
    litigation_fee: Decimal
    execution_fee: Decimal
    paid_total: Decimal
    lines: list[LineItem]
    applications: list[PaymentApplication] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def costs(self) -> Decimal:
        return self.litigation_fee + self.execution_fee

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.delay_interest + self.costs

    @property
    def basis_keys(self) -> list[str]:
        return [key for line in self.lines for key in line.basis]

    def as_json(self) -> dict[str, str]:
        return {
            "principal": f"{self.principal:.2f}",
            "interest": f"{self.interest:.2f}",
            "delay_interest": f"{self.delay_interest:.2f}",
            "costs": f"{self.costs:.2f}",
            "total": f"{self.total:.2f}",
        }


@dataclass
class _Balances:
    """Unpaid amounts, exact (not rounded) while the computation runs."""

    principal: Decimal
    general_interest: Decimal
    delay_interest: Decimal
    litigation_fee: Decimal
    execution_fee: Decimal

    # Order in which a payment is applied: 民法典第五百六十一条 inside the judgment debt
    # (费用 → 利息 → 主债务), then 加倍部分债务利息 last (迟延履行利息解释第四条).
    ORDER = (
        ("execution_fee", "申请执行费"),
        ("litigation_fee", "案件受理费"),
        ("general_interest", "一般债务利息"),
        ("principal", "本金"),
        ("delay_interest", "加倍部分债务利息"),
    )


def _days(start: date, end: date) -> int:
    """Days from ``start`` to ``end``, the start day not counted (民法典第二百零一条)."""
    return max(0, (end - start).days)


def compute_owed(judgment: Judgment, as_of: date, payments: list[Payment] | None = None) -> OwedStatement:
    """The debt under the judgment on ``as_of``, after the payments made up to that day."""
    interest = judgment.general_interest
    deadline = judgment.performance_deadline
    balances = _Balances(judgment.principal, ZERO, ZERO, judgment.litigation_fee, judgment.execution_fee)
    interest_steps: list[str] = []
    delay_steps: list[str] = []
    applications: list[PaymentApplication] = []
    warnings: list[str] = []

    def accrue(start: date, end: date) -> None:
        if interest and interest.annual_rate > 0:
            stop = min(end, interest.end_date) if interest.end_date else end
            begin = max(start, interest.start_date)
            days = _days(begin, stop)
            if days and balances.principal > 0:
                amount = balances.principal * interest.annual_rate * days / interest.day_count
                balances.general_interest += amount
                interest_steps.append(
                    f"{begin:%Y-%m-%d} 至 {stop:%Y-%m-%d}，{days}天：{yuan(balances.principal)} × {percent(interest.annual_rate)}"
                    f" ÷ {interest.day_count} × {days} = {yuan(amount)}"
                )
        begin = max(start, deadline)
        days = _days(begin, end)
        fee_in_base = balances.litigation_fee if judgment.litigation_fee_in_delay_base else ZERO
        base = balances.principal + fee_in_base
        if days and base > 0:
            amount = base * DELAY_DAILY_RATE * days
            balances.delay_interest += amount
            composition = f"本金 {yuan(balances.principal)}" + (f" + 案件受理费 {yuan(fee_in_base)}" if fee_in_base else "")
            delay_steps.append(
                f"{begin:%Y-%m-%d} 至 {end:%Y-%m-%d}，{days}天：（{composition}）{yuan(base)} × 日万分之一点七五 × {days} = {yuan(amount)}"
            )

    def apply(payment: Payment) -> None:
        remaining = payment.amount
        applied: dict[str, Decimal] = {}
        for attribute, label in _Balances.ORDER:
            owed = getattr(balances, attribute)
            portion = min(owed, remaining)
            if portion > 0:
                setattr(balances, attribute, owed - portion)
                applied[label] = portion
                remaining -= portion
        applications.append(PaymentApplication(payment.paid_on, payment.amount, applied, overpaid=remaining))
        if remaining > 0:
            warnings.append(f"{payment.paid_on:%Y-%m-%d} 的付款超出当时全部欠款 {yuan(remaining)} 元")

    starts = [deadline] + ([interest.start_date] if interest else [])
    cursor = min(starts)
    for payment in sorted(payments or [], key=lambda p: p.paid_on):
        if payment.paid_on > as_of:
            continue
        if payment.paid_on > cursor:
            accrue(cursor, payment.paid_on)
            cursor = payment.paid_on
        apply(payment)
    if as_of > cursor:
        accrue(cursor, as_of)

    paid_total = sum((a.amount for a in applications), ZERO)
    statement = OwedStatement(
        as_of=as_of,
        principal=to_fen(balances.principal),
        interest=to_fen(balances.general_interest),
        delay_interest=to_fen(balances.delay_interest),
        litigation_fee=to_fen(balances.litigation_fee),
        execution_fee=to_fen(balances.execution_fee),
        paid_total=paid_total,
        lines=[],
        applications=applications,
        warnings=warnings,
    )
    statement.lines = _line_items(judgment, statement, interest_steps, delay_steps)
    return statement


def _paid_note(statement: OwedStatement, label: str) -> list[str]:
    lines = []
    for application in statement.applications:
        if label in application.applied:
            lines.append(f"减：{application.paid_on:%Y-%m-%d} 付款中冲抵{label} {yuan(application.applied[label])}")
    return lines


def _line_items(judgment: Judgment, statement: OwedStatement, interest_steps: list[str], delay_steps: list[str]) -> list[LineItem]:
    ordering = ["payment_order"] if statement.applications else []
    principal = LineItem(
        "principal",
        "本金",
        statement.principal,
        [f"判决确定本金 {yuan(judgment.principal)}", *_paid_note(statement, "本金"), f"未付本金 = {yuan(statement.principal)}"],
        ordering,
    )
    interest = judgment.general_interest
    if interest:
        interest_formula = [
            f"按执行依据确定的方法计算：{interest.description or '年利率 ' + percent(interest.annual_rate)}",
            f"一般债务利息 = 未付本金 × 年利率 ÷ {interest.day_count} × 天数（不计起算当日）",
            *interest_steps,
            *_paid_note(statement, "一般债务利息"),
            f"未付一般债务利息 = {yuan(statement.interest)}（分段结果保留全部精度，合计后四舍五入至分）",
        ]
    else:
        interest_formula = ["执行依据未确定给付一般债务利息，不予计算"]
    interest_line = LineItem("interest", "一般债务利息", statement.interest, interest_formula, ["delay_interest_scope", "period_counting", *ordering])
    delay_line = LineItem(
        "delay_interest",
        "加倍部分债务利息",
        statement.delay_interest,
        [
            "加倍部分债务利息 = 尚未清偿的除一般债务利息之外的金钱债务 × 日万分之一点七五 × 迟延履行期间",
            f"自履行期间届满之日（{judgment.performance_deadline:%Y-%m-%d}）起算，计至 {statement.as_of:%Y-%m-%d}；"
            "分次履行的，已付部分计至付款之日",
            *delay_steps,
            *_paid_note(statement, "加倍部分债务利息"),
            f"未付加倍部分债务利息 = {yuan(statement.delay_interest)}（分段结果保留全部精度，合计后四舍五入至分）",
        ],
        ["delay_interest_statute", "delay_interest_scope", "delay_interest_start", "delay_interest_end", "period_counting"]
        + (["delay_interest_order"] if statement.applications else []),
    )
    costs_line = LineItem(
        "costs",
        "诉讼费用",
        statement.costs,
        [
            f"案件受理费 {yuan(judgment.litigation_fee)}" + "".join(f"，{n}" for n in _paid_note(statement, "案件受理费")),
            f"申请执行费 {yuan(judgment.execution_fee)}" + "".join(f"，{n}" for n in _paid_note(statement, "申请执行费")),
            f"未付诉讼费用 = {yuan(statement.litigation_fee)} + {yuan(statement.execution_fee)} = {yuan(statement.costs)}",
            f"参考：以判决本金 {yuan(judgment.principal)} 为执行金额，按申请执行费标准计算为 {yuan(standard_execution_fee(judgment.principal))}",
        ],
        ["execution_fee_standard", *ordering],
    )
    return [principal, interest_line, delay_line, costs_line]


@lru_cache(maxsize=1)
def _fee_schedule() -> dict:
    return yaml.safe_load(FEE_SCHEDULE_FILE.read_text(encoding="utf-8"))


def standard_execution_fee(execution_amount: Decimal) -> Decimal:
    """申请执行费 for an execution amount under 诉讼费用交纳办法第十四条 (progressive bands)."""
    schedule = _fee_schedule()
    fee = Decimal(schedule["minimum_fee"])
    lower = Decimal(schedule["first_band_up_to"])
    for band in schedule["bands"]:
        upper = Decimal(band["amount_up_to"]) if band["amount_up_to"] is not None else None
        if execution_amount <= lower:
            break
        top = execution_amount if upper is None else min(execution_amount, upper)
        fee += (top - lower) * Decimal(band["rate"])
        if upper is None:
            break
        lower = upper
    return to_fen(fee)
