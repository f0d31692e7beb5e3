"""``legal-assistant backup`` / ``restore``: the database, uploaded files and keys in one archive.

The archive (tar.gz, written with mode 0600 because it holds signing keys) contains

- ``manifest.json``: format version, Alembic revision, row counts, and the SHA-256 of every file;
- ``database/<table>.jsonl``: every row of every table, as JSON — a logical dump, so a backup taken
  from SQLite restores into PostgreSQL and back;
- ``data/<path>``: everything under the data dir except the SQLite file itself and rebuildable
  caches (search index, vector store, caches).

Restore checks the whole archive (member paths, file hashes, schema revision) before changing
anything, then replaces the database inside one transaction: the schema is rebuilt at the backup's
revision, rows are loaded, and the schema is upgraded to this program's head. Login sessions are
never backed up, so restored accounts must log in again.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path, PurePosixPath

from sqlalchemy import Connection, MetaData, func, inspect, select, text
from sqlalchemy.engine import make_url

from legal_assistant import __version__
from legal_assistant.audit import AuditAction, record_event
from legal_assistant.auth.models import User
from legal_assistant.auth.permissions import Actor, require_role
from legal_assistant.auth.roles import Role
from legal_assistant.settings import get_settings
from legal_assistant.store.db import alembic_config, get_engine, init_db, session_scope

BACKUP_FORMAT = 1
# Derived data that is rebuilt from the corpus, so not worth carrying in every backup.
REBUILDABLE_DIRS = ("index", "chroma", "cache", "files/tmp")
# Ephemeral or bookkeeping tables that a restore must not bring back.
SKIPPED_TABLES = ("alembic_version", "user_sessions")
_STAGING_PREFIX = ".restore-"


class BackupError(Exception):
    """A zh-CN message explaining why a backup or restore was refused."""


@dataclass
class BackupSummary:
    path: Path
    revision: str
    table_rows: dict[str, int] = field(default_factory=dict)
    files: int = 0

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "revision": self.revision,
            "table_rows": self.table_rows,
            "files": self.files,
        }


def _encode(value):
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"cannot back up value of type {type(value).__name__}")


_DECODERS = {
    "$datetime": datetime.fromisoformat,
    "$date": date.fromisoformat,
    "$time": time.fromisoformat,
    "$decimal": Decimal,
    "$bytes": base64.b64decode,
}


def _decode(obj: dict):
    if len(obj) == 1:
        (key, value), = obj.items()
        if key in _DECODERS:
            return _DECODERS[key](value)
    return obj


def _sqlite_files(url: str) -> set[Path]:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return set()
    db = Path(parsed.database).resolve()
    return {db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal"))}


def _data_files(data_dir: Path, exclude: set[Path]) -> list[Path]:
    """Regular files under the data dir worth backing up (symlinks are never followed)."""
    skipped_dirs = {(data_dir / d).resolve() for d in REBUILDABLE_DIRS}
    chosen = []
    for root, dirs, files in os.walk(data_dir, followlinks=False):
        root_path = Path(root)
        dirs[:] = sorted(
            d
            for d in dirs
            if (root_path / d).resolve() not in skipped_dirs and not d.startswith(_STAGING_PREFIX)
        )
        for name in sorted(files):
            path = root_path / name
            if path.is_symlink() or not path.is_file() or path.resolve() in exclude:
                continue
            chosen.append(path)
    return chosen


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _current_revision(connection: Connection) -> str:
    if not inspect(connection).has_table("alembic_version"):
        return ""
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar() or ""


def _dump_tables(connection: Connection) -> tuple[dict[str, bytes], dict[str, int]]:
    metadata = MetaData()
    metadata.reflect(bind=connection)
    dumps, counts = {}, {}
    for table in metadata.sorted_tables:
        if table.name in SKIPPED_TABLES:
            continue
        order = list(table.primary_key.columns) or list(table.columns)
        lines = [
            json.dumps(dict(row._mapping), default=_encode, ensure_ascii=False)
            for row in connection.execute(select(table).order_by(*order))
        ]
        dumps[table.name] = ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")
        counts[table.name] = len(lines)
    return dumps, counts


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def create_backup(actor: Actor | None, out: Path) -> BackupSummary:
    """Write a consistent backup to ``out`` (administrators only)."""
    require_role(actor, Role.ADMIN)
    settings = get_settings()
    data_dir = settings.data_dir.resolve()
    out = Path(out).resolve()
    engine = init_db()

    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():  # one snapshot for every table
            revision = _current_revision(connection)
            dumps, counts = _dump_tables(connection)

    files = _data_files(data_dir, exclude=_sqlite_files(settings.sqlalchemy_url) | {out})
    file_hashes = {path.relative_to(data_dir).as_posix(): _sha256_file(path) for path in files}
    manifest = {
        "format": BACKUP_FORMAT,
        "app_version": __version__,
        "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "revision": revision,
        "tables": counts,
        "files": file_hashes,
    }

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=out.name + ".", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
            for table_name, data in dumps.items():
                _add_bytes(tar, f"database/{table_name}.jsonl", data)
            for path in files:
                rel = path.relative_to(data_dir).as_posix()
                data = path.read_bytes()
                if hashlib.sha256(data).hexdigest() != file_hashes[rel]:
                    raise BackupError(f"备份期间文件被修改：{rel}，请重试")
                _add_bytes(tar, f"data/{rel}", data)
        os.chmod(tmp_name, 0o600)
        os.replace(tmp_name, out)
    finally:
        Path(tmp_name).unlink(missing_ok=True)

    with session_scope() as session:
        record_event(session, actor, AuditAction.BACKUP, "backup", out.name, f"{sum(counts.values())} 行，{len(files)} 个文件")
    return BackupSummary(out, revision, counts, len(files))


def _safe_member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or "\\" in name:
        raise BackupError(f"备份文件包含不安全的路径：{name}")
    return path


def _read_archive(archive: Path) -> tuple[dict, dict[str, bytes], dict[str, bytes]]:
    """Manifest, table dumps and data files, all validated before anything is changed."""
    try:
        tar = tarfile.open(archive, mode="r:gz")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError("无法读取备份文件（不是有效的备份归档）") from exc
    manifest, tables, files = None, {}, {}
    with tar:
        for member in tar.getmembers():
            path = _safe_member_path(member.name)
            if member.isdir():
                continue
            if not member.isfile():
                raise BackupError(f"备份文件包含不允许的条目类型：{member.name}")
            data = tar.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data.decode("utf-8"))
            elif path.parts[0] == "database" and len(path.parts) == 2 and path.suffix == ".jsonl":
                tables[path.stem] = data
            elif path.parts[0] == "data" and len(path.parts) > 1:
                files[PurePosixPath(*path.parts[1:]).as_posix()] = data
            else:
                raise BackupError(f"备份文件包含未知条目：{member.name}")
    if manifest is None or manifest.get("format") != BACKUP_FORMAT:
        raise BackupError("备份文件缺少清单或格式版本不受支持")
    expected = manifest.get("files", {})
    if set(expected) != set(files):
        raise BackupError("备份文件内容与清单不一致")
    for rel, data in files.items():
        if hashlib.sha256(data).hexdigest() != expected[rel]:
            raise BackupError(f"备份中的文件校验失败：{rel}")
    for table_name, count in manifest.get("tables", {}).items():
        if tables.get(table_name, b"").count(b"\n") != count:
            raise BackupError(f"备份中的数据表不完整：{table_name}")
    return manifest, tables, files


def _ensure_may_restore(actor: Actor | None) -> None:
    """An administrator restores; on a fresh install with no accounts yet, anyone at the console may."""
    engine = init_db()
    with engine.connect() as connection:
        has_users = connection.execute(select(func.count()).select_from(User.__table__)).scalar()
    if has_users:
        require_role(actor, Role.ADMIN)


def _reset_postgres_sequences(connection: Connection, metadata: MetaData) -> None:
    for table in metadata.sorted_tables:
        for column in table.primary_key.columns:
            sequence = connection.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"), {"table": table.name, "column": column.name}
            ).scalar()
            if sequence:
                connection.execute(
                    text(
                        f'SELECT setval(:sequence, COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false)'
                    ),
                    {"sequence": sequence},
                )


def _drop_postgres_enum_types(connection: Connection) -> None:
    """Enum types outlive their tables on PostgreSQL; the migrations would fail to recreate them."""
    names = connection.execute(
        text(
            "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE t.typtype = 'e' AND n.nspname = current_schema()"
        )
    ).scalars()
    for name in list(names):
        connection.execute(text(f'DROP TYPE IF EXISTS "{name}"'))


def restore_backup(actor: Actor | None, archive: Path) -> BackupSummary:
    """Replace the database and data files with the backup's content."""
    from alembic import command
    from alembic.script import ScriptDirectory

    _ensure_may_restore(actor)
    manifest, tables, files = _read_archive(Path(archive))
    revision = manifest.get("revision", "")
    config = alembic_config()
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    if revision not in known:
        raise BackupError(f"备份来自不同版本的程序（数据库版本 {revision or '未知'}），无法恢复")

    data_dir = get_settings().data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=data_dir, prefix=_STAGING_PREFIX))
    try:
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            os.chmod(target, 0o600)

        engine = get_engine()
        with engine.begin() as connection:
            existing = MetaData()
            existing.reflect(bind=connection)
            existing.drop_all(bind=connection)
            if connection.dialect.name == "postgresql":
                _drop_postgres_enum_types(connection)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            schema = MetaData()
            schema.reflect(bind=connection)
            for table in schema.sorted_tables:
                lines = tables.get(table.name, b"").decode("utf-8").splitlines()
                rows = [json.loads(line, object_hook=_decode) for line in lines]
                if rows:
                    connection.execute(table.insert(), rows)
            if connection.dialect.name == "postgresql":
                _reset_postgres_sequences(connection, schema)
            command.upgrade(config, "head")
            # Files go into place last, still inside the transaction: a failure here rolls the
            # database back instead of leaving rows that point at missing files.
            for rel in files:
                target = data_dir / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / rel, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    with session_scope() as session:
        # Ids in the restored database may belong to other people: attribute the entry by username.
        username = actor.username if actor else ""
        restored = session.scalar(select(User).where(User.username == username)) if username else None
        restored_actor = (
            Actor(restored.id, restored.username, Role(restored.role), restored.organization, restored.display_name)
            if restored
            else None
        )
        record_event(
            session, restored_actor, AuditAction.RESTORE, "backup", Path(archive).name, f"数据库版本 {revision}",
            username=username,
        )
    counts = {name: int(count) for name, count in manifest.get("tables", {}).items()}
    return BackupSummary(Path(archive), revision, counts, len(files))

