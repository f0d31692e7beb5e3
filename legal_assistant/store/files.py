"""Content-addressed storage for uploaded files, under ``<data_dir>/files``.

A file's bytes live at ``files/ab/cd/abcd…`` named by their SHA-256, written to a temporary file
and renamed into place, so a crash mid-write never leaves a partial blob under a real name, and two
writers of the same content converge on one blob. The database keeps one :class:`StoredFile` row
per upload (who uploaded it, the name they gave it), pointing at the blob by hash.

Uploads are untrusted: the user's file name is kept only as a display label (never used in a
path), the size is capped by ``LEGAL_MAX_UPLOAD_MB``, and a blob is re-hashed when read so that a
file altered on disk is noticed rather than served.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from legal_assistant.auth.models import utcnow
from legal_assistant.auth.permissions import Actor, PermissionDenied, require_actor
from legal_assistant.settings import get_settings
from legal_assistant.store.db import Base, session_scope

_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20


class FileStoreError(Exception):
    """A zh-CN message about a file that cannot be stored or read."""


class StoredFile(Base):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    original_name: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    media_type: Mapped[str] = mapped_column(String(127), nullable=False, default="application/octet-stream")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, default=utcnow)


@dataclass(frozen=True)
class UploadRef:
    id: int
    sha256: str
    size: int
    original_name: str
    media_type: str
    owner_id: int | None


def _ref(row: StoredFile) -> UploadRef:
    return UploadRef(row.id, row.sha256, row.size, row.original_name, row.media_type, row.owner_id)


def safe_display_name(name: str) -> str:
    """The last path component of a user-supplied name, without control characters, at most 200 chars."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return name[:200] or "未命名文件"


class FileStore:
    """Blobs by SHA-256 under one root directory; nothing is ever written outside it."""

    def __init__(self, root: Path | None = None, max_bytes: int | None = None) -> None:
        settings = get_settings()
        self.root = (root or settings.data_dir / "files").resolve()
        self.max_bytes = max_bytes if max_bytes is not None else settings.max_upload_mb * 1024 * 1024
        self._tmp = self.root / "tmp"

    def path_for(self, sha256: str) -> Path:
        if not _SHA256_RE.match(sha256 or ""):
            raise FileStoreError("文件标识无效")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put_bytes(self, data: bytes) -> tuple[str, int]:
        return self.put_stream([data])

    def put_stream(self, chunks: Iterable[bytes]) -> tuple[str, int]:
        """Store the content; returns (sha256, size). Over-size or failing input leaves nothing behind."""
        self._tmp.mkdir(parents=True, exist_ok=True, mode=0o700)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="upload-")
        tmp_path = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FileStoreError(f"文件超过大小上限（{self.max_bytes // (1024 * 1024)} MB）")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            final = self.path_for(sha256)
            final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Same content, same name: if another writer got there first its blob is identical.
            os.replace(tmp_path, final)
            return sha256, size
        finally:
            tmp_path.unlink(missing_ok=True)

    def read_bytes(self, sha256: str) -> bytes:
        path = self.path_for(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise FileStoreError("文件不存在或已被删除") from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise FileStoreError("文件内容校验失败，可能已被篡改")
        return data

    def all_hashes(self) -> list[str]:
        return sorted(
            p.name for p in self.root.glob("??/??/*") if p.is_file() and _SHA256_RE.match(p.name)
        )

    def collect_garbage(self, referenced: set[str], min_age: timedelta = timedelta(hours=1)) -> int:
        """Delete blobs no database row references (left by a crash between blob write and commit).

        Blobs younger than ``min_age`` are kept: their upload may still be about to commit.
        """
        cutoff = time.time() - min_age.total_seconds()
        removed = 0
        for sha256 in self.all_hashes():
            path = self.path_for(sha256)
            if sha256 not in referenced and path.stat().st_mtime <= cutoff:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def save_upload(
    actor: Actor | None, data: bytes, original_name: str, media_type: str = "application/octet-stream"
) -> UploadRef:
    """Store an uploaded file for ``actor`` and record who uploaded it (audit: uploaded)."""
    from legal_assistant.audit import AuditAction, record_event

    actor = require_actor(actor)
    sha256, size = FileStore().put_bytes(data)
    name = safe_display_name(original_name)
    with session_scope() as session:
        row = StoredFile(
            sha256=sha256, size=size, original_name=name, media_type=media_type[:127], owner_id=actor.user_id
        )
        session.add(row)
        session.flush()
        record_event(session, actor, AuditAction.UPLOADED, "file", row.id, name)
        return _ref(row)


def open_upload(actor: Actor | None, file_id: int) -> tuple[UploadRef, bytes]:
    """The upload's metadata and bytes, for the user who uploaded it (audit: viewed).

    A service whose own policy lets someone else see the file (legal-aid staff on a flagged
    contract) checks that policy first and then reads ``FileStore().read_bytes(ref.sha256)``.
    An unknown id and someone else's id are refused alike, so ids cannot be probed.
    """
    from legal_assistant.audit import AuditAction, record_denied, record_event

    with session_scope() as session:
        row = session.get(StoredFile, file_id)
        allowed = row is not None and actor is not None and row.owner_id == actor.user_id
        if allowed:
            record_event(session, actor, AuditAction.VIEWED, "file", row.id, row.original_name)
            ref = _ref(row)
    if not allowed:
        # Logged after the read transaction ends: SQLite allows one writer at a time.
        record_denied(actor, "file", file_id, "打开他人或不存在的文件")
        require_actor(actor)
        raise PermissionDenied()
    return ref, FileStore().read_bytes(ref.sha256)


def referenced_hashes() -> set[str]:
    with session_scope() as session:
        return set(session.scalars(select(StoredFile.sha256).distinct()))


def collect_garbage(min_age: timedelta = timedelta(hours=1)) -> int:
    """Remove unreferenced blobs older than ``min_age``; returns how many were removed."""
    return FileStore().collect_garbage(referenced_hashes(), min_age)
