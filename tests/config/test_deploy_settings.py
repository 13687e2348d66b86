"""Production settings: `check --deploy` reports nothing, and HTTPS, cookies and framing are locked down."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "q8Zr2-vLx0_NmW4tKp9YhB7cE3sDf6GjUo1aIeRzXwVbTnMlQy5kHgFdSaPoIuYt",
    "DJANGO_ALLOWED_HOSTS": "conseiller-numerique.gouv.fr",
    "DATABASE_URL": "postgres://cnum@db.internal:5432/cnum",
    "SITE_URL": "https://conseiller-numerique.gouv.fr",
    "EMAIL_HOST": "smtp.internal",
    "DEFAULT_FROM_EMAIL": "Conseiller numérique <ne-pas-repondre@conseiller-numerique.gouv.fr>",
}
SETTINGS_DUMP = """
import json, django
from django.conf import settings
django.setup()
names = ["DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
         "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY",
         "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS", "SECURE_PROXY_SSL_HEADER",
         "DEFAULT_EXCEPTION_REPORTER_FILTER"]
values = {name: getattr(settings, name) for name in names}
values["frame-ancestors"] = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-ancestors"]
values["script-src"] = [str(item) for item in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"]]
print(json.dumps(values))
"""


def run_production(*args, env_overrides=None):
    """Run a Python command with the production settings in a fresh interpreter (settings load once per process)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(PRODUCTION_ENV)
    env.update(env_overrides or {})
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


class TestProductionSettings:
    def test_check_deploy_reports_nothing(self):
        result = run_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "System check identified no issues" in result.stdout
        assert "WARNINGS" not in result.stderr + result.stdout

    def test_https_cookies_framing_and_headers_are_locked_down(self):
        result = run_production("-c", SETTINGS_DUMP)
        assert result.returncode == 0, result.stderr
        values = json.loads(result.stdout)
        assert values["DEBUG"] is False and values["SECURE_SSL_REDIRECT"] is True
        assert values["SECURE_HSTS_SECONDS"] >= 31_536_000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
        assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
        assert values["CSRF_COOKIE_SECURE"] and values["CSRF_COOKIE_HTTPONLY"]
        assert values["SECURE_CONTENT_TYPE_NOSNIFF"] and values["SECURE_REFERRER_POLICY"] == "same-origin"
        assert values["X_FRAME_OPTIONS"] == "DENY" and values["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in values["script-src"]
        assert values["DEFAULT_EXCEPTION_REPORTER_FILTER"] == "config.logfilters.SecretsExceptionReporterFilter"

    @pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
    def test_it_refuses_to_start_without_its_secrets(self, missing):
        result = run_production("manage.py", "check", env_overrides={missing: ""})
        assert result.returncode != 0
        assert missing in result.stderr and "obligatoire" in result.stderr

    def test_a_weak_secret_key_fails_the_deploy_check(self):
        result = run_production(
            "manage.py", "check", "--deploy", "--fail-level", "WARNING", env_overrides={"DJANGO_SECRET_KEY": "court"}
        )
        assert result.returncode != 0 and "security.W009" in result.stderr
