"""The cache port: shared short-lived state (token denylist, rate-limit
counters). In-process by default; Redis when INTERVIEWD_REDIS_URL is set, so
that several server processes agree."""

from __future__ import annotations

from interviewd.adapters.cache.base import Cache
from interviewd.adapters.cache.memory import MemoryCache
from interviewd.adapters.cache.redis import RedisCache


def create_cache(redis_url: str | None) -> Cache:
    return RedisCache(redis_url) if redis_url else MemoryCache()


__all__ = ["Cache", "MemoryCache", "RedisCache", "create_cache"]
