from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.adapters.servers import FakeResend, SmtpSink


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def fake_resend() -> Iterator[FakeResend]:
    fake = FakeResend()
    fake.start()
    yield fake
    fake.stop()
