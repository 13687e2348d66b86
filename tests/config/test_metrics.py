"""Prometheus metrics: off by default (nothing installed), on with PROMETHEUS_METRICS, restricted by address."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from config.metrics import clear_multiprocess_dir, forget_worker, is_allowed, metrics_view

ROOT = Path(__file__).resolve().parents[2]
BEFORE = "django_prometheus.middleware.PrometheusBeforeMiddleware"
AFTER = "django_prometheus.middleware.PrometheusAfterMiddleware"


def python(script: str, **extra_env) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PROMETHEUS", "METRICS"))}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.test", **extra_env}
    command = [sys.executable, "-c", script]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


SETTINGS_DUMP = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
page = None
if settings.PROMETHEUS_METRICS:  # scraped by the node's address, from an allowed one
    page = Client().get("/metriques/", HTTP_HOST="10.0.0.5", REMOTE_ADDR="127.0.0.1").status_code
print(json.dumps({"apps": settings.INSTALLED_APPS, "middleware": settings.MIDDLEWARE, "page": page,
                  "allowed": settings.METRICS_ALLOWED_IPS, "exempt": settings.SECURE_REDIRECT_EXEMPT}))
"""


class TestSettings:
    def test_off_by_default_nothing_is_installed(self):
        result = python(SETTINGS_DUMP)
        assert result.returncode == 0, result.stderr
        values = json.loads(result.stdout)
        assert "django_prometheus" not in values["apps"]
        assert not any("prometheus" in name for name in values["middleware"])
        assert values["middleware"][0] == "django.middleware.security.SecurityMiddleware"
        assert not any("metriques" in pattern for pattern in values["exempt"])

    def test_on_it_wraps_every_middleware_and_mounts_the_page(self):
        result = python(SETTINGS_DUMP, PROMETHEUS_METRICS="true", METRICS_ALLOWED_IPS="127.0.0.1, 10.8.0.0/16")
        assert result.returncode == 0, result.stderr
        values = json.loads(result.stdout)
        assert "django_prometheus" in values["apps"] and values["page"] == 200
        assert values["middleware"][0] == BEFORE and values["middleware"][-1] == AFTER
        assert r"^metriques/$" in values["exempt"]
        assert values["allowed"] == ["127.0.0.1", "10.8.0.0/16"]

    def test_a_bad_allowed_address_stops_start_up(self):
        result = python(SETTINGS_DUMP, PROMETHEUS_METRICS="true", METRICS_ALLOWED_IPS="127.0.0.1,prometheus.local")
        assert result.returncode != 0 and "METRICS_ALLOWED_IPS" in result.stderr


class TestAllowedAddresses:
    @pytest.mark.parametrize(
        "address,allowed",
        [("127.0.0.1", True), ("10.8.3.4", True), ("10.9.0.1", False), ("::1", False), (None, False)],
    )
    def test_addresses_and_networks(self, address, allowed):
        assert is_allowed(address, ["127.0.0.1", "10.8.0.0/16"]) is allowed


@pytest.fixture
def metrics_on(settings):
    settings.PROMETHEUS_METRICS = True
    settings.MIDDLEWARE = [BEFORE, *settings.MIDDLEWARE, AFTER]
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]


@pytest.mark.django_db
@pytest.mark.usefixtures("metrics_on")
class TestMetricsPage:
    def test_requests_are_counted_and_shown_to_an_allowed_address(self, client):
        client.get("/connexion/")
        response = client.get("/metriques/", REMOTE_ADDR="127.0.0.1")
        assert response.status_code == 200
        assert 'django_http_requests_total_by_method_total{method="GET"}' in response.text
        assert "django_http_responses_total_by_status_total" in response.text

    def test_any_other_address_gets_an_empty_404(self, client):
        response = client.get("/metriques/", REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 404 and response.content == b""

    def test_a_scraper_may_use_the_node_address_as_host_over_plain_http(self, client, settings):
        settings.ALLOWED_HOSTS, settings.SECURE_SSL_REDIRECT = ["conseiller-numerique.gouv.fr"], True
        settings.SECURE_REDIRECT_EXEMPT = [*settings.SECURE_REDIRECT_EXEMPT, r"^metriques/$"]
        assert client.get("/metriques/", HTTP_HOST="10.0.3.7:8000").status_code == 200
        assert client.get("/connexion/", HTTP_HOST="10.0.3.7:8000").status_code == 400

    def test_behind_the_proxy_the_forwarded_client_address_decides(self, client, settings):
        settings.TRUST_X_FORWARDED_FOR, settings.TRUSTED_PROXY_COUNT = True, 1
        # The proxy itself is on loopback: the client it forwards is what counts.
        refused = client.get("/metriques/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert refused.status_code == 404
        # A client cannot slip an allowed address in front of the one our proxy appended.
        spoofed = client.get("/metriques/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.9")
        assert spoofed.status_code == 404
        assert client.get("/metriques/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 200


WORKER = """
import django; django.setup()
from django.test import Client
client = Client()
for _ in range(3):
    assert client.get("/sante/vivant/").status_code == 200
"""
SCRAPE = """
import django; django.setup()
from django.test import RequestFactory
from config.metrics import metrics_view
print(metrics_view(RequestFactory().get("/metriques/", REMOTE_ADDR="127.0.0.1")).content.decode())
"""


class TestSeveralWorkers:
    def test_counts_of_every_worker_process_are_added_up(self, tmp_path):
        folder = tmp_path / "metrics"
        folder.mkdir()
        (folder / "counter_99999.db").write_bytes(b"stale file of a previous run")
        env = {"PROMETHEUS_METRICS": "true", "PROMETHEUS_MULTIPROC_DIR": str(folder)}
        assert clear_multiprocess_dir(env) == folder and not list(folder.iterdir())
        for _ in range(2):  # two workers, one after the other (each its own process and pid)
            worker = python(WORKER, **env)
            assert worker.returncode == 0, worker.stderr
        assert len(list(folder.glob("counter_*.db"))) == 2
        scrape = python(SCRAPE, **env)
        assert scrape.returncode == 0, scrape.stderr
        assert "django_http_requests_before_middlewares_total 6.0" in scrape.stdout

    def test_the_helpers_do_nothing_without_the_folder_variable(self):
        assert clear_multiprocess_dir({}) is None
        forget_worker(12345, {})


def test_the_view_itself_refuses_other_addresses(settings):
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1"]
    assert metrics_view(RequestFactory().get("/metriques/", REMOTE_ADDR="198.51.100.4")).status_code == 404
    assert metrics_view(RequestFactory().get("/metriques/", REMOTE_ADDR="127.0.0.1")).status_code == 200
