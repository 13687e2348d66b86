"""Bench of private files through the views: a 2 MB CV sent with the candidate form, then downloaded by a national
agent (streamed), on the local folders and on a real S3-compatible server (moto_server on loopback); p50/p95 of
each, in milliseconds.

    .venv/bin/python bench/storage.py --runs 20

It runs in-process (Django's test client: no HTTP server, so the figures are the view and the storage, not the
network) against a throw-away SQLite database in a temporary folder, migrated first. The times include the form's
own PDF check (pypdf reads the whole file), the same on both backends.
"""

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORK = tempfile.mkdtemp(prefix="cnum-bench-storage-")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{WORK}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = f"{WORK}/media"
os.environ["PRIVATE_MEDIA_ROOT"] = f"{WORK}/private"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402

from accounts import services as account_services  # noqa: E402
from accounts.enums import Role  # noqa: E402
from accounts.models import User  # noqa: E402
from bench.loadkit.objectstore import ObjectStore  # noqa: E402
from config.objectstorage import S3_VARIABLES, object_storage  # noqa: E402
from workflows.models import AdvisorApplication  # noqa: E402


def log(message: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def cv_of(size: int) -> bytes:
    """A real PDF of about `size` bytes: one page holding a noise image that JPEG cannot shrink."""
    side = 800
    for _ in range(2):  # a first guess, then the side that gives the size asked for
        picture = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        buffer = io.BytesIO()
        picture.save(buffer, "PDF", quality=90)
        side = int(side * (size / buffer.tell()) ** 0.5)
    return buffer.getvalue()


def form(n: int) -> dict:
    return {
        "first_name": "Inès",
        "last_name": "Banc",
        "email": f"bench-{n}-{time.monotonic_ns()}@perso.test",
        "phone": "",
        "commune_query": "Marseille",
        "commune_code": "13055",
        "situations": ["is_job_seeker"],
        "diploma_name": "",
        "has_experience": "non",
        "available_from": timezone.localdate().isoformat(),
        "max_distance_km": "20",
        "motivation": "Bench du stockage des fichiers.",
        "website": "",
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(label: str, runs: int, cv: bytes, agent) -> dict:
    """`runs` uploads then downloads of the CV; the timings of each, in ms."""
    client = Client()
    uploads, downloads = [], []
    for n in range(runs + 1):  # the first round warms connections and caches up; it is not counted
        client.logout()
        data = {**form(n), "cv": SimpleUploadedFile("cv.pdf", cv, "application/pdf")}
        started = time.perf_counter()
        response = client.post("/candidature/conseiller/", data)
        upload = time.perf_counter() - started
        if response.status_code != 302:
            raise SystemExit(f"{label}: the form answered {response.status_code}")
        candidate = AdvisorApplication.objects.latest("pk")
        client.force_login(agent)
        started = time.perf_counter()
        response = client.get(f"/espace/candidats/{candidate.pk}/cv/")
        received = b"".join(response.streaming_content)
        download = time.perf_counter() - started
        if response.status_code != 200 or received != cv:
            raise SystemExit(f"{label}: the download answered {response.status_code}, {len(received)} bytes")
        if n:
            uploads.append(upload * 1000)
            downloads.append(download * 1000)
    return {"label": label, "uploads": uploads, "downloads": downloads}


def storages_for(environment: dict[str, str]) -> dict:
    for name in S3_VARIABLES:
        os.environ.pop(name, None)
    os.environ.update(environment)
    return {**object_storage().storages, "staticfiles": settings.STORAGES["staticfiles"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--size-mb", type=float, default=2.0)
    args = parser.parse_args()

    log(f"migrating a throw-away database in {WORK}")
    call_command("migrate", verbosity=0)
    call_command("load_territories", verbosity=0)
    agent = User.objects.create_user(email="agent.national@bench.test", password="bench-password-0123")
    account_services.membership_grant(user=agent, role=Role.NATIONAL, granted_by=None)
    cv = cv_of(int(args.size_mb * 1024 * 1024))
    log(f"CV of {len(cv) / 1024 / 1024:.2f} MB, {args.runs} runs per backend")

    results = []
    limits = {"APPLICATION_IP_LIMIT_PER_HOUR": 10_000, "APPLICATION_RATE_LIMIT_PER_HOUR": 10_000}
    with override_settings(STORAGES=storages_for({}), **limits):
        results.append(run("filesystem", args.runs, cv, agent))
    with ObjectStore(log_dir=WORK) as store, override_settings(STORAGES=storages_for(store.environment()), **limits):
        results.append(run("S3 (moto_server)", args.runs, cv, agent))
        objects = len(store.keys(store.private_bucket))
    log(f"{objects} objects in the private bucket")

    lines = [
        f"\nCV {len(cv) / 1024 / 1024:.2f} MB, {args.runs} runs, load average {os.getloadavg()[0]:.1f}\n",
        "| backend | upload p50 | upload p95 | download p50 | download p95 |",
        "|---|---:|---:|---:|---:|",
    ]
    for result in results:
        up, down = result["uploads"], result["downloads"]
        lines.append(
            f"| {result['label']} | {statistics.median(up):.0f} ms | {percentile(up, 0.95):.0f} ms "
            f"| {statistics.median(down):.0f} ms | {percentile(down, 0.95):.0f} ms |"
        )
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
