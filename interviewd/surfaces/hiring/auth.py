"""/api/v1/auth and /api/v1/admin/auth (contract 002)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, EmailStr, Field, ValidationError, model_validator
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd.domain.auth.service import auth_service
from interviewd.domain.users.schemas import UserCreate
from interviewd.errors import Unauthorized, ValidationFailed
from interviewd.kit.principal import Principal
from interviewd.models.user import Role, UserStatus
from interviewd.surfaces.hiring.shapes import login_body, user_body
from interviewd.web.deps import bearer_token, current_principal, db_session

router = APIRouter(tags=["auth"])
admin_router = APIRouter(tags=["admin"])


class RegistrationRequest(BaseModel):
    username: str = Field(min_length=3, max_length=150, pattern=r"^[A-Za-z0-9_.@+-]+$")
    password: str = Field(max_length=128)
    email: EmailStr
    company: str | None = Field(default=None, max_length=255)


class LoginRequest(BaseModel):
    username: str | None = Field(default=None, max_length=320)
    email: str | None = Field(default=None, max_length=320)
    password: str = Field(max_length=128)

    @model_validator(mode="after")
    def _needs_login(self) -> LoginRequest:
        if not (self.username or self.email):
            raise ValueError("username or email is required")
        return self

    @property
    def login(self) -> str:
        return self.username or self.email or ""


class ChangePasswordRequest(BaseModel):
    current_password: str | None = Field(default=None, max_length=128)
    old_password: str | None = Field(default=None, max_length=128)
    new_password: str = Field(max_length=128)


class RefreshRequest(BaseModel):
    refresh_token: str | None = None


LOGIN_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": LoginRequest.model_json_schema()},
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {"username": {"type": "string"}, "password": {"type": "string"},
                                   "grant_type": {"type": "string"}, "scope": {"type": "string"}},
                }
            },
        },
    }
}


async def _login_form(request: Request) -> LoginRequest:
    """JSON with username or e-mail, or the OAuth2 password form. A malformed
    body is a 422 with a `detail` list, as on every other /api/v1 route."""
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            fields = {k: form.get(k) for k in ("username", "password") if form.get(k) is not None}
            return LoginRequest.model_validate(fields)
        return LoginRequest.model_validate(await request.json())
    except ValidationError as exc:
        # Without "input": it would echo the password back.
        raise RequestValidationError([
            {"type": err["type"], "loc": ("body", *err["loc"]), "msg": err["msg"]}
            for err in exc.errors(include_url=False)
        ]) from None
    except ValueError:
        raise RequestValidationError([{
            "type": "json_invalid", "loc": ("body",),
            "msg": "Request body must be JSON or an OAuth2 password form",
        }]) from None


@router.post("/registration/", status_code=201, summary="Register an interviewer account")
async def register(body: RegistrationRequest, session: AsyncSession = Depends(db_session)) -> dict:
    """The account is pending: it can sign in once an administrator activates it."""
    user, _ = await auth_service.register(
        session,
        data=UserCreate(
            email=body.email, password=body.password, username=body.username, name=body.username,
            company=body.company, role=Role.INTERVIEWER.value, status=UserStatus.PENDING.value,
        ),
    )
    return {**user_body(user), "message": "Registration received; an administrator will activate "
            "the account."}


@router.post("/login", summary="Sign in", openapi_extra=LOGIN_BODY_DOC)
async def login(request: Request, session: AsyncSession = Depends(db_session)) -> dict:
    body = await _login_form(request)
    user, pair = await auth_service.login(session, login=body.login, password=body.password)
    return login_body(user, pair)


@router.post("/logout", summary="Sign out")
async def logout(
    principal: Principal = Depends(current_principal), session: AsyncSession = Depends(db_session)
) -> dict:
    await auth_service.logout(session, principal)
    return {"detail": "Successfully logged out"}


@router.post("/refresh", summary="Fresh tokens")
async def refresh(
    request: Request, body: RefreshRequest | None = None,
    session: AsyncSession = Depends(db_session),
) -> dict:
    """With `refresh_token` in the body, rotates it; with a still-valid access
    token as bearer, replaces that token (the old one is refused)."""
    if body and body.refresh_token:
        user, pair = await auth_service.refresh(session, refresh_token=body.refresh_token)
        return login_body(user, pair)
    token = bearer_token(request)
    if not token:
        raise Unauthorized("Authentication required")
    principal = await auth_service.authenticate(session, token)
    pair = await auth_service.rotate_access(session, principal)
    return login_body(principal.user, pair)


async def _change_password(body: ChangePasswordRequest, principal: Principal, session) -> dict:
    current = body.current_password or body.old_password
    if not current:
        raise ValidationFailed("current_password is required", field="current_password")
    pair = await auth_service.change_password(
        session, principal, current_password=current, new_password=body.new_password
    )
    return {"detail": "Password changed successfully", **login_body(principal.user, pair)}


@router.post("/change-password", summary="Change your password")
async def change_password(
    body: ChangePasswordRequest,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    """Other sessions are signed out; the answer carries a fresh token."""
    return await _change_password(body, principal, session)


@admin_router.post("/auth/login", summary="Administrator sign-in", openapi_extra=LOGIN_BODY_DOC)
async def admin_login(request: Request, session: AsyncSession = Depends(db_session)) -> dict:
    body = await _login_form(request)
    user, pair = await auth_service.login(
        session, login=body.login, password=body.password, admin_only=True
    )
    return login_body(user, pair)


@admin_router.post("/auth/change-password", summary="Change an administrator's password")
async def admin_change_password(
    body: ChangePasswordRequest,
    principal: Principal = Depends(current_principal),
    session: AsyncSession = Depends(db_session),
) -> dict:
    principal.require_admin()
    return await _change_password(body, principal, session)
