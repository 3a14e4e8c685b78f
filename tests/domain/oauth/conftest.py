from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.domain.oauth.fake_oidc import FakeOidcProvider


@pytest.fixture
def google() -> Iterator[FakeOidcProvider]:
    provider = FakeOidcProvider(client_id="google-client.apps.example").start()
    yield provider
    provider.stop()


@pytest.fixture
def linkedin() -> Iterator[FakeOidcProvider]:
    # LinkedIn's ID tokens may leave out email_verified; userinfo carries it.
    provider = FakeOidcProvider(client_id="linkedin-client").start()
    yield provider
    provider.stop()


@pytest.fixture
async def oauth_client(make_client, google, linkedin):
    """An app with both providers pointed at the loopback fakes."""
    return await make_client(
        oauth_google_client_id=google.client_id,
        oauth_google_client_secret=google.client_secret,
        oauth_google_discovery_url=google.discovery_url,
        oauth_linkedin_client_id=linkedin.client_id,
        oauth_linkedin_client_secret=linkedin.client_secret,
        oauth_linkedin_discovery_url=linkedin.discovery_url,
        oauth_jwks_min_refetch_interval=0,
    )
