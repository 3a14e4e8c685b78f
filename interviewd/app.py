"""The root ASGI app: lifespan, the two surfaces, Socket.IO, the 003 WebSocket, /health and /metrics."""

from __future__ import annotations

from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response

from interviewd import __version__, runtime
from interviewd.config import Settings, get_settings
from interviewd.jobs.queue import JobQueue
from interviewd.kit.clock import isoformat_z, utcnow
from interviewd.realtime import create_socket_server, socket_asgi_app
from interviewd.realtime import start as start_realtime
from interviewd.realtime import stop as stop_realtime
from interviewd.realtime.interview_ws import InterviewEventHub, InterviewSocket
from interviewd.surfaces.candidate import share
from interviewd.surfaces.candidate.app import create_auth_alias_app, create_candidate_app
from interviewd.surfaces.hiring.app import create_hiring_app
from interviewd.web.observability import ObservabilityMiddleware, configure_logging, metrics_payload
from interviewd.web.ratelimit import RateLimiter

log = structlog.get_logger(__name__)


def _register_job_handlers() -> None:
    # Importing a tasks module registers its handlers by name.
    import interviewd.domain.account.tasks  # noqa: F401
    import interviewd.domain.notifications.booking_tasks  # noqa: F401
    import interviewd.domain.notifications.tasks  # noqa: F401
    import interviewd.domain.recordings.tasks  # noqa: F401


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    _register_job_handlers()
    sio = create_socket_server(settings)
    interview_events = InterviewEventHub(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        queue = JobQueue(settings)
        rt = runtime.build(settings, queue=queue)
        if settings.rate_limit_enabled:
            rt.extras["rate_limiter"] = RateLimiter(rt.cache.rate_limit_storage_uri())
        runtime.install(rt)
        if settings.jobs_in_process:
            queue.start_in_process()
        await start_realtime(sio)
        await interview_events.start()
        log.info("started", environment=settings.environment, database=rt.engine.dialect.name,
                 cache=rt.cache.name, jobs=settings.resolved_jobs_backend)
        try:
            yield
        finally:
            await interview_events.stop()
            await stop_realtime(sio)
            queue.stop_in_process()
            await rt.close()
            runtime.install(None)

    app = FastAPI(
        title="interviewd", version=__version__, docs_url=None, redoc_url=None,
        openapi_url=None, lifespan=lifespan,
    )

    @app.get("/health", include_in_schema=False)
    async def health() -> dict:
        return {"status": "ok", "timestamp": isoformat_z(utcnow()), "version": __version__}

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        body, content_type = metrics_payload()
        return Response(body, media_type=content_type)

    app.router.routes.append(InterviewSocket(interview_events, settings).route())
    # Order matters: /api/v1 must be tried before /api.
    app.mount("/api/v1", create_hiring_app())
    app.mount("/api", create_candidate_app())
    app.mount("/auth", create_auth_alias_app())
    # Inside the root app, so request ids, access logs and CORS cover it too.
    app.mount("/socket.io", socket_asgi_app(sio))
    app.include_router(share.router)
    app.state.socketio = sio

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=True,
            allow_methods=["*"], allow_headers=["*"],
            expose_headers=["X-Request-ID", "RateLimit-Limit", "RateLimit-Remaining",
                            "RateLimit-Reset", "Retry-After"],
        )
    app.add_middleware(ObservabilityMiddleware)
    return app
