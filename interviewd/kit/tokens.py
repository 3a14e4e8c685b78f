"""interviewd's own JWTs (HS256 via PyJWT).

Access tokens carry sub, role, jti, iat, exp, the refresh family (`fam`) they
were issued with and the user's token version (`ver`), so that a logout or a
password reset can refuse them before they expire.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import jwt

from interviewd.kit.clock import utcnow
from interviewd.kit.ids import new_uid

ALGORITHM = "HS256"
ISSUER = "interviewd"


class TokenInvalid(Exception):
    """The token is malformed, tampered with, expired, or of the wrong type."""


@dataclass(frozen=True)
class IssuedToken:
    token: str
    jti: str
    expires_in: int


def issue(
    secret: str, *, sub: str, typ: str, ttl: int, claims: dict | None = None
) -> IssuedToken:
    now = utcnow()
    jti = new_uid()
    payload = {
        "iss": ISSUER,
        "sub": sub,
        "typ": typ,
        "jti": jti,
        "iat": now,
        "exp": now + timedelta(seconds=ttl),
        **(claims or {}),
    }
    return IssuedToken(jwt.encode(payload, secret, algorithm=ALGORITHM), jti, ttl)


def decode(secret: str, token: str, *, typ: str) -> dict:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],  # a fixed list: alg "none" or RS/HS confusion never verifies
            issuer=ISSUER,
            options={"require": ["sub", "jti", "iat", "exp", "typ"]},
        )
    except jwt.PyJWTError as exc:
        raise TokenInvalid(str(exc)) from exc
    if claims.get("typ") != typ:
        raise TokenInvalid(f"expected a {typ} token")
    return claims
