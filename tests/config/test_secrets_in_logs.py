"""No secret in logs or error reports: passwords, tokens, signed links, Authorization headers, cookies."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import reverse

from config.logfilters import ScrubbedJsonFormatter, ScrubSecretsFilter, SecretsExceptionReporter, scrub
from tests.workflows.factories import CandidateFactory
from workflows import tokens

SECRET_PASSWORD = "Tr0ub4dor-et-3-chevaux"
BEARER = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.c2lnbmF0dXJl"


@pytest.fixture
def console():
    """What the project's configured log handler writes (the real handler, its filters, its formatter)."""
    handlers = [h for h in logging.getLogger().handlers if any(isinstance(f, ScrubSecretsFilter) for f in h.filters)]
    assert handlers, "the console handler must carry the scrubbing filter"
    stream = io.StringIO()
    root = logging.getLogger()
    level, previous = root.level, [handler.setStream(stream) for handler in handlers]
    root.setLevel(logging.INFO)
    yield stream
    root.setLevel(level)
    for handler, old in zip(handlers, previous, strict=True):
        handler.setStream(old)


@pytest.mark.django_db
class TestLogs:
    def test_failed_logins_and_the_lockout_leak_no_password(self, client, console, prefecture_paris):
        for _ in range(6):
            client.post(reverse("accounts:login"), {"username": prefecture_paris.email, "password": SECRET_PASSWORD})
        output = console.getvalue()
        assert "AXES: Locking out" in output  # the lockout was logged…
        assert SECRET_PASSWORD not in output  # …without the password

    def test_a_signed_link_in_a_logged_url_is_masked(self, client, console):
        candidate = CandidateFactory()
        token = tokens.make_token(tokens.CONFIRM_CANDIDATE, candidate.pk)
        candidate.delete()
        response = client.get(reverse("candidature:candidate_confirm", args=[token]))
        assert response.status_code == 400
        output = console.getvalue()
        assert "Bad Request: /candidature/conseiller/confirmer/[masqué]" in output
        assert token not in output and token.split(":")[-1] not in output

    def test_query_string_tokens_headers_and_form_passwords_are_masked(self, console):
        logging.getLogger("django.server").info('"GET /oidc/callback/?code=%s&state=xyz HTTP/1.1" 302 0', "c0de123")
        logging.getLogger("cnum").warning("Authorization: Bearer %s", BEARER)
        logging.getLogger("cnum").warning("form %s", {"username": "a@b.fr", "password": SECRET_PASSWORD})
        logging.getLogger("cnum").info("Cookie: sessionid=s3ss10n; csrftoken=csrf123")
        output = console.getvalue()
        for secret in ("c0de123", BEARER, SECRET_PASSWORD, "s3ss10n", "csrf123"):
            assert secret not in output
        assert output.count("[masqué]") >= 6 and "a@b.fr" not in output  # an e-mail is personal data

    def test_tracebacks_are_scrubbed_too(self, console):
        try:
            raise RuntimeError(f"connection failed with password={SECRET_PASSWORD}")
        except RuntimeError:
            logging.getLogger("cnum").exception("job failed")
        output = console.getvalue()
        assert "RuntimeError" in output and SECRET_PASSWORD not in output

    def test_ordinary_text_is_left_alone(self):
        text = "Candidature 42 confirmée ; code postal 75011 ; 3 recrutements"
        assert scrub(text) == text

    @pytest.mark.parametrize(
        "personal",
        [
            "jeanne.martin+cnum@mairie-exemple.fr",
            "06 12 34 56 78",
            "01.70.77.23.72",
            "0612345678",
            "+33 6 12 34 56 78",
            "+33612345678",
            "+262 692 12 34 56",
        ],
    )
    def test_e_mail_addresses_and_phone_numbers_are_masked(self, personal):
        assert scrub(f"contact : {personal}.") == "contact : [masqué]."

    @pytest.mark.parametrize(
        "text",
        [
            "SIRET 12345678901234",
            "le 2026-12-07T01:37:10.462+01:00",
            "sentry-sdk 2.76.0 sur 127.0.0.1:8000",
            "tâche 0612345678ab-3f06123456780abc",
            "durée 0.0612345678 s",
        ],
    )
    def test_numbers_that_are_not_phones_are_kept(self, text):
        assert scrub(text) == text


REQUEST_SECRETS = (SECRET_PASSWORD, BEARER, "s3ss10n", "t0k3n-query")


def request_with_secrets():
    """Kept away from the failing frame: an error page shows the source lines around it."""
    return RequestFactory().post(
        "/connexion/?token=t0k3n-query",
        {"username": "a@b.fr", "password": SECRET_PASSWORD, "new_password1": SECRET_PASSWORD},
        HTTP_AUTHORIZATION=f"Bearer {BEARER}",
        HTTP_COOKIE="sessionid=s3ss10n",
    )


class TestJsonLogs:
    def test_json_lines_are_scrubbed_messages_extras_and_tracebacks_included(self):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.addFilter(ScrubSecretsFilter())
        handler.setFormatter(ScrubbedJsonFormatter(["levelname", "name", "message"], json_ensure_ascii=False))
        logger = logging.getLogger("cnum.json-test")
        logger.addHandler(handler)
        try:
            logger.warning("échec de connexion pour %s password=%s", "a@b.fr", SECRET_PASSWORD)
            try:
                raise RuntimeError(f"Authorization: Bearer {BEARER}")
            except RuntimeError:
                logger.exception("job", extra={"request": RequestFactory().get("/?token=t0k3n-query"), "status": 500})
        finally:
            logger.removeHandler(handler)
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
        assert [line["levelname"] for line in lines] == ["WARNING", "ERROR"]
        assert lines[0]["message"] == "échec de connexion pour [masqué] password=[masqué]"
        assert "RuntimeError" in lines[1]["exc_info"] and lines[1]["status"] == 500
        output = stream.getvalue()
        for secret in ("a@b.fr", SECRET_PASSWORD, BEARER, "t0k3n-query"):
            assert secret not in output

    def test_log_format_json_configures_the_console_handler(self):
        script = (
            "import django, logging; django.setup()\n"
            "logging.getLogger('cnum').warning('token=abc pour %s', 'a@b.fr')\n"
        )
        env = {k: v for k, v in os.environ.items() if k != "LOG_FORMAT"}
        env |= {"DJANGO_SETTINGS_MODULE": "config.settings.test", "LOG_FORMAT": "json"}
        root = Path(__file__).resolve().parents[2]
        result = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stderr.strip())["message"] == "token=[masqué] pour [masqué]"
        env["LOG_FORMAT"] = "xml"
        refused = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True)
        assert refused.returncode != 0 and "LOG_FORMAT" in refused.stderr


class TestErrorReports:
    def test_django_error_reports_hide_secrets(self, settings):
        request = request_with_secrets()
        try:
            raise ValueError("boom")
        except ValueError:
            reporter = SecretsExceptionReporter(request, *sys.exc_info())
        text = reporter.get_traceback_text() + reporter.get_traceback_html()
        for secret in REQUEST_SECRETS:
            assert secret not in text, secret
        assert "a@b.fr" in text and "boom" in text
        assert settings.DEFAULT_EXCEPTION_REPORTER == "config.logfilters.SecretsExceptionReporter"
