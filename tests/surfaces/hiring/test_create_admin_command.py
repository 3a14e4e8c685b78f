"""`interviewd create-admin` makes an account that signs in to the /api/v1 admin panel."""

from __future__ import annotations

import asyncio
import os
import sys

from interviewd import runtime
from tests.conftest import STRONG_PASSWORD, unique_email
from tests.domain.auth.factories import register_hiring


async def _create_admin(database_url: str, data_dir: str, cwd, *args: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWD_")}
    env.update(INTERVIEWD_DATABASE_URL=database_url, INTERVIEWD_DATA_DIR=data_dir,
               INTERVIEWD_SECRET_KEY=runtime.current().settings.secret_key,
               INTERVIEWD_LOG_LEVEL="WARNING")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "interviewd.cli", "create-admin", *args,
        env=env, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, output.decode()


async def test_create_admin_command(client, database_url, data_dir, tmp_path):
    email = unique_email("ops")
    code, output = await _create_admin(database_url, data_dir, tmp_path,
                                       "--email", email, "--password", STRONG_PASSWORD)
    assert code == 0, output
    assert f"admin created: {email}" in output

    json_login = await client.post("/api/v1/admin/auth/login",
                                   json={"email": email, "password": STRONG_PASSWORD})
    assert json_login.status_code == 200, json_login.text
    form_login = await client.post("/api/v1/admin/auth/login",
                                   data={"username": email, "password": STRONG_PASSWORD})
    assert form_login.status_code == 200, form_login.text
    assert json_login.json()["user"]["id"] == form_login.json()["user"]["id"]

    # Run again: the same account, re-passworded.
    code, output = await _create_admin(database_url, data_dir, tmp_path,
                                       "--email", email, "--password", "Battery-Staple-77")
    assert code == 0 and f"admin updated: {email}" in output, output
    old = await client.post("/api/v1/admin/auth/login", json={"email": email, "password": STRONG_PASSWORD})
    assert old.status_code == 401
    new = await client.post("/api/v1/admin/auth/login",
                            json={"email": email, "password": "Battery-Staple-77"})
    assert new.status_code == 200
    assert new.json()["user"]["id"] == json_login.json()["user"]["id"]


async def test_create_admin_promotes_a_pending_account_and_refuses_weak_passwords(
    client, database_url, data_dir, tmp_path
):
    account = await register_hiring(client)
    refused = await client.post("/api/v1/admin/auth/login",
                                json={"email": account["email"], "password": account["password"]})
    assert refused.status_code == 403

    code, output = await _create_admin(database_url, data_dir, tmp_path,
                                       "--email", account["email"], "--password", STRONG_PASSWORD)
    assert code == 0 and "admin updated" in output, output
    promoted = await client.post("/api/v1/admin/auth/login",
                                 json={"username": account["username"], "password": STRONG_PASSWORD})
    assert promoted.status_code == 200, promoted.text
    assert promoted.json()["user"]["id"] == account["id"]

    for email in (unique_email("weak"), account["email"]):
        code, output = await _create_admin(database_url, data_dir, tmp_path,
                                           "--email", email, "--password", "short")
        assert code != 0
        assert "Password must be at least" in output
    # The refused re-password left the account as it was.
    again = await client.post("/api/v1/admin/auth/login",
                              json={"email": account["email"], "password": STRONG_PASSWORD})
    assert again.status_code == 200
