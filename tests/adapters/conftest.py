from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.adapters.servers import FakeResend


@pytest.fixture
def fake_resend() -> Iterator[FakeResend]:
    fake = FakeResend()
    fake.start()
    yield fake
    fake.stop()
