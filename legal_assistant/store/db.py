"""Engine, sessions and the declarative base shared by every feature's models.

The schema is owned by Alembic: ``init_db`` runs ``upgrade head`` with the migrations packaged in
``legal_assistant/store/migrations``, so an existing database is upgraded in place and a fresh one
gets every table. SQLite (the default, under the data dir) runs in WAL mode and every unit of work
starts with ``BEGIN IMMEDIATE``: a transaction that reads and then writes can otherwise fail with
"database is locked" the moment another process commits in between, instead of waiting its turn.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import MetaData, create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from legal_assistant.settings import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Any fixed 64-bit number: serialises concurrent ``init_db`` calls on PostgreSQL.
_PG_MIGRATION_LOCK_ID = 7_202_611_290_808

# Named constraints, so later migrations can alter them (SQLite batch mode needs the names).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def get_engine(url: str | None = None) -> Engine:
    """The shared engine for ``url`` (default: the configured database).

    Cached by the resolved URL, so pointing ``LEGAL_DATA_DIR`` / ``LEGAL_DATABASE_URL`` elsewhere
    (as every test does) yields the right database even without clearing the cache.
    """
    return _engine_for(url or get_settings().sqlalchemy_url)


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        # Owner-only: the database holds password hashes and personal data.
        get_settings().data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin (see below).
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
            cursor.execute("PRAGMA synchronous=FULL")  # a committed record survives a power cut too
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin_immediate(connection):
            # Take the write lock up front so concurrent writers queue (busy_timeout) instead of
            # failing when a read-then-write transaction finds its snapshot outdated.
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)


get_engine.cache_clear = _engine_for.cache_clear  # type: ignore[attr-defined]


def alembic_config(url: str | None = None):
    """Alembic configuration for the packaged migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", (url or get_settings().sqlalchemy_url).replace("%", "%%"))
    return config


_migrated_engines: weakref.WeakSet[Engine] = weakref.WeakSet()


class UnmanagedSchemaError(RuntimeError):
    """The database has tables that Alembic did not create, so upgrading it could corrupt it."""


def init_db(url: str | None = None) -> Engine:
    """Bring the schema up to date (every feature's tables) and return the engine.

    Safe to call from many processes at once: the migration runs under the database's write lock
    (SQLite) or an advisory lock (PostgreSQL), and a database already at head is left untouched.
    """
    from alembic import command

    from legal_assistant.store import registry  # noqa: F401  (imports every model module)

    engine = get_engine(url)
    if engine in _migrated_engines:
        return engine
    config = alembic_config(url)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:lock_id)"), {"lock_id": _PG_MIGRATION_LOCK_ID})
        existing = set(inspect(connection).get_table_names())
        if "alembic_version" not in existing and existing & set(Base.metadata.tables):
            raise UnmanagedSchemaError(
                f"数据库 {engine.url.render_as_string(hide_password=True)} 中已有数据表但没有迁移记录"
                "（由旧版本直接建表），无法自动升级。请移走该数据库文件后重新初始化。"
            )
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    _restrict_sqlite_file(engine)
    _migrated_engines.add(engine)
    return engine


def _restrict_sqlite_file(engine: Engine) -> None:
    """Owner-only permissions on the SQLite files: they hold password hashes and personal data."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        return
    for suffix in ("", "-wal", "-shm"):
        path = Path(database + suffix)
        if path.exists():
            path.chmod(0o600)


class NestedSessionError(RuntimeError):
    """A unit of work was opened inside another one on SQLite, which would wait for itself."""


_open_sqlite_scopes = threading.local()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back on any error, so nothing is half-stored.

    On SQLite a unit of work holds the database's single write lock, so opening a second one in
    the same thread would wait for the first forever (well, ``busy_timeout``); that mistake raises
    :class:`NestedSessionError` at once instead. Pass the open session down instead of nesting.
    """
    engine = get_engine(url)
    guarded = engine.dialect.name == "sqlite"
    if guarded:
        open_urls = _open_sqlite_scopes.__dict__.setdefault("urls", set())
        if engine.url in open_urls:
            raise NestedSessionError(
                "session_scope() opened inside another session_scope() on SQLite would deadlock; "
                "pass the open session to the inner code"
            )
        open_urls.add(engine.url)
    session = sessionmaker(bind=engine, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
        if guarded:
            open_urls.discard(engine.url)
