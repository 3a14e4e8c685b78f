"""POST /api/realtime/handshake (001)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.seed import upsert_user
from tests.conftest import STRONG_PASSWORD, bearer, register, unique_email


def _assert_handshake(body: dict) -> None:
    assert set(body) == {"socketId", "serverTime"}
    assert re.fullmatch(r"[A-Za-z0-9]{16}", body["socketId"]), body
    assert body["serverTime"].endswith("Z")
    moment = datetime.fromisoformat(body["serverTime"].replace("Z", "+00:00"))
    assert abs((datetime.now(UTC) - moment).total_seconds()) < 120


async def test_handshake_answers_a_fresh_socket_id_and_the_server_time(client):
    account = await register(client)
    headers = bearer(account["tokens"]["accessToken"])
    answers = [
        await client.post("/api/realtime/handshake", headers=headers, json={"userId": account["userId"]}),
        await client.post("/api/realtime/handshake", headers=headers),
        await client.post("/api/realtime/handshake", headers=headers, json={}),
    ]
    for answer in answers:
        assert answer.status_code == 201, answer.text
        _assert_handshake(answer.json())
    assert len({a.json()["socketId"] for a in answers}) == 3


async def test_handshake_for_another_user_is_forbidden_except_to_admins(client):
    alice, bob = await register(client), await register(client)
    refused = await client.post("/api/realtime/handshake", headers=bearer(alice["tokens"]["accessToken"]),
                                json={"userId": bob["userId"]})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "FORBIDDEN"

    email = unique_email("admin")
    async with unit_of_work(runtime.current().sessionmaker) as session:
        await upsert_user(session, email=email, password=STRONG_PASSWORD, name="Admin", role="admin")
    login = await client.post("/api/auth/login", json={"email": email, "password": STRONG_PASSWORD})
    assert login.status_code == 200, login.text
    admin_headers = bearer(login.json()["tokens"]["accessToken"])
    admin = await client.post("/api/realtime/handshake", headers=admin_headers,
                              json={"userId": bob["userId"]})
    assert admin.status_code == 201, admin.text
    _assert_handshake(admin.json())


async def test_handshake_requires_a_token(client):
    anonymous = await client.post("/api/realtime/handshake", json={})
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "UNAUTHORIZED"
    bad = await client.post("/api/realtime/handshake", headers=bearer("nope"), json={})
    assert bad.status_code == 401
