from __future__ import annotations

import pytest

from tests.domain.profile.factories import provider


@pytest.fixture
def jwks():
    """000's identity provider: a JWKS endpoint on loopback."""
    server = provider()
    yield server
    server.close()
