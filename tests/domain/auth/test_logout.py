"""Logout refuses the access token at once (denylist) and its refresh family;
other sign-ins of the same user keep working. With Redis the denylist is
shared by every server process."""

from __future__ import annotations

from redis.asyncio import Redis

from interviewd import runtime
from interviewd.adapters.cache.redis import PREFIX
from interviewd.domain.auth.service import DENYLIST_PREFIX
from tests.conftest import STRONG_PASSWORD, bearer, register
from tests.domain.auth.factories import unverified_claims


async def _login(client, email: str) -> dict:
    response = await client.post("/api/auth/login", json={"email": email, "password": STRONG_PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["tokens"]


async def _refresh_status(client, token: str, *, surface: str = "/api") -> int:
    body = {"refreshToken": token} if surface == "/api" else {"refresh_token": token}
    return (await client.post(f"{surface}/auth/refresh", json=body)).status_code


async def _profile_status(client, token: str) -> int:
    return (await client.get("/api/auth/profile", headers=bearer(token))).status_code


async def test_logout_refuses_this_sign_in_only(client):
    account = await register(client)
    here, elsewhere = account["tokens"], await _login(client, account["email"])

    assert (await client.post("/api/auth/logout", headers=bearer(here["accessToken"]))).status_code == 204

    refused = await client.get("/api/auth/profile", headers=bearer(here["accessToken"]))
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "UNAUTHORIZED"
    assert await _refresh_status(client, here["refreshToken"]) == 401
    # Logging out twice with the same token is refused like any other use.
    assert (await client.post("/api/auth/logout", headers=bearer(here["accessToken"]))).status_code == 401

    assert await _profile_status(client, elsewhere["accessToken"]) == 200
    rotated = await client.post("/api/auth/refresh", json={"refreshToken": elsewhere["refreshToken"]})
    assert rotated.status_code == 200, rotated.text
    assert await _profile_status(client, rotated.json()["accessToken"]) == 200


async def test_logout_covers_tokens_rotated_before_it(client):
    account = await register(client)
    rotated = await client.post("/api/auth/refresh", json={"refreshToken": account["tokens"]["refreshToken"]})
    tokens = rotated.json()
    assert (await client.post("/api/auth/logout", headers=bearer(tokens["accessToken"]))).status_code == 204
    assert await _refresh_status(client, tokens["refreshToken"]) == 401


async def test_api_v1_logout(client):
    account = await register(client)
    here, elsewhere = account["tokens"], await _login(client, account["email"])
    response = await client.post("/api/v1/auth/logout", headers=bearer(here["accessToken"]))
    assert response.status_code == 200
    assert isinstance(response.json()["detail"], str)

    again = await client.post("/api/v1/auth/logout", headers=bearer(here["accessToken"]))
    assert again.status_code == 401 and set(again.json()) == {"detail"}
    assert await _profile_status(client, here["accessToken"]) == 401
    assert await _refresh_status(client, here["refreshToken"], surface="/api/v1") == 401
    assert await _profile_status(client, elsewhere["accessToken"]) == 200


async def test_denylist_is_shared_through_redis(make_client, second_instance, redis_url):
    first = await make_client(redis_url=redis_url)
    second = await second_instance(secret_key=runtime.current().settings.secret_key, redis_url=redis_url)
    account = await register(first)
    one, two = account["tokens"], await _login(second, account["email"])
    jtis = [unverified_claims(t["accessToken"])["jti"] for t in (one, two)]

    redis = Redis.from_url(redis_url)
    try:
        # Both processes accept both sign-ins: same database, same secret.
        for client in (first, second):
            for tokens in (one, two):
                assert await _profile_status(client, tokens["accessToken"]) == 200

        # Signed out in this process, refused by the other one, and vice versa.
        assert (await first.post("/api/auth/logout", headers=bearer(one["accessToken"]))).status_code == 204
        assert await _profile_status(second, one["accessToken"]) == 401
        assert await _profile_status(second, two["accessToken"]) == 200

        assert (await second.post("/api/auth/logout", headers=bearer(two["accessToken"]))).status_code == 204
        assert await _profile_status(first, two["accessToken"]) == 401
        assert await _profile_status(first, one["accessToken"]) == 401

        # The entries live in Redis no longer than the tokens they refuse.
        access_ttl = runtime.current().settings.access_token_ttl
        for jti in jtis:
            ttl = await redis.ttl(PREFIX + DENYLIST_PREFIX + jti)
            assert 0 < ttl <= access_ttl + 1
    finally:
        await redis.delete(*[PREFIX + DENYLIST_PREFIX + jti for jti in jtis])
        await redis.aclose()
