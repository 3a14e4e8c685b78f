"""The `interviewd` command, run as a real process against a fresh SQLite file."""

from __future__ import annotations

import json
import stat
import subprocess
import uuid

import httpx

from tests.conftest import STRONG_PASSWORD, bearer, unique_email
from tests.web.processes import INTERVIEWD, free_port, stop, wait_until_up


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


async def _admin_login(make_client, installation, login: dict) -> httpx.Response:
    client = await make_client(database_url=installation.database_url, data_dir=str(installation.data_dir))
    return await client.post("/api/v1/admin/auth/login", json=login)


def test_migrate_builds_the_schema_and_is_repeatable(installation):
    assert "up to date" in _ok(installation.run("migrate"))
    tables = {name for (name,) in installation.query("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"alembic_version", "users"} <= tables
    head = installation.query("SELECT version_num FROM alembic_version")
    assert len(head) == 1

    _ok(installation.run("migrate"))
    assert installation.query("SELECT version_num FROM alembic_version") == head


async def test_seed_demo_twice_changes_nothing_and_the_demo_admin_signs_in(installation, make_client):
    first = _ok(installation.run("seed", "--demo"))
    assert "seed complete" in first
    assert "demo admin: admin@demo.interviewd.dev / demo-admin-pass" in first
    users = installation.query("SELECT email, role FROM users ORDER BY email")
    # The four sign-in accounts, beside the demo mentors' and reviewers' accounts (docs/mentors.md).
    accounts = [u for u in users if not u[0].startswith(("mentor-", "reviewer-"))]
    assert len(accounts) == 4 and ("admin@demo.interviewd.dev", "admin") in users
    assert installation.query("SELECT count(*) FROM mentors WHERE is_active")[0][0] >= 200

    _ok(installation.run("seed", "--demo"))
    assert installation.query("SELECT email, role FROM users ORDER BY email") == users

    response = await _admin_login(make_client, installation,
                                  {"username": "admin", "password": "demo-admin-pass"})
    assert response.status_code == 200, response.text
    assert response.json()["user"]["email"] == "admin@demo.interviewd.dev"


def test_seed_without_demo_creates_no_accounts(installation):
    assert "seed complete" in _ok(installation.run("seed"))
    assert installation.query("SELECT count(*) FROM users") == [(0,)]


async def test_create_admin_then_sign_in_as_administrator(installation, make_client):
    email = unique_email("admin")
    out = _ok(installation.run("create-admin", "--email", email, "--password", STRONG_PASSWORD))
    assert f"admin created: {email}" in out

    client = await make_client(database_url=installation.database_url, data_dir=str(installation.data_dir))
    login = await client.post("/api/v1/admin/auth/login", json={"email": email, "password": STRONG_PASSWORD})
    assert login.status_code == 200, login.text
    listing = await client.get("/api/v1/admin/users", headers=bearer(login.json()["access_token"]))
    assert listing.status_code == 200
    assert [u["email"] for u in listing.json()["items"]] == [email]
    assert listing.json()["items"][0]["role"] == "admin"

    # Run again: the same account gets the new password, and no second account appears.
    new_password = "Another-Strong-77"
    assert f"admin updated: {email}" in _ok(
        installation.run("create-admin", "--email", email, "--password", new_password))
    assert installation.query("SELECT count(*) FROM users") == [(1,)]
    old = await client.post("/api/v1/admin/auth/login", json={"email": email, "password": STRONG_PASSWORD})
    assert old.status_code == 401
    new = await client.post("/api/v1/admin/auth/login", json={"email": email, "password": new_password})
    assert new.status_code == 200


def test_create_admin_refuses_a_weak_password(installation):
    email = unique_email("admin")
    result = installation.run("create-admin", "--email", email, "--password", "short")
    assert result.returncode != 0
    assert "Password must be at least 8 characters" in result.stderr
    assert "Traceback" not in result.stderr
    assert installation.query("SELECT count(*) FROM users") == [(0,)]

    common = installation.run("create-admin", "--email", email, "--password", "password123")
    assert common.returncode != 0 and "Password is too common" in common.stderr


def test_create_admin_refuses_a_weak_password_for_an_existing_account(installation):
    email = unique_email("admin")
    _ok(installation.run("create-admin", "--email", email, "--password", STRONG_PASSWORD))
    before = installation.query("SELECT password_hash FROM users")
    result = installation.run("create-admin", "--email", email, "--password", "12345678")
    assert result.returncode != 0
    assert "Password" in result.stderr and "Traceback" not in result.stderr
    assert installation.query("SELECT password_hash FROM users") == before


def test_openapi_prints_each_surface_document(installation):
    documents = {}
    for surface in ("api", "hiring"):
        document = json.loads(_ok(installation.run("openapi", "--surface", surface)))
        assert document["openapi"].startswith("3.1"), document["openapi"]
        assert document["info"]["title"] and document["paths"]
        documents[surface] = document
    api, hiring = documents["api"], documents["hiring"]
    assert api != hiring
    assert api["servers"] == [{"url": "/api"}] and hiring["servers"] == [{"url": "/api/v1"}]
    assert "/auth/register" in api["paths"] and "/admin/users/pending" not in api["paths"]
    assert "/admin/users" in hiring["paths"] and "/auth/register" not in hiring["paths"]
    # Printing documents needs no database.
    assert not installation.db_path.exists()


def test_serve_migrates_a_fresh_database_answers_and_logs_json(installation):
    port = free_port()
    log_path = installation.root / "serve.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen([INTERVIEWD, "serve", "--port", str(port)], env=installation.env(),
                                  cwd=installation.root, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_up(server, f"http://127.0.0.1:{port}/health")
        request_id = "serve-" + uuid.uuid4().hex
        ping = httpx.get(f"http://127.0.0.1:{port}/api/ping", headers={"X-Request-ID": request_id})
        assert ping.status_code == 200 and ping.json() == {"message": "pong"}
        register = httpx.post(f"http://127.0.0.1:{port}/api/auth/register",
                              json={"email": unique_email(), "password": STRONG_PASSWORD})
        assert register.status_code == 201, register.text
    finally:
        returncode = stop(server)
    # uvicorn shuts down cleanly on SIGTERM, then re-raises the signal.
    assert returncode in (0, -15), log_path.read_text()
    assert "Application shutdown complete." in log_path.read_text()
    assert installation.query("SELECT count(*) FROM users") == [(1,)]

    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    access = [line for line in lines
              if line.get("event") == "request" and line.get("request_id") == request_id]
    assert len(access) == 1, lines
    entry = access[0]
    assert entry["method"] == "GET" and entry["route"] == "/api/ping" and entry["status"] == 200
    assert isinstance(entry["duration_ms"], int | float) and entry["duration_ms"] >= 0
    assert entry["level"] == "info" and entry["timestamp"].endswith("Z")
    registered = [line for line in lines if line.get("event") == "request"
                  and line.get("route") == "/api/auth/register"]
    assert registered and registered[0]["status"] == 201 and registered[0]["method"] == "POST"
    assert registered[0]["request_id"] != request_id


async def test_secret_key_is_generated_once_per_installation_and_reused(installation, make_client, tmp_path):
    _ok(installation.run("migrate"))
    key_file = installation.data_dir / "secret_key"
    key = key_file.read_text().strip()
    assert len(key) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    _ok(installation.run("migrate"))
    assert key_file.read_text().strip() == key

    other_dir = tmp_path / "other-data"
    _ok(installation.run("migrate", INTERVIEWD_DATA_DIR=str(other_dir)))
    assert (other_dir / "secret_key").read_text().strip() != key

    # A token signed by one process of the installation verifies in the next.
    settings = dict(database_url=installation.database_url, data_dir=str(installation.data_dir),
                    secret_key="")
    first = await make_client(**settings)
    created = await first.post("/api/auth/register",
                               json={"email": unique_email(), "password": STRONG_PASSWORD})
    assert created.status_code == 201
    token = created.json()["tokens"]["accessToken"]
    second = await make_client(**settings)
    assert (await second.get("/api/auth/profile", headers=bearer(token))).status_code == 200
    stranger = await make_client(**{**settings, "data_dir": str(other_dir)})
    assert (await stranger.get("/api/auth/profile", headers=bearer(token))).status_code == 401
