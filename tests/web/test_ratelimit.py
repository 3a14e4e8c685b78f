"""Rate limits per surface: sign-in routes per client address, the rest per
signed-in user, and the headers clients back off by."""

from __future__ import annotations

import httpx

from tests.conftest import STRONG_PASSWORD, bearer, register, unique_email

# Windows of an hour: the in-process counters are aligned to the clock, so a
# per-minute window could roll over in the middle of a test and free capacity.
LIMITED = dict(rate_limit_enabled=True, rate_limit_api_auth="3/hour", rate_limit_api_default="100/hour",
               rate_limit_hiring_auth="2/hour", rate_limit_hiring_default="100/hour")


def _login(email: str) -> dict:
    return {"email": email, "password": STRONG_PASSWORD}


async def test_sign_in_routes_are_limited_per_address_with_headers(make_client):
    client = await make_client(**LIMITED)
    email = unique_email()
    remaining = []
    for _ in range(3):
        response = await client.post("/api/auth/login", json=_login(email))
        assert response.status_code == 401
        assert response.headers["ratelimit-limit"] == "3"
        assert int(response.headers["ratelimit-reset"]) >= 1
        remaining.append(int(response.headers["ratelimit-remaining"]))
    assert remaining == [2, 1, 0]

    refused = await client.post("/api/auth/login", json=_login(email))
    assert refused.status_code == 429
    body = refused.json()
    assert body["success"] is False
    assert body["error"]["code"] == "RATE_LIMITED"
    assert body["error"]["type"] == "rate_limit_error"
    assert body["requestId"] == refused.headers["x-request-id"]
    retry_after = int(refused.headers["retry-after"])
    assert 1 <= retry_after <= 3600
    assert refused.headers["ratelimit-limit"] == "3"
    assert refused.headers["ratelimit-remaining"] == "0"
    assert int(refused.headers["ratelimit-reset"]) == retry_after


async def test_sign_in_budget_is_shared_by_every_sign_in_route_and_the_auth_alias(make_client):
    client = await make_client(**LIMITED)
    assert (await client.post("/api/auth/login", json=_login(unique_email()))).status_code == 401
    assert (await client.post("/auth/login", json=_login(unique_email()))).status_code == 401
    assert (await client.post("/api/auth/forgot-password",
                              json={"email": unique_email()})).status_code == 200
    refused = await client.post("/auth/register", json=_login(unique_email()))
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "RATE_LIMITED"


