"""An OpenID Connect relying party: discovery, authorization-code exchange,
ID-token verification against the provider's JWKS, userinfo.

Discovery documents and key sets are cached per URL for `metadata_ttl`
seconds; an ID token signed with a key id the cached set lacks causes one
refetch of the key set (the provider rotated its keys), at most once per
`min_refetch_interval` seconds.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import Any

# Imported first: it installs an "always" filter for its warnings, which the block below must override.
import authlib.deprecate  # noqa: F401
import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact

with warnings.catch_warnings():
    # Authlib prefers httpx2 and warns when it falls back to httpx, which works the same.
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.integrations.base_client.errors import OAuthError
    from authlib.integrations.httpx_client import AsyncOAuth2Client

SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]
CLOCK_LEEWAY = 60  # seconds of clock difference tolerated on exp/iat/nbf


class ProviderError(Exception):
    """The provider could not be reached or answered with something unusable."""


class TokenRejected(Exception):
    """The provider refused the code, or an ID token did not verify."""


@dataclass
class _Cached:
    fetched_at: float
    value: Any


# Keyed by URL: shared by every request of the process, as the documents are public.
_documents: dict[str, _Cached] = {}


@dataclass
class OidcProvider:
    name: str
    discovery_url: str
    client_id: str
    client_secret: str | None = None
    timeout: float = 10.0
    metadata_ttl: float = 3600.0
    min_refetch_interval: float = 30.0
    # Issuers accepted besides the discovery document's (Google also signs as "accounts.google.com").
    extra_issuers: tuple[str, ...] = field(default_factory=tuple)

    def _client(self, **kwargs) -> AsyncOAuth2Client:
        return AsyncOAuth2Client(
            client_id=self.client_id, client_secret=self.client_secret,
            token_endpoint_auth_method="client_secret_post", timeout=self.timeout, **kwargs,
        )

    async def _get_json(self, url: str, *, headers: dict | None = None) -> dict:
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.get(url, headers=headers)
        except httpx.HTTPError as exc:
            raise ProviderError(f"{self.name} could not be reached ({type(exc).__name__})") from exc
        if response.status_code != 200:
            raise ProviderError(f"{self.name} answered {response.status_code} for {url}")
        try:
            body = response.json()
        except ValueError:
            raise ProviderError(f"{self.name} answered with something other than JSON") from None
        if not isinstance(body, dict):
            raise ProviderError(f"{self.name} answered with an unexpected document")
        return body

    async def _cached_json(self, url: str, *, refresh: bool = False) -> dict:
        cached = _documents.get(url)
        if cached:
            age = time.monotonic() - cached.fetched_at
            if age < (self.min_refetch_interval if refresh else self.metadata_ttl):
                return cached.value
        value = await self._get_json(url)
        _documents[url] = _Cached(time.monotonic(), value)
        return value

    async def metadata(self) -> dict:
        document = await self._cached_json(self.discovery_url)
        for key in ("issuer", "jwks_uri", "token_endpoint"):
            if not isinstance(document.get(key), str):
                raise ProviderError(f"{self.name}'s discovery document has no {key}")
        return document

    async def _key_set(self, *, refresh: bool = False) -> KeySet:
        document = await self._cached_json((await self.metadata())["jwks_uri"], refresh=refresh)
        try:
            return KeySet.import_key_set(document)
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            raise ProviderError(f"{self.name}'s key set could not be read") from exc

    # -- code exchange -------------------------------------------------------
    async def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str | None) -> dict:
        """The token response for an authorization code (RFC 6749 4.1.3, PKCE)."""
        endpoint = (await self.metadata())["token_endpoint"]
        extra = {"code_verifier": code_verifier} if code_verifier else {}
        try:
            async with self._client(redirect_uri=redirect_uri) as client:
                token = await client.fetch_token(
                    endpoint, grant_type="authorization_code", code=code, **extra
                )
        except OAuthError as exc:
            detail = exc.error + (f": {exc.description}" if exc.description else "")
            raise TokenRejected(f"{self.name} refused the authorization code ({detail})") from exc
        except httpx.HTTPError as exc:
            raise ProviderError(f"{self.name} could not be reached ({type(exc).__name__})") from exc
        except ValueError as exc:
            raise TokenRejected(f"{self.name} answered the code exchange unusably") from exc
        return dict(token)

    async def userinfo(self, access_token: str) -> dict:
        endpoint = (await self.metadata()).get("userinfo_endpoint")
        if not endpoint:
            return {}
        return await self._get_json(endpoint, headers={"Authorization": f"Bearer {access_token}"})

    # -- ID tokens -------------------------------------------------------------
    async def verify_id_token(self, id_token: str, *, nonce: str | None = None) -> dict:
        """The claims of an ID token whose signature, issuer, audience and
        expiry all check out; TokenRejected otherwise."""
        try:
            header = extract_compact(id_token.encode()).protected
        except (JoseError, ValueError, UnicodeError) as exc:
            raise TokenRejected("ID token is malformed") from exc
        if header.get("alg") not in SIGNING_ALGORITHMS:
            raise TokenRejected("ID token is signed with an algorithm that is not accepted")
        keys = await self._key_set()
        kid = header.get("kid")
        if kid and not any(k.kid == kid for k in keys.keys):
            keys = await self._key_set(refresh=True)
            if not any(k.kid == kid for k in keys.keys):
                raise TokenRejected("ID token is signed with an unknown key")
        try:
            token = jwt.decode(id_token, keys, algorithms=SIGNING_ALGORITHMS)
        except (JoseError, ValueError) as exc:
            raise TokenRejected("ID token signature is invalid") from exc
        issuer = (await self.metadata())["issuer"]
        registry = jwt.JWTClaimsRegistry(
            leeway=CLOCK_LEEWAY,
            iss={"essential": True, "values": [issuer, *self.extra_issuers]},
            sub={"essential": True},
            exp={"essential": True},
        )
        try:
            registry.validate(token.claims)
        except JoseError as exc:
            raise TokenRejected(f"ID token is not valid ({exc.error}: {exc.description or ''})") from None
        claims = token.claims
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.client_id not in audiences:
            raise TokenRejected("ID token was issued for another client")
        if len(audiences) > 1 and claims.get("azp") not in (None, self.client_id):
            raise TokenRejected("ID token was issued for another client")
        if nonce is not None and claims.get("nonce") != nonce:
            raise TokenRejected("ID token nonce does not match")
        return dict(claims)
