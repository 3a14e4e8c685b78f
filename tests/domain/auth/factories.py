"""Accounts, tokens and mails for the auth tests, made the way the product makes them."""

from __future__ import annotations

import base64
import email
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
from sqlalchemy import select

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.models import Job
from interviewd.seed import upsert_user
from tests.conftest import STRONG_PASSWORD, bearer, unique_email


async def create_admin(*, email: str | None = None, password: str = STRONG_PASSWORD,
                       username: str | None = None) -> dict:
    """An administrator made as `interviewd create-admin` makes one."""
    email = email or unique_email("admin")
    async with unit_of_work(runtime.current().sessionmaker) as session:
        user, created = await upsert_user(session, email=email, password=password, name="Admin",
                                          role="admin", username=username)
        assert created
        user_id = user.id
    return {"id": user_id, "email": email, "password": password, "username": username}


async def admin_token(client: httpx.AsyncClient, admin: dict) -> str:
    response = await client.post("/api/v1/admin/auth/login",
                                 json={"email": admin["email"], "password": admin["password"]})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


async def register_hiring(client: httpx.AsyncClient, *, username: str | None = None,
                          email: str | None = None, password: str = STRONG_PASSWORD,
                          company: str | None = "Example Corp") -> dict:
    """Register through /api/v1 (the account is pending); returns the request and the answer."""
    username = username or f"iv_{uuid.uuid4().hex[:10]}"
    email = email or unique_email("interviewer")
    response = await client.post("/api/v1/auth/registration/", json={
        "username": username, "email": email, "password": password, "company": company,
    })
    assert response.status_code == 201, response.text
    return {"username": username, "email": email, "password": password, "company": company,
            "id": response.json()["id"], "body": response.json()}


async def set_active(client: httpx.AsyncClient, token: str, user_id: int, active: bool) -> dict:
    response = await client.put(f"/api/v1/admin/users/{user_id}", headers=bearer(token),
                                json={"is_active": active})
    assert response.status_code == 200, response.text
    return response.json()


async def user_id_of(client: httpx.AsyncClient, token: str, email: str) -> int:
    """The integer id /api/v1 shows for an account, found through the admin search."""
    response = await client.get("/api/v1/admin/users", headers=bearer(token), params={"search": email})
    assert response.status_code == 200, response.text
    [item] = [u for u in response.json()["items"] if u["email"] == email]
    return item["id"]


def unverified_claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def sign(claims: dict, secret: str | None = None, **changes) -> str:
    """Re-sign `claims` (with `changes`, a fresh jti) as the server would, HS256."""
    secret = secret if secret is not None else runtime.current().settings.secret_key
    now = datetime.now(UTC)
    payload = {**claims, "jti": uuid.uuid4().hex, "iat": now, "exp": now + timedelta(minutes=10)}
    payload.update(changes)
    return jwt.encode(payload, secret, algorithm="HS256")


def b64url(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def with_segment(token: str, index: int, value: str) -> str:
    parts = token.split(".")
    parts[index] = value
    return ".".join(parts)


async def jobs_to(address: str) -> list[Job]:
    """Outbox e-mail jobs addressed to `address`."""
    async with runtime.current().sessionmaker() as session:
        jobs = list(await session.scalars(select(Job).where(Job.name == "send_email")))
    return [job for job in jobs if address in job.payload.get("to", [])]


def mails_to(data_dir: str | Path, address: str) -> list[email.message.EmailMessage]:
    """Messages the file backend wrote for `address`, oldest first."""
    directory = Path(data_dir) / "mail"
    found = []
    for path in sorted(directory.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        if address in message["To"]:
            found.append(message)
    return found


def reset_token_from(message: email.message.EmailMessage) -> str:
    """The token of the reset link in a password-reset mail."""
    text = message.get_body(("plain",)).get_content()
    [url] = re.findall(r"https?://\S+/reset-password\?\S+", text)
    return parse_qs(urlsplit(url).query)["token"][0]
