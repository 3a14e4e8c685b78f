"""Who may open a realtime connection: the checks Socket.IO and 003's
WebSocket share."""

from __future__ import annotations

from typing import Any


def bare_token(value: Any) -> str | None:
    """An access token as clients send it: bare or as "Bearer <token>"."""
    if not isinstance(value, str):
        return None
    token = value.strip()
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    return token or None


def origin_allowed(origin: str | None, host: str | None, allowed: list[str]) -> bool:
    """A browser page may open a socket from the API's own origin or from one
    of INTERVIEWD_CORS_ORIGINS, the same pages that may call the HTTP API.
    Clients that send no Origin (native apps, servers) are not browsers."""
    if not origin or "*" in allowed or origin in allowed:
        return True
    return bool(host) and origin in (f"http://{host}", f"https://{host}")
