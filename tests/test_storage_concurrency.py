"""Many writers at once and writers killed mid-transaction: no lost, duplicated or half-stored records.

Workers are separate processes (``spawn``), each with its own engine and connections, as when
several Streamlit sessions and CLI commands share one SQLite file in WAL mode.
"""

import multiprocessing
import os
import signal
import time

import pytest
from sqlalchemy import func, select
from storage_support import STRONG_PASSWORD, database, sqlite_database  # noqa: F401

from legal_assistant.audit import AuditEntry, record_event
from legal_assistant.store.db import session_scope
from legal_assistant.store.files import FileStore, StoredFile

WRITERS = 8
RECORDS_PER_WRITER = 25
SHARED_CONTENT = b"the same contract uploaded by everyone at once"


def _point_at(environment: dict[str, str]) -> None:
    os.environ.pop("LEGAL_DATABASE_URL", None)
    os.environ.update(environment)


def writer(environment: dict[str, str], writer_no: int, start) -> None:
    """Write RECORDS_PER_WRITER numbered records, each in its own transaction, then upload the shared file."""
    _point_at(environment)
    from legal_assistant.auth.service import actor_for_username
    from legal_assistant.store.db import init_db
    from legal_assistant.store.files import save_upload

    init_db()  # every process migrates on start-up; they must not trip over each other
    owner = actor_for_username("owner")
    start.wait(timeout=60)
    for n in range(RECORDS_PER_WRITER):
        with session_scope() as session:
            # Read-then-write (next number = count + 1): the classic lost-update pattern, correct
            # only if concurrent writers are serialised.
            last = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.object_type == "seq"))
            record_event(session, owner, "created", "seq", str(last + 1), f"{writer_no}-{n}")
    save_upload(owner, SHARED_CONTENT, f"writer-{writer_no}.txt")


def _environment() -> dict[str, str]:
    env = {"LEGAL_DATA_DIR": os.environ["LEGAL_DATA_DIR"]}
    if os.environ.get("LEGAL_DATABASE_URL"):
        env["LEGAL_DATABASE_URL"] = os.environ["LEGAL_DATABASE_URL"]
    return env


def test_eight_parallel_writers_on_sqlite_wal_lose_and_duplicate_nothing(sqlite_database):
    from legal_assistant.auth import Role, create_first_admin, create_user

    admin = create_first_admin("admin", STRONG_PASSWORD)
    create_user(admin, "owner", STRONG_PASSWORD, Role.OWNER)
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    processes = [ctx.Process(target=writer, args=(_environment(), i, start)) for i in range(WRITERS)]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * WRITERS

    with session_scope() as session:
        rows = session.execute(
            select(AuditEntry.object_id, AuditEntry.detail).where(AuditEntry.object_type == "seq")
        ).all()
        uploads = session.scalars(select(StoredFile.sha256)).all()
    total = WRITERS * RECORDS_PER_WRITER
    assert sorted(int(number) for number, _ in rows) == list(range(1, total + 1))  # none lost or doubled
    assert {origin for _, origin in rows} == {f"{w}-{n}" for w in range(WRITERS) for n in range(RECORDS_PER_WRITER)}
    # Eight upload records, one blob, and the blob is whole.
    assert len(uploads) == WRITERS and len(set(uploads)) == 1
    assert FileStore().all_hashes() == [uploads[0]]
    assert FileStore().read_bytes(uploads[0]) == SHARED_CONTENT


def killed_mid_transaction(environment: dict[str, str]) -> None:
    _point_at(environment)
    with session_scope() as session:
        session.add(StoredFile(sha256="0" * 64, size=1, original_name="half.txt"))
        record_event(session, None, "uploaded", "file", "half", username="crash")
        session.flush()  # rows are in the database's transaction, not yet committed
        os.kill(os.getpid(), signal.SIGKILL)


def test_a_writer_killed_mid_transaction_leaves_no_record_and_no_lock(database):
    ctx = multiprocessing.get_context("spawn")
    process = ctx.Process(target=killed_mid_transaction, args=(_environment(),))
    process.start()
    process.join(timeout=60)
    assert process.exitcode == -signal.SIGKILL
    began = time.monotonic()
    with session_scope() as session:
        record_event(session, None, "created", "probe", "after-crash", username="probe")
    assert time.monotonic() - began < 5, "the killed writer's lock must be released"
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(StoredFile)) == 0
        assert session.scalars(select(AuditEntry.object_id)).all() == ["after-crash"]


def test_an_error_inside_a_unit_of_work_rolls_back_all_of_it(database):
    with pytest.raises(ValueError):
        with session_scope() as session:
            for n in range(5):
                record_event(session, None, "created", "batch", str(n), username="batch")
            session.flush()
            raise ValueError("interrupted after five of ten rows")
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_nesting_units_of_work_on_sqlite_fails_fast_instead_of_hanging(sqlite_database):
    from legal_assistant.store.db import NestedSessionError

    began = time.monotonic()
    with pytest.raises(NestedSessionError):
        with session_scope() as outer:
            record_event(outer, None, "created", "outer", "1", username="x")
            with session_scope():
                pass
    assert time.monotonic() - began < 2
    with session_scope() as session:  # the outer work was rolled back and the lock released
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 0
