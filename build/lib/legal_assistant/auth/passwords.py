"""Password hashing with Argon2id (argon2-cffi's RFC 9106 defaults), never a hand-rolled scheme."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 10


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def password_problem(password: str, username: str = "") -> str | None:
    """A zh-CN reason the password is unacceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"密码至少需要{MIN_PASSWORD_LENGTH}个字符"
    if username and username.lower() in password.lower():
        return "密码不能包含用户名"
    if len(set(password)) < 4:
        return "密码过于简单，请混合使用不同字符"
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the stored hash used weaker parameters than today's defaults."""
    return _hasher().check_needs_rehash(password_hash)


# Verified against when the username does not exist, so a failed login takes the same time either
# way and response timing does not reveal which usernames exist.
@lru_cache(maxsize=1)
def dummy_hash() -> str:
    return hash_password("not-a-real-password-only-for-timing")
