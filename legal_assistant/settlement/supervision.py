"""Supervising a signed settlement: payments as they arrive, what is paid / due / overdue, defaults.

Payments are applied to installments in order (down payment first). An installment unpaid more
than ``grace_days`` after its due date is a default: under the acceleration clause the rest falls
due, and the creditor may apply to resume enforcement of the original judgment, with the amounts
recomputed to that date and what was paid under the agreement deducted (执行和解规定第九条、
第十七条). Every change is kept in ``settlement_events`` and the audit log.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from legal_assistant import clock
from legal_assistant.audit import AuditAction, record_event
from legal_assistant.auth.permissions import Actor, PermissionDenied, ensure_settlement_access, require_role
from legal_assistant.auth.roles import Role
from legal_assistant.settlement.amounts import CENT, OwedStatement, compute_owed, yuan
from legal_assistant.settlement.analysis import analyse
from legal_assistant.settlement.documents import ResumeFacts, resume_basis_keys, resume_document
from legal_assistant.settlement.due_dates import resumption_deadline
from legal_assistant.settlement.errors import SettlementError
from legal_assistant.settlement.inputs import Payment, SettlementInput, load_input
from legal_assistant.settlement.legal_basis import citations_for
from legal_assistant.settlement.plans import installment_label
from legal_assistant.settlement.models import SettlementCase, SettlementEvent, SettlementInstallment, SettlementPayment
from legal_assistant.store.db import init_db, session_scope

log = logging.getLogger(__name__)


def to_fen_int(amount: Decimal) -> int:
    return int((amount.quantize(CENT) * 100).to_integral_exact())


def from_fen_int(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(CENT)


@dataclass
class InstallmentState:
    n: int
    due_date: date
    amount: Decimal
    paid: Decimal
    state: str  # 已付清 / 部分支付 / 未到期 / 逾期
    days_late: int  # overdue: days past due on as_of; paid late: days past due when paid off
    paid_off_on: date | None

    @property
    def label(self) -> str:
        return installment_label(self.n)

    def as_json(self) -> dict:
        return {
            "n": self.n,
            "label": self.label,
            "due_date": self.due_date.isoformat(),
            "amount": f"{self.amount:.2f}",
            "paid": f"{self.paid:.2f}",
            "state": self.state,
            "days_late": self.days_late,
            "paid_off_on": self.paid_off_on.isoformat() if self.paid_off_on else None,
        }


@dataclass
class CaseStatus:
    case_id: int
    case_number: str
    court: str
    status: str
    as_of: date
    agreed_total: Decimal
    paid_total: Decimal
    due_total: Decimal  # installments due on or before as_of
    overdue_total: Decimal
    installments: list[InstallmentState]
    default_reason: str = ""
    events: list[dict] = field(default_factory=list)

    @property
    def resume_deadline(self) -> date:
        return resumption_deadline(max(i.due_date for i in self.installments))

    @property
    def outstanding(self) -> Decimal:
        return self.agreed_total - self.paid_total

    @property
    def defaulted(self) -> bool:
        return bool(self.default_reason)

    def as_json(self) -> dict:
        return {
            "case_id": self.case_id,
            "case_number": self.case_number,
            "court": self.court,
            "status": self.status,
            "as_of": self.as_of.isoformat(),
            "agreed_total": f"{self.agreed_total:.2f}",
            "paid": f"{self.paid_total:.2f}",
            "due": f"{self.due_total:.2f}",
            "overdue": f"{self.overdue_total:.2f}",
            "outstanding": f"{self.outstanding:.2f}",
            "default": self.default_reason or None,
            "resume_deadline": self.resume_deadline.isoformat(),
            "installments": [i.as_json() for i in self.installments],
        }


STATUS_LABELS = {"active": "履行中", "completed": "已履行完毕", "defaulted": "已违约"}


def _event(session: Session, case: SettlementCase, actor: Actor, kind: str, detail: dict) -> None:
    session.add(SettlementEvent(case=case, kind=kind, detail=json.dumps(detail, ensure_ascii=False), actor_id=actor.user_id))


def create_case(
    actor: Actor | None,
    data: SettlementInput,
    plan_index: int,
    *,
    agreement_date: date | None = None,
    party_owner_id: int | None = None,
) -> int:
    """Store a signed settlement under supervision; only a judge's assistant of the case's court."""
    actor = require_role(actor, Role.JUDGE_ASSISTANT)
    if actor.organization != data.court:
        raise PermissionDenied("只能登记本院的和解案件")
    analysis = analyse(data)
    plan = analysis.plan(plan_index)
    if not plan.affordable:
        raise SettlementError(f"{plan.title}超出被执行人还款能力（{'；'.join(plan.problems)}），请选择可负担的方案或调整参数")
    init_db()
    with session_scope() as session:
        case = SettlementCase(
            owner_id=party_owner_id,
            court=data.court,
            case_number=data.case_number,
            creditor_name=data.creditor.name,
            debtor_name=data.debtor.name,
            status="active",
            agreement_date=agreement_date or data.negotiation.as_of,
            plan_title=plan.title,
            agreed_total_fen=to_fen_int(plan.agreed_total),
            grace_days=analysis.policy.grace_days,
            input_json=data.model_dump_json(),
            plan_json=json.dumps(plan.as_json(), ensure_ascii=False),
        )
        case.installments = [
            SettlementInstallment(n=i.n, due_date=i.due.due, amount_fen=to_fen_int(i.amount)) for i in plan.installments
        ]
        session.add(case)
        session.flush()
        _event(session, case, actor, "created", {"plan": plan.title, "agreed_total": f"{plan.agreed_total:.2f}"})
        record_event(session, actor, AuditAction.CREATED, "settlement_case", case.id, f"{data.case_number} {plan.title}")
        case_id = case.id
    log.info("settlement case %s created (%s)", case_id, data.case_number)
    return case_id


def _load(session: Session, actor: Actor | None, case_id: int) -> tuple[Actor, SettlementCase]:
    case = session.get(SettlementCase, case_id)
    if case is None:
        raise PermissionDenied()  # same answer as "not yours": ids reveal nothing
    return ensure_settlement_access(actor, owner_id=case.owner_id, court=case.court), case


def _state(case: SettlementCase, as_of: date) -> CaseStatus:
    payments = [p for p in case.payments if p.paid_on <= as_of]
    # Running payment pool applied in installment order; remember when each installment was paid off.
    pool = [(p.paid_on, p.amount_fen) for p in sorted(payments, key=lambda p: (p.paid_on, p.id))]
    pool_index, left_in_payment = 0, pool[0][1] if pool else 0
    states: list[InstallmentState] = []
    default_reason = ""
    for installment in sorted(case.installments, key=lambda i: i.n):
        need, paid_off_on = installment.amount_fen, None
        while need > 0 and pool_index < len(pool):
            take = min(need, left_in_payment)
            need -= take
            left_in_payment -= take
            if need == 0:
                paid_off_on = pool[pool_index][0]
            if left_in_payment == 0:
                pool_index += 1
                left_in_payment = pool[pool_index][1] if pool_index < len(pool) else 0
        paid = installment.amount_fen - need
        if need == 0:
            state, days_late = "已付清", max(0, (paid_off_on - installment.due_date).days)
        elif installment.due_date >= as_of:
            state, days_late = ("部分支付" if paid else "未到期"), 0
        else:
            state, days_late = "逾期", (as_of - installment.due_date).days
            if days_late > case.grace_days and not default_reason:
                label = installment_label(installment.n) + ("" if installment.n == 0 else "款项")
                default_reason = (
                    f"未按约于{installment.due_date:%Y年%m月%d日}足额支付{label}{yuan(from_fen_int(installment.amount_fen))}元"
                    f"（已付{yuan(from_fen_int(paid))}元），截至{as_of:%Y年%m月%d日}已逾期{days_late}日，超过约定的{case.grace_days}日宽限期"
                )
        states.append(
            InstallmentState(installment.n, installment.due_date, from_fen_int(installment.amount_fen), from_fen_int(paid), state, days_late, paid_off_on)
        )
    due = [s for s in states if s.due_date <= as_of]
    return CaseStatus(
        case_id=case.id,
        case_number=case.case_number,
        court=case.court,
        status=case.status,
        as_of=as_of,
        agreed_total=from_fen_int(case.agreed_total_fen),
        paid_total=from_fen_int(sum(p.amount_fen for p in payments)),
        due_total=sum((s.amount for s in due), Decimal("0.00")),
        overdue_total=sum((s.amount - s.paid for s in states if s.state == "逾期"), Decimal("0.00")),
        installments=states,
        default_reason=default_reason,
    )


def _update_status(session: Session, actor: Actor, case: SettlementCase, status: CaseStatus) -> None:
    """Record the transition the facts show (active → completed / defaulted); a look at a future date changes nothing."""
    if status.as_of > clock.today() or case.status != "active":
        return
    new = "completed" if status.outstanding <= 0 else ("defaulted" if status.defaulted else None)
    if new is None:
        return
    case.status = new
    status.status = new
    _event(session, case, actor, "status_changed", {"status": new, "reason": status.default_reason or "全部款项已付清"})


def record_payment(actor: Actor | None, case_id: int, paid_on: date, amount: Decimal, note: str = "") -> CaseStatus:
    if amount <= 0 or amount != amount.quantize(CENT):
        raise SettlementError("付款金额应为大于0、最多两位小数的数字")
    if paid_on > clock.today():
        raise SettlementError("付款日期不能晚于今天")
    with session_scope() as session:
        actor, case = _load(session, actor, case_id)
        if actor.role is not Role.JUDGE_ASSISTANT:
            raise PermissionDenied("只有本院法官助理可以登记付款")
        if paid_on < case.agreement_date:
            raise SettlementError("付款日期早于和解协议签订日，应作为和解前已履行款项录入")
        case.payments.append(SettlementPayment(paid_on=paid_on, amount_fen=to_fen_int(amount), note=note[:500], recorded_by=actor.user_id))
        session.flush()
        _event(session, case, actor, "payment", {"paid_on": paid_on.isoformat(), "amount": f"{amount:.2f}", "note": note[:500]})
        record_event(session, actor, AuditAction.UPDATED, "settlement_case", case.id, f"登记付款 {amount:.2f} 元（{paid_on}）")
        status = _state(case, clock.today())
        _update_status(session, actor, case, status)
        return status


def case_status(actor: Actor | None, case_id: int, as_of: date | None = None) -> CaseStatus:
    as_of = as_of or clock.today()
    with session_scope() as session:
        actor, case = _load(session, actor, case_id)
        status = _state(case, as_of)
        _update_status(session, actor, case, status)
        status.events = [
            {"at": e.at.isoformat(timespec="seconds"), "kind": e.kind, "detail": json.loads(e.detail or "{}")} for e in case.events
        ]
        return status


def list_cases(actor: Actor | None) -> list[dict]:
    """The actor's court's cases (judges' assistants) or their own (enterprises)."""
    actor = require_role(actor, Role.JUDGE_ASSISTANT, Role.OWNER)
    with session_scope() as session:
        query = select(SettlementCase).order_by(SettlementCase.id)
        if actor.role is Role.JUDGE_ASSISTANT:
            query = query.where(SettlementCase.court == actor.organization)
        else:
            query = query.where(SettlementCase.owner_id == actor.user_id)
        return [
            {
                "case_id": c.id,
                "case_number": c.case_number,
                "debtor": c.debtor_name,
                "status": c.status,
                "status_label": STATUS_LABELS.get(c.status, c.status),
                "agreed_total": f"{from_fen_int(c.agreed_total_fen):.2f}",
                "plan": c.plan_title,
            }
            for c in session.scalars(query)
        ]


@dataclass
class ResumeDraft:
    status: CaseStatus
    owed: OwedStatement
    citations: list[dict]


def draft_resume_application(actor: Actor | None, case_id: int, out: Path, as_of: date | None = None) -> ResumeDraft:
    """Write 恢复执行申请书 (DOCX) for a defaulted case, the debt recomputed under the judgment to ``as_of``."""
    as_of = as_of or clock.today()
    with session_scope() as session:
        actor, case = _load(session, actor, case_id)
        status = _state(case, as_of)
        if not status.defaulted:
            raise SettlementError(
                "该案截至" + f"{as_of:%Y年%m月%d日}" + "没有逾期超过宽限期的款项，被执行人正在按约履行的，人民法院裁定不予恢复执行"
                "（《最高人民法院关于执行和解若干问题的规定》第十一条第（三）项），暂不生成恢复执行申请书"
            )
        data = load_input(json.loads(case.input_json))
        agreement_payments = [Payment(paid_on=p.paid_on, amount=from_fen_int(p.amount_fen), note=p.note) for p in case.payments if p.paid_on <= as_of]
        owed = compute_owed(data.judgment, as_of, [*data.payments_before, *agreement_payments])
        facts = ResumeFacts(
            data=data,
            owed=owed,
            agreement_date=case.agreement_date,
            agreed_total=status.agreed_total,
            paid_under_agreement=status.paid_total,
            default_description=status.default_reason,
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        resume_document(facts).save(out)
        _update_status(session, actor, case, status)
        _event(session, case, actor, "resume_drafted", {"as_of": as_of.isoformat(), "total": f"{owed.total:.2f}"})
        record_event(session, actor, AuditAction.EXPORTED, "settlement_case", case.id, f"恢复执行申请书（计至{as_of}）")
        return ResumeDraft(status=status, owed=owed, citations=citations_for(resume_basis_keys(facts)))
