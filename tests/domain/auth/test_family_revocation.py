from __future__ import annotations

from tests.conftest import bearer, register


async def test_replayed_refresh_token_also_refuses_the_familys_access_tokens(client):
    account = await register(client)
    first_refresh = account["tokens"]["refreshToken"]
    rotated = await client.post("/api/auth/refresh", json={"refreshToken": first_refresh})
    assert rotated.status_code == 200
    stolen_access = rotated.json()["accessToken"]
    assert (await client.get("/api/auth/profile", headers=bearer(stolen_access))).status_code == 200

    replay = await client.post("/api/auth/refresh", json={"refreshToken": first_refresh})
    assert replay.status_code == 401
    assert (await client.get("/api/auth/profile", headers=bearer(stolen_access))).status_code == 401


async def test_logout_refuses_older_access_tokens_of_the_same_sign_in(client):
    account = await register(client)
    older_access = account["tokens"]["accessToken"]
    rotated = await client.post("/api/auth/refresh", json={"refreshToken": account["tokens"]["refreshToken"]})
    newer_access = rotated.json()["accessToken"]
    assert (await client.post("/api/auth/logout", headers=bearer(newer_access))).status_code == 204
    assert (await client.get("/api/auth/profile", headers=bearer(older_access))).status_code == 401
