"""JWTs from an external identity provider (000's Clerk), accepted beside
interviewd's own tokens.

The provider's public keys come from its JWKS URL and are cached per process:
fetched again when the cache is older than EXTERNAL_JWKS_CACHE_TTL or a token
names a key id not in it, but never more often than once per
EXTERNAL_JWKS_MIN_REFETCH_INTERVAL. When a fetch fails the keys already held
keep working. A verified subject maps to one user through ExternalIdentity
(provider "external"); the first token of a new subject creates the account.
See docs/external-idp.md.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.config import Settings
from interviewd.domain.users.repository import user_repository
from interviewd.errors import Conflict, Unauthorized
from interviewd.kit.clock import utcnow
from interviewd.kit.principal import Principal
from interviewd.models.identity import ExternalIdentity
from interviewd.models.user import Role, User, UserStatus

log = logging.getLogger(__name__)

PROVIDER = "external"
PLACEHOLDER_EMAIL_DOMAIN = "external.invalid"  # RFC 2606: never delivers
LAST_USED_RESOLUTION = 60  # seconds: last_used_at is kept to the minute, not rewritten per request
_RUNTIME_KEY = "external-jwt-verifier"


class ExternalTokenInvalid(Exception):
    """The token does not verify against the provider's keys and rules."""


@dataclass(frozen=True)
class _Key:
    jwk: jwt.PyJWK
    alg: str | None  # as published; None when the key set leaves it open


class JwksCache:
    """The provider's signing keys by key id, refreshed lazily and rate-limited."""

    def __init__(self, url: str, *, ttl: float, min_refetch_interval: float, timeout: float) -> None:
        self.url = url
        self.ttl = ttl
        self.min_refetch_interval = min_refetch_interval
        self.timeout = timeout
        self._keys: dict[str | None, _Key] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()

    def cached(self, kid: str | None) -> _Key | None:
        """The key for `kid` if already held, without any fetch."""
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return self._keys.get(kid)

    def _fresh(self) -> bool:
        return self._fetched_at is not None and time.monotonic() - self._fetched_at < self.ttl

    def _may_fetch(self) -> bool:
        last = self._attempted_at
        return last is None or time.monotonic() - last >= self.min_refetch_interval

    async def key(self, kid: str | None) -> _Key:
        key = self.cached(kid)
        if key is not None and self._fresh():
            return key
        async with self._lock:
            # Someone may have fetched while this request waited for the lock.
            key = self.cached(kid)
            if (key is None or not self._fresh()) and self._may_fetch():
                await self._fetch()
                key = self.cached(kid)
        if key is None:
            raise ExternalTokenInvalid(f"no key with id {kid!r} at the identity provider")
        return key

    async def _fetch(self) -> None:
        self._attempted_at = time.monotonic()
        try:
            async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client:
                response = await client.get(self.url, headers={"Accept": "application/json"})
                response.raise_for_status()
                data = response.json()
            keys = {}
            for item in data.get("keys", []) if isinstance(data, dict) else []:
                if item.get("use", "sig") != "sig":
                    continue
                try:
                    key = jwt.PyJWK.from_dict(item)
                except jwt.PyJWTError:
                    continue  # a key type this server cannot use; the others still count
                keys[key.key_id] = _Key(key, item.get("alg"))
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("fetching the identity provider's keys from %s failed: %s", self.url, exc)
            return
        self._keys = keys
        self._fetched_at = time.monotonic()


class ExternalJwtVerifier:
    def __init__(self, settings: Settings) -> None:
        self.issuer = settings.external_jwt_issuer
        self.audience = settings.external_jwt_audience or None
        self.algorithms = list(settings.external_jwt_algorithms)
        self.leeway = settings.external_jwt_leeway
        self.jwks = JwksCache(
            settings.external_jwt_jwks_url,
            ttl=settings.external_jwks_cache_ttl,
            min_refetch_interval=settings.external_jwks_min_refetch_interval,
            timeout=settings.external_jwks_timeout,
        )

    def _header(self, token: str) -> dict:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise ExternalTokenInvalid(str(exc)) from exc
        if header.get("alg") not in self.algorithms:
            raise ExternalTokenInvalid(f"algorithm {header.get('alg')!r} is not accepted")
        return header

    def _decode(self, token: str, header: dict, key: _Key) -> dict:
        # A key published for one algorithm must not verify tokens claiming another.
        if key.alg and key.alg != header["alg"]:
            raise ExternalTokenInvalid("the token's algorithm does not match its key")
        options: dict[str, Any] = {"require": ["sub", "iss", "exp"], "verify_aud": self.audience is not None}
        try:
            claims = jwt.decode(
                token, key.jwk.key, algorithms=[header["alg"]], issuer=self.issuer,
                audience=self.audience, leeway=self.leeway, options=options,
            )
        except jwt.PyJWTError as exc:
            raise ExternalTokenInvalid(str(exc)) from exc
        if not isinstance(claims.get("sub"), str) or not claims["sub"].strip():
            raise ExternalTokenInvalid("sub is missing")
        return claims

    async def verify(self, token: str) -> dict:
        header = self._header(token)
        return self._decode(token, header, await self.jwks.key(header.get("kid")))

    def verify_cached(self, token: str) -> dict | None:
        """The claims when the token verifies with a key already held; None
        otherwise. Never fetches, so synchronous callers may use it."""
        try:
            header = self._header(token)
            key = self.jwks.cached(header.get("kid"))
            return None if key is None else self._decode(token, header, key)
        except ExternalTokenInvalid:
            return None


