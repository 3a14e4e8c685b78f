"""/api/auth (001, 004) and /auth (003): the same handlers at both places."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Body, Depends, Request, Response
from pydantic import EmailStr, Field
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.auth.service import auth_service
from interviewd.domain.users.schemas import UserCreate, UserUpdate
from interviewd.domain.users.service import user_service
from interviewd.errors import Unauthorized
from interviewd.kit.principal import Principal
from interviewd.surfaces.candidate.shapes import CamelModel, token_body, user_body
from interviewd.web.deps import bearer_token, current_principal, db_session

router = APIRouter(tags=["auth"])


class RegisterRequest(CamelModel):
    email: EmailStr
    password: str = Field(max_length=128)
    first_name: str | None = Field(default=None, max_length=120)
    last_name: str | None = Field(default=None, max_length=120)
    name: str | None = Field(default=None, max_length=255)
    provider: Literal["email"] = "email"
    preferred_languages: list[str] = Field(default_factory=list, max_length=20)
    experience_level: str | None = Field(default=None, max_length=40)


class LoginRequest(CamelModel):
    email: EmailStr
    password: str = Field(max_length=128)


class RefreshRequest(CamelModel):
    refresh_token: str | None = None


class ForgotPasswordRequest(CamelModel):
    email: EmailStr


class ResetPasswordRequest(CamelModel):
    token: str = Field(min_length=1, max_length=512)
    password: str | None = Field(default=None, max_length=128)
    new_password: str | None = Field(default=None, max_length=128)


class ProfileUpdate(CamelModel):
    name: str | None = Field(default=None, max_length=255)
    first_name: str | None = Field(default=None, max_length=120)
    last_name: str | None = Field(default=None, max_length=120)
    avatar: str | None = Field(default=None, max_length=1000)
    preferred_languages: list[str] | None = Field(default=None, max_length=20)
    experience_level: str | None = Field(default=None, max_length=40)
    preferences: dict | None = None


@router.post("/register", status_code=201, summary="Create an account and sign in")
async def register(body: RegisterRequest, session: AsyncSession = Depends(db_session)) -> dict:
    """Create a candidate account; answers with tokens and the new user's id."""
    profile = {"preferredLanguages": body.preferred_languages}
    if body.experience_level:
        profile["experienceLevel"] = body.experience_level
    user, pair = await auth_service.register(
        session,
        data=UserCreate(
            email=body.email, password=body.password, name=body.name,
            first_name=body.first_name, last_name=body.last_name, provider="email",
            profile=profile,
        ),
    )
    return {"tokens": token_body(pair), "userId": user.uid}


@router.post("/login", summary="Sign in with e-mail and password")
async def login(body: LoginRequest, session: AsyncSession = Depends(db_session)) -> dict:
    user, pair = await auth_service.login(session, login=body.email, password=body.password)
    return {"tokens": token_body(pair), "userId": user.uid}


@router.post("/refresh", summary="Rotate a refresh token")
async def refresh(
    request: Request,
    body: RefreshRequest | None = Body(default=None),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """The refresh token comes as `Authorization: Bearer` (001, 003) or as
    `refreshToken` in the body. Each refresh token works once."""
    token = (body.refresh_token if body else None) or bearer_token(request)
    if not token:
        raise Unauthorized("Refresh token required")
    _user, pair = await auth_service.refresh(session, refresh_token=token)
    return token_body(pair)


@router.post("/logout", status_code=204, summary="Sign out")
async def logout(
    principal: Principal = Depends(current_principal), session: AsyncSession = Depends(db_session)
) -> Response:
    """The access token and its refresh tokens are refused from now on."""
    await auth_service.logout(session, principal)
    return Response(status_code=204)


@router.get("/profile", summary="The signed-in user")
async def get_profile(principal: Principal = Depends(current_principal)) -> dict:
    return user_body(principal.user)


@router.put("/profile", summary="Update the signed-in user")
async def update_profile(
    body: ProfileUpdate,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    profile = {}
    if body.preferred_languages is not None:
        profile["preferredLanguages"] = body.preferred_languages
    if body.experience_level is not None:
        profile["experienceLevel"] = body.experience_level
    user = await user_service.update_self(
        session, principal,
        data=UserUpdate(
            name=body.name, first_name=body.first_name, last_name=body.last_name,
            avatar_url=body.avatar, profile=profile or None, preferences=body.preferences,
        ),
    )
    return user_body(user)


@router.post("/forgot-password", summary="E-mail a password reset link")
async def forgot_password(
    body: ForgotPasswordRequest, session: AsyncSession = Depends(db_session)
) -> dict:
    """Answers the same whether or not the address has an account."""
    await auth_service.forgot_password(session, email=body.email)
    return {
        "success": True,
        "message": "If an account exists for that address, a reset link has been sent.",
    }


@router.post("/reset-password", summary="Set a new password from a reset link")
async def reset_password(
    body: ResetPasswordRequest, session: AsyncSession = Depends(db_session)
) -> dict:
    """Every token of the account is revoked; sign in again with the new password."""
    await auth_service.reset_password(
        session, token=body.token, new_password=body.new_password or body.password or ""
    )
    return {"success": True, "message": "Password has been reset. Please sign in again."}
