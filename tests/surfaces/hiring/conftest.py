from __future__ import annotations

import pytest

from tests.conftest import bearer
from tests.domain.auth.factories import admin_token, create_admin


@pytest.fixture
async def admin(client) -> dict:
    """An administrator (id, email, username, password) in the `client` app's database."""
    return await create_admin(username="root_admin")


@pytest.fixture
async def admin_headers(client, admin) -> dict:
    return bearer(await admin_token(client, admin))
