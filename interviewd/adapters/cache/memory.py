from __future__ import annotations

import time

from interviewd.adapters.cache.base import Cache


class MemoryCache(Cache):
    """Per-process: right for one embedded server, wrong for several."""

    name = "memory"

    def __init__(self) -> None:
        self._items: dict[str, tuple[str, float]] = {}

    async def set(self, key: str, value: str, *, ttl: int) -> None:
        self._purge()
        self._items[key] = (value, time.monotonic() + ttl)

    async def get(self, key: str) -> str | None:
        item = self._items.get(key)
        if item is None or item[1] <= time.monotonic():
            self._items.pop(key, None)
            return None
        return item[0]

    async def ping(self) -> bool:
        return True

    def rate_limit_storage_uri(self) -> str:
        return "async+memory://"

    def _purge(self) -> None:
        if len(self._items) < 10_000:
            return
        now = time.monotonic()
        for key in [k for k, (_, exp) in self._items.items() if exp <= now]:
            del self._items[key]
