"""FastAPI dependencies shared by the surfaces: one unit of work per request,
and the authenticated principal."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from interviewd import runtime
from interviewd.db import unit_of_work
from interviewd.domain.auth import external
from interviewd.domain.auth.service import auth_service
from interviewd.errors import Unauthorized
from interviewd.kit.principal import Principal


async def _unit_of_work() -> AsyncIterator[AsyncSession]:
    async with unit_of_work(runtime.current().sessionmaker) as session:
        yield session


async def db_session(
    session: AsyncSession = Depends(_unit_of_work, scope="function"),
) -> AsyncSession:
    # FastAPI closes a yield dependency after the response is sent unless its
    # scope is "function": without it a client could hold tokens (or act on
    # data) that are not committed yet, or never will be.
    return session


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def current_principal(
    request: Request, session: AsyncSession = Depends(db_session)
) -> Principal:
    token = bearer_token(request)
    if token is None:
        raise Unauthorized("Authentication required")
    if external.is_external_token(token):
        principal = await external.external_auth.authenticate(session, token)
    else:
        principal = await auth_service.authenticate(session, token)
    request.state.principal = principal
    return principal


async def admin_principal(principal: Principal = Depends(current_principal)) -> Principal:
    principal.require_admin()
    return principal
