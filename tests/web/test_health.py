"""Liveness answers, with the database and Redis checks of /api/health."""

from __future__ import annotations

from datetime import datetime

UNREACHABLE_DATABASE = "postgresql+asyncpg://postgres@127.0.0.1:1/nope"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def _is_utc_timestamp(value: str) -> bool:
    return value.endswith("Z") and datetime.fromisoformat(value).utcoffset().total_seconds() == 0


async def test_root_health(client):
    response = await client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert _is_utc_timestamp(body["timestamp"])


async def test_api_health_reports_database_and_redis(client):
    response = await client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"status", "timestamp", "environment", "checks"}
    assert body["status"] == "ok"
    assert body["environment"] == "test"
    assert _is_utc_timestamp(body["timestamp"])
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["redis"] == {"status": "not_configured"}


async def test_api_health_is_503_when_the_database_is_unreachable(make_client):
    client = await make_client(database_url=UNREACHABLE_DATABASE)
    response = await client.get("/api/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"]["status"] == "down"
    # Liveness of the process itself does not depend on the database.
    assert (await client.get("/health")).status_code == 200
    assert (await client.get("/api/ping")).json() == {"message": "pong"}


async def test_api_health_is_503_when_the_sqlite_file_cannot_be_opened(make_client, tmp_path):
    # A directory where the database file should be: SQLite cannot open it.
    (tmp_path / "db.sqlite").mkdir()
    client = await make_client(database_url=f"sqlite+aiosqlite:///{tmp_path}/db.sqlite")
    response = await client.get("/api/health")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


async def test_api_health_with_reachable_redis(make_client, redis_url):
    client = await make_client(redis_url=redis_url, jobs_backend="memory")
    response = await client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["redis"] == {"status": "ok"}


async def test_api_health_with_unreachable_redis_is_degraded(make_client):
    client = await make_client(redis_url=UNREACHABLE_REDIS, jobs_backend="memory")
    response = await client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["redis"] == {"status": "down"}
    assert body["checks"]["database"] == {"status": "ok"}


async def test_ping(client):
    response = await client.get("/api/ping")
    assert response.status_code == 200
    assert response.json() == {"message": "pong"}
