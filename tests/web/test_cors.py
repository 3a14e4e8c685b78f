from __future__ import annotations

ALLOWED = "http://front.example"


def _preflight(origin: str) -> dict:
    return {"Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type"}


async def test_preflight_from_a_configured_origin_is_allowed(make_client):
    client = await make_client(cors_origins=[ALLOWED])
    for path in ("/api/auth/login", "/api/v1/auth/login", "/auth/login"):
        response = await client.options(path, headers=_preflight(ALLOWED))
        assert response.status_code == 200, path
        assert response.headers["access-control-allow-origin"] == ALLOWED
        assert "POST" in response.headers["access-control-allow-methods"]
        assert response.headers["access-control-allow-credentials"] == "true"


async def test_preflight_from_another_origin_is_refused(make_client):
    client = await make_client(cors_origins=[ALLOWED])
    response = await client.options("/api/auth/login", headers=_preflight("http://evil.example"))
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


async def test_simple_requests_expose_request_id_and_rate_limit_headers(make_client):
    client = await make_client(cors_origins=[ALLOWED], rate_limit_enabled=True)
    allowed = await client.get("/api/auth/profile", headers={"Origin": ALLOWED})
    assert allowed.headers["access-control-allow-origin"] == ALLOWED
    exposed = {h.strip().lower() for h in allowed.headers["access-control-expose-headers"].split(",")}
    assert {"x-request-id", "ratelimit-remaining", "retry-after"} <= exposed

    other = await client.get("/api/auth/profile", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in other.headers


async def test_no_cors_headers_without_configured_origins(client):
    response = await client.options("/api/auth/login", headers=_preflight(ALLOWED))
    assert "access-control-allow-origin" not in response.headers
