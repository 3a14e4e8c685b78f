"""The /api error envelope (DESIGN.md section 3): one body that 000, 001, 003
and 004 clients all understand."""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from interviewd.errors import DomainError, ErrorCode, RateLimited
from interviewd.kit.clock import isoformat_z, utcnow
from interviewd.web.observability import current_request_id
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
ERROR_TYPE = {
    ErrorCode.UNAUTHORIZED: "auth_error",
    ErrorCode.FORBIDDEN: "auth_error",
    ErrorCode.VALIDATION_ERROR: "validation_error",
    ErrorCode.NOT_FOUND: "not_found_error",
    ErrorCode.CONFLICT: "conflict_error",
    ErrorCode.PAYMENT_REQUIRED: "payment_error",
    ErrorCode.RATE_LIMITED: "rate_limit_error",
    ErrorCode.INTERNAL_ERROR: "internal_error",
    ErrorCode.PAYLOAD_TOO_LARGE: "validation_error",
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: "validation_error",
}
_SECRET_FIELDS = ("password", "token", "secret")


def envelope(
    code: ErrorCode | str,
    message: str,
    *,
    status: int | None = None,
    field: str | None = None,
    value: Any = None,
    field_errors: dict[str, list[str]] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    code = ErrorCode(code) if code in ErrorCode.__members__ else code
    timestamp = isoformat_z(utcnow())
    details: dict[str, Any] = dict(extra or {})
    if field:
        details.setdefault("field", field)
        details.setdefault("issue", message)
        if value is not None and not any(s in field.lower() for s in _SECRET_FIELDS):
            details.setdefault("value", value)
    body = {
        "success": False,
        "error": {
            "code": str(code),
            "type": ERROR_TYPE.get(code, "internal_error"),
            "message": message,
            "details": details,
            "timestamp": timestamp,
        },
        "message": message,
        "details": field_errors if field_errors is not None else ({field: [message]} if field else {}),
        "requestId": current_request_id(),
        "timestamp": timestamp,
    }
    return JSONResponse(body, status_code=status or STATUS.get(code, 500), headers=headers)


def _field_name(loc: tuple | list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or "body"


async def domain_error(_request: Request, exc: DomainError) -> JSONResponse:
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    return envelope(exc.code, exc.message, field=exc.field, extra=exc.details, headers=headers)


async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    field_errors: dict[str, list[str]] = {}
    first: dict | None = None
    for err in exc.errors():
        name = _field_name(err.get("loc", ()))
        text = err.get("msg", "is invalid")
        if err.get("type") == "json_invalid":
            name, text = "body", "Request body is not valid JSON"
        field_errors.setdefault(name, []).append(text)
        first = first or {**err, "_name": name, "_msg": text}
    name = first["_name"] if first else "body"
    message = f"Invalid {name}: {first['_msg']}" if first else "Invalid request"
    value = first.get("input") if first and not isinstance(first.get("input"), dict) else None
    return envelope(ErrorCode.VALIDATION_ERROR, message, field=name, value=value,
                    field_errors=field_errors)


_HTTP_CODES = {401: ErrorCode.UNAUTHORIZED, 403: ErrorCode.FORBIDDEN, 404: ErrorCode.NOT_FOUND,
               409: ErrorCode.CONFLICT, 429: ErrorCode.RATE_LIMITED}


async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 405:
        code = "METHOD_NOT_ALLOWED"
    elif exc.status_code >= 500:
        code = ErrorCode.INTERNAL_ERROR
    else:
        code = _HTTP_CODES.get(exc.status_code, ErrorCode.VALIDATION_ERROR)
    message = exc.detail if isinstance(exc.detail, str) else "Request failed"
    if exc.status_code == 404 and message == "Not Found":
        message = "Resource not found"
    return envelope(code, message, status=exc.status_code, headers=getattr(exc, "headers", None))


async def unexpected_error(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled_error", error=str(exc))
    return envelope(ErrorCode.INTERNAL_ERROR, "Internal server error")


def rate_limited(_request: Request, decision: Decision) -> JSONResponse:
    return envelope(
        ErrorCode.RATE_LIMITED,
        f"Too many requests; try again in {decision.reset_in} seconds",
        extra={"limit": decision.limit, "retryAfter": decision.reset_in},
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)
