from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.adapters.video.hms_server import FakeHms

HMS_ACCESS_KEY = "hms-access-key-123"
HMS_SECRET = "hms-app-secret-that-is-long-enough-0123456789"


@pytest.fixture
def fake_hms() -> Iterator[FakeHms]:
    fake = FakeHms(access_key=HMS_ACCESS_KEY, app_secret=HMS_SECRET)
    fake.start()
    yield fake
    fake.stop()
