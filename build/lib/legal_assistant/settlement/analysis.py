"""One settlement analysis: owed amount, capacity, plans, warnings and the citations they rest on."""

from __future__ import annotations

from dataclasses import dataclass

from legal_assistant.settlement.amounts import OwedStatement, compute_owed, standard_execution_fee, yuan
from legal_assistant.settlement.capacity import CapacityAssessment, assess_capacity
from legal_assistant.settlement.errors import SettlementError
from legal_assistant.settlement.inputs import SettlementInput
from legal_assistant.settlement.legal_basis import citations_for
from legal_assistant.settlement.plans import Plan, propose_plans
from legal_assistant.settlement.policy import Policy, policy_for

# Bases every settlement plan rests on, besides those of the individual figures.
PLAN_BASIS = ["settlement_allowed", "settlement_content", "holiday_shift"]


@dataclass
class SettlementAnalysis:
    data: SettlementInput
    policy: Policy
    owed: OwedStatement
    capacity: CapacityAssessment
    plans: list[Plan]
    warnings: list[str]

    def plan(self, index: int) -> Plan:
        for plan in self.plans:
            if plan.index == index:
                return plan
        raise SettlementError(f"没有方案{index}：可选方案为 1 至 {len(self.plans)}")

    @property
    def basis_keys(self) -> list[str]:
        return self.owed.basis_keys + self.capacity.basis + PLAN_BASIS

    def as_json(self) -> dict:
        return {
            "as_of": self.owed.as_of.isoformat(),
            "case_number": self.data.case_number,
            "court": self.data.court,
            "owed": self.owed.as_json(),
            "owed_detail": [line.as_dict() for line in self.owed.lines],
            "capacity": self.capacity.as_json(),
            "plans": [plan.as_json() for plan in self.plans],
            "warnings": self.warnings,
            "citations": [
                {k: v for k, v in c.items() if k != "text"} for c in citations_for(self.basis_keys)
            ],
        }


def analyse(data: SettlementInput) -> SettlementAnalysis:
    policy = policy_for(data.negotiation)
    judgment = data.judgment
    owed = compute_owed(judgment, data.negotiation.as_of, data.payments_before)
    if owed.total <= 0:
        raise SettlementError(f"截至{data.negotiation.as_of:%Y年%m月%d日}，被执行人已履行完毕生效法律文书确定的全部款项，无需和解")
    capacity = assess_capacity(data.capacity, data.debtor.kind, owed.total, policy)
    plans, plan_warnings = propose_plans(owed, capacity, policy, data.negotiation.down_payment, judgment.general_interest)
    warnings = [*owed.warnings, *capacity.warnings, *plan_warnings]
    standard_fee = standard_execution_fee(judgment.principal)
    if judgment.execution_fee != standard_fee:
        warnings.append(
            f"录入的申请执行费 {yuan(judgment.execution_fee)} 与以判决本金计算的标准 {yuan(standard_fee)} 不一致；"
            "若执行金额包含利息等，请以法院收费通知为准"
        )
    return SettlementAnalysis(data=data, policy=policy, owed=owed, capacity=capacity, plans=plans, warnings=warnings)
