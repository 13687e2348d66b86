"""deploy/create_buckets.py against a real S3-compatible server (moto_server), as compose's `buckets` runs it."""

import json
import os
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.deploy.project_files import ROOT

SCRIPT = ROOT / "deploy" / "create_buckets.py"
MOTO_SERVER = Path(sys.executable).parent / "moto_server"
CREDENTIALS = {"S3_ACCESS_KEY_ID": "cnum-test", "S3_SECRET_ACCESS_KEY": "cnum-test-secret", "S3_REGION": "fr-par"}


@pytest.fixture(scope="module")
def endpoint():
    """A moto_server on a free loopback port for this module, stopped at the end."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)


def run(endpoint_url: str, **overrides) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("S3_", "AWS_"))}
    env.update(CREDENTIALS, S3_ENDPOINT_URL=endpoint_url, **overrides)
    return subprocess.run(
        [sys.executable, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def s3(endpoint_url: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name="fr-par",
        aws_access_key_id=CREDENTIALS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["S3_SECRET_ACCESS_KEY"],
    )


class TestCreateBuckets:
    def test_it_creates_a_public_media_bucket_and_a_private_bucket_once(self, endpoint):
        buckets = {"S3_MEDIA_BUCKET": "media-once", "S3_PRIVATE_BUCKET": "private-once"}
        first = run(endpoint, **buckets)
        assert first.returncode == 0, first.stderr
        assert "Bucket media-once : créé." in first.stdout and "Bucket private-once : créé." in first.stdout
        second = run(endpoint, **buckets)
        assert second.returncode == 0, second.stderr
        assert "Bucket private-once : déjà présent." in second.stdout
        client = s3(endpoint)
        statement = json.loads(client.get_bucket_policy(Bucket="media-once")["Policy"])["Statement"][0]
        assert (statement["Effect"], statement["Principal"], statement["Action"]) == ("Allow", "*", ["s3:GetObject"])
        assert statement["Resource"] == ["arn:aws:s3:::media-once/*"]
        with pytest.raises(ClientError) as no_policy:
            client.get_bucket_policy(Bucket="private-once")
        assert no_policy.value.response["Error"]["Code"] == "NoSuchBucketPolicy"

    def test_it_removes_a_policy_someone_put_on_the_private_bucket(self, endpoint):
        client = s3(endpoint)
        client.create_bucket(Bucket="private-opened", CreateBucketConfiguration={"LocationConstraint": "fr-par"})
        client.put_bucket_policy(
            Bucket="private-opened",
            Policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": "*",
                            "Action": ["s3:GetObject"],
                            "Resource": ["arn:aws:s3:::private-opened/*"],
                        }
                    ],
                }
            ),
        )
        result = run(endpoint, S3_MEDIA_BUCKET="media-x", S3_PRIVATE_BUCKET="private-opened")
        assert result.returncode == 0, result.stderr
        with pytest.raises(ClientError):
            client.get_bucket_policy(Bucket="private-opened")

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"S3_MEDIA_BUCKET": "", "S3_PRIVATE_BUCKET": "p"}, "Variables manquantes : S3_MEDIA_BUCKET"),
            ({"S3_MEDIA_BUCKET": "same", "S3_PRIVATE_BUCKET": "same"}, "deux buckets différents"),
        ],
    )
    def test_it_refuses_an_incomplete_or_unsafe_configuration(self, endpoint, overrides, message):
        result = run(endpoint, **overrides)
        assert result.returncode == 2 and message in result.stderr

    def test_an_unreachable_store_fails_with_a_french_message(self, capsys):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
        main = runpy.run_path(str(SCRIPT))["main"]
        env = {**CREDENTIALS, "S3_ENDPOINT_URL": closed, "S3_MEDIA_BUCKET": "m", "S3_PRIVATE_BUCKET": "p"}
        assert main(env, wait_seconds=0) == 1
        assert "Stockage objet injoignable" in capsys.readouterr().err
