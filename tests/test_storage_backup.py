"""Backup and restore: database rows, uploaded files and keys come back exactly, or not at all."""

import io
import json
import tarfile

import pytest
from sqlalchemy import select
from storage_support import STRONG_PASSWORD, database, make_people, reset_caches, use_database  # noqa: F401

from legal_assistant.audit import AuditEntry
from legal_assistant.auth import PermissionDenied, Role, actor_from_token, authenticate, create_user, list_users
from legal_assistant.backup import BackupError, create_backup, restore_backup
from legal_assistant.settings import get_settings
from legal_assistant.store.db import session_scope
from legal_assistant.store.files import FileStore, StoredFile, open_upload, save_upload


def _snapshot(admin):
    with session_scope() as session:
        files = [(f.id, f.sha256, f.original_name, f.owner_id) for f in session.scalars(select(StoredFile).order_by(StoredFile.id))]
    users = [(u.id, u.username, u.role, u.organization) for u in list_users(admin)]
    return users, files


def _populate(people):
    data_dir = get_settings().data_dir
    (data_dir / "keys").mkdir(parents=True, exist_ok=True)
    (data_dir / "keys" / "signing-key.pem").write_bytes(b"-----BEGIN PRIVATE KEY-----\nMIIE...\n")
    (data_dir / "index").mkdir(exist_ok=True)
    (data_dir / "index" / "bm25.bin").write_bytes(b"rebuildable")
    save_upload(people["owner_a"], "甲公司租赁合同".encode(), "租赁合同.docx")
    save_upload(people["owner_b"], "乙公司技术服务合同".encode(), "技术服务合同.pdf")


