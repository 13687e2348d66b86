"""The STORAGES setting from the environment: local folders by default, an S3-compatible store when configured.

Object storage is on when S3_PRIVATE_BUCKET is set; it then needs the public media bucket, the endpoint and the
keys too, and a half configuration stops start-up (a second node would not see the files of the first).
"""

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from botocore.config import Config
from django.core.exceptions import ImproperlyConfigured

from config.env import env_int, env_str

S3_VARIABLES = (
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_MEDIA_BUCKET",
    "S3_PRIVATE_BUCKET",
    "S3_SIGNED_URL_SECONDS",
)
# A store that does not answer must fail the request in seconds, not hold a worker thread (botocore's defaults are
# 60 s per read and up to 5 attempts).
CLIENT_CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 2, "mode": "standard"})
# Larger downloads through django-storages' own file object spill to a temporary file instead of memory.
MAX_MEMORY_SIZE = 2 * 1024 * 1024
MEDIA_CACHE_CONTROL = "public, max-age=86400"

ROUTER = {"BACKEND": "common.storage.MediaRouterStorage"}
FILESYSTEM = {
    "default": ROUTER,
    "media": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "common.storage.PrivateFileSystemStorage"},
}


@dataclass(frozen=True)
class ObjectStorage:
    """The storages to use, and the origin the public media are served from (for the content security policy)."""

    storages: dict
    media_origin: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.media_origin)


def object_storage() -> ObjectStorage:
    """Read the S3_* variables; the local folders (MEDIA_ROOT, PRIVATE_MEDIA_ROOT) when none is set."""
    private_bucket = env_str("S3_PRIVATE_BUCKET")
    if not private_bucket:
        stray = [name for name in S3_VARIABLES if os.environ.get(name)]
        if stray:
            raise ImproperlyConfigured(
                f"{', '.join(stray)} : le stockage objet n'est activé que si S3_PRIVATE_BUCKET est défini "
                "(avec S3_MEDIA_BUCKET, S3_ENDPOINT_URL, S3_ACCESS_KEY_ID et S3_SECRET_ACCESS_KEY)."
            )
        return ObjectStorage(storages=dict(FILESYSTEM))
    required = ("S3_MEDIA_BUCKET", "S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")
    missing = [name for name in required if not env_str(name)]
    if missing:
        raise ImproperlyConfigured(
            f"S3_PRIVATE_BUCKET est défini mais {', '.join(missing)} manque : le stockage objet demande les deux "
            "compartiments, l'adresse du service et les clés d'accès."
        )
    endpoint = env_str("S3_ENDPOINT_URL").rstrip("/")
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(f"S3_ENDPOINT_URL={endpoint!r} : adresse http(s)://hôte[:port] attendue.")
    media_bucket = env_str("S3_MEDIA_BUCKET")
    if media_bucket == private_bucket:
        raise ImproperlyConfigured(
            "S3_MEDIA_BUCKET et S3_PRIVATE_BUCKET doivent être deux compartiments distincts : le premier est public, "
            "le second ne doit jamais l'être."
        )
    common = {
        "endpoint_url": endpoint,
        "region_name": env_str("S3_REGION", "fr-par"),
        "access_key": env_str("S3_ACCESS_KEY_ID"),
        "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
        "signature_version": "s3v4",
        # Path-style addresses (https://endpoint/bucket/key) work on every S3-compatible service and need no DNS.
        "addressing_style": "path",
        "file_overwrite": False,
        "default_acl": None,
        "client_config": CLIENT_CONFIG,
        "max_memory_size": MAX_MEMORY_SIZE,
    }
    backend = "storages.backends.s3.S3Storage"
    media = {
        **common,
        "bucket_name": media_bucket,
        "querystring_auth": False,
        "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
    }
    private = {
        **common,
        "bucket_name": private_bucket,
        "querystring_auth": True,
        "querystring_expire": env_int("S3_SIGNED_URL_SECONDS", 300, minimum=1, maximum=3600),
    }
    return ObjectStorage(
        storages={
            "default": ROUTER,
            "media": {"BACKEND": backend, "OPTIONS": media},
            "private": {"BACKEND": backend, "OPTIONS": private},
        },
        media_origin=f"{parts.scheme}://{parts.netloc}",
    )
