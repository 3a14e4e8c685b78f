from __future__ import annotations

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.seed import upsert_user
from tests.conftest import STRONG_PASSWORD, bearer, register


async def test_repasswording_an_account_revokes_its_tokens(client):
    account = await register(client)
    access = account["tokens"]["accessToken"]
    async with unit_of_work(runtime.current().sessionmaker) as session:
        _user, created = await upsert_user(session, email=account["email"], password="Another-Pass-77",
                                           name="Promoted", role="admin")
    assert created is False
    assert (await client.get("/api/auth/profile", headers=bearer(access))).status_code == 401
    login = await client.post("/api/auth/login",
                              json={"email": account["email"], "password": "Another-Pass-77"})
    assert login.status_code == 200


async def test_reseeding_with_the_same_password_keeps_sessions(client):
    account = await register(client)
    access = account["tokens"]["accessToken"]
    async with unit_of_work(runtime.current().sessionmaker) as session:
        await upsert_user(session, email=account["email"], password=STRONG_PASSWORD, name="Same",
                          role="candidate")
    assert (await client.get("/api/auth/profile", headers=bearer(access))).status_code == 200
