"""argon2id password hashing and the password policy."""

from __future__ import annotations

import asyncio
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from interviewd import runtime


@lru_cache(maxsize=4)
def _hasher_for(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def _hasher() -> PasswordHasher:
    """argon2id with the costs of the running settings (RFC 9106's low-memory
    profile by default); outside a running process, those defaults."""
    try:
        settings = runtime.current().settings
    except RuntimeError:
        return _hasher_for(3, 65536, 4)
    return _hasher_for(settings.password_hash_time_cost, settings.password_hash_memory_kib,
                       settings.password_hash_parallelism)

# The passwords attackers try first; refusing them costs users nothing.
_COMMON = {
    "password", "password1", "password123", "passw0rd", "12345678", "123456789",
    "1234567890", "qwertyui", "qwerty123", "iloveyou", "11111111", "00000000",
    "abc12345", "letmein1", "welcome1", "admin123", "changeme", "sunshine",
}

MIN_LENGTH = 8
MAX_LENGTH = 128


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """Why a password is too weak, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters"
    if password.lower() in _COMMON:
        return "is too common"
    if password.isdigit():
        return "must not be only digits"
    if len(set(password)) < 4:
        return "is too repetitive"
    if email and email.split("@", 1)[0].lower() == password.lower():
        return "must not be your e-mail address"
    return None


# Hashing takes ~100 ms of CPU by design. It runs in a worker thread (argon2
# releases the GIL), so one sign-in does not stall every other request that the
# process is serving.


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher().hash, password)


def _verify(hasher: PasswordHasher, password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check so timing does not reveal accounts.
        hasher.hash(password)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str | None, password: str) -> bool:
    return await asyncio.to_thread(_verify, _hasher(), password_hash, password)


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
