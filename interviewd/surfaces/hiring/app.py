"""The /api/v1 surface (contract 002): its own OpenAPI document, integer ids
and `{"detail": ...}` errors."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.requests import Request

from interviewd import __version__, runtime
from interviewd.surfaces.candidate.app import caller_identity
from interviewd.surfaces.hiring import admin_users, auth, errors
from interviewd.web.ratelimit import RateLimiter, RateLimitMiddleware, Rule, client_address

SIGN_IN_SUFFIXES = ("/auth/login", "/auth/registration/", "/auth/refresh", "/admin/auth/login")


def _limiter() -> RateLimiter | None:
    return runtime.current().extras.get("rate_limiter")


async def rule_for(request: Request) -> Rule | None:
    settings = runtime.current().settings
    path = request.url.path
    if path.endswith(SIGN_IN_SUFFIXES):
        return Rule("hiring-auth", settings.rate_limit_hiring_auth, "ip:" + client_address(request))
    if request.method == "POST" and path.endswith("/recordings"):
        return Rule("hiring-upload", settings.rate_limit_hiring_upload, caller_identity(request))
    return Rule("hiring", settings.rate_limit_hiring_default, caller_identity(request))


def create_hiring_app() -> FastAPI:
    app = FastAPI(
        title="interviewd hiring API",
        description="The /api/v1 surface: one-way recorded interviews (contract 002). "
        'Errors are `{"detail": ...}`.',
        version=__version__,
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
    )
    errors.install(app)
    app.include_router(auth.router, prefix="/auth")
    app.include_router(auth.admin_router, prefix="/admin")
    app.include_router(admin_users.router, prefix="/admin")
    app.add_middleware(RateLimitMiddleware, limiter=_limiter, rule_for=rule_for,
                       reject=errors.rate_limited)
    return app
