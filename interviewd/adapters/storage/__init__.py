"""The storage port: recordings and other files, kept locally or in S3."""

from __future__ import annotations

from interviewd.adapters.storage.base import InvalidKey, ObjectNotFound, Storage, StoredObject, clean_key
from interviewd.adapters.storage.local import LocalStorage
from interviewd.config import Settings

__all__ = ["InvalidKey", "LocalStorage", "ObjectNotFound", "Storage", "StoredObject", "clean_key",
           "create_storage"]


def create_storage(settings: Settings) -> Storage:
    if settings.storage_backend == "s3":
        if not settings.s3_bucket:
            raise ValueError("INTERVIEWD_S3_BUCKET is required when INTERVIEWD_STORAGE_BACKEND=s3")
        from interviewd.adapters.storage.s3 import S3Storage

        return S3Storage(
            bucket=settings.s3_bucket, endpoint_url=settings.s3_endpoint_url, region=settings.s3_region,
            access_key_id=settings.s3_access_key_id, secret_access_key=settings.s3_secret_access_key,
            key_prefix=settings.s3_key_prefix,
        )
    return LocalStorage(settings.data_dir / "files")