def verifier() -> ExternalJwtVerifier | None:
    """This runtime's verifier, or None when no provider is configured."""
    rt = runtime.current()
    if not rt.settings.external_jwt_enabled:
        return None
    found = rt.extras.get(_RUNTIME_KEY)
    if found is None:
        found = rt.extras[_RUNTIME_KEY] = ExternalJwtVerifier(rt.settings)
    return found


def is_external_token(token: str) -> bool:
    """True when a provider is configured and the token claims its issuer.
    Unverified: it only picks which verifier must accept the token."""
    settings = runtime.current().settings
    if not settings.external_jwt_enabled:
        return False
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return False
    return claims.get("iss") == settings.external_jwt_issuer


@dataclass(frozen=True)
class _Profile:
    email: str | None
    email_verified: bool
    first_name: str | None
    last_name: str | None
    name: str | None
    avatar_url: str | None


def _text(claims: dict, *names: str, limit: int) -> str | None:
    for name in names:
        value = claims.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()[:limit]
    return None


def _profile(claims: dict) -> _Profile:
    email = _text(claims, "email", "email_address", "primary_email_address", limit=320)
    if email is not None and ("@" not in email or any(c.isspace() for c in email)):
        email = None
    verified = claims.get("email_verified")
    first = _text(claims, "first_name", "given_name", limit=120)
    last = _text(claims, "last_name", "family_name", limit=120)
    name = _text(claims, "name", "full_name", limit=255) or " ".join(p for p in (first, last) if p) or None
    return _Profile(
        email=email.lower() if email else None,
        email_verified=verified is True or (isinstance(verified, str) and verified.lower() == "true"),
        first_name=first, last_name=last, name=name,
        avatar_url=_text(claims, "image_url", "picture", "profile_image_url", limit=1000),
    )


def placeholder_email(subject: str) -> str:
    digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
    return f"{digest}@{PLACEHOLDER_EMAIL_DOMAIN}"


class ExternalAuth:
    async def authenticate(self, session: AsyncSession, token: str) -> Principal:
        """The principal behind a provider token, creating the account on first sight."""
        found = verifier()
        if found is None:
            raise Unauthorized("Invalid or expired token")
        try:
            claims = await found.verify(token)
        except ExternalTokenInvalid:
            raise Unauthorized("Invalid or expired token") from None
        user = await self._user_for(session, claims)
        if not user.is_active:
            raise Unauthorized("Account is not active")
        return Principal(user=user, expires_at=datetime.fromtimestamp(claims["exp"], UTC),
                         external_subject=claims["sub"])

    async def _identity(self, session: AsyncSession, subject: str) -> ExternalIdentity | None:
        return await session.scalar(
            select(ExternalIdentity).where(ExternalIdentity.provider == PROVIDER,
                                           ExternalIdentity.subject == subject)
        )

    async def _user_for(self, session: AsyncSession, claims: dict) -> User:
        subject = claims["sub"]
        profile = _profile(claims)
        identity = await self._identity(session, subject)
        if identity is None:
            existing = await user_repository.by_email(session, profile.email) if profile.email else None
            try:
                # Only writes inside the savepoint: on SQLite a transaction that read first
                # and then writes fails at once ("database is locked") when another writer
                # got in between, while one that starts by writing waits its turn.
                async with session.begin_nested():
                    identity = await self._first_sight(session, subject, profile, claims, existing)
            except IntegrityError:
                # A concurrent first request of the same subject won the unique index.
                identity = await self._identity(session, subject)
                if identity is None:
                    raise Conflict("The account could not be created; please retry") from None
        else:
            self._refresh(identity, claims, profile)
        user = await user_repository.get(session, identity.user_id)
        if user is None:
            raise Unauthorized("Token is no longer valid")
        return user

    @staticmethod
    def _refresh(identity: ExternalIdentity, claims: dict, profile: _Profile) -> None:
        """Keep the last claims for support, writing only when something changed or
        the last-use time is stale: a write on every request would serialise all
        requests of provider-signed users on SQLite."""
        now = utcnow()
        storable = _storable(claims)
        if storable != identity.claims:
            identity.claims = storable
        if profile.email and profile.email != identity.email:
            identity.email = profile.email
        last = identity.last_used_at
        if last is None or (now - last).total_seconds() >= LAST_USED_RESOLUTION:
            identity.last_used_at = now

    async def _first_sight(
        self, session: AsyncSession, subject: str, profile: _Profile, claims: dict, user: User | None
    ) -> ExternalIdentity:
        if user is not None and not profile.email_verified:
            # Linking on an unverified address would hand the account to whoever typed it in.
            raise Conflict(
                "An account with this e-mail already exists; verify the e-mail address at the "
                "identity provider to link it, or sign in with that account",
                field="email",
            )
        if user is None:
            user = User(
                email=profile.email or placeholder_email(subject),
                password_hash=None,
                name=profile.name or "",
                first_name=profile.first_name,
                last_name=profile.last_name,
                avatar_url=profile.avatar_url,
                role=Role.CANDIDATE.value,
                status=UserStatus.ACTIVE.value,
                provider=PROVIDER,
                profile={},
                preferences={},
            )
            session.add(user)
            await session.flush()
        identity = ExternalIdentity(
            user_id=user.id, provider=PROVIDER, subject=subject, email=profile.email,
            claims=_storable(claims),
        )
        identity.last_used_at = utcnow()
        session.add(identity)
        await session.flush()
        return identity


def _storable(claims: dict) -> dict:
    return {k: v for k, v in claims.items() if isinstance(v, str | int | float | bool | None)}


external_auth = ExternalAuth()