async def test_sign_in_routes_count_per_client_address(make_client):
    client = await make_client(**LIMITED)
    for _ in range(3):
        await client.post("/api/auth/login", json=_login(unique_email()))
    assert (await client.post("/api/auth/login", json=_login(unique_email()))).status_code == 429

    # The same app reached from another address has its own budget.
    transport = httpx.ASGITransport(app=client._transport.app, client=("203.0.113.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as other:
        response = await other.post("/api/auth/login", json=_login(unique_email()))
    assert response.status_code == 401
    assert response.headers["ratelimit-remaining"] == "2"


async def test_general_limit_counts_per_signed_in_user(make_client):
    client = await make_client(**{**LIMITED, "rate_limit_api_auth": "50/hour",
                                  "rate_limit_api_default": "3/hour"})
    alice = await register(client)
    bob = await register(client)
    for expected_remaining in (2, 1, 0):
        response = await client.get("/api/auth/profile", headers=bearer(alice["tokens"]["accessToken"]))
        assert response.status_code == 200
        assert response.headers["ratelimit-remaining"] == str(expected_remaining)
    refused = await client.get("/api/auth/profile", headers=bearer(alice["tokens"]["accessToken"]))
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "RATE_LIMITED"
    assert "retry-after" in refused.headers

    # Bob, from the same address, still has his whole budget.
    response = await client.get("/api/auth/profile", headers=bearer(bob["tokens"]["accessToken"]))
    assert response.status_code == 200
    assert response.headers["ratelimit-remaining"] == "2"

    # Anonymous callers are counted by address, apart from both users.
    anonymous = await client.get("/api/auth/profile")
    assert anonymous.status_code == 401
    assert anonymous.headers["ratelimit-remaining"] == "2"


async def test_a_forged_bearer_token_is_counted_by_address(make_client):
    client = await make_client(**{**LIMITED, "rate_limit_api_default": "2/hour"})
    forged = {"Authorization": "Bearer not-a-token"}
    assert (await client.get("/api/auth/profile", headers=forged)).status_code == 401
    assert (await client.get("/api/auth/profile")).status_code == 401
    assert (await client.get("/api/auth/profile", headers=forged)).status_code == 429


async def test_hiring_surface_answers_429_with_detail(make_client):
    client = await make_client(**LIMITED)
    form = {"username": "nobody", "password": "Wrong-Password-1"}
    for expected_remaining in ("1", "0"):
        response = await client.post("/api/v1/auth/login", json=form)
        assert response.status_code == 401
        assert response.headers["ratelimit-remaining"] == expected_remaining
    refused = await client.post("/api/v1/admin/auth/login", json=form)
    assert refused.status_code == 429
    assert set(refused.json()) == {"detail"}
    assert isinstance(refused.json()["detail"], str)
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["ratelimit-limit"] == "2"


async def test_disabled_rate_limits_neither_refuse_nor_send_headers(make_client):
    client = await make_client(**{**LIMITED, "rate_limit_enabled": False})
    for _ in range(6):
        response = await client.post("/api/auth/login", json=_login(unique_email()))
        assert response.status_code == 401
        assert "ratelimit-limit" not in response.headers
        assert "ratelimit-remaining" not in response.headers
    hiring = await client.post("/api/v1/auth/login", json={"username": "x", "password": "y"})
    assert "ratelimit-limit" not in hiring.headers


async def test_health_and_ping_are_never_limited(make_client):
    client = await make_client(**{**LIMITED, "rate_limit_api_default": "1/hour"})
    for _ in range(3):
        for path in ("/api/health", "/api/ping", "/health"):
            response = await client.get(path)
            assert response.status_code == 200, path
            assert "ratelimit-limit" not in response.headers
    # The general limit itself is in force.
    assert (await client.get("/api/auth/profile")).status_code == 401
    assert (await client.get("/api/auth/profile")).status_code == 429


async def test_signed_provider_webhooks_are_not_limited(make_client):
    client = await make_client(**{**LIMITED, "rate_limit_api_default": "1/hour"})
    for _ in range(3):
        # Unsigned, so refused by the signature check, but never by the rate limit.
        response = await client.post("/api/rooms/webhooks/livekit", content=b"{}")
        assert response.status_code in (401, 404), response.text
        assert "ratelimit-limit" not in response.headers


async def test_preflight_requests_are_not_counted(make_client):
    client = await make_client(**{**LIMITED, "rate_limit_api_auth": "1/hour"},
                               cors_origins=["http://front.example"])
    preflight = {"Origin": "http://front.example", "Access-Control-Request-Method": "POST"}
    for _ in range(3):
        assert (await client.options("/api/auth/login", headers=preflight)).status_code == 200
    first = await client.post("/api/auth/login", json=_login(unique_email()))
    assert first.status_code == 401
    assert first.headers["ratelimit-remaining"] == "0"


async def test_route_groups_have_their_own_budgets(make_client):
    from tests.conftest import bearer, register

    client = await make_client(rate_limit_enabled=True, rate_limit_api_auth="100/hour",
                               rate_limit_api_analysis="2/hour", rate_limit_api_default="50/hour")
    token = bearer((await register(client))["tokens"]["accessToken"])
    answers = [await client.get("/api/analysis/does-not-exist", headers=token) for _ in range(3)]
    assert [r.status_code for r in answers] == [404, 404, 429]
    assert answers[0].headers["ratelimit-limit"] == "2"
    # Other routes draw on the general budget, untouched by the analysis calls.
    profile = await client.get("/api/auth/profile", headers=token)
    assert profile.status_code == 200 and profile.headers["ratelimit-limit"] == "50"
