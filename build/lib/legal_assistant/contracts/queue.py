"""The legal-aid review queue: risky contracts flagged for staff, their comments and status history.

Who sees what follows ``legal_assistant.auth``: the enterprise owner sees its own submissions;
legal-aid staff see flagged contracts assigned to them (and may take an unassigned flagged one);
administrators assign cases. Every change is written with an audit entry in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from legal_assistant.audit import AuditAction, record_event
from legal_assistant.auth.permissions import Actor, PermissionDenied, ensure_contract_access, require_actor
from legal_assistant.auth.roles import Role
from legal_assistant.contracts.engine import ReviewResult
from legal_assistant.contracts.models import STATUS_ZH, STATUSES, ReviewCase, ReviewComment, ReviewStatusChange
from legal_assistant.store.db import session_scope

DEFAULT_THRESHOLD = 70  # contracts scoring below this are flagged to legal-aid staff
# Allowed status moves; closing can be undone by reopening.
TRANSITIONS = {"open": {"in_review", "closed"}, "in_review": {"open", "closed"}, "closed": {"open"}}


class QueueError(ValueError):
    """A request the queue cannot carry out (unknown status, empty comment …); zh-CN message."""


@dataclass(frozen=True)
class CaseSummary:
    id: int
    title: str
    filename: str
    contract_type: str
    score: int
    high_count: int
    flagged: bool
    status: str
    status_label: str
    owner_id: int | None
    assignee_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class CommentView:
    author_label: str
    clause: str | None
    body: str
    created_at: datetime


@dataclass(frozen=True)
class StatusChangeView:
    from_status: str | None
    to_status: str
    actor_id: int | None
    note: str
    at: datetime


@dataclass(frozen=True)
class CaseDetail:
    summary: CaseSummary
    result: dict
    comments: list[CommentView]
    history: list[StatusChangeView]


def _summary(case: ReviewCase) -> CaseSummary:
    return CaseSummary(
        id=case.id,
        title=case.title,
        filename=case.filename,
        contract_type=case.contract_type,
        score=case.score,
        high_count=case.high_count,
        flagged=case.flagged,
        status=case.status,
        status_label=STATUS_ZH[case.status],
        owner_id=case.owner_id,
        assignee_id=case.assignee_id,
        created_at=case.created_at,
    )


def _load(session, actor: Actor, case_id: int) -> ReviewCase:
    case = session.get(ReviewCase, case_id)
    if case is None:
        raise PermissionDenied()  # same message as a refusal: ids reveal nothing
    if actor.role is Role.ADMIN:
        return case
    ensure_contract_access(actor, owner_id=case.owner_id, flagged=case.flagged, assigned_legal_aid_id=case.assignee_id)
    return case


def submit_review(actor: Actor | None, result: ReviewResult, *, threshold: int = DEFAULT_THRESHOLD, force: bool = False, url: str | None = None) -> CaseSummary:
    """Store a review for its owner; it is flagged into the legal-aid queue when the score is below
    ``threshold`` (or when the owner asks for a human review with ``force``)."""
    actor = require_actor(actor)
    if actor.role is not Role.OWNER:
        raise PermissionDenied("只有企业经营者可以提交自己的合同审查")
    payload = result.as_dict()
    flagged = force or result.score < threshold
    with session_scope(url) as session:
        case = ReviewCase(
            owner_id=actor.user_id,
            filename=result.filename[:255],
            title=(result.title or result.filename)[:255],
            contract_type=result.contract_type,
            stance=result.stance,
            score=result.score,
            high_count=result.counts()["high"],
            flagged=flagged,
            status="open",
            text_sha256=hashlib.sha256("\n".join(result.paragraph_texts).encode("utf-8")).hexdigest(),
            result_json=json.dumps(payload, ensure_ascii=False),
        )
        session.add(case)
        session.flush()
        session.add(ReviewStatusChange(case_id=case.id, actor_id=actor.user_id, from_status=None, to_status="open", note="提交审查" + ("（已转法律援助）" if flagged else "")))
        record_event(session, actor, AuditAction.REVIEWED, "review_case", case.id, f"score={result.score} flagged={flagged}")
        return _summary(case)


def queue_list(actor: Actor | None, *, status: str | None = None, flagged_only: bool = True, url: str | None = None) -> list[CaseSummary]:
    """Cases the actor may see, newest first.

    Owners: their own. Legal-aid staff: flagged cases assigned to them plus unassigned flagged ones
    they can take. Administrators: every flagged case (to assign them).
    """
    actor = require_actor(actor)
    if status is not None and status not in STATUSES:
        raise QueueError(f"未知状态：{status}（可选 open、in_review、closed）")
    query = select(ReviewCase).order_by(ReviewCase.id.desc())
    if actor.role is Role.OWNER:
        query = query.where(ReviewCase.owner_id == actor.user_id)
        if flagged_only:
            query = query.where(ReviewCase.flagged.is_(True))
    elif actor.role is Role.LEGAL_AID:
        query = query.where(ReviewCase.flagged.is_(True), or_(ReviewCase.assignee_id == actor.user_id, ReviewCase.assignee_id.is_(None)))
    elif actor.role is Role.ADMIN:
        query = query.where(ReviewCase.flagged.is_(True))
    else:
        raise PermissionDenied("法官助理无权查看合同审查队列")
    if status:
        query = query.where(ReviewCase.status == status)
    with session_scope(url) as session:
        return [_summary(case) for case in session.scalars(query)]


def get_case(actor: Actor | None, case_id: int, *, url: str | None = None) -> CaseDetail:
    actor = require_actor(actor)
    with session_scope(url) as session:
        case = _load(session, actor, case_id)
        record_event(session, actor, AuditAction.VIEWED, "review_case", case.id)
        return CaseDetail(
            summary=_summary(case),
            result=json.loads(case.result_json),
            comments=[CommentView(c.author_label, c.clause, c.body, c.created_at) for c in case.comments],
            history=[StatusChangeView(h.from_status, h.to_status, h.actor_id, h.note, h.at) for h in case.history],
        )


def assign(actor: Actor | None, case_id: int, assignee_id: int | None = None, *, url: str | None = None) -> CaseSummary:
    """Administrators assign a flagged case to a legal-aid staff member; staff may take an
    unassigned flagged case for themselves (``assignee_id`` omitted)."""
    actor = require_actor(actor)
    from legal_assistant.auth.models import User

    with session_scope(url) as session:
        case = session.get(ReviewCase, case_id)
        if case is None or not case.flagged:
            raise PermissionDenied()
        if actor.role is Role.LEGAL_AID:
            if case.assignee_id not in (None, actor.user_id) or assignee_id not in (None, actor.user_id):
                raise PermissionDenied("该案件已分配给其他工作人员")
            assignee_id = actor.user_id
        elif actor.role is not Role.ADMIN:
            raise PermissionDenied("只有管理员或法律援助工作人员可以分配案件")
        assignee = session.get(User, assignee_id) if assignee_id is not None else None
        if assignee is None or assignee.role != Role.LEGAL_AID.value:
            raise QueueError("只能分配给法律援助工作人员")
        case.assignee_id = assignee.id
        session.add(ReviewStatusChange(case_id=case.id, actor_id=actor.user_id, from_status=case.status, to_status=case.status, assignee_id=assignee.id, note=f"分配给 {assignee.display_name or assignee.username}"))
        record_event(session, actor, AuditAction.ASSIGNED, "review_case", case.id, f"assignee={assignee.id}")
        return _summary(case)


def add_comment(actor: Actor | None, case_id: int, body: str, *, clause: str | None = None, url: str | None = None) -> CommentView:
    """The owner or the assigned legal-aid staff member comments on a case (optionally on a clause)."""
    actor = require_actor(actor)
    body = (body or "").strip()
    if not body:
        raise QueueError("评论内容不能为空")
    if len(body) > 5000:
        raise QueueError("评论内容过长（最多 5000 字）")
    with session_scope(url) as session:
        case = _load(session, actor, case_id)
        if actor.role is Role.ADMIN:
            raise PermissionDenied("管理员不能对合同内容发表意见")
        comment = ReviewComment(case_id=case.id, author_id=actor.user_id, author_label=actor.label, clause=clause, body=body)
        session.add(comment)
        if actor.role is Role.LEGAL_AID and case.status == "open":
            session.add(ReviewStatusChange(case_id=case.id, actor_id=actor.user_id, from_status="open", to_status="in_review", note="工作人员开始审查"))
            case.status = "in_review"
        record_event(session, actor, AuditAction.UPDATED, "review_case", case.id, "comment")
        session.flush()
        return CommentView(comment.author_label, comment.clause, comment.body, comment.created_at)


def set_status(actor: Actor | None, case_id: int, status: str, *, note: str = "", url: str | None = None) -> CaseSummary:
    """The assigned legal-aid staff member moves a case open → in_review → closed (or reopens it);
    the owner may close (withdraw) their own case."""
    actor = require_actor(actor)
    if status not in STATUSES:
        raise QueueError(f"未知状态：{status}（可选 open、in_review、closed）")
    with session_scope(url) as session:
        case = _load(session, actor, case_id)
        if actor.role is Role.ADMIN:
            raise PermissionDenied("管理员只负责分配案件，不能变更审查状态")
        if actor.role is Role.OWNER and status != "closed":
            raise PermissionDenied("企业经营者只能撤回（关闭）自己的审查申请")
        if status == case.status:
            raise QueueError(f"案件已是“{STATUS_ZH[status]}”状态")
        if status not in TRANSITIONS[case.status]:
            raise QueueError(f"不能从“{STATUS_ZH[case.status]}”变更为“{STATUS_ZH[status]}”")
        session.add(ReviewStatusChange(case_id=case.id, actor_id=actor.user_id, from_status=case.status, to_status=status, note=note.strip()[:2000]))
        case.status = status
        record_event(session, actor, AuditAction.UPDATED, "review_case", case.id, f"status={status}")
        return _summary(case)
