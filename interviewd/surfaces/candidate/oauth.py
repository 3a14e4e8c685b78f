"""/api/auth/oauth/{google,linkedin} (004): sign in with a provider's
authorization code (or a Google ID token). docs/oauth.md describes the flow."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Response
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.oauth.service import oauth_service
from interviewd.surfaces.candidate.shapes import CamelModel, token_body
from interviewd.web.deps import db_session

router = APIRouter(tags=["auth"])


class OAuthSignInRequest(CamelModel):
    code: str | None = Field(default=None, max_length=4096)
    redirect_uri: str | None = Field(default=None, max_length=2000)
    code_verifier: str | None = Field(default=None, min_length=43, max_length=128)
    id_token: str | None = Field(default=None, max_length=16384)
    nonce: str | None = Field(default=None, max_length=512)


@router.post(
    "/auth/oauth/{provider}",
    summary="Sign in with Google or LinkedIn",
    responses={201: {"description": "Signed in; the account was created"}},
)
async def oauth_sign_in(
    provider: Literal["google", "linkedin"],
    body: OAuthSignInRequest,
    response: Response,
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Exchanges `code` (with `redirectUri` and the PKCE `codeVerifier`) at the
    provider, or verifies a Google `idToken`, then finds the account by the
    provider's subject or links/creates it by verified e-mail. 200 for an
    existing account, 201 when it was created; 400 when the provider is not
    configured, 401 when the provider refuses or a token does not verify,
    403 for an unverified e-mail or a disabled account."""
    result = await oauth_service.sign_in(
        session, provider, code=body.code, redirect_uri=body.redirect_uri,
        code_verifier=body.code_verifier, id_token=body.id_token, nonce=body.nonce,
    )
    if result.is_new_user:
        response.status_code = 201
    return {"tokens": token_body(result.tokens), "userId": result.user.uid,
            "isNewUser": result.is_new_user}
