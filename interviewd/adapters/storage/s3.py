"""Any S3-compatible object store (AWS S3, MinIO, Ceph, R2, ...) through boto3."""

from __future__ import annotations

import asyncio
from typing import BinaryIO

from interviewd.adapters.storage.base import ObjectNotFound, Storage, StoredObject, clean_key


class S3Storage(Storage):
    name = "s3"

    def __init__(self, *, bucket: str, endpoint_url: str | None = None, region: str | None = None,
                 access_key_id: str | None = None, secret_access_key: str | None = None,
                 key_prefix: str = "") -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = key_prefix.strip("/") + "/" if key_prefix.strip("/") else ""
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url, region_name=region,
            aws_access_key_id=access_key_id, aws_secret_access_key=secret_access_key,
            # Path-style addressing works with every S3-compatible server.
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                          retries={"max_attempts": 3, "mode": "standard"}),
        )

    def _key(self, key: str) -> str:
        return self.prefix + clean_key(key)

    async def put(self, key: str, data: bytes | BinaryIO, content_type: str) -> StoredObject:
        return await asyncio.to_thread(self._put, key, data, content_type)

    def _put(self, key: str, data: bytes | BinaryIO, content_type: str) -> StoredObject:
        import io

        body = io.BytesIO(data) if isinstance(data, bytes | bytearray | memoryview) else data
        start = body.tell()
        size = body.seek(0, io.SEEK_END) - start
        body.seek(start)
        # upload_fileobj streams in parts (multipart upload above 8 MB), so a large
        # recording is never held in memory whole. It may close the stream when done.
        self.client.upload_fileobj(body, self.bucket, self._key(key),
                                   ExtraArgs={"ContentType": content_type})
        return StoredObject(key=key, size=size, content_type=content_type)

    def _not_found(self, exc: Exception) -> bool:
        code = getattr(exc, "response", {}).get("Error", {}).get("Code")
        return code in ("NoSuchKey", "404", "NotFound")

    async def get(self, key: str) -> bytes:
        stream = await self.open(key)
        try:
            return await asyncio.to_thread(stream.read)
        finally:
            stream.close()

    async def open(self, key: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            answer = await asyncio.to_thread(self.client.get_object, Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if self._not_found(exc):
                raise ObjectNotFound(key) from None
            raise
        return answer["Body"]

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=self._key(key))

    async def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            await asyncio.to_thread(self.client.head_object, Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if self._not_found(exc):
                return False
            raise
        return True

    async def presigned_url(self, key: str, *, expires_in: int, content_type: str | None = None,
                            filename: str | None = None) -> str | None:
        params: dict = {"Bucket": self.bucket, "Key": self._key(key)}
        if content_type:
            params["ResponseContentType"] = content_type
        if filename:
            params["ResponseContentDisposition"] = f'inline; filename="{filename}"'
        return await asyncio.to_thread(self.client.generate_presigned_url, "get_object",
                                       Params=params, ExpiresIn=max(int(expires_in), 1))
