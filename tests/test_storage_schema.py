"""The Alembic migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

import sqlite3

import pytest

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from storage_support import database, use_database  # noqa: F401

from legal_assistant.store import registry  # noqa: F401  (every model on Base.metadata)
from legal_assistant.store.db import Base, alembic_config, get_engine, init_db
from legal_assistant.settings import get_settings


def test_migrated_schema_has_every_model_table(database):
    tables = set(inspect(get_engine()).get_table_names())
    assert tables - {"alembic_version"} == set(Base.metadata.tables)


def test_migrations_and_models_do_not_differ(database):
    """A model added or changed without a migration shows up here as a difference."""
    with get_engine().connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_database_is_at_the_single_head_revision(database):
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"migration branches must be merged: {heads}"
    with get_engine().connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == heads[0]


def test_init_db_twice_keeps_data_and_schema(database):
    from legal_assistant.auth import Role, create_first_admin
    from legal_assistant.store.db import _migrated_engines

    create_first_admin("admin", "Correct-Horse-42")
    _migrated_engines.clear()  # force a real second upgrade run, as a new process would
    init_db()
    from legal_assistant.auth.service import actor_for_username

    assert actor_for_username("admin").role is Role.ADMIN


def test_migrations_downgrade_to_empty_and_upgrade_again(database):
    config = alembic_config()
    with get_engine().begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(get_engine()).get_table_names()) <= {"alembic_version"}
    with get_engine().begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    assert set(inspect(get_engine()).get_table_names()) - {"alembic_version"} == set(Base.metadata.tables)


def test_default_database_is_sqlite_in_wal_mode_under_the_data_dir(monkeypatch, tmp_path):
    url = use_database(monkeypatch, tmp_path, "sqlite")
    db_file = get_settings().data_dir / "legal_assistant.db"
    assert url == f"sqlite:///{db_file}"
    with sqlite3.connect(db_file) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert oct(db_file.stat().st_mode & 0o777) == "0o600"  # password hashes and personal data


def test_database_url_setting_selects_another_database(monkeypatch, tmp_path):
    other = tmp_path / "elsewhere.db"
    monkeypatch.setenv("LEGAL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LEGAL_DATABASE_URL", f"sqlite:///{other}")
    get_settings.cache_clear()
    get_engine.cache_clear()
    init_db()
    assert "users" in inspect(get_engine()).get_table_names()
    assert other.exists() and not (tmp_path / "data" / "legal_assistant.db").exists()
    get_engine().dispose()
    get_engine.cache_clear()


def test_a_database_created_without_migrations_is_refused_not_corrupted(monkeypatch, tmp_path):
    from legal_assistant.store.db import UnmanagedSchemaError

    monkeypatch.setenv("LEGAL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LEGAL_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    get_engine.cache_clear()
    Base.metadata.create_all(get_engine())  # how the very first skeleton built its tables
    try:
        with pytest.raises(UnmanagedSchemaError, match="没有迁移记录"):
            init_db()
        assert "alembic_version" not in inspect(get_engine()).get_table_names()
    finally:
        get_engine().dispose()
        get_engine.cache_clear()
