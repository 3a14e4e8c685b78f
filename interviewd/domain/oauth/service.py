"""OAuth sign-in (004): a provider vouches for a person; interviewd finds,
links or creates the account and signs it in with its own tokens.

Accounts are matched first by (provider, subject), then by e-mail, and only
an e-mail the provider says it verified is ever used to link or create: an
unverified address could belong to anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.adapters.oauth import OidcProvider, ProviderError, TokenRejected
from interviewd.domain.auth.service import TokenPair, auth_service
from interviewd.domain.oauth.repository import external_identity_repository
from interviewd.domain.users.repository import user_repository
from interviewd.domain.users.schemas import UserCreate
from interviewd.domain.users.service import user_service
from interviewd.errors import Forbidden, Unauthorized, ValidationFailed
from interviewd.kit.clock import utcnow
from interviewd.models.identity import ExternalIdentity
from interviewd.models.user import User, UserStatus

PROVIDERS = ("google", "linkedin")
# Google has signed ID tokens with either issuer spelling.
EXTRA_ISSUERS = {"google": ("accounts.google.com",)}
# Claims kept on the identity for support; the rest of an ID token says nothing about the person.
KEPT_CLAIMS = ("iss", "sub", "email", "email_verified", "name", "given_name", "family_name",
               "picture", "locale", "hd", "iat")


@dataclass(frozen=True)
class OAuthSignIn:
    user: User
    tokens: TokenPair
    is_new_user: bool


def _verified(value: object) -> bool:
    # LinkedIn has sent email_verified as the string "true".
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _clip(value: object, limit: int) -> str | None:
    return value.strip()[:limit] or None if isinstance(value, str) else None


class OAuthService:
    def provider(self, name: str) -> OidcProvider:
        if name not in PROVIDERS:
            raise ValidationFailed(f"Unknown OAuth provider {name!r}", field="provider")
        settings = runtime.current().settings
        client_id = getattr(settings, f"oauth_{name}_client_id")
        if not client_id:
            raise ValidationFailed(f"OAuth provider {name} is not configured", field="provider")
        return OidcProvider(
            name=name,
            discovery_url=getattr(settings, f"oauth_{name}_discovery_url"),
            client_id=client_id,
            client_secret=getattr(settings, f"oauth_{name}_client_secret"),
            timeout=settings.oauth_timeout,
            metadata_ttl=settings.oauth_metadata_ttl,
            min_refetch_interval=settings.oauth_jwks_min_refetch_interval,
            extra_issuers=EXTRA_ISSUERS.get(name, ()),
        )

    async def verified_claims(
        self, provider: OidcProvider, *, code: str | None = None, redirect_uri: str | None = None,
        code_verifier: str | None = None, id_token: str | None = None, nonce: str | None = None,
    ) -> dict:
        """The provider's verified claims about the person signing in."""
        try:
            if id_token and not code:
                if provider.name != "google":
                    raise ValidationFailed(f"{provider.name} sign-in takes an authorization code",
                                           field="code")
                return await provider.verify_id_token(id_token, nonce=nonce)
            if not code or not redirect_uri:
                raise ValidationFailed("code and redirectUri (or idToken) are required", field="code")
            token = await provider.exchange_code(code=code, redirect_uri=redirect_uri,
                                                 code_verifier=code_verifier)
            access_token = token.get("access_token")
            claims: dict = {}
            if token.get("id_token"):
                claims = await provider.verify_id_token(token["id_token"], nonce=nonce)
            if access_token and ("email" not in claims or "email_verified" not in claims):
                info = await provider.userinfo(access_token)
                if claims and info.get("sub") != claims["sub"]:
                    raise TokenRejected(f"{provider.name}'s userinfo names another subject")
                claims = {**info, **claims} if claims else info
            if not claims.get("sub"):
                raise TokenRejected(f"{provider.name} did not say who signed in")
            return claims
        except TokenRejected as exc:
            raise Unauthorized(str(exc)) from None
        except ProviderError as exc:
            raise Unauthorized(f"Sign-in with {provider.name} could not be verified: {exc}") from None

    async def sign_in(self, session: AsyncSession, provider_name: str, **credentials) -> OAuthSignIn:
        provider = self.provider(provider_name)
        claims = await self.verified_claims(provider, **credentials)
        subject = str(claims["sub"])
        email = claims.get("email") if isinstance(claims.get("email"), str) else None
        verified = bool(email) and _verified(claims.get("email_verified"))
        now = utcnow()
        is_new = False
        identity = await external_identity_repository.by_subject(session, provider.name, subject)
        if identity is not None:
            user = await user_repository.get(session, identity.user_id)
        else:
            if not email:
                raise Forbidden(f"{provider.name} did not share an e-mail address")
            if not verified:
                raise Forbidden(f"{provider.name} has not verified the e-mail address {email}")
            user = await user_repository.by_email(session, email.lower())
            if user is None:
                user = await user_service.create(session, data=UserCreate(
                    email=email, password=None, provider=provider.name,
                    name=_clip(claims.get("name"), 255),
                    first_name=_clip(claims.get("given_name"), 120),
                    last_name=_clip(claims.get("family_name"), 120),
                ))
                is_new = True
        if user is None or user.status == UserStatus.DISABLED.value:
            raise Forbidden("Account is disabled")
        if user.status == UserStatus.PENDING.value:
            raise Forbidden("Account is pending activation by an administrator")
        if identity is None:
            identity = ExternalIdentity(user_id=user.id, provider=provider.name, subject=subject)
            try:
                async with session.begin_nested():
                    await external_identity_repository.add(session, identity)
            except IntegrityError:
                # A parallel sign-in of the same person linked it first.
                identity = await external_identity_repository.by_subject(session, provider.name, subject)
                if identity is None or identity.user_id != user.id:
                    raise Unauthorized("Sign-in raced with another; please try again") from None
        identity.email = email
        identity.claims = {k: claims[k] for k in KEPT_CLAIMS if k in claims}
        identity.last_used_at = now
        picture = _clip(claims.get("picture"), 1000)
        if picture and not user.avatar_url:
            user.avatar_url = picture
        user.last_login_at = now
        return OAuthSignIn(user, await auth_service.issue_tokens(session, user), is_new)


oauth_service = OAuthService()
