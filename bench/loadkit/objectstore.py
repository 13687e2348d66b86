"""A real S3-compatible server on loopback for tests and benches: moto's standalone server on a free port, with the
two buckets the README asks for (media readable by anyone through its bucket policy, private not).

    with ObjectStore() as store:
        os.environ.update(store.environment())   # the S3_* variables a deployment would set
        store.pause(); ...; store.resume()       # a store that stops answering (SIGSTOP), for fault runs
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3

from bench.loadkit.server import free_port

MOTO_SERVER = Path(sys.executable).with_name("moto_server")
REGION = "fr-par"
KEY_ID, SECRET = "cnum-bench", "cnum-bench-secret"


def public_read_policy(bucket: str) -> str:
    """The media bucket's policy (README): anyone may read its objects, nothing more."""
    statement = {
        "Sid": "PublicRead",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


class ObjectStore:
    """moto_server in a child process, its two buckets, and a client to look inside them."""

    def __init__(self, log_dir: str | None = None):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        suffix = uuid.uuid4().hex[:8]
        self.media_bucket, self.private_bucket = f"cnum-media-{suffix}", f"cnum-private-{suffix}"
        self.log_path = Path(log_dir or tempfile.gettempdir()) / f"moto-{self.port}.log"
        self.process = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self) -> None:
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(self.port)], stdout=log, stderr=subprocess.STDOUT
            )
        try:
            self._wait_until_it_answers()
            client = self.client
            for bucket in (self.media_bucket, self.private_bucket):
                client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
            client.put_bucket_policy(Bucket=self.media_bucket, Policy=public_read_policy(self.media_bucket))
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.resume()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def pause(self) -> None:
        """The server stops answering (connections hang) until resume()."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def _wait_until_it_answers(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto_server stopped (code {self.process.returncode}), see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise RuntimeError(f"moto_server does not answer after 30 s, see {self.log_path}")

    @property
    def client(self):
        credentials = {"aws_access_key_id": KEY_ID, "aws_secret_access_key": SECRET}
        return boto3.client("s3", endpoint_url=self.endpoint, region_name=REGION, **credentials)

    def environment(self, endpoint: str | None = None) -> dict[str, str]:
        """The S3_* variables that point the application at this server (or at `endpoint`)."""
        return {
            "S3_ENDPOINT_URL": endpoint or self.endpoint,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": KEY_ID,
            "S3_SECRET_ACCESS_KEY": SECRET,
            "S3_MEDIA_BUCKET": self.media_bucket,
            "S3_PRIVATE_BUCKET": self.private_bucket,
        }

    def keys(self, bucket: str) -> set[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return {entry["Key"] for page in pages for entry in page.get("Contents", ())}

    def body(self, bucket: str, key: str) -> bytes:
        return self.client.get_object(Bucket=bucket, Key=key)["Body"].read()

    def empty(self) -> None:
        client = self.client
        for bucket in (self.media_bucket, self.private_bucket):
            for key in self.keys(bucket):
                client.delete_object(Bucket=bucket, Key=key)
