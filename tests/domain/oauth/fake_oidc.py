"""A small OpenID Connect provider on loopback: discovery, JWKS, a token
endpoint that checks the client, the code, the redirect URI and PKCE, and
userinfo. ID tokens are RS256-signed with keys generated per test."""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from tests.support.http import JsonHandler, LoopbackServer


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


@dataclass
class Grant:
    claims: dict
    redirect_uri: str
    code_challenge: str | None
    nonce: str | None = None


@dataclass
class FakeOidcProvider:
    client_id: str = "interviewd-test-client"
    client_secret: str = "test-client-secret"
    include_id_token: bool = True
    grants: dict[str, Grant] = field(default_factory=dict)
    access_tokens: dict[str, dict] = field(default_factory=dict)
    jwks_fetches: int = 0
    token_requests: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.keys: list[RSAKey] = [self.new_key()]
        self.signing_key = self.keys[0]
        self._lock = threading.Lock()
        provider = self

        class Handler(JsonHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's hook name)
                self.send_json(*provider.handle_get(self.path, self.headers.get("Authorization", "")))

            def do_POST(self) -> None:  # noqa: N802 (http.server's hook name)
                form = {k: v[0] for k, v in parse_qs(self.read_body().decode()).items()}
                self.send_json(*provider.handle_token(form))

        self._handler = Handler

    @property
    def discovery_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    @staticmethod
    def new_key() -> RSAKey:
        return RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8), "use": "sig"})

    def start(self) -> FakeOidcProvider:
        self.server = LoopbackServer(self._handler)
        self.issuer = self.server.base_url
        return self

    def stop(self) -> None:
        self.server.close()

    def rotate(self) -> RSAKey:
        """Sign with a new key, published beside the old one, as providers rotate."""
        key = self.new_key()
        self.keys.append(key)
        self.signing_key = key
        return key

    # -- tokens ----------------------------------------------------------------
    def claims_for(self, sub: str, email: str, *, verified: object = True, **extra) -> dict:
        now = int(time.time())
        return {"iss": self.issuer, "aud": self.client_id, "sub": sub, "email": email,
                "email_verified": verified, "iat": now, "exp": now + 600, **extra}

    def id_token(self, claims: dict, *, key: RSAKey | None = None, kid: str | None = None) -> str:
        key = key or self.signing_key
        header = {"alg": "RS256", "kid": kid or key.kid}
        return jwt.encode(header, claims, key)

    def authorize(self, claims: dict, *, redirect_uri: str, code_challenge: str | None = None,
                  nonce: str | None = None) -> str:
        """What the provider's consent page does: hand out a one-time code."""
        code = secrets.token_urlsafe(16)
        with self._lock:
            self.grants[code] = Grant(claims, redirect_uri, code_challenge, nonce)
        return code

    def handle_get(self, path: str, authorization: str) -> tuple[int, dict]:
        if path == "/.well-known/openid-configuration":
            return 200, {
                "issuer": self.issuer,
                "authorization_endpoint": self.issuer + "/authorize",
                "token_endpoint": self.issuer + "/token",
                "userinfo_endpoint": self.issuer + "/userinfo",
                "jwks_uri": self.issuer + "/jwks",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        if path == "/jwks":
            with self._lock:
                self.jwks_fetches += 1
            return 200, KeySet(list(self.keys)).as_dict(private=False)
        if path == "/userinfo":
            claims = self.access_tokens.get(authorization.removeprefix("Bearer "))
            if claims is None:
                return 401, {"error": "invalid_token"}
            return 200, {k: v for k, v in claims.items() if k not in ("iss", "aud", "iat", "exp")}
        return 404, {"error": "not_found"}

    def handle_token(self, form: dict) -> tuple[int, dict]:
        self.token_requests.append(form)
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return 401, {"error": "invalid_client", "error_description": "Client authentication failed."}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self.grants.pop(form.get("code", ""), None)
        if grant is None:
            return 400, {"error": "invalid_grant",
                         "error_description": "Code is invalid or was already used."}
        if form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri does not match."}
        if grant.code_challenge is not None:
            verifier = form.get("code_verifier", "")
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
            if digest.decode() != grant.code_challenge:
                return 400, {"error": "invalid_grant", "error_description": "PKCE verification failed."}
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = grant.claims
        body = {"access_token": access_token, "token_type": "Bearer", "expires_in": 3600}
        if self.include_id_token:
            claims = dict(grant.claims)
            if grant.nonce:
                claims["nonce"] = grant.nonce
            body["id_token"] = self.id_token(claims)
        return 200, body
