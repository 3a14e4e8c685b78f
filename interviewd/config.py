"""All configuration in one pydantic-settings class (prefix INTERVIEWD_).

With nothing set, interviewd runs on its embedded defaults: a SQLite file and
generated secret under ./data, in-process cache and jobs, e-mail as .eml files.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
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
