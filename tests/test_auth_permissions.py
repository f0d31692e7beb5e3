"""Every forbidden path is refused: other enterprises' records, unflagged contracts, other courts."""

import pytest
from sqlalchemy import select
from storage_support import database, make_people  # noqa: F401

from legal_assistant.audit import list_events
from legal_assistant.auth import (
    Actor,
    PermissionDenied,
    Role,
    ensure_contract_access,
    ensure_owner_or_role,
    ensure_settlement_access,
    owned_by,
    require_role,
)
from legal_assistant.backup import create_backup
from legal_assistant.store.db import session_scope
from legal_assistant.store.files import StoredFile, open_upload, save_upload


@pytest.fixture
def people(database):
    return make_people()


# The access rules are pure functions of the actor and the record, so the matrices below use the
# same Actor values a login produces without a database round trip per case.
ACTORS = {
    "owner_a": Actor(2, "owner_a", Role.OWNER, "甲贸易有限公司"),
    "owner_b": Actor(3, "owner_b", Role.OWNER, "乙科技有限公司"),
    "aid": Actor(4, "aid", Role.LEGAL_AID, "海淀区法律援助中心"),
    "aid_other": Actor(5, "aid_other", Role.LEGAL_AID, "海淀区法律援助中心"),
    "judge_hd": Actor(6, "judge_hd", Role.JUDGE_ASSISTANT, "北京市海淀区人民法院"),
    "judge_cy": Actor(7, "judge_cy", Role.JUDGE_ASSISTANT, "北京市朝阳区人民法院"),
    "admin": Actor(1, "admin", Role.ADMIN),
}


def test_owner_cannot_open_another_enterprises_file_by_guessing_its_id(people):
    upload = save_upload(people["owner_a"], "甲公司采购合同".encode(), "采购合同.txt", "text/plain")
    ref, data = open_upload(people["owner_a"], upload.id)
    assert data.decode() == "甲公司采购合同" and ref.original_name == "采购合同.txt"
    for intruder in ("owner_b", "aid", "judge_hd", "admin"):
        with pytest.raises(PermissionDenied) as refused:
            open_upload(people[intruder], upload.id)
        assert str(refused.value) == "无权访问该记录"
    # Each attempt is on record for the administrator; none of them counts as a view.
    with session_scope() as session:
        denied = list_events(session, people["admin"], action="denied")
        viewed = list_events(session, people["admin"], action="viewed")
    assert sorted(e.actor_username for e in denied) == ["admin", "aid", "judge_hd", "owner_b"]
    assert {e.object_id for e in denied} == {str(upload.id)}
    assert [e.actor_username for e in viewed] == ["owner_a"]


def test_guessing_a_nonexistent_id_gets_the_same_refusal_as_a_foreign_one(people):
    upload = save_upload(people["owner_a"], b"contract", "a.txt")
    with pytest.raises(PermissionDenied) as foreign:
        open_upload(people["owner_b"], upload.id)
    with pytest.raises(PermissionDenied) as missing:
        open_upload(people["owner_b"], upload.id + 1000)
    assert str(foreign.value) == str(missing.value)


@pytest.mark.parametrize(
    ("who", "flagged", "assigned_to", "allowed"),
    [
        ("owner_a", False, None, True),  # the uploader, flagged or not
        ("owner_b", True, "aid", False),  # another enterprise
        ("aid", True, "aid", True),  # flagged and assigned to them
        ("aid", False, "aid", False),  # not flagged: stays private to the enterprise
        ("aid", True, None, False),  # flagged but not yet assigned to anyone
        ("aid_other", True, "aid", False),  # flagged, but assigned to a colleague
        ("judge_hd", True, "aid", False),  # judges' assistants never see contracts
        ("admin", True, "aid", False),  # administrators manage accounts, not business records
        (None, True, "aid", False),  # nobody logged in
    ],
)
def test_contract_access_follows_ownership_flag_and_assignment(who, flagged, assigned_to, allowed):
    actor = ACTORS.get(who)
    assigned_id = ACTORS[assigned_to].user_id if assigned_to else None
    check = lambda: ensure_contract_access(  # noqa: E731
        actor, owner_id=ACTORS["owner_a"].user_id, flagged=flagged, assigned_legal_aid_id=assigned_id
    )
    if allowed:
        assert check() == actor
    else:
        with pytest.raises(PermissionDenied):
            check()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("judge_hd", True), ("judge_cy", False), ("aid", False), ("owner_a", True), ("owner_b", False), ("admin", False)],
)
def test_settlement_cases_are_seen_by_their_court_and_their_enterprise_only(who, allowed):
    check = lambda: ensure_settlement_access(  # noqa: E731
        ACTORS[who], owner_id=ACTORS["owner_a"].user_id, court="北京市海淀区人民法院"
    )
    if allowed:
        assert check() == ACTORS[who]
    else:
        with pytest.raises(PermissionDenied):
            check()


def test_a_settlement_case_without_a_court_is_seen_by_no_judges_assistant():
    with pytest.raises(PermissionDenied):
        ensure_settlement_access(ACTORS["judge_hd"], owner_id=ACTORS["owner_a"].user_id, court="")


def test_owner_or_named_role():
    owner_a = ACTORS["owner_a"]
    assert ensure_owner_or_role(owner_a, owner_a.user_id) == owner_a
    assert ensure_owner_or_role(ACTORS["aid"], owner_a.user_id, Role.LEGAL_AID) == ACTORS["aid"]
    with pytest.raises(PermissionDenied):
        ensure_owner_or_role(ACTORS["owner_b"], owner_a.user_id, Role.LEGAL_AID)
    with pytest.raises(PermissionDenied):
        ensure_owner_or_role(ACTORS["owner_b"], None)
    with pytest.raises(PermissionDenied, match="请先登录"):
        ensure_owner_or_role(None, owner_a.user_id)


def test_require_role_names_the_allowed_roles_in_chinese():
    with pytest.raises(PermissionDenied, match="该操作仅限法律援助工作人员、法官助理"):
        require_role(ACTORS["owner_a"], Role.LEGAL_AID, Role.JUDGE_ASSISTANT)
    assert require_role(ACTORS["judge_hd"], Role.JUDGE_ASSISTANT) == ACTORS["judge_hd"]


def test_list_queries_filtered_by_owner_show_only_the_actors_rows(people):
    save_upload(people["owner_a"], b"a1", "a1.txt")
    save_upload(people["owner_a"], b"a2", "a2.txt")
    save_upload(people["owner_b"], b"b1", "b1.txt")

    def names(actor, *see_all):
        with session_scope() as session:
            rows = session.scalars(select(StoredFile.original_name).where(owned_by(actor, StoredFile.owner_id, *see_all)))
            return sorted(rows)

    assert names(people["owner_a"]) == ["a1.txt", "a2.txt"]
    assert names(people["owner_b"]) == ["b1.txt"]
    assert names(people["aid"]) == []
    assert names(people["judge_hd"]) == []
    assert names(people["admin"], Role.ADMIN) == ["a1.txt", "a2.txt", "b1.txt"]


def test_audit_log_and_backups_are_for_administrators_only(people, tmp_path):
    for who in ("owner_a", "aid", "judge_hd"):
        with session_scope() as session:
            with pytest.raises(PermissionDenied):
                list_events(session, people[who])
        with pytest.raises(PermissionDenied):
            create_backup(people[who], tmp_path / "backup.tar.gz")
    assert not (tmp_path / "backup.tar.gz").exists()
    with session_scope() as session:
        assert list_events(session, people["admin"], action="user_created")
