"""Liveness and readiness probes: JSON, 200 or 503 naming the failing check, reachable whatever the Host header."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from bench.loadkit.server import free_port

ROOT = Path(__file__).resolve().parents[2]
LIVE, READY = "/sante/vivant/", "/sante/pret/"


def closed_port() -> int:
    """A loopback port nothing listens on (asked from the OS, then released)."""
    return free_port()


@pytest.fixture(autouse=True)
def _storage_in_tmp(settings, tmp_path):
    """The storage check writes its probe file under tmp_path, never into the checkout."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(tmp_path / "files")}},
    }


def task(*, status="READY", waited_minutes=0, run_after=None):
    """A background task row as django-tasks-db stores it, enqueued `waited_minutes` ago."""
    row = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="accounts.jobs.send_email",
        backend_name="default",
        run_after=run_after or get_date_max(),
    )
    DBTaskResult.objects.filter(pk=row.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=waited_minutes)
    )
    return row


def checks_of(response) -> dict:
    return json.loads(response.content)["verifications"]


class TestLiveness:
    def test_it_answers_without_touching_the_database_or_the_cache(self, client, settings):
        # No db fixture: pytest-django refuses any database access here; the cache points at a closed port.
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            }
        }
        response = client.get(LIVE)
        assert response.status_code == 200
        assert response.json() == {"statut": "vivant"}
        assert "no-store" in response["Cache-Control"]

    def test_it_sets_no_cookie_and_refuses_writes(self, client):
        assert not client.get(LIVE).cookies
        response = client.post(LIVE)
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
class TestReadiness:
    def test_it_is_ready_when_database_cache_storage_and_tasks_are(self, client, tmp_path):
        task(waited_minutes=1)
        response = client.get(READY)
        assert response.status_code == 200, response.content
        assert response.json() == {
            "statut": "pret",
            "verifications": {"base_de_donnees": "ok", "cache": "ok", "stockage": "ok", "taches": "ok"},
        }
        assert not response.cookies
        assert not list((tmp_path / "files").rglob("*.txt"))  # the probe file was removed

    def test_a_cache_on_a_closed_port_is_named(self, client, settings):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            }
        }
        response = client.get(READY)
        assert response.status_code == 503
        assert checks_of(response) == {"base_de_donnees": "ok", "cache": "en panne", "stockage": "ok", "taches": "ok"}
        assert "127.0.0.1" not in response.content.decode()

    def test_a_storage_that_cannot_write_is_named(self, client, settings, tmp_path):
        blocker = tmp_path / "not-a-directory"
        blocker.write_text("a file where the storage expects its folder")
        settings.STORAGES = {
            **settings.STORAGES,
            "private": {**settings.STORAGES["private"], "OPTIONS": {"location": str(blocker)}},
        }
        response = client.get(READY)
        assert response.status_code == 503
        assert checks_of(response)["stockage"] == "en panne"
        assert str(tmp_path) not in response.content.decode() and "Traceback" not in response.content.decode()

    def test_the_private_storage_is_the_one_checked_once_it_exists(self, client, settings, tmp_path):
        blocker = tmp_path / "not-a-directory"
        blocker.write_text("")
        settings.STORAGES = {
            **settings.STORAGES,
            "private": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(blocker)},
            },
        }
        assert checks_of(client.get(READY))["stockage"] == "en panne"

    def test_tasks_waiting_too_long_for_a_worker_make_it_unready(self, client, settings):
        settings.TASK_BACKLOG_MAX_MINUTES, settings.TASK_BACKLOG_MAX_TASKS = 15, 1
        task(waited_minutes=20)
        assert client.get(READY).status_code == 200  # one is tolerated
        task(waited_minutes=16)
        response = client.get(READY)
        assert response.status_code == 503
        assert checks_of(response) == {"base_de_donnees": "ok", "cache": "ok", "stockage": "ok", "taches": "en panne"}

    def test_running_recent_and_scheduled_tasks_are_not_a_backlog(self, client):
        task(status="RUNNING", waited_minutes=60)
        task(status="SUCCESSFUL", waited_minutes=60)
        task(waited_minutes=14)
        task(waited_minutes=60, run_after=timezone.now() + datetime.timedelta(hours=1))
        task(waited_minutes=60, run_after=timezone.now() - datetime.timedelta(minutes=5))
        assert client.get(READY).status_code == 200

    def test_a_scheduled_task_overdue_for_too_long_is_a_backlog(self, client):
        task(waited_minutes=120, run_after=timezone.now() - datetime.timedelta(minutes=30))
        assert checks_of(client.get(READY))["taches"] == "en panne"


@pytest.mark.django_db
class TestProbesBehindTheLoadBalancer:
    def test_a_node_address_as_host_is_accepted_for_the_probes_only(self, client, settings):
        settings.ALLOWED_HOSTS = ["conseiller-numerique.gouv.fr"]
        assert client.get(LIVE, HTTP_HOST="10.0.3.7:8000").status_code == 200
        assert client.get(READY, HTTP_HOST="10.0.3.7:8000").status_code == 200
        assert client.get("/connexion/", HTTP_HOST="10.0.3.7:8000").status_code == 400
        assert client.get("/sante/vivant/../connexion/", HTTP_HOST="10.0.3.7:8000").status_code == 400

    def test_plain_http_probes_are_not_redirected_to_https(self, client, settings):
        settings.SECURE_SSL_REDIRECT = True
        settings.ALLOWED_HOSTS = ["conseiller-numerique.gouv.fr"]
        assert client.get(LIVE, HTTP_HOST="10.0.3.7").status_code == 200
        assert client.get(READY, HTTP_HOST="10.0.3.7").status_code == 200
        home = client.get("/", HTTP_HOST="conseiller-numerique.gouv.fr")
        assert home.status_code == 301 and home["Location"].startswith("https://")

    def test_the_probes_are_never_rate_limited_nor_locked_out(self, client):
        for _ in range(30):
            assert client.get(LIVE).status_code == 200
        assert client.get(READY).status_code == 200


def test_with_the_database_down_liveness_answers_and_readiness_names_it(tmp_path):
    """A real outage: a fresh process whose DATABASE_URL points at a closed port."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "client = Client()\n"
        "live, ready = client.get('/sante/vivant/'), client.get('/sante/pret/')\n"
        "print(live.status_code, ready.status_code, ready.content.decode())\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/cnum_down",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    live, ready, body = result.stdout.strip().split(" ", 2)
    assert (live, ready) == ("200", "503")
    assert json.loads(body)["verifications"]["base_de_donnees"] == "en panne"
    assert "5432" not in body and "cnum_down" not in body and "password" not in body
