"""Bench of private files through the views: a 2 MB CV sent with the candidate form, then downloaded by a national
agent (streamed), on the local folders and on a real S3-compatible server (moto_server on loopback); p50/p95 of
each, in milliseconds.

    .venv/bin/python bench/storage.py --runs 20

Each backend runs in its own process, configured as a deployment is: by the environment (the S3_* variables, or
none for the local folders), read by the settings at start-up. They share a throw-away SQLite database in a
temporary folder, migrated first. The requests go through Django's test client, in-process (no HTTP server: the
figures are the view and the storage, not the network), and include the form's own PDF check (pypdf reads the
whole file), the same on both backends.
"""

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadkit.objectstore import ObjectStore  # noqa: E402

AGENT = "agent.national@bench.test"


def log(message: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def setup_django(work: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{work}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{work}/media"
    os.environ["PRIVATE_MEDIA_ROOT"] = f"{work}/private"
    import django

    django.setup()


def prepare(work: str) -> None:
    """Migrate the throw-away database, load the communes, create the national agent who downloads."""
    setup_django(work)
    from django.core.management import call_command

    from accounts import services
    from accounts.enums import Role
    from accounts.models import User

    call_command("migrate", verbosity=0)
    call_command("load_territories", verbosity=0)
    agent = User.objects.create_user(email=AGENT, password="bench-password-0123")
    services.membership_grant(user=agent, role=Role.NATIONAL, granted_by=None)


def cv_of(size: int) -> bytes:
    """A real PDF of about `size` bytes: one page holding a noise image that JPEG cannot shrink."""
    from PIL import Image

    side = 800
    for _ in range(2):  # a first guess, then the side that gives the size asked for
        picture = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        buffer = io.BytesIO()
        picture.save(buffer, "PDF", quality=90)
        side = int(side * (size / buffer.tell()) ** 0.5)
    return buffer.getvalue()


def candidate_form(n: int) -> dict:
    from django.utils import timezone

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


def measure(work: str, runs: int, size: int) -> dict:
    """`runs` uploads then downloads of a CV on the storages the environment configures; timings in ms."""
    setup_django(work)
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import override_settings

    from accounts.models import User
    from workflows.models import AdvisorApplication

    cv = cv_of(size)
    agent = User.objects.get(email=AGENT)
    client = Client()
    uploads, downloads = [], []
    with override_settings(APPLICATION_IP_LIMIT_PER_HOUR=10_000, APPLICATION_RATE_LIMIT_PER_HOUR=10_000):
        for n in range(runs + 1):  # the first round warms connections and caches up; it is not counted
            client.logout()
            data = {**candidate_form(n), "cv": SimpleUploadedFile("cv.pdf", cv, "application/pdf")}
            started = time.perf_counter()
            response = client.post("/candidature/conseiller/", data)
            upload = time.perf_counter() - started
            if response.status_code != 302:
                raise SystemExit(f"the form answered {response.status_code}")
            candidate = AdvisorApplication.objects.latest("pk")
            client.force_login(agent)
            started = time.perf_counter()
            response = client.get(f"/espace/candidats/{candidate.pk}/cv/")
            received = b"".join(response.streaming_content)
            download = time.perf_counter() - started
            if response.status_code != 200 or received != cv:
                raise SystemExit(f"the download answered {response.status_code}, {len(received)} bytes")
            if n:
                uploads.append(upload * 1000)
                downloads.append(download * 1000)
    return {"size": len(cv), "uploads": uploads, "downloads": downloads}


def child(args, work: str, environment: dict[str, str] | None = None, *extra: str) -> str:
    """Run this script again in a fresh process (settings are read once per process); its standard output."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("S3_")}
    env.update(environment or {})
    command = [sys.executable, __file__, "--work", work, "--runs", str(args.runs), "--size-mb", str(args.size_mb)]
    result = subprocess.run([*command, *extra], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(result.stderr[-3000:])
    return result.stdout


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--size-mb", type=float, default=2.0)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--step", choices=["prepare", "measure"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    size = int(args.size_mb * 1024 * 1024)
    if args.step == "prepare":
        prepare(args.work)
        return
    if args.step == "measure":
        sys.stdout.write(json.dumps(measure(args.work, args.runs, size)))
        return

    work = tempfile.mkdtemp(prefix="cnum-bench-storage-")
    try:
        log(f"migrating a throw-away database in {work}")
        child(args, work, None, "--step", "prepare")
        results = []
        log(f"filesystem: {args.runs} runs")
        results.append(("filesystem", json.loads(child(args, work, None, "--step", "measure"))))
        with ObjectStore(log_dir=work) as store:
            log(f"S3 (moto_server at {store.endpoint}): {args.runs} runs")
            results.append(
                ("S3 (moto_server)", json.loads(child(args, work, store.environment(), "--step", "measure")))
            )
            log(f"{len(store.keys(store.private_bucket))} objects in the private bucket")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    megabytes = results[0][1]["size"] / 1024 / 1024
    lines = [
        f"\nCV {megabytes:.2f} MB, {args.runs} runs, load average {os.getloadavg()[0]:.1f}\n",
        "| backend | upload p50 | upload p95 | download p50 | download p95 |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, result in results:
        up, down = result["uploads"], result["downloads"]
        lines.append(
            f"| {label} | {statistics.median(up):.0f} ms | {percentile(up, 0.95):.0f} ms "
            f"| {statistics.median(down):.0f} ms | {percentile(down, 0.95):.0f} ms |"
        )
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
