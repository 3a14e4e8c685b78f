from __future__ import annotations

import asyncio

from sqlalchemy import text

from interviewd import runtime
from interviewd.kit.clock import isoformat_z, utcnow


async def _database_ok() -> bool:
    try:
        async with runtime.current().engine.connect() as conn:
            await asyncio.wait_for(conn.execute(text("SELECT 1")), timeout=3)
        return True
    except Exception:  # any failure means "down" to a health check
        return False


async def health_report() -> tuple[dict, bool]:
    rt = runtime.current()
    database = await _database_ok()
    checks = {"database": {"status": "ok" if database else "down"}}
    if rt.settings.redis_url:
        redis_ok = await rt.cache.ping()
        checks["redis"] = {"status": "ok" if redis_ok else "down"}
    else:
        checks["redis"] = {"status": "not_configured"}
    degraded = checks["redis"]["status"] == "down"
    status = "ok" if database and not degraded else ("degraded" if database else "error")
    return (
        {
            "status": status,
            "timestamp": isoformat_z(utcnow()),
            "environment": rt.settings.environment,
            "checks": checks,
        },
        database,
    )
