"""Fixtures shared by the storage and auth tests: a fresh database per test, on SQLite and PostgreSQL.

PostgreSQL runs when ``LEGAL_TEST_POSTGRES_URL`` is set (``scripts/start_postgres.sh`` prints one).
Under CI (``CI=true``) the PostgreSQL variant is always collected, so a missing server fails the
run instead of silently testing SQLite only.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import MetaData, create_engine, text

from legal_assistant.auth.permissions import Actor
from legal_assistant.auth.roles import Role
from legal_assistant.settings import get_settings
from legal_assistant.store.db import get_engine, init_db

POSTGRES_URL = os.environ.get("LEGAL_TEST_POSTGRES_URL", "").strip()
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL or os.environ.get("CI") else [])
STRONG_PASSWORD = "Correct-Horse-42"


def wipe_postgres(url: str) -> None:
    """Drop every table and enum type so each test starts from an empty schema."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            metadata = MetaData()
            metadata.reflect(bind=connection)
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
        if not POSTGRES_URL:
            pytest.fail("CI must export LEGAL_TEST_POSTGRES_URL (run scripts/start_postgres.sh)")
        wipe_postgres(POSTGRES_URL)
        monkeypatch.setenv("LEGAL_DATABASE_URL", POSTGRES_URL)
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
