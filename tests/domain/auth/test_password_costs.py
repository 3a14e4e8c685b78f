"""argon2id costs come from the settings, and a password hashed with other
costs is re-hashed with the current ones when its owner signs in."""

from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy import select

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.kit.passwords import hash_password, needs_rehash, verify_password
from interviewd.models import User
from tests.conftest import STRONG_PASSWORD, register


async def _stored_hash(email: str) -> str:
    async with runtime.current().sessionmaker() as session:
        return await session.scalar(select(User.password_hash).where(User.email == email))


async def test_hashes_use_the_configured_costs(make_client):
    await make_client(password_hash_time_cost=2, password_hash_memory_kib=2048, password_hash_parallelism=1)
    hashed = await hash_password(STRONG_PASSWORD)
    assert hashed.startswith("$argon2id$") and "m=2048,t=2,p=1" in hashed
    assert await verify_password(hashed, STRONG_PASSWORD)
    assert not await verify_password(hashed, STRONG_PASSWORD + "!")
    assert not needs_rehash(hashed)
    assert needs_rehash(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(STRONG_PASSWORD))


async def test_sign_in_rehashes_a_password_made_with_other_costs(make_client):
    client = await make_client()
    account = await register(client)
    weak = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(STRONG_PASSWORD)
    async with unit_of_work(runtime.current().sessionmaker) as session:
        user = await session.scalar(select(User).where(User.email == account["email"]))
        user.password_hash = weak
    signed_in = await client.post("/api/auth/login", json={"email": account["email"],
                                                           "password": STRONG_PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    stored = await _stored_hash(account["email"])
    assert stored != weak and "m=1024,t=1,p=1" in stored  # the suite's configured costs
