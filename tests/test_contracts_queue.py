"""The legal-aid review queue on a real database: low scores are flagged, staff take, comment on and
close cases, every status change is kept, and nobody sees a contract they should not."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from legal_assistant.auth.permissions import PermissionDenied
from legal_assistant.contracts.engine import review_file, review_text
from legal_assistant.contracts.models import ReviewCase
from legal_assistant.contracts.queue import QueueError, add_comment, assign, get_case, queue_list, set_status, submit_review
from legal_assistant.documents import DocumentError
from legal_assistant.store.db import session_scope
from storage_support import database, make_people  # noqa: F401

DATA = Path(__file__).resolve().parent / "data" / "contracts"
SOUND = "借款合同\n出借人（甲方）：甲\n借款人（乙方）：乙\n第一条 借款金额为人民币五万元，年利率6%，借款期限一年，到期一次还本付息。\n第二条 逾期还款的，按未还金额每日万分之三支付违约金。\n第三条 争议向出借人住所地人民法院起诉。"


@pytest.fixture
def people(database):  # noqa: F811
    return make_people()


@pytest.fixture
def risky():
    return review_file(DATA / "01_private_loan.txt", "乙方")


def test_a_low_score_is_flagged_into_the_queue_and_a_high_score_is_not(people, risky):
    flagged = submit_review(people["owner_a"], risky)
    assert risky.score < 70 and flagged.flagged and flagged.status == "open"
    healthy = review_text(SOUND, "乙方")
    assert healthy.score >= 70
    kept = submit_review(people["owner_a"], healthy)
    assert not kept.flagged
    assert [c.id for c in queue_list(people["aid"])] == [flagged.id]
    assert {c.id for c in queue_list(people["owner_a"], flagged_only=False)} == {flagged.id, kept.id}


def test_staff_take_comment_and_close_a_case_with_the_history_kept(people, risky):
    case = submit_review(people["owner_a"], risky)
    aid = people["aid"]
    with pytest.raises(PermissionDenied):
        get_case(aid, case.id)  # not assigned yet: the contract stays private
    assign(aid, case.id)
    add_comment(aid, case.id, "第三条利率过高，建议改为年利率不超过 12%。", clause="第三条")
    detail = get_case(aid, case.id)
    assert detail.summary.status == "in_review"  # the first staff comment starts the review
    assert detail.result["findings"] and detail.comments[0].clause == "第三条"
    set_status(aid, case.id, "closed", note="已出具修改意见")
    detail = get_case(people["owner_a"], case.id)
    assert detail.summary.status == "closed"
    assert [(h.from_status, h.to_status) for h in detail.history] == [(None, "open"), ("open", "open"), ("open", "in_review"), ("in_review", "closed")]
    assert detail.history[-1].note == "已出具修改意见"
    assert queue_list(aid, status="closed")[0].id == case.id


def test_other_owners_judges_and_unassigned_staff_cannot_see_or_change_a_case(people, risky):
    case = submit_review(people["owner_a"], risky)
    for outsider in ("owner_b", "judge_hd"):
        with pytest.raises(PermissionDenied):
            get_case(people[outsider], case.id)
        with pytest.raises(PermissionDenied):
            add_comment(people[outsider], case.id, "看看")
    with pytest.raises(PermissionDenied):
        queue_list(people["judge_hd"])
    assert queue_list(people["owner_b"]) == []
    with pytest.raises(PermissionDenied):
        set_status(people["owner_a"], case.id, "in_review")  # owners may only withdraw (close)
    with pytest.raises(PermissionDenied):
        submit_review(people["aid"], risky)


def test_administrators_assign_only_to_legal_aid_staff(people, risky):
    case = submit_review(people["owner_a"], risky)
    with pytest.raises(QueueError, match="法律援助工作人员"):
        assign(people["admin"], case.id, people["judge_hd"].user_id)
    assigned = assign(people["admin"], case.id, people["aid"].user_id)
    assert assigned.assignee_id == people["aid"].user_id
    assert queue_list(people["admin"])[0].assignee_id == people["aid"].user_id


def test_invalid_requests_are_refused_in_chinese(people, risky):
    case = submit_review(people["owner_a"], risky)
    assign(people["aid"], case.id)
    with pytest.raises(QueueError, match="评论内容不能为空"):
        add_comment(people["aid"], case.id, "   ")
    with pytest.raises(QueueError, match="未知状态"):
        set_status(people["aid"], case.id, "done")
    set_status(people["aid"], case.id, "closed")
    with pytest.raises(QueueError, match="已是"):
        set_status(people["aid"], case.id, "closed")


def test_a_bad_upload_stores_nothing(people):
    with pytest.raises(DocumentError):
        review_file(b"", "empty.txt")
    with session_scope() as session:
        assert session.scalars(select(ReviewCase)).all() == []
