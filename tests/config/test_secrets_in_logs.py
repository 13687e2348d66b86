"""No secret in logs or error reports: passwords, tokens, signed links, Authorization headers, cookies."""

import io
import logging
import sys

import pytest
from django.test import RequestFactory
from django.urls import reverse

from config.logfilters import ScrubSecretsFilter, SecretsExceptionReporter, scrub
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
        assert output.count("[masqué]") >= 5 and "a@b.fr" in output

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


REQUEST_SECRETS = (SECRET_PASSWORD, BEARER, "s3ss10n", "t0k3n-query")


def request_with_secrets():
    """Kept away from the failing frame: an error page shows the source lines around it."""
    return RequestFactory().post(
        "/connexion/?token=t0k3n-query",
        {"username": "a@b.fr", "password": SECRET_PASSWORD, "new_password1": SECRET_PASSWORD},
        HTTP_AUTHORIZATION=f"Bearer {BEARER}",
        HTTP_COOKIE="sessionid=s3ss10n",
    )


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
