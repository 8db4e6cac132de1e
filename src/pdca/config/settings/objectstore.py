"""Uploaded files in an S3-compatible object store (django-storages), configured from the
environment; used by the production settings when `PDCA_S3_BUCKET` is set."""

from typing import Any

from .env import env_str


def s3_storage_from_env() -> dict[str, Any] | None:
    """The `STORAGES["default"]` entry for the bucket named in the environment, or None."""
    bucket = env_str("PDCA_S3_BUCKET")
    if not bucket:
        return None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("PDCA_S3_ENDPOINT_URL") or None,
            "region_name": env_str("PDCA_S3_REGION") or None,
            "access_key": env_str("PDCA_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("PDCA_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("PDCA_S3_PREFIX"),
            # A second "report.pdf" gets a key of its own instead of replacing the first; the
            # files are private to the bucket and reach people only through pdca's permission
            # checks (the download views), never by a public URL.
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
