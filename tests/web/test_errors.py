"""Every /api failure answers in the one envelope; /api/v1 keeps {"detail": ...}."""

from __future__ import annotations

import json

import pytest

from interviewd.domain.auth.service import auth_service
from tests.conftest import STRONG_PASSWORD, unique_email


def _assert_envelope(response, *, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    assert "detail" not in body
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert body["message"] == body["error"]["message"]
    assert body["requestId"] == response.headers["x-request-id"]
    assert body["timestamp"].endswith("Z")
    return body


@pytest.mark.parametrize("path", ["/api/no-such-route", "/api/auth/no-such-route", "/auth/no-such-route"])
async def test_unknown_api_route_is_404_in_the_envelope(client, path):
    body = _assert_envelope(await client.get(path), status=404, code="NOT_FOUND")
    assert body["error"]["type"] == "not_found_error"


async def test_malformed_json_is_400_validation_error(client):
    response = await client.post("/api/auth/login", content=b'{"email": "a@b.c", "password": ',
                                 headers={"Content-Type": "application/json"})
    body = _assert_envelope(response, status=400, code="VALIDATION_ERROR")
    assert body["error"]["type"] == "validation_error"


async def test_wrong_method_is_405_in_the_envelope(client):
    response = await client.get("/api/auth/login")
    _assert_envelope(response, status=405, code="METHOD_NOT_ALLOWED")
    assert "POST" in response.headers["allow"]


async def test_unexpected_exception_is_500_internal_error_in_the_envelope(make_client, monkeypatch, capsys):
    async def broken(*_args, **_kwargs):
        raise RuntimeError("database exploded: secret connection string")

    monkeypatch.setattr(auth_service, "login", broken)
    client = await make_client(log_level="INFO")
    response = await client.post("/api/auth/login",
                                 json={"email": unique_email(), "password": STRONG_PASSWORD})
    body = _assert_envelope(response, status=500, code="INTERNAL_ERROR")
    assert "secret connection string" not in response.text

    # The traceback is logged under the same request id the client was given.
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    errors = [line for line in lines if line.get("event") == "unhandled_error"]
    assert errors and errors[0]["request_id"] == body["requestId"]
    assert "RuntimeError" in errors[0].get("exception", "")


async def test_hiring_errors_stay_detail_shaped(make_client, monkeypatch):
    async def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    client = await make_client()
    missing = await client.get("/api/v1/no-such-route")
    assert missing.status_code == 404 and set(missing.json()) == {"detail"}

    wrong_method = await client.get("/api/v1/auth/login")
    assert wrong_method.status_code == 405 and set(wrong_method.json()) == {"detail"}

    invalid = await client.post("/api/v1/auth/registration/", content=b"{not json",
                                 headers={"Content-Type": "application/json"})
    assert invalid.status_code in (400, 422) and set(invalid.json()) == {"detail"}

    unauthorized = await client.get("/api/v1/admin/users")
    assert unauthorized.status_code == 401 and set(unauthorized.json()) == {"detail"}

    monkeypatch.setattr(auth_service, "login", broken)
    crashed = await client.post("/api/v1/auth/login", json={"username": "someone", "password": "x" * 10})
    assert crashed.status_code == 500
    assert crashed.json() == {"detail": "Internal server error"}
