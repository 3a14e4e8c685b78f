"""Password reset: an answer that reveals nothing, a single-use expiring link
sent by mail, and every earlier token revoked."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from interviewd import runtime
from interviewd.kit.clock import utcnow
from interviewd.kit.ids import sha256_hex
from interviewd.models.auth import PasswordResetToken
from tests.conftest import STRONG_PASSWORD, bearer, register, run_due_jobs, unique_email
from tests.domain.auth.factories import jobs_to, mails_to, reset_token_from

NEW_PASSWORD = "Battery-Staple-77"


async def _reset_token(client, data_dir: str, email: str) -> str:
    """Ask for a reset, deliver the mail, and read the token out of its link."""
    before = {job.id for job in await jobs_to(email)}
    response = await client.post("/api/auth/forgot-password", json={"email": email})
    assert response.status_code == 200, response.text
    [job] = [job for job in await jobs_to(email) if job.id not in before]
    assert "reset" in job.payload["subject"].lower()
    assert "done" in await run_due_jobs()
    [mail] = [m for m in mails_to(data_dir, email) if m["Message-ID"] == job.payload["message_id"]]
    return reset_token_from(mail)


async def _login_status(client, email: str, password: str) -> int:
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    return response.status_code


async def test_forgot_password_reveals_nothing(client, data_dir):
    account = await register(client)
    missing = unique_email("nobody")

    known = await client.post("/api/auth/forgot-password", json={"email": account["email"]})
    unknown = await client.post("/api/auth/forgot-password", json={"email": missing})
    assert known.status_code == unknown.status_code == 200
    assert known.json() == unknown.json()
    assert known.json()["success"] is True

    # Only the real account got a mail job, and only it gets a mail.
    [job] = [j for j in await jobs_to(account["email"]) if "reset" in j.payload["subject"].lower()]
    assert await jobs_to(missing) == []
    await run_due_jobs()
    assert mails_to(data_dir, missing) == []
    mails = [m for m in mails_to(data_dir, account["email"]) if m["Message-ID"] == job.payload["message_id"]]
    assert len(mails) == 1


async def test_reset_link_sets_the_password_and_revokes_every_token(client, data_dir):
    account = await register(client)
    other = await client.post("/api/auth/login",
                              json={"email": account["email"], "password": STRONG_PASSWORD})
    earlier = [account["tokens"], other.json()["tokens"]]

    token = await _reset_token(client, data_dir, account["email"])
    # Only the hash is stored.
    async with runtime.current().sessionmaker() as session:
        assert await session.scalar(
            select(PasswordResetToken.id).where(PasswordResetToken.token_hash == sha256_hex(token))
        ) is not None

    response = await client.post("/api/auth/reset-password", json={"token": token, "password": NEW_PASSWORD})
    assert response.status_code == 200, response.text
    assert response.json()["success"] is True

    assert await _login_status(client, account["email"], NEW_PASSWORD) == 200
    assert await _login_status(client, account["email"], STRONG_PASSWORD) == 401
    for tokens in earlier:
        profile = await client.get("/api/auth/profile", headers=bearer(tokens["accessToken"]))
        assert profile.status_code == 401
        refresh = await client.post("/api/auth/refresh", json={"refreshToken": tokens["refreshToken"]})
        assert refresh.status_code == 401

    # Single use: the same link a second time is refused and changes nothing.
    again = await client.post("/api/auth/reset-password",
                              json={"token": token, "newPassword": "Another-Secret-99"})
    assert again.status_code == 400
    body = again.json()
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert body["error"]["details"]["field"] == "token"
    assert await _login_status(client, account["email"], NEW_PASSWORD) == 200
    assert await _login_status(client, account["email"], "Another-Secret-99") == 401


async def test_new_password_via_new_password_field(client, data_dir):
    account = await register(client)
    token = await _reset_token(client, data_dir, account["email"])
    response = await client.post("/api/auth/reset-password",
                                 json={"token": token, "newPassword": NEW_PASSWORD})
    assert response.status_code == 200, response.text
    assert await _login_status(client, account["email"], NEW_PASSWORD) == 200


async def test_expired_reset_link_is_refused(client, data_dir):
    account = await register(client)
    token = await _reset_token(client, data_dir, account["email"])
    async with runtime.current().sessionmaker() as session:
        await session.execute(
            update(PasswordResetToken)
            .where(PasswordResetToken.token_hash == sha256_hex(token))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.commit()

    response = await client.post("/api/auth/reset-password", json={"token": token, "password": NEW_PASSWORD})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    assert response.json()["error"]["details"]["field"] == "token"
    assert await _login_status(client, account["email"], STRONG_PASSWORD) == 200
    assert (await client.get("/api/auth/profile",
                             headers=bearer(account["tokens"]["accessToken"]))).status_code == 200


async def test_reset_link_lifetime_follows_settings(make_client, data_dir):
    client = await make_client(password_reset_ttl=120)
    account = await register(client)
    token = await _reset_token(client, data_dir, account["email"])
    async with runtime.current().sessionmaker() as session:
        row = await session.scalar(
            select(PasswordResetToken).where(PasswordResetToken.token_hash == sha256_hex(token))
        )
    lifetime = (row.expires_at - row.created_at).total_seconds()
    assert 119 <= lifetime <= 121
    [mail] = [m for m in mails_to(data_dir, account["email"]) if "reset" in m["Subject"].lower()]
    assert "2 minutes" in mail.get_body(("plain",)).get_content()


async def test_weak_new_password_is_refused_naming_the_field_and_keeps_the_link(client, data_dir):
    account = await register(client)
    token = await _reset_token(client, data_dir, account["email"])

    for weak in ("short", "password123", "12345678901"):
        response = await client.post("/api/auth/reset-password", json={"token": token, "password": weak})
        assert response.status_code == 400, response.text
        body = response.json()
        assert body["error"]["code"] == "VALIDATION_ERROR"
        assert body["error"]["details"]["field"] == "password"
        assert "password" in body["details"]
        assert "value" not in body["error"]["details"]
    missing = await client.post("/api/auth/reset-password", json={"token": token})
    assert missing.status_code == 400 and missing.json()["error"]["details"]["field"] == "password"

    assert await _login_status(client, account["email"], STRONG_PASSWORD) == 200
    # A refused attempt did not use the link up.
    ok = await client.post("/api/auth/reset-password", json={"token": token, "password": NEW_PASSWORD})
    assert ok.status_code == 200, ok.text


async def test_unknown_or_malformed_reset_token_is_refused(client):
    unknown = await client.post("/api/auth/reset-password",
                                json={"token": "never-issued-token", "password": NEW_PASSWORD})
    assert unknown.status_code == 400
    assert unknown.json()["error"]["details"]["field"] == "token"
    empty = await client.post("/api/auth/reset-password", json={"token": "", "password": NEW_PASSWORD})
    assert empty.status_code == 400
    assert empty.json()["error"]["details"]["field"] == "token"


async def test_using_one_link_voids_the_others(client, data_dir):
    """An older mail in someone else's hands must not undo the reset."""
    account = await register(client)
    older = await _reset_token(client, data_dir, account["email"])
    newer = await _reset_token(client, data_dir, account["email"])
    assert older != newer
    used = await client.post("/api/auth/reset-password", json={"token": newer, "password": NEW_PASSWORD})
    assert used.status_code == 200
    stale = await client.post("/api/auth/reset-password",
                              json={"token": older, "password": "Another-Secret-99"})
    assert stale.status_code == 400
    assert stale.json()["error"]["details"]["field"] == "token"
    assert await _login_status(client, account["email"], NEW_PASSWORD) == 200


async def test_changing_the_password_voids_outstanding_links(client, data_dir):
    account = await register(client)
    token = await _reset_token(client, data_dir, account["email"])
    changed = await client.post("/api/v1/auth/change-password",
                                headers=bearer(account["tokens"]["accessToken"]),
                                json={"current_password": STRONG_PASSWORD, "new_password": NEW_PASSWORD})
    assert changed.status_code == 200, changed.text
    stale = await client.post("/api/auth/reset-password",
                              json={"token": token, "password": "Another-Secret-99"})
    assert stale.status_code == 400
    assert await _login_status(client, account["email"], NEW_PASSWORD) == 200
