"""All configuration in one pydantic-settings class (prefix INTERVIEWD_).

With nothing set, interviewd runs on its embedded defaults: a SQLite file and
generated secret under ./data, in-process cache and jobs, e-mail as .eml files.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="INTERVIEWD_", env_file=".env", extra="ignore", validate_default=True
    )

    environment: str = "development"
    data_dir: Path = Path("./data")
    database_url: str = ""
    redis_url: str | None = None
    secret_key: str = ""
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    public_base_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"

    # Password hashing (argon2id). Defaults are RFC 9106's low-memory profile; a
    # sign-in costs about 0.1 s of CPU with them. Raising them re-hashes each
    # password at its next sign-in.
    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_kib: int = Field(default=65536, ge=8)
    password_hash_parallelism: int = Field(default=4, ge=1)

    # Tokens (seconds).
    access_token_ttl: int = 3600
    refresh_token_ttl: int = 30 * 24 * 3600
    password_reset_ttl: int = 3600

    # E-mail.
    email_backend: Literal["file", "smtp", "resend"] = "file"
    email_from: str = "interviewd <no-reply@interviewd.local>"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_timeout: float = 30.0
    resend_api_key: str | None = None
    resend_base_url: str = "https://api.resend.com"

    # Background jobs.
    jobs_backend: Literal["auto", "sqlite", "redis", "memory"] = "auto"
    jobs_in_process: bool = True
    jobs_workers: int = 2
    jobs_queue_name: str = "interviewd"
    jobs_poll_max_delay: float = 2.0
    job_max_attempts: int = 8
    job_retry_base_delay: float = 5.0
    job_retry_max_delay: float = 3600.0
    job_lease_seconds: int = 300

    # Rate limits ("N/period" strings as the `limits` library parses them).
    rate_limit_enabled: bool = True
    rate_limit_api_default: str = "100/minute"
    rate_limit_api_auth: str = "5/minute"
    rate_limit_api_analysis: str = "10/minute"  # 004: answer analysis
    rate_limit_api_sessions: str = "60/minute"  # 003: session endpoints
    rate_limit_api_feedback: str = "30/minute"  # 003: feedback endpoints
    rate_limit_api_email: str = "10/minute"  # 000: POST /api/send-email
    rate_limit_api_search: str = "30/minute"  # 000: GET /api/mentors
    rate_limit_api_upload: str = "5/minute"  # 000: file uploads (avatar)
    rate_limit_api_export: str = "2/hour"  # 004: POST /api/analytics/export
    rate_limit_hiring_default: str = "100/minute"
    rate_limit_hiring_auth: str = "10/minute"
    rate_limit_hiring_upload: str = "20/minute"

    # Self-practice (001): list sizes and dashboard windows.
    practice_default_page_size: int = 10  # pageSize when only page is given
    practice_max_page_size: int = 100  # largest pageSize accepted
    practice_max_list_size: int = 500  # cap of the unpaginated session list
    practice_recent_sessions: int = 5  # dashboard recentSessions
    practice_proficiency_window: int = 5  # last N scored sessions per domain

    # Realtime: Socket.IO at /socket.io, namespace /interview (001).
    # At most one live metrics sample is stored per session per interval (seconds);
    # faster samples are still answered, not stored.
    realtime_metrics_min_interval: float = 1.0
    # Samples kept per session; later ones are answered but not stored.
    realtime_timeline_max: int = 3600
    # Redis pub/sub channel the server processes share (with REDIS_URL set).
    realtime_redis_channel: str = "interviewd-socketio"
    # Largest Socket.IO message (bytes) a client may send.
    realtime_max_message_bytes: int = 65536

    # Realtime: the plain WebSocket /v1/interviews/{sessionId} (003).
    # Seconds a socket opened without ?token= has to send {"type": "auth"}.
    ws_auth_timeout: float = 5.0
    # Redis pub/sub channel carrying AI session events between processes (with REDIS_URL set).
    ws_redis_channel: str = "interviewd-events"

    # Recordings: file storage, upload limits, signed URLs and speech-to-text.
    # "local" keeps files under DATA_DIR/files; "s3" uses any S3-compatible service.
    storage_backend: Literal["local", "s3"] = "local"
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    s3_key_prefix: str = ""
    recording_max_bytes: int = 200 * 1024 * 1024
    signed_url_ttl: int = 3600  # seconds a file link stays valid
    stt_backend: Literal["pocketsphinx", "openai", "none"] = "pocketsphinx"
    stt_base_url: str = "https://api.openai.com/v1"
    stt_api_key: str | None = None
    stt_model: str = "whisper-1"
    stt_timeout: float = 300.0
    stt_language: str | None = None
    # ffmpeg decodes WebM/MP4/Ogg/MP3 for pocketsphinx; empty: the one on PATH,
    # else the binary bundled with imageio-ffmpeg.
    ffmpeg_path: str | None = None
    stt_max_seconds: int = 1800  # longer audio is transcribed only up to this point

    # Answer evaluation (003, 004): the built-in evaluator, or an OpenAI-compatible
    # chat API with the built-in one as its fallback.
    llm_backend: Literal["builtin", "openai"] = "builtin"
    llm_base_url: str | None = None  # e.g. https://api.openai.com/v1 (…/chat/completions is appended)
    llm_api_key: str | None = None
    llm_model: str | None = None
    llm_timeout: float = 20.0  # seconds per attempt
    llm_max_retries: int = 2  # further attempts after 429, 5xx, timeouts, connection errors
    llm_retry_backoff: float = 0.5  # first retry delay (doubles), unless the server sends Retry-After
    llm_deadline: float = 60.0  # seconds for one evaluation, retries included, before falling back

    @model_validator(mode="after")
    def _llm_backend_is_complete(self) -> Settings:
        if self.llm_backend == "openai" and not (self.llm_base_url and self.llm_model):
            raise ValueError("LLM_BACKEND=openai needs LLM_BASE_URL and LLM_MODEL")
        return self

    # AI interview sessions (003, 004): limits, follow-ups, reports and share links.
    ai_session_max_duration: int = 2 * 3600  # seconds; past it a session is abandoned
    ai_max_questions: int = 20  # per session
    ai_default_question_count: int = 6  # when neither questionCount nor duration is given
    ai_minutes_per_question: float = 7.5  # planned questions = duration / this
    ai_answers_per_minute: int = 2  # per user, across sessions; 0: no limit
    ai_sessions_per_day: int = 5  # per user, rolling 24 hours; 0: no limit
    ai_answer_min_chars: int = 10
    ai_answer_max_chars: int = 5000
    ai_code_max_chars: int = 20000
    ai_follow_ups: bool = True  # one follow-up when an answer leaves gaps
    ai_follow_up_max_response_time: int = 120  # seconds, the nextAction hint
    ai_recent_questions: int = 100  # a user's last N questions are not asked again while others remain
    ai_analysis_batch_max: int = 10  # items per POST /api/analysis/batch
    # A TrueType font with Hangul for transcript PDFs; empty: the first found of
    # Nanum Gothic (Debian fonts-nanum) and DejaVu Sans, else the PDF core font.
    report_font_path: str | None = None

    # Coding challenges: where submissions run, and their limits (docs/sandbox.md).
    # "subprocess" runs them here in a bubblewrap sandbox; "judge0" on a Judge0 server.
    sandbox_backend: Literal["subprocess", "judge0"] = "subprocess"
    sandbox_cpu_seconds: float = 5.0
    sandbox_wall_seconds: float = 10.0
    sandbox_memory_mb: int = 128
    # JavaScript: V8 reserves much more address space than it uses; its heap is
    # capped at SANDBOX_MEMORY_MB by --max-old-space-size, this only bounds the rest.
    sandbox_node_address_space_mb: int = 4096
    sandbox_output_bytes: int = 64 * 1024  # what the code prints, per run
    sandbox_max_processes: int = 32  # processes and threads (node needs about a dozen)
    sandbox_max_file_mb: int = 16  # largest file, and size of the sandbox's tmpfs
    sandbox_max_concurrent: int = 4  # runs at once per server process
    sandbox_python: str | None = None  # default: the server's own interpreter
    sandbox_node: str | None = None  # default: node on PATH
    # Run without namespaces when bubblewrap cannot create them. Unsafe for
    # untrusted code: only for trusted code or tests of the harness itself.
    sandbox_allow_unisolated: bool = False
    sandbox_uid_base: int = 200_000  # as root, each run gets its own user ID from here
    judge0_url: str | None = None
    judge0_api_key: str | None = None
    judge0_auth_header: str = "X-Auth-Token"  # "X-RapidAPI-Key" for the RapidAPI-hosted service
    judge0_python_language_id: int = 71
    judge0_javascript_language_id: int = 63
    judge0_timeout: float = 60.0

    # OAuth sign-in (004): Google and LinkedIn through OpenID Connect
    # (docs/oauth.md). A provider is off while its CLIENT_ID is unset.
    oauth_google_client_id: str | None = None
    oauth_google_client_secret: str | None = None
    oauth_google_discovery_url: str = "https://accounts.google.com/.well-known/openid-configuration"
    oauth_linkedin_client_id: str | None = None
    oauth_linkedin_client_secret: str | None = None
    oauth_linkedin_discovery_url: str = "https://www.linkedin.com/oauth/.well-known/openid-configuration"
    oauth_timeout: float = 10.0  # seconds per request to a provider
    oauth_metadata_ttl: int = 3600  # seconds a discovery document or key set is cached
    # Fewest seconds between two key-set refetches for unknown kids, so made-up kids cannot flood a provider.
    oauth_jwks_min_refetch_interval: float = 30.0

    # External identity provider (000's Clerk): its JWTs are accepted beside
    # interviewd's own tokens on every route (docs/external-idp.md). Off while
    # ISSUER or JWKS_URL is unset.
    external_jwt_issuer: str | None = None
    external_jwt_jwks_url: str | None = None
    external_jwt_audience: str | None = None  # checked only when set
    external_jwt_algorithms: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["RS256", "ES256"]
    )
    external_jwt_leeway: int = 30  # seconds of clock skew allowed on exp/nbf/iat
    external_jwks_cache_ttl: float = 600.0  # seconds before the key set is fetched again
    # Fewest seconds between two fetches, so tokens with made-up kids cannot flood the provider.
    external_jwks_min_refetch_interval: float = 30.0
    external_jwks_timeout: float = 5.0  # seconds per key-set fetch

    # Mentor booking (000): e-mails about bookings, and the internal key that
    # lets another service call POST /api/send-email.
    internal_api_key: str | None = None  # X-Internal-Key value; unset: admins only
    booking_reminder_lead: int = 24 * 3600  # seconds before a booking its reminder goes out
    booking_max_advance_days: int = 365  # how far ahead a mentor may be booked
    sessions_list_max_limit: int = 100  # largest `limit` of GET /api/sessions

    # User profiles and dashboards (000): /api/users and /api/users/{userId}/... (docs/users-000.md).
    users_session_history_limit: int = 100  # newest bookings in a profile's sessionHistory
    users_progress_months: int = 12  # calendar months (UTC) in the dashboard's progressData
    users_upcoming_limit: int = 10  # dashboard upcomingInterviews
    users_recent_activity: int = 10  # dashboard recentActivity
    users_max_favorites: int = 500  # favourite mentors one user may keep

    # Candidate accounts (003, 004): /api/users/{me,profile,settings,avatar,account} (docs/account.md).
    avatar_max_bytes: int = 5 * 1024 * 1024  # largest avatar upload; larger is 413
    avatar_max_pixels: int = 40_000_000  # width x height an uploaded avatar may declare
    avatar_max_dimension: int = 1024  # avatars are scaled down to fit this many pixels per side
    # A passwordless account (OAuth, external IdP) may be erased only this many
    # seconds after signing in; accounts with a password give the password instead.
    account_delete_reauth_window: int = 300

    # Mentors (000): how far ahead free slots are looked for and how many are shown.
    mentor_slot_horizon_days: int = 14  # detail upcomingSlots, list availability, isAvailable
    mentor_slot_step_minutes: int = 30  # slot starts step from each window's start
    mentor_slot_duration_minutes: int = 60  # session length the listed slots are computed for
    mentor_list_slot_count: int = 3  # free slot starts in each GET /api/mentors item
    mentor_detail_slot_count: int = 50  # upcomingSlots on a mentor's page
    mentor_detail_review_count: int = 20  # newest public reviews on a mentor's page
    mentor_slots_max_range_days: int = 62  # widest from..to of GET /api/mentors/{id}/slots
    mentor_facets_cache_seconds: int = 60  # list facets cached this long (0: not cached)

    # Analytics (003, 004): trends, benchmarks, progress buckets and the data export.
    analytics_trend_threshold: float = 5.0  # points (0-100) the later half must move to be a trend
    analytics_trend_min_answers: int = 4  # fewer scored answers: the trend is "stable"
    analytics_benchmark_min_cohort: int = 5  # smaller cohorts get no percentile and no aggregates
    analytics_max_buckets: int = 400  # largest number of progress buckets one request may ask for
    analytics_recent_days: int = 14  # 003's recentActivity covers this many local days
    analytics_export_spool_bytes: int = 16 * 1024 * 1024  # an export larger than this goes to a temp file

    # Video rooms of bookings (000, docs/video.md): Jitsi links need no account;
    # 100ms and LiveKit mint join tokens and report what happens through webhooks.
    video_backend: Literal["jitsi", "hms", "livekit"] = "jitsi"
    # A frontend page that joins a room, "{room}" standing for its name; unset: the provider's own link.
    video_join_url: str | None = None
    video_room_grace: int = 1800  # seconds a room and its tokens outlive the booking's end
    video_timeout: float = 10.0  # seconds per request to a provider's API
    jitsi_base_url: str = "https://meet.jit.si"
    jitsi_app_id: str | None = None  # with JITSI_APP_SECRET: a self-hosted Jitsi's JWT (HS256) per person
    jitsi_app_secret: str | None = None
    jitsi_jwt_audience: str = "jitsi"
    hms_access_key: str | None = None  # 100ms app access key
    hms_app_secret: str | None = None
    hms_api_base: str = "https://api.100ms.live/v2"
    hms_template_id: str | None = None  # unset: the workspace's default template
    hms_region: str | None = None  # in, us, eu, auto; unset: 100ms picks
    hms_participant_role: str = "guest"
    hms_mentor_role: str = "host"
    hms_webhook_header: str = "X-Interviewd-Webhook-Secret"  # a header set on the 100ms webhook
    hms_webhook_secret: str | None = None  # that header's value; unset: 100ms webhooks are refused
    livekit_url: str | None = None  # wss://project.livekit.cloud
    livekit_api_key: str | None = None
    livekit_api_secret: str | None = None

    @model_validator(mode="after")
    def _video_backend_is_complete(self) -> Settings:
        needed = {
            "hms": ("hms_access_key", "hms_app_secret"),
            "livekit": ("livekit_url", "livekit_api_key", "livekit_api_secret"),
        }.get(self.video_backend, ())
        missing = [name.upper() for name in needed if not getattr(self, name)]
        if missing:
            raise ValueError(f"VIDEO_BACKEND={self.video_backend} needs {', '.join(missing)}")
        return self
    # Where the feedback-request mail sends the candidate: PUBLIC_BASE_URL + this,
    # {sessionId} replaced by the booking's id.
    booking_feedback_path: str = "/sessions/{sessionId}/feedback"
    send_email_max_html_bytes: int = 512 * 1024  # POST /api/send-email: largest `html`

    @field_validator("external_jwt_algorithms", mode="before")
    @classmethod
    def _split_algorithms(cls, value: object) -> object:
        if isinstance(value, str):
            value = [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("external_jwt_algorithms")
    @classmethod
    def _asymmetric_only(cls, value: list[str]) -> list[str]:
        # A shared-secret or unsigned algorithm would let anyone holding the
        # provider's public key (or nothing at all) mint accepted tokens.
        allowed = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
        bad = [alg for alg in value if alg not in allowed]
        if bad or not value:
            raise ValueError(f"EXTERNAL_JWT_ALGORITHMS may only list {sorted(allowed)}, got {value}")
        return value

    @property
    def external_jwt_enabled(self) -> bool:
        return bool(self.external_jwt_issuer and self.external_jwt_jwks_url)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    def model_post_init(self, _context: object) -> None:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{(self.data_dir / 'interviewd.db').as_posix()}"
        self.database_url = normalise_database_url(self.database_url)
        if not self.secret_key:
            self.secret_key = _load_or_create_secret(self.data_dir)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def resolved_jobs_backend(self) -> str:
        if self.jobs_backend != "auto":
            return self.jobs_backend
        return "redis" if self.redis_url else "sqlite"


def normalise_database_url(url: str) -> str:
    """Accept the URLs operators usually have and pick the async driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+asyncpg://" + url[len("postgresql://") :]
    if url.startswith("sqlite:///") or url.startswith("sqlite://"):
        url = "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


def _load_or_create_secret(data_dir: Path) -> str:
    """A secret generated once per installation and kept beside the data.

    There is deliberately no fixed default: a shared default would let anyone
    mint tokens for every installation that forgot to set one.
    """
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


@lru_cache
def get_settings() -> Settings:
    return Settings()
