"""Password hashing uses Argon2id with RFC 9106 parameters and upgrades weaker hashes on login."""

from argon2 import PasswordHasher
from sqlalchemy import select, update
from storage_support import STRONG_PASSWORD, use_database

from legal_assistant.auth import authenticate, create_first_admin
from legal_assistant.auth.models import User
from legal_assistant.auth.passwords import hash_password, needs_rehash, verify_password
from legal_assistant.store.db import session_scope


def test_hashes_use_argon2id_with_64_mib_and_three_passes():
    hashed = hash_password(STRONG_PASSWORD)
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(hashed, STRONG_PASSWORD)
    assert not verify_password(hashed, STRONG_PASSWORD + "x")
    assert hash_password(STRONG_PASSWORD) != hashed  # salted


def test_malformed_stored_hash_fails_verification_instead_of_crashing():
    assert verify_password("not-a-hash", STRONG_PASSWORD) is False


def test_login_upgrades_a_hash_made_with_weaker_parameters(monkeypatch, tmp_path):
    use_database(monkeypatch, tmp_path, "sqlite", cheap_hashing=False)
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(STRONG_PASSWORD)
    assert needs_rehash(weak)
    create_first_admin("admin", STRONG_PASSWORD)
    with session_scope() as session:
        session.execute(update(User).values(password_hash=weak))
    authenticate("admin", STRONG_PASSWORD)
    with session_scope() as session:
        upgraded = session.scalar(select(User.password_hash))
    assert upgraded != weak and not needs_rehash(upgraded)

