"""A real S3-compatible server for the storage tests: moto's standalone server, one per xdist worker.

The server listens on a free loopback port, gets the two buckets the README asks for (the media one readable by
anyone through its bucket policy, the private one not), and is stopped when the worker's session ends. The `s3`
fixture points STORAGES at it through the project's own settings block (config.objectstorage), fed the S3_*
variables a deployment would set.
"""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from config.objectstorage import S3_VARIABLES, object_storage

MOTO_SERVER = Path(sys.executable).with_name("moto_server")
REGION = "fr-par"
KEY_ID, SECRET = "cnum-tests", "cnum-tests-secret"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def public_read_policy(bucket: str) -> str:
    """The bucket policy the README gives for the media bucket: anyone may read its objects, nothing more."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicRead",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/*",
                }
            ],
        }
    )


@dataclass
class S3Server:
    """The running server, its two buckets and a client to look inside them."""

    endpoint: str
    media_bucket: str
    private_bucket: str

    @property
    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=KEY_ID,
            aws_secret_access_key=SECRET,
        )

    def keys(self, bucket: str) -> set[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return {entry["Key"] for page in pages for entry in page.get("Contents", ())}

    def empty(self) -> None:
        client = self.client
        for bucket in (self.media_bucket, self.private_bucket):
            for key in self.keys(bucket):
                client.delete_object(Bucket=bucket, Key=key)

    def body(self, bucket: str, key: str) -> bytes:
        return self.client.get_object(Bucket=bucket, Key=key)["Body"].read()

    def environment(self, endpoint: str | None = None) -> dict[str, str]:
        return {
            "S3_ENDPOINT_URL": endpoint or self.endpoint,
            "S3_ACCESS_KEY_ID": KEY_ID,
            "S3_SECRET_ACCESS_KEY": SECRET,
            "S3_MEDIA_BUCKET": self.media_bucket,
            "S3_PRIVATE_BUCKET": self.private_bucket,
            "S3_SIGNED_URL_SECONDS": "2",
        }


def _wait_until_it_answers(endpoint: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server s'est arrêté (code {process.returncode}).")
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError("moto_server ne répond pas après 30 s.")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto_server on a free port for this worker's session, with a media and a private bucket."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("w")
    process = subprocess.Popen(
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        _wait_until_it_answers(endpoint, process)
        suffix = uuid.uuid4().hex[:8]
        server = S3Server(endpoint, f"cnum-media-{suffix}", f"cnum-private-{suffix}")
        client = server.client
        for bucket in (server.media_bucket, server.private_bucket):
            client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        client.put_bucket_policy(Bucket=server.media_bucket, Policy=public_read_policy(server.media_bucket))
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def use_environment(monkeypatch, settings, environment: dict[str, str]):
    """Set the S3_* variables and STORAGES as the settings block derives them from those variables."""
    for name in S3_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    configured = object_storage()
    settings.STORAGES = {**configured.storages, "staticfiles": settings.STORAGES["staticfiles"]}
    return configured


@pytest.fixture(autouse=True)
def _local_folders(settings, tmp_path):
    """Files of the filesystem backend land in this test's folder, never in the working copy."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def s3(s3_server, monkeypatch, settings):
    """STORAGES on the moto server for one test, its buckets empty."""
    s3_server.empty()
    use_environment(monkeypatch, settings, s3_server.environment())
    return s3_server


@pytest.fixture
def s3_down(s3_server, monkeypatch, settings):
    """STORAGES on an endpoint where nothing listens: every call to the store fails at once."""
    use_environment(monkeypatch, settings, s3_server.environment(endpoint=f"http://127.0.0.1:{free_port()}"))
    return s3_server


@pytest.fixture(params=["filesystem", "s3"])
def backend(request, settings):
    """Each test that takes it runs twice: on the local folders (the default) and on the S3 server."""
    if request.param == "s3":
        request.getfixturevalue("s3")
    return request.param
