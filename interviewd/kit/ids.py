from __future__ import annotations

import hashlib
import secrets
import uuid


def new_uid() -> str:
    return uuid.uuid4().hex


def new_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def sha256_hex(value: str) -> str:
    """Tokens are stored only as their hash: a leaked table signs nobody in."""
    return hashlib.sha256(value.encode()).hexdigest()
