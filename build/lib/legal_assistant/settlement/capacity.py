"""The debtor's ability to pay: monthly free cash flow, cash available now, and a 0–100 score.

The score is a transparent aid for negotiation, not a legal standard: each component is a ratio
capped at 1, times a weight from policy.yaml, and the note to the file shows every formula.
For an individual, the monthly expenses are the necessary living expenses of the debtor and
dependants, which enforcement must leave them (民事诉讼法第二百五十四条).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from legal_assistant import identity
from legal_assistant.settlement.amounts import ZERO, to_fen, yuan
from legal_assistant.settlement.inputs import Capacity
from legal_assistant.settlement.policy import Policy

ONE = Decimal("1")


@dataclass
class ScoreComponent:
    key: str
    label: str
    weight: int
    ratio: Decimal
    formula: str

    @property
    def points(self) -> Decimal:
        return self.ratio * self.weight


@dataclass
class CapacityAssessment:
    debtor_kind: str
    monthly_income: Decimal
    monthly_expenses: Decimal
    other_debt_service: Decimal
    free_cash_flow: Decimal
    installment_cap: Decimal
    reserve: Decimal
    available_for_down_payment: Decimal
    seized_value: Decimal
    seized_in_use_value: Decimal
    other_debts_owed: Decimal
    score: int
    band: str
    components: list[ScoreComponent]
    formulas: list[str]
    warnings: list[str] = field(default_factory=list)
    basis: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "free_cash_flow": f"{self.free_cash_flow:.2f}",
            "score": self.score,
            "band": self.band,
            "installment_cap": f"{self.installment_cap:.2f}",
            "available_for_down_payment": f"{self.available_for_down_payment:.2f}",
            "components": [
                {"key": c.key, "label": c.label, "weight": c.weight, "points": f"{c.points:.1f}", "formula": c.formula}
                for c in self.components
            ],
            "formulas": self.formulas,
        }


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    if denominator <= 0:
        return ONE
    return max(ZERO, min(ONE, numerator / denominator))


def assess_capacity(capacity: Capacity, debtor_kind: str, owed_total: Decimal, policy: Policy) -> CapacityAssessment:
    individual = debtor_kind == identity.INDIVIDUAL
    income_label, expense_label = ("月收入", "必要生活支出（本人及所扶养家属）") if individual else ("月营业收入", "月经营成本")
    other_service = sum((d.monthly_payment for d in capacity.other_enforcement_debts), ZERO)
    other_owed = sum((d.amount_owed for d in capacity.other_enforcement_debts), ZERO)
    free_cash_flow = capacity.monthly_income - capacity.monthly_expenses - other_service
    share = policy.max_share_of_free_cash_flow
    installment_cap = to_fen(free_cash_flow * share) if free_cash_flow > 0 else ZERO
    reserve = to_fen(capacity.monthly_expenses * policy.reserve_months_of_expenses)
    collectible = to_fen(capacity.receivables * policy.receivables_collectible_share)
    available = max(ZERO, capacity.cash - reserve + collectible)
    seized_value = sum((a.value for a in capacity.seized_assets), ZERO)
    seized_in_use = sum((a.value for a in capacity.seized_assets if a.may_keep_using), ZERO)

    formulas = [
        f"月自由现金流 = {income_label} {yuan(capacity.monthly_income)} − {expense_label} {yuan(capacity.monthly_expenses)}"
        f" − 其他执行案件月还款 {yuan(other_service)} = {yuan(free_cash_flow)}",
        f"每期还款上限 = 月自由现金流 × {share * 100:.0f}% = {yuan(installment_cap)}",
        f"可用于首付的资金 = 现金 {yuan(capacity.cash)} − 保留周转资金（{policy.reserve_months_of_expenses}个月支出）{yuan(reserve)}"
        f" + 应收账款 {yuan(capacity.receivables)} × 可回收比例 {policy.receivables_collectible_share * 100:.0f}% = {yuan(available)}",
    ]
    if seized_value:
        formulas.append(f"被查封财产价值合计 {yuan(seized_value)}，其中允许被执行人继续使用（活查封）的 {yuan(seized_in_use)}")

    remaining = max(ZERO, owed_total - available)
    weights = policy.score_weights
    components = [
        ScoreComponent(
            "installment_coverage", "12个月现金流覆盖", weights["installment_coverage"],
            _ratio(installment_cap * 12, remaining),
            f"min(1, 每期上限 {yuan(installment_cap)} × 12 ÷ 首付后余额 {yuan(remaining)})",
        ),
        ScoreComponent(
            "liquidity", "即时可付资金", weights["liquidity"], _ratio(available, owed_total),
            f"min(1, 可用于首付的资金 {yuan(available)} ÷ 应付总额 {yuan(owed_total)})",
        ),
        ScoreComponent(
            "security", "查封财产保障", weights["security"], _ratio(seized_value, owed_total),
            f"min(1, 被查封财产价值 {yuan(seized_value)} ÷ 应付总额 {yuan(owed_total)})",
        ),
        ScoreComponent(
            "other_debts", "其他执行负担", weights["other_debts"], ONE - _ratio(other_owed, other_owed + owed_total),
            f"1 − 其他执行案件欠款 {yuan(other_owed)} ÷（其他欠款 + 本案应付总额 {yuan(owed_total)}）",
        ),
    ]
    score = int(sum((c.points for c in components), ZERO).quantize(ONE, rounding=ROUND_HALF_UP))
    warnings = []
    if free_cash_flow <= 0:
        warnings.append(f"被执行人月自由现金流为 {yuan(free_cash_flow)}，无法以经营收入/收入支付分期款，任何分期方案均不可负担")
    if seized_value and seized_in_use < seized_value:
        warnings.append("部分被查封财产不允许继续使用；如其为经营所必需，可协商改为活查封，以免影响还款能力")
    return CapacityAssessment(
        debtor_kind=debtor_kind,
        monthly_income=capacity.monthly_income,
        monthly_expenses=capacity.monthly_expenses,
        other_debt_service=other_service,
        free_cash_flow=free_cash_flow,
        installment_cap=installment_cap,
        reserve=reserve,
        available_for_down_payment=available,
        seized_value=seized_value,
        seized_in_use_value=seized_in_use,
        other_debts_owed=other_owed,
        score=score,
        band=policy.score_band(score),
        components=components,
        formulas=formulas,
        warnings=warnings,
        basis=["living_expenses_reserved"] if individual else [],
    )
