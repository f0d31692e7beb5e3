"""The evidence ledger is a hash chain: any edit, deletion or reordering is found, and concurrent
writers never fork it (8 processes against one SQLite file; PostgreSQL too when configured)."""

import hashlib
import json
import os
import subprocess
import sys
import time

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from storage_support import database, sqlite_database  # noqa: F401
from typer.testing import CliRunner

from legal_assistant.cli import app
from legal_assistant.ledger.chain import (
    GENESIS_HASH,
    append_event,
    canonical_json,
    contract_entries,
    verify_chain,
)
from legal_assistant.ledger.models import LedgerRecord
from legal_assistant.store.db import session_scope

runner = CliRunner()


def fill(contract_ids=("HT-A", "HT-B"), per_contract=3):
    for round_ in range(per_contract):
        for contract_id in contract_ids:
            append_event("viewed", contract_id=contract_id, actor=f"用户{round_}", payload={"round": round_})


def test_records_link_to_their_predecessor_and_hash_their_canonical_json(database):
    first = append_event("draft_created", contract_id="HT-A", doc_sha256="ab" * 32, payload={"标题": "买卖合同"})
    second = append_event("viewed", contract_id="HT-B", actor="张三")
    third = append_event("signed", contract_id="HT-A", doc_sha256="cd" * 32)
    assert first.prev_hash == GENESIS_HASH and second.prev_hash == first.record_hash
    assert third.prev_hash == second.record_hash
    assert third.contract_prev_hash == first.record_hash and second.contract_prev_hash == GENESIS_HASH
    expected = hashlib.sha256(canonical_json(first.hashed_fields())).hexdigest()
    assert first.record_hash == expected
    assert b'"\xe6\xa0\x87\xe9\xa2\x98"' in first.canonical_bytes()  # UTF-8, not \u escapes
    assert verify_chain().as_dict() == {"ok": True, "records": 3, "first_bad": None, "reason": None}


def test_editing_any_field_of_a_record_is_detected_at_that_record(database):
    fill()
    with session_scope() as session:
        session.execute(update(LedgerRecord).where(LedgerRecord.seq == 3).values(actor="冒名者"))
    report = verify_chain()
    assert (report.ok, report.first_bad) == (False, 3)
    assert "被修改" in report.reason


def test_rewriting_a_record_with_a_fresh_hash_breaks_the_next_link(database):
    fill()
    with session_scope() as session:
        row = session.execute(select(LedgerRecord).where(LedgerRecord.seq == 2)).scalar_one()
        payload = json.loads(row.payload_json) | {"round": 99}
        row.payload_json = json.dumps(payload)
        fields = {
            "seq": row.seq, "contract_id": row.contract_id, "event": row.event, "actor": row.actor,
            "doc_sha256": row.doc_sha256, "payload": payload, "created_at": row.created_at,
            "prev_hash": row.prev_hash, "contract_prev_hash": row.contract_prev_hash,
        }
        row.record_hash = hashlib.sha256(canonical_json(fields)).hexdigest()
    assert verify_chain().first_bad == 3
    assert verify_chain("HT-A").first_bad == 2  # HT-A's records are seq 0, 2, 4: the one after seq 2


def test_deleting_a_record_is_detected(database):
    fill()
    with session_scope() as session:
        session.execute(delete(LedgerRecord).where(LedgerRecord.seq == 2))
    report = verify_chain()
    assert (report.ok, report.first_bad, report.records) == (False, 2, 5)
    assert verify_chain("HT-A").first_bad == 1
    assert verify_chain("HT-B").ok


def test_swapping_the_order_of_two_records_is_detected(database):
    fill()
    with session_scope() as session:
        session.execute(update(LedgerRecord).where(LedgerRecord.seq == 1).values(seq=-1))
        session.execute(update(LedgerRecord).where(LedgerRecord.seq == 3).values(seq=1))
        session.execute(update(LedgerRecord).where(LedgerRecord.seq == -1).values(seq=3))
    report = verify_chain()
    assert (report.ok, report.first_bad) == (False, 1)


def test_two_writers_cannot_append_after_the_same_head(database):
    """The database itself refuses a fork: a second record claiming the same predecessor is rejected."""
    entry = append_event("viewed", contract_id="HT-A")
    with pytest.raises(IntegrityError):
        with session_scope() as session:
            session.add(LedgerRecord(seq=1, contract_id="HT-A", event="viewed", actor="", payload_json="{}",
                                     created_at="x", prev_hash=GENESIS_HASH, record_hash="f" * 64))
    assert [e.seq for e in contract_entries("HT-A")] == [entry.seq]


WORKER = """
import sys, time
from legal_assistant.ledger.chain import append_event
start_at, worker, count = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
time.sleep(max(0.0, start_at - time.time()))
for number in range(count):
    append_event("viewed", contract_id=f"HT-W{worker % 3}", actor=f"worker-{worker}", payload={"n": number})
"""


def test_eight_processes_appending_concurrently_never_fork_the_chain(database):
    workers, per_worker = 8, 10
    start_at = time.time() + 3  # every process has imported everything and waits for the same instant
    processes = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(start_at), str(worker), str(per_worker)], env=os.environ.copy())
        for worker in range(workers)
    ]
    assert [process.wait(timeout=120) for process in processes] == [0] * workers
    report = verify_chain()
    assert report.as_dict() == {"ok": True, "records": workers * per_worker, "first_bad": None, "reason": None}
    for contract in ("HT-W0", "HT-W1", "HT-W2"):
        assert verify_chain(contract).ok
    with session_scope() as session:
        actors = session.execute(select(LedgerRecord.actor)).scalars().all()
    assert sorted(set(actors)) == [f"worker-{n}" for n in range(workers)]
    assert all(actors.count(f"worker-{n}") == per_worker for n in range(workers))


def test_cli_ledger_verify_reports_the_first_bad_record_as_json(sqlite_database):
    fill()
    ok = runner.invoke(app, ["ledger", "verify", "--json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout) == {"ok": True, "records": 6, "first_bad": None, "reason": None}
    with session_scope() as session:
        session.execute(update(LedgerRecord).where(LedgerRecord.seq == 4).values(doc_sha256="0" * 64))
    broken = runner.invoke(app, ["ledger", "verify", "--json"])
    assert broken.exit_code == 1
    assert json.loads(broken.stdout)["first_bad"] == 4
    per_contract = runner.invoke(app, ["ledger", "verify", "--contract", "HT-B", "--json"])
    assert json.loads(per_contract.stdout)["records"] == 3 and json.loads(per_contract.stdout)["ok"]
