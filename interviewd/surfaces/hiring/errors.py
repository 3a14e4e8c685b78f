"""The /api/v1 error body (contract 002): `{"detail": ...}`."""

from __future__ import annotations

import structlog
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from interviewd.errors import DomainError, ErrorCode, RateLimited
from interviewd.web.ratelimit import Decision

log = structlog.get_logger(__name__)

STATUS = {
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.VALIDATION_ERROR: 400,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.PAYMENT_REQUIRED: 402,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.INTERNAL_ERROR: 500,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: 415,
}


async def domain_error(_request: Request, exc: DomainError) -> JSONResponse:
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else {}
    if exc.code == ErrorCode.UNAUTHORIZED:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse({"detail": exc.message}, status_code=STATUS[exc.code], headers=headers)


async def unexpected_error(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled_error", error=str(exc))
    return JSONResponse({"detail": "Internal server error"}, status_code=500)


def rate_limited(_request: Request, decision: Decision) -> JSONResponse:
    return JSONResponse(
        {"detail": f"Rate limit exceeded; try again in {decision.reset_in} seconds"}, status_code=429
    )


def install(app: FastAPI) -> None:
    # FastAPI's own handler already answers HTTP errors with {"detail": ...},
    # which is this contract's shape.
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected_error)


async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 list, without `input`: it would echo passwords back."""
    errors = [{k: v for k, v in err.items() if k not in ("input", "ctx", "url")} for err in exc.errors()]
    return JSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)
