from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from interviewd.web.health import health_report

router = APIRouter(tags=["system"])


@router.get("/health", summary="Liveness with database and Redis checks")
async def health() -> JSONResponse:
    """`{status, timestamp, environment}` plus checks; 503 when the database is down."""
    report, healthy = await health_report()
    return JSONResponse(report, status_code=200 if healthy else 503)


@router.get("/ping", summary="Ping")
async def ping() -> dict:
    return {"message": "pong"}
