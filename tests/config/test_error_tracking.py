"""Error tracking: the real Sentry SDK with a capturing transport (no network) sends no secret nor personal data."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from config.error_tracking import before_send, deployed_release, sentry_options

ROOT = Path(__file__).resolve().parents[2]
DSN = "https://public@sentry.invalid/1"
PASSWORD = "Tr0ub4dor-et-3-chevaux"
URL_TOKEN = "Zx9-url-t0k3n"
BEARER = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.c2lnbmF0dXJl"
SESSION = "s3ss10n-c00kie"
EMAIL = "jeanne.martin@mairie-exemple.fr"
SECRETS = (PASSWORD, URL_TOKEN, BEARER, SESSION, EMAIL, "06 12 34 56 78")


class CapturingTransport(Transport):
    """Keeps every envelope the SDK would send, as the bytes it would send."""

    def __init__(self, options=None):
        super().__init__(options)
        self.payloads = []

    def capture_envelope(self, envelope):
        self.payloads.append(envelope.serialize().decode())


@pytest.fixture
def sent():
    transport = CapturingTransport()
    options = sentry_options(dsn=DSN, environment="test", release="r1", traces_sample_rate=1)
    sentry_sdk.init(**options, transport=transport)
    yield transport.payloads
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


@pytest.mark.django_db
@pytest.mark.urls("tests.config.error_urls")
class TestSentryEvents:
    def test_a_failing_view_reaches_sentry_without_secrets_or_personal_data(self, client, sent):
        client.raise_request_exception = False
        client.cookies["sessionid"] = SESSION
        response = client.post(
            f"/echec/?token={URL_TOKEN}&page=2",
            {"username": EMAIL, "password": PASSWORD},
            HTTP_AUTHORIZATION=f"Bearer {BEARER}",
        )
        assert response.status_code == 500
        sentry_sdk.flush()
        payload = "\n".join(sent)
        assert "ValueError" in payload and "failing_view" in payload  # the error itself did arrive…
        assert "[masqu" in payload and "page=2" in payload  # masks, JSON-escaped
        for secret in SECRETS:
            assert secret not in payload, secret  # …without what it carried

    def test_a_logged_error_with_personal_data_is_scrubbed(self, sent):

        logging.getLogger("cnum").error("Import refusé pour %s (tél. +33 6 12 34 56 78), password=%s", EMAIL, PASSWORD)
        sentry_sdk.flush()
        payload = "\n".join(sent)
        assert "Import refus" in payload
        for secret in (EMAIL, PASSWORD, "+33 6 12 34 56 78"):
            assert secret not in payload


class TestBeforeSend:
    def test_health_probes_are_not_reported(self):
        assert before_send({"request": {"url": "http://10.0.0.7/sante/pret/"}}, {}) is None
        assert before_send({"request": {"url": "http://10.0.0.7/sante/"}}, {}) is not None

    def test_secret_keys_are_masked_whole_and_numbers_kept(self):
        event = before_send(
            {"extra": {"api_key": "abc", "Cookie": "a=b", "count": 3, "note": f"écrire à {EMAIL}", "empty": None}}, {}
        )
        assert event["extra"] == {
            "api_key": "[masqué]",
            "Cookie": "[masqué]",
            "count": 3,
            "note": "écrire à [masqué]",
            "empty": None,
        }


class TestRelease:
    def test_the_variable_wins_then_the_paas_commit_then_git(self, tmp_path):
        assert deployed_release({"SENTRY_RELEASE": "v42", "SOURCE_VERSION": "abc"}, ROOT) == "v42"
        assert deployed_release({"SOURCE_VERSION": "abc"}, ROOT) == "abc"
        assert deployed_release({"COMMIT_ID": "def"}, ROOT) == "def"
        git = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        assert deployed_release({}, ROOT) == (git.stdout.strip() if git.returncode == 0 else None)
        assert deployed_release({}, tmp_path) is None  # no git repository there


def settings_process(extra_env):
    script = (
        "import json, django; django.setup()\n"
        "import sentry_sdk\n"
        "client = sentry_sdk.get_client()\n"
        "keys = ['environment', 'release', 'traces_sample_rate']\n"
        "print(json.dumps({'active': client.is_active(), **{k: client.options.get(k) for k in keys},\n"
        "                  'send_default_pii': client.should_send_default_pii(),\n"
        "                  'before_send': getattr(client.options.get('before_send'), '__module__', None)}))\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SENTRY_"))}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.test", **extra_env}
    command = [sys.executable, "-c", script]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


class TestSettings:
    def test_sentry_starts_only_with_a_dsn_and_reads_its_variables(self):
        result = settings_process(
            {
                "SENTRY_DSN": DSN,
                "SENTRY_ENVIRONMENT": "recette",
                "SENTRY_RELEASE": "2026.12.1",
                "SENTRY_TRACES_SAMPLE_RATE": "0.05",
            }
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == {
            "active": True,
            "environment": "recette",
            "release": "2026.12.1",
            "traces_sample_rate": 0.05,
            "send_default_pii": False,
            "before_send": "config.error_tracking",
        }
        result = settings_process({})
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["active"] is False

    def test_a_bad_sample_rate_stops_start_up(self):
        result = settings_process({"SENTRY_DSN": DSN, "SENTRY_TRACES_SAMPLE_RATE": "10%"})
        assert result.returncode != 0 and "SENTRY_TRACES_SAMPLE_RATE" in result.stderr
