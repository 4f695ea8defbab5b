"""Create the platform's buckets in the local MinIO if they are missing (idempotent).

Usage: create_buckets.py BUCKET [BUCKET ...]; endpoint and credentials from the environment
that ./rankops exports.
"""

import os
import sys

from minio import Minio


def main(buckets: list[str]) -> None:
    client = Minio(
        f"{os.environ['RANKOPS_HOST']}:{os.environ['RANKOPS_MINIO_PORT']}",
        access_key=os.environ["RANKOPS_MINIO_USER"],
        secret_key=os.environ["RANKOPS_MINIO_PASSWORD"],
        secure=False,
    )
    for bucket in buckets:
        if not client.bucket_exists(bucket):
            client.make_bucket(bucket)
            print(f"    created bucket {bucket}")


if __name__ == "__main__":
    main(sys.argv[1:])
