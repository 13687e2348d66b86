from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env


class TestEnvBool:
    @pytest.mark.parametrize(
        "raw,expected", [("true", True), ("1", True), ("Yes", True), ("off", False), ("0", False)]
    )
    def test_it_reads_accepted_spellings(self, monkeypatch, raw, expected):
        monkeypatch.setenv("CNUM_FLAG", raw)
        assert env.env_bool("CNUM_FLAG", not expected) is expected

    def test_it_uses_the_default_when_unset_or_empty(self, monkeypatch):
        monkeypatch.delenv("CNUM_FLAG", raising=False)
        assert env.env_bool("CNUM_FLAG", True) is True
        monkeypatch.setenv("CNUM_FLAG", "")
        assert env.env_bool("CNUM_FLAG", False) is False

    @pytest.mark.parametrize("raw", ["vrai", "2", "truee", "T"])
    def test_it_rejects_anything_else(self, monkeypatch, raw):
        monkeypatch.setenv("CNUM_FLAG", raw)
        with pytest.raises(ImproperlyConfigured, match="CNUM_FLAG"):
            env.env_bool("CNUM_FLAG", False)


class TestEnvInt:
    def test_it_parses_integers(self, monkeypatch):
        monkeypatch.setenv("CNUM_NUMBER", " 42 ")
        assert env.env_int("CNUM_NUMBER", 1) == 42

    @pytest.mark.parametrize("raw", ["douze", "4.5", "1e3"])
    def test_it_rejects_non_integers(self, monkeypatch, raw):
        monkeypatch.setenv("CNUM_NUMBER", raw)
        with pytest.raises(ImproperlyConfigured, match="entier"):
            env.env_int("CNUM_NUMBER", 1)

    def test_it_enforces_bounds(self, monkeypatch):
        monkeypatch.setenv("CNUM_NUMBER", "0")
        with pytest.raises(ImproperlyConfigured, match="supérieur ou égal à 1"):
            env.env_int("CNUM_NUMBER", 5, minimum=1)
        monkeypatch.setenv("CNUM_NUMBER", "70000")
        with pytest.raises(ImproperlyConfigured, match="inférieur ou égal à 65535"):
            env.env_int("CNUM_NUMBER", 5, maximum=65535)


class TestEnvStrAndList:
    def test_it_raises_on_a_missing_required_value(self, monkeypatch):
        monkeypatch.delenv("CNUM_SECRET", raising=False)
        with pytest.raises(ImproperlyConfigured, match="CNUM_SECRET"):
            env.env_str("CNUM_SECRET", required=True)

    def test_it_splits_lists_and_drops_empty_items(self, monkeypatch):
        monkeypatch.setenv("CNUM_HOSTS", "a.gouv.fr, ,b.gouv.fr,")
        assert env.env_list("CNUM_HOSTS") == ["a.gouv.fr", "b.gouv.fr"]

    def test_it_rejects_a_value_outside_the_choices(self, monkeypatch):
        monkeypatch.setenv("CNUM_MODE", "turbo")
        with pytest.raises(ImproperlyConfigured, match="valeurs possibles"):
            env.env_choice("CNUM_MODE", "normal", {"normal", "lent"})


class TestEnvDatabase:
    def test_it_reads_sqlite_and_postgres_urls(self, monkeypatch):
        monkeypatch.setenv("CNUM_DB", "postgres://postgres@127.0.0.1:5432/cnum")
        config = env.env_database("CNUM_DB", "sqlite:///x.sqlite3")
        assert config["ENGINE"] == "django.db.backends.postgresql"
        assert config["NAME"] == "cnum"
        monkeypatch.delenv("CNUM_DB")
        assert env.env_database("CNUM_DB", "sqlite:///x.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"

    @pytest.mark.parametrize(
        "url", ["mysql://root@localhost/cnum", "cnum.sqlite3", "postgres://postgres@127.0.0.1:5432"]
    )
    def test_it_rejects_unsupported_or_incomplete_urls(self, monkeypatch, url):
        monkeypatch.setenv("CNUM_DB", url)
        with pytest.raises(ImproperlyConfigured, match="CNUM_DB"):
            env.env_database("CNUM_DB", "sqlite:///x.sqlite3")


class TestEnvFloat:
    def test_it_parses_decimals_within_bounds(self, monkeypatch):
        monkeypatch.setenv("CNUM_RATE", " 0.25 ")
        assert env.env_float("CNUM_RATE", 0.0, minimum=0, maximum=1) == 0.25
        monkeypatch.delenv("CNUM_RATE")
        assert env.env_float("CNUM_RATE", 0.5) == 0.5

    @pytest.mark.parametrize("raw", ["0,25", "un quart", "nan", "-0.1", "1.5"])
    def test_it_rejects_commas_words_nan_and_values_out_of_bounds(self, monkeypatch, raw):
        monkeypatch.setenv("CNUM_RATE", raw)
        with pytest.raises(ImproperlyConfigured, match="CNUM_RATE"):
            env.env_float("CNUM_RATE", 0.0, minimum=0, maximum=1)


def test_env_example_lists_the_health_error_tracking_and_metrics_variables():
    text = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    for name in (
        "LOG_FORMAT",
        "TASK_BACKLOG_MAX_MINUTES",
        "TASK_BACKLOG_MAX_TASKS",
        "SENTRY_DSN",
        "SENTRY_ENVIRONMENT",
        "SENTRY_RELEASE",
        "SENTRY_TRACES_SAMPLE_RATE",
        "PROMETHEUS_METRICS",
        "METRICS_ALLOWED_IPS",
        "PROMETHEUS_MULTIPROC_DIR",
    ):
        assert f"\n{name}=" in text, name
