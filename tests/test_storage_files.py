"""Uploaded files: stored once by SHA-256 under the data dir, never elsewhere, never half-written."""

import hashlib
import os
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from storage_support import database, make_people  # noqa: F401

from legal_assistant.audit import AuditEntry
from legal_assistant.settings import get_settings
from legal_assistant.store.db import session_scope
from legal_assistant.store.files import (
    FileStore,
    FileStoreError,
    StoredFile,
    collect_garbage,
    open_upload,
    safe_display_name,
    save_upload,
)


@pytest.fixture
def people(database):
    return make_people()


def _all_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_blob_path_is_the_sha256_of_the_content(people):
    content = "劳动合同（样本）".encode()
    upload = save_upload(people["owner_a"], content, "劳动合同.docx")
    digest = hashlib.sha256(content).hexdigest()
    assert upload.sha256 == digest and upload.size == len(content)
    blob = get_settings().data_dir / "files" / digest[:2] / digest[2:4] / digest
    assert blob.read_bytes() == content
    assert oct(blob.stat().st_mode & 0o777) == "0o600"


def test_same_content_uploaded_twice_is_stored_once_with_two_records(people):
    first = save_upload(people["owner_a"], b"identical bytes", "one.pdf")
    second = save_upload(people["owner_b"], b"identical bytes", "two.pdf")
    assert first.sha256 == second.sha256 and first.id != second.id
    assert FileStore().all_hashes() == [first.sha256]
    assert (first.owner_id, second.owner_id) == (people["owner_a"].user_id, people["owner_b"].user_id)


def test_hostile_file_names_write_nothing_outside_the_data_dir(people, tmp_path):
    before_outside = _all_files(tmp_path)
    for name in ("../../../../etc/passwd", "..\\..\\windows\\system.ini", "/abs/path.txt", "a\x00b\nc.txt", "...", ""):
        upload = save_upload(people["owner_a"], name.encode() + b"!", name)
        assert "/" not in upload.original_name and "\\" not in upload.original_name
        assert not upload.original_name.startswith(".")
    data_dir = get_settings().data_dir
    outside = [p for p in _all_files(tmp_path) if not p.startswith(data_dir.name + "/")]
    assert outside == [p for p in before_outside if not p.startswith(data_dir.name + "/")]
    assert safe_display_name("../../etc/passwd") == "passwd"
    assert safe_display_name("a\x00b\nc.txt") == "abc.txt"
    assert safe_display_name("") == "未命名文件"


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "ABC", "0" * 63, "g" * 64, "", "A" * 64])
def test_blob_lookup_rejects_anything_but_a_sha256(tmp_path, bad_id):
    with pytest.raises(FileStoreError, match="文件标识无效"):
        FileStore(root=tmp_path / "files").read_bytes(bad_id)


def test_oversized_upload_is_refused_and_leaves_nothing(people):
    store = FileStore(max_bytes=1024)
    with pytest.raises(FileStoreError, match="超过大小上限"):
        store.put_stream([b"x" * 600, b"y" * 600])
    assert store.all_hashes() == []
    assert list((store.root / "tmp").iterdir()) == []


def test_upload_limit_comes_from_settings(people, monkeypatch):
    monkeypatch.setenv("LEGAL_MAX_UPLOAD_MB", "1")
    get_settings.cache_clear()
    with pytest.raises(FileStoreError):
        save_upload(people["owner_a"], b"z" * (1024 * 1024 + 1), "big.pdf")
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_a_stream_that_fails_midway_leaves_no_blob_and_no_temp_file(people):
    store = FileStore()

    def interrupted_upload():
        yield b"first half of the contract"
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        store.put_stream(interrupted_upload())
    assert store.all_hashes() == []
    assert list((store.root / "tmp").iterdir()) == []


def test_a_blob_altered_on_disk_is_refused_when_read(people):
    upload = save_upload(people["owner_a"], b"original terms", "terms.txt")
    path = FileStore().path_for(upload.sha256)
    os.chmod(path, 0o600)
    path.write_bytes(b"altered terms!")
    with pytest.raises(FileStoreError, match="校验失败"):
        open_upload(people["owner_a"], upload.id)


def test_failed_database_write_leaves_no_record_and_the_orphan_blob_is_collected(people, monkeypatch):
    import legal_assistant.audit as audit

    def broken_audit(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record_event", broken_audit)
    with pytest.raises(RuntimeError):
        save_upload(people["owner_a"], b"never recorded", "lost.txt")
    monkeypatch.undo()
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(StoredFile)) == 0
    kept = save_upload(people["owner_a"], b"recorded", "kept.txt")
    assert collect_garbage() == 0  # too young: its upload might still be committing
    assert collect_garbage(min_age=timedelta(0)) == 1
    assert FileStore().all_hashes() == [kept.sha256]


def test_upload_and_view_are_audited(people):
    upload = save_upload(people["owner_a"], b"x", "合同.pdf")
    open_upload(people["owner_a"], upload.id)
    with session_scope() as session:
        actions = session.execute(
            select(AuditEntry.action, AuditEntry.actor_username, AuditEntry.object_id).where(AuditEntry.object_type == "file")
        ).all()
    assert [tuple(a) for a in actions] == [("uploaded", "owner_a", str(upload.id)), ("viewed", "owner_a", str(upload.id))]
