"""Create the two buckets of the object store if missing (compose's one-shot `buckets` service); safe to re-run.

The media bucket (Wagtail images and renditions) is readable by anyone, as the pages link to its files; the private
bucket (CVs, attachments, exports, documents) gets no policy at all: its files reach users only through the app.
Reads the contract variables S3_ENDPOINT_URL, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_MEDIA_BUCKET and
S3_PRIVATE_BUCKET. Standalone (boto3 only), so that it does not need the Django settings.
"""

import json
import os
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError

REQUIRED = ("S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_MEDIA_BUCKET", "S3_PRIVATE_BUCKET")
WAIT_SECONDS = 60


def public_read_policy(bucket: str) -> str:
    """A bucket policy letting anyone read (never list, never write) the objects of the bucket."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicReadObjects",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": ["s3:GetObject"],
                    "Resource": [f"arn:aws:s3:::{bucket}/*"],
                }
            ],
        }
    )


def client(env: dict):
    """An S3 client on the configured endpoint, with short timeouts."""
    return boto3.client(
        "s3",
        endpoint_url=env["S3_ENDPOINT_URL"],
        region_name=env.get("S3_REGION") or "fr-par",
        aws_access_key_id=env["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["S3_SECRET_ACCESS_KEY"],
        config=Config(
            connect_timeout=3, read_timeout=10, retries={"max_attempts": 2}, s3={"addressing_style": "path"}
        ),
    )


def ensure_bucket(s3, bucket: str, region: str) -> bool:
    """Create the bucket unless it exists; True when it was created."""
    try:
        s3.head_bucket(Bucket=bucket)
        return False
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in {"404", "NoSuchBucket", "NotFound"}:
            raise
    options = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=bucket, **options)
    return True


def wait_for_store(s3, deadline: float) -> None:
    """Retry until the store answers (it may still be starting), or raise after the deadline."""
    while True:
        try:
            s3.list_buckets()
            return
        except (EndpointConnectionError, BotoCoreError):
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def main(env: dict, wait_seconds: float = WAIT_SECONDS) -> int:
    """Create and configure both buckets; print what was done, in French."""
    missing = [name for name in REQUIRED if not env.get(name)]
    if missing:
        sys.stderr.write(f"Variables manquantes : {', '.join(missing)}.\n")
        return 2
    if env["S3_MEDIA_BUCKET"] == env["S3_PRIVATE_BUCKET"]:
        sys.stderr.write("S3_MEDIA_BUCKET et S3_PRIVATE_BUCKET doivent être deux buckets différents.\n")
        return 2
    s3 = client(env)
    region = env.get("S3_REGION") or "fr-par"
    try:
        wait_for_store(s3, time.monotonic() + wait_seconds)
        for bucket in (env["S3_MEDIA_BUCKET"], env["S3_PRIVATE_BUCKET"]):
            created = ensure_bucket(s3, bucket, region)
            sys.stdout.write(f"Bucket {bucket} : {'créé' if created else 'déjà présent'}.\n")
        s3.put_bucket_policy(Bucket=env["S3_MEDIA_BUCKET"], Policy=public_read_policy(env["S3_MEDIA_BUCKET"]))
        s3.delete_bucket_policy(Bucket=env["S3_PRIVATE_BUCKET"])
    except (BotoCoreError, ClientError) as error:
        sys.stderr.write(f"Stockage objet injoignable ou en erreur : {error}\n")
        return 1
    sys.stdout.write(
        f"{env['S3_MEDIA_BUCKET']} : lecture publique des fichiers ; {env['S3_PRIVATE_BUCKET']} : privé." + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(dict(os.environ)))
