"""Fixtures shared by the storage and auth tests: a fresh database per test, on SQLite and PostgreSQL.

PostgreSQL runs when ``LEGAL_TEST_POSTGRES_URL`` is set, or when ``LEGAL_TEST_POSTGRES=1`` / ``CI``
asks for it, in which case ``scripts/start_postgres.sh`` is run once to start a local server and
create the test database. A server that cannot be started then fails the PostgreSQL tests instead
of silently testing SQLite only.
"""

from __future__ import annotations

import os
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, text

from legal_assistant.auth.permissions import Actor
from legal_assistant.auth.roles import Role
from legal_assistant.settings import get_settings
from legal_assistant.store.db import get_engine, init_db

START_POSTGRES = Path(__file__).resolve().parent.parent / "scripts" / "start_postgres.sh"
POSTGRES_WANTED = bool(
    os.environ.get("LEGAL_TEST_POSTGRES_URL", "").strip()
    or os.environ.get("LEGAL_TEST_POSTGRES", "") not in ("", "0")
    or os.environ.get("CI")
)
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_WANTED else [])
STRONG_PASSWORD = "Correct-Horse-42"


@lru_cache(maxsize=1)
def postgres_url() -> str:
    url = os.environ.get("LEGAL_TEST_POSTGRES_URL", "").strip()
    if url:
        return url
    started = subprocess.run(["bash", str(START_POSTGRES)], capture_output=True, text=True, timeout=600)
    if started.returncode != 0:
        pytest.fail(f"PostgreSQL could not be started by {START_POSTGRES}:\n{started.stderr}")
    return started.stdout.strip().splitlines()[-1]


def wipe_postgres(url: str) -> None:
    """Empty the test database: truncate when it is already at the current head (fast), otherwise
    drop every table and enum type so the migrations build it from nothing."""
    from alembic.script import ScriptDirectory

    from legal_assistant.store.db import alembic_config

    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            metadata = MetaData()
            metadata.reflect(bind=connection)
            at_head = "alembic_version" in metadata.tables and connection.execute(
                text("SELECT version_num FROM alembic_version")
            ).scalar() == head
            if at_head:
                names = ", ".join(f'"{t}"' for t in metadata.tables if t != "alembic_version")
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
                return
            metadata.drop_all(bind=connection)
            for name in connection.execute(
                text(
                    "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
                    "WHERE t.typtype = 'e' AND n.nspname = current_schema()"
                )
            ).scalars().all():
                connection.execute(text(f'DROP TYPE IF EXISTS "{name}"'))
    finally:
        engine.dispose()


def reset_caches() -> None:
    from legal_assistant.auth import passwords

    passwords.dummy_hash.cache_clear()
    try:
        get_engine().dispose()
    except Exception:  # noqa: BLE001 - settings may point at a data dir already removed
        pass
    get_engine.cache_clear()
    get_settings.cache_clear()


def cheap_password_hashing(monkeypatch) -> None:
    """Real Argon2id with small cost parameters, so tests that create many accounts stay fast.
    The production parameters are checked on their own in test_auth_passwords.py."""
    from argon2 import PasswordHasher

    from legal_assistant.auth import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", lambda: cheap)
    passwords.dummy_hash.cache_clear()


def use_database(monkeypatch, tmp_path, backend: str, *, cheap_hashing: bool = True) -> str:
    """Point the settings at a fresh data dir (and database) and return the database URL."""
    if cheap_hashing:
        cheap_password_hashing(monkeypatch)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("LEGAL_DATA_DIR", str(data_dir))
    monkeypatch.delenv("LEGAL_CLI_USER", raising=False)
    if backend == "postgresql":
        url = postgres_url()
        wipe_postgres(url)
        monkeypatch.setenv("LEGAL_DATABASE_URL", url)
    else:
        monkeypatch.delenv("LEGAL_DATABASE_URL", raising=False)
    reset_caches()
    init_db()
    return get_settings().sqlalchemy_url


@pytest.fixture(params=BACKENDS)
def database(request, monkeypatch, tmp_path):
    """A migrated, empty database on each backend; yields the backend name."""
    use_database(monkeypatch, tmp_path, request.param)
    yield request.param
    reset_caches()


@pytest.fixture
def sqlite_database(monkeypatch, tmp_path):
    use_database(monkeypatch, tmp_path, "sqlite")
    yield get_settings().sqlalchemy_url
    reset_caches()


def make_people(password: str = STRONG_PASSWORD) -> dict[str, Actor]:
    """An administrator, two business owners of different enterprises, legal-aid staff and two
    judges' assistants of different courts."""
    from legal_assistant.auth.service import actor_for_username, create_first_admin, create_user

    admin = create_first_admin("admin", password, "系统管理员")
    specs = {
        "owner_a": (Role.OWNER, "甲贸易有限公司"),
        "owner_b": (Role.OWNER, "乙科技有限公司"),
        "aid": (Role.LEGAL_AID, "海淀区法律援助中心"),
        "judge_hd": (Role.JUDGE_ASSISTANT, "北京市海淀区人民法院"),
        "judge_cy": (Role.JUDGE_ASSISTANT, "北京市朝阳区人民法院"),
    }
    people = {"admin": admin}
    for username, (role, organization) in specs.items():
        create_user(admin, username, password, role, organization=organization)
        people[username] = actor_for_username(username)
    return people
