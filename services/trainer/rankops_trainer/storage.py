"""s3:// URIs in the platform's MinIO (or any S3), read and written with the MinIO client."""

from __future__ import annotations

import os
from pathlib import Path

from minio import Minio
from minio.error import S3Error

from rankops_trainer.config import StackSettings


def split_uri(uri: str) -> tuple[str, str]:
    if not uri.startswith("s3://"):
        raise ValueError(f"not an s3:// URI: {uri!r}")
    bucket, _, key = uri[len("s3://"):].partition("/")
    if not bucket or not key:
        raise ValueError(f"s3 URI needs a bucket and a key: {uri!r}")
    return bucket, key


def join_uri(prefix: str, name: str) -> str:
    return prefix.rstrip("/") + "/" + name


class ObjectStore:
    def __init__(self, settings: StackSettings) -> None:
        self.client = Minio(settings.minio_endpoint, access_key=settings.minio_access_key,
                            secret_key=settings.minio_secret_key, secure=False)

    def download(self, uri: str, target: str | os.PathLike[str]) -> Path:
        """Download to `target` through a temporary name, so a crash leaves no partial file."""
        bucket, key = split_uri(uri)
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.part")
        self.client.fget_object(bucket, key, str(tmp))
        os.replace(tmp, target)
        return target

    def upload(self, source: str | os.PathLike[str], uri: str, content_type: str = "application/octet-stream") -> str:
        bucket, key = split_uri(uri)
        self.client.fput_object(bucket, key, str(source), content_type=content_type)
        return uri

    def put_bytes(self, uri: str, data: bytes, content_type: str) -> str:
        import io

        bucket, key = split_uri(uri)
        self.client.put_object(bucket, key, io.BytesIO(data), len(data), content_type=content_type)
        return uri

    def get_bytes(self, uri: str) -> bytes:
        bucket, key = split_uri(uri)
        response = self.client.get_object(bucket, key)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def exists(self, uri: str) -> bool:
        bucket, key = split_uri(uri)
        try:
            self.client.stat_object(bucket, key)
            return True
        except S3Error as e:
            if e.code in ("NoSuchKey", "NoSuchObject"):
                return False
            raise
