from __future__ import annotations

from collections.abc import Callable

import pytest

from interviewd.adapters.sandbox.local import Limits, SubprocessRunner
from tests.conftest import SANDBOX_UID_BASE


@pytest.fixture
def sandbox() -> Callable[..., SubprocessRunner]:
    """A real sandbox with tight limits (so the hostile cases end quickly)."""

    def make(**limits) -> SubprocessRunner:
        values = dict(cpu_seconds=1, wall_seconds=4, memory_mb=96, output_bytes=16 * 1024, max_processes=16)
        values.update(limits)
        runner = SubprocessRunner(limits=Limits(**values), uid_base=SANDBOX_UID_BASE)
        if not runner.isolated:
            pytest.skip("no namespace sandbox on this host (bubblewrap missing or namespaces forbidden)")
        return runner

    return make
