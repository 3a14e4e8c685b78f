"""The /api surface (contracts 000, 001, 003, 004) and its /auth alias (003)."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.requests import Request

from interviewd import __version__, runtime
from interviewd.domain.auth import external
from interviewd.kit import tokens
from interviewd.surfaces.candidate import (
    account,
    admin,
    ai_sessions,
    analysis,
    analytics,
    analytics_dashboard,
    auth,
    bookings,
    email_api,
    errors,
    feedback,
    mentors,
    oauth,
    practice,
    questions,
    realtime,
    recordings,
    rooms,
    system,
    users_public,
)
from interviewd.web.ratelimit import RateLimiter, RateLimitMiddleware, Rule, client_address

# Sign-in routes are limited per client address, more strictly than the rest.
SIGN_IN_PATHS = {
    "/auth/register", "/auth/login", "/auth/refresh", "/auth/forgot-password",
    "/auth/reset-password",
}


def _limiter() -> RateLimiter | None:
    return runtime.current().extras.get("rate_limiter")


def _relative_path(request: Request) -> str:
    path, root = request.url.path, request.scope.get("root_path", "")
    return path[len(root):] if root and path.startswith(root) else path


def caller_identity(request: Request) -> str:
    """The signed-in user when the bearer token verifies, else the address."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        try:
            claims = tokens.decode(runtime.current().settings.secret_key, header[7:].strip(),
                                   typ="access")
            return "user:" + claims["sub"]
        except tokens.TokenInvalid:
            verifier = external.verifier()
            claims = verifier.verify_cached(header[7:].strip()) if verifier else None
            if claims is not None:
                return "external:" + claims["sub"]
    return "ip:" + client_address(request)


def rule_for(prefix: str):
    async def rule(request: Request) -> Rule | None:
        settings = runtime.current().settings
        path = prefix + _relative_path(request)
        if path in SIGN_IN_PATHS or path.startswith("/auth/oauth/"):
            return Rule("api-auth", settings.rate_limit_api_auth, "ip:" + client_address(request))
        if path in ("/health", "/ping"):
            return None
        if path.startswith("/rooms/webhooks/"):
            # Video providers send bursts from a few addresses; each call proves
            # itself with the provider's signature instead.
            return None
        if path == "/send-email":
            return Rule("api-email", settings.rate_limit_api_email, caller_identity(request))
        if path == "/mentors" and request.method == "GET":
            return Rule("api-search", settings.rate_limit_api_search, caller_identity(request))
        if path == "/users/avatar":
            return Rule("api-upload", settings.rate_limit_api_upload, caller_identity(request))
        if path == "/analytics/export":
            return Rule("api-export", settings.rate_limit_api_export, caller_identity(request))
        for prefix_, name, limit in (
            ("/analysis", "api-analysis", settings.rate_limit_api_analysis),
            ("/sessions", "api-sessions", settings.rate_limit_api_sessions),
            ("/feedback", "api-feedback", settings.rate_limit_api_feedback),
        ):
            if path == prefix_ or path.startswith(prefix_ + "/"):
                return Rule(name, limit, caller_identity(request))
        return Rule("api", settings.rate_limit_api_default, caller_identity(request))

    return rule


def _base_app(**kwargs) -> FastAPI:
    app = FastAPI(version=__version__, **kwargs)
    errors.install(app)
    return app


def create_candidate_app() -> FastAPI:
    app = _base_app(
        title="interviewd candidate API",
        description="The /api surface: mentor booking (000), self-practice (001), "
        "AI interviewer (003) and AI practice (004). Errors use one envelope: "
        "`{success:false, error:{code,type,message,details}, message, details, requestId, timestamp}`.",
        docs_url="/docs",
        openapi_url="/openapi.json",
        redoc_url=None,
    )
    app.include_router(system.router)
    app.include_router(auth.router, prefix="/auth")
    app.include_router(oauth.router)
    app.include_router(recordings.router)
    app.include_router(practice.router)
    app.include_router(analytics_dashboard.router)
    app.include_router(realtime.router)
    app.include_router(questions.router)
    app.include_router(questions.admin_router)
    app.include_router(ai_sessions.router)
    app.include_router(analysis.router)
    app.include_router(feedback.router)
    # The reserved words of /api/users/{me,profile,settings,avatar,account} (003,
    # 004) must be routed before 000's /api/users/{userId}: keep this order.
    app.include_router(account.router)
    app.include_router(analytics.router)
    app.include_router(users_public.router)
    app.include_router(admin.router)
    app.include_router(mentors.router)
    app.include_router(bookings.router)
    app.include_router(email_api.router)
    app.include_router(rooms.router)
    app.add_middleware(RateLimitMiddleware, limiter=_limiter, rule_for=rule_for(""),
                       reject=errors.rate_limited)
    return app


def create_auth_alias_app() -> FastAPI:
    """003 calls /auth/* at the root; the same handlers answer there."""
    app = _base_app(title="interviewd /auth", docs_url=None, openapi_url=None, redoc_url=None)
    app.include_router(auth.router)
    app.add_middleware(RateLimitMiddleware, limiter=_limiter, rule_for=rule_for("/auth"),
                       reject=errors.rate_limited)
    return app