def test_round_trip_restores_rows_files_and_keys(database, tmp_path):
    people = make_people()
    _populate(people)
    data_dir = get_settings().data_dir
    before = _snapshot(people["admin"])
    archive = tmp_path / "backup.tar.gz"

    summary = create_backup(people["admin"], archive)
    assert summary.table_rows["users"] == 6 and summary.table_rows["stored_files"] == 2
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # it carries signing keys

    # Things go wrong after the backup: a new account, a lost blob, a corrupted key.
    create_user(people["admin"], "late_owner", STRONG_PASSWORD, Role.OWNER)
    FileStore().path_for(before[1][0][1]).unlink()
    (data_dir / "keys" / "signing-key.pem").write_bytes(b"garbage")

    restore_backup(people["admin"], archive)

    assert _snapshot(people["admin"]) == before
    assert (data_dir / "keys" / "signing-key.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    ref, data = open_upload(people["owner_a"], before[1][0][0])
    assert data.decode() == "甲公司租赁合同" and ref.original_name == "租赁合同.docx"
    # Restored accounts keep their passwords; the audit log records the restore.
    assert actor_from_token(authenticate("judge_hd", STRONG_PASSWORD)).role is Role.JUDGE_ASSISTANT
    with session_scope() as session:
        assert session.scalar(select(AuditEntry.actor_username).where(AuditEntry.action == "restore")) == "admin"


def test_archive_excludes_rebuildable_index_and_the_live_database_file(database, tmp_path):
    people = make_people()
    _populate(people)
    archive = tmp_path / "backup.tar.gz"
    create_backup(people["admin"], archive)
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert "data/keys/signing-key.pem" in names and "manifest.json" in names
    assert not any(n.startswith("data/index/") or n.endswith(".db") or "user_sessions" in n for n in names)
    assert sum(n.startswith("data/files/") for n in names) == 2


def test_sessions_are_not_restored_so_users_log_in_again(database, tmp_path):
    people = make_people()
    token = authenticate("owner_a", STRONG_PASSWORD)
    archive = tmp_path / "backup.tar.gz"
    create_backup(people["admin"], archive)
    restore_backup(people["admin"], archive)
    assert actor_from_token(token) is None


def test_backup_from_sqlite_restores_into_the_configured_database(monkeypatch, tmp_path, database):
    """A logical dump: an SQLite installation can move to PostgreSQL (and back) through a backup."""
    source = tmp_path / "source"
    source.mkdir()
    use_database(monkeypatch, source, "sqlite")
    people = make_people()
    _populate(people)
    before = _snapshot(people["admin"])
    archive = tmp_path / "sqlite-backup.tar.gz"
    create_backup(people["admin"], archive)
    reset_caches()

    target = tmp_path / "target"
    target.mkdir()
    use_database(monkeypatch, target, database)
    # Fresh install: no accounts yet, so there is no administrator to ask.
    restore_backup(None, archive, requested_by="admin")
    assert _snapshot(people["admin"]) == before
    with session_scope() as session:
        restored_by = session.scalar(select(AuditEntry.actor_id).where(AuditEntry.action == "restore"))
    assert restored_by == people["admin"].user_id
    assert (get_settings().data_dir / "keys" / "signing-key.pem").exists()
    # New rows get fresh ids after restored ones (PostgreSQL sequences are moved past them).
    view = create_user(people["admin"], "after_restore", STRONG_PASSWORD, Role.OWNER)
    assert view.id == max(u[0] for u in before[0]) + 1


def test_restore_over_an_installation_with_accounts_needs_an_administrator(database, tmp_path):
    people = make_people()
    archive = tmp_path / "backup.tar.gz"
    create_backup(people["admin"], archive)
    for who in (None, people["owner_a"], people["aid"], people["judge_hd"]):
        with pytest.raises(PermissionDenied):
            restore_backup(who, archive)


def _rewrite_archive(source, target, change):
    with tarfile.open(source) as tar:
        members = [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()]
    with tarfile.open(target, "w:gz") as out:
        for member, data in change(members):
            out.addfile(member, io.BytesIO(data) if data is not None else None)


def test_tampered_or_hostile_archives_are_refused_before_anything_changes(database, tmp_path):
    people = make_people()
    _populate(people)
    archive = tmp_path / "backup.tar.gz"
    create_backup(people["admin"], archive)
    create_user(people["admin"], "after_backup", STRONG_PASSWORD, Role.OWNER)
    before = _snapshot(people["admin"])

    def tamper_key(members):
        for member, data in members:
            if member.name == "data/keys/signing-key.pem":
                data = b"attacker key"
                member.size = len(data)
            yield member, data

    def add_escape(members):
        yield from members
        evil = tarfile.TarInfo("data/../../../outside.txt")
        evil.size = 4
        yield evil, b"evil"

    def add_symlink(members):
        yield from members
        link = tarfile.TarInfo("data/keys/link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        yield link, None

    def drop_a_row(members):
        for member, data in members:
            if member.name == "database/users.jsonl":
                data = b"\n".join(data.split(b"\n")[1:])
                member.size = len(data)
            yield member, data

    cases = {"tamper_key": ("校验失败", tamper_key), "escape": ("不安全的路径", add_escape),
             "symlink": ("不允许的条目类型", add_symlink), "drop_row": ("不完整", drop_a_row)}
    for name, (message, change) in cases.items():
        bad = tmp_path / f"{name}.tar.gz"
        _rewrite_archive(archive, bad, change)
        with pytest.raises(BackupError, match=message):
            restore_backup(people["admin"], bad)
    (tmp_path / "garbage.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(BackupError, match="无法读取"):
        restore_backup(people["admin"], tmp_path / "garbage.tar.gz")

    assert _snapshot(people["admin"]) == before
    assert not (tmp_path / "outside.txt").exists()
    assert (get_settings().data_dir / "keys" / "signing-key.pem").read_bytes().startswith(b"-----BEGIN")


def test_backup_from_an_unknown_schema_version_is_refused(database, tmp_path):
    people = make_people()
    archive = tmp_path / "backup.tar.gz"
    create_backup(people["admin"], archive)
    create_user(people["admin"], "after_backup", STRONG_PASSWORD, Role.OWNER)
    before = _snapshot(people["admin"])

    def future_revision(members):
        for member, data in members:
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["revision"] = "9999_from_the_future"
                data = json.dumps(manifest).encode()
                member.size = len(data)
            yield member, data

    future = tmp_path / "future.tar.gz"
    _rewrite_archive(archive, future, future_revision)
    with pytest.raises(BackupError, match="不同版本"):
        restore_backup(people["admin"], future)
    assert _snapshot(people["admin"]) == before


def test_a_backup_interrupted_midway_leaves_no_archive_behind(database, tmp_path, monkeypatch):
    import legal_assistant.backup as backup

    people = make_people()
    _populate(people)
    archive = tmp_path / "out" / "backup.tar.gz"
    archive.parent.mkdir()
    archive.write_bytes(b"yesterday's good backup")
    # A file that changes between hashing and archiving (someone uploading during the backup).
    monkeypatch.setattr(backup, "_sha256_file", lambda path: "0" * 64)
    with pytest.raises(BackupError, match="备份期间文件被修改"):
        create_backup(people["admin"], archive)
    assert archive.read_bytes() == b"yesterday's good backup"
    assert [p.name for p in archive.parent.iterdir()] == ["backup.tar.gz"]
