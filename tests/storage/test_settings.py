"""The object storage settings block: the local folders by default, S3 when configured, half configurations refused
at start-up with a French message."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.objectstorage import S3_VARIABLES, object_storage

FULL = {
    "S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
    "S3_ACCESS_KEY_ID": "SCWKEY",
    "S3_SECRET_ACCESS_KEY": "secret",
    "S3_MEDIA_BUCKET": "cnum-media",
    "S3_PRIVATE_BUCKET": "cnum-private",
}


@pytest.fixture
def env(monkeypatch):
    """Set exactly these S3_* variables (the others unset) and read the block."""

    def read(**variables):
        for name in S3_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        return object_storage()

    return read


class TestTheDefault:
    def test_it_keeps_the_local_folders_when_no_variable_is_set(self, env):
        configured = env()
        assert not configured.enabled
        assert configured.storages["private"]["BACKEND"] == "common.storage.PrivateFileSystemStorage"
        assert configured.storages["media"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
        assert configured.storages["default"]["BACKEND"] == "common.storage.MediaRouterStorage"


class TestAFullConfiguration:
    def test_it_puts_private_files_in_a_signed_bucket_and_media_in_a_public_one(self, env):
        configured = env(**FULL, S3_SIGNED_URL_SECONDS="120")
        private = configured.storages["private"]["OPTIONS"]
        media = configured.storages["media"]["OPTIONS"]
        assert configured.enabled and configured.media_origin == "https://s3.fr-par.scw.cloud"
        assert (private["bucket_name"], private["querystring_auth"], private["querystring_expire"]) == (
            "cnum-private",
            True,
            120,
        )
        assert (media["bucket_name"], media["querystring_auth"]) == ("cnum-media", False)
        for options in (private, media):
            assert options["region_name"] == "fr-par" and options["file_overwrite"] is False
            assert options["default_acl"] is None  # never a public ACL: the media bucket is public by its policy
            assert options["client_config"].connect_timeout <= 5 and options["client_config"].read_timeout <= 10
            assert options["client_config"].retries["max_attempts"] <= 2

    def test_signed_urls_last_300_seconds_unless_told(self, env):
        assert env(**FULL).storages["private"]["OPTIONS"]["querystring_expire"] == 300


class TestHalfConfigurations:
    @pytest.mark.parametrize(
        "missing", ["S3_MEDIA_BUCKET", "S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"]
    )
    def test_a_private_bucket_without_the_rest_is_refused_naming_what_is_missing(self, env, missing):
        variables = {name: value for name, value in FULL.items() if name != missing}
        with pytest.raises(ImproperlyConfigured, match=f"{missing} manque"):
            env(**variables)

    @pytest.mark.parametrize("present", ["S3_MEDIA_BUCKET", "S3_ACCESS_KEY_ID", "S3_ENDPOINT_URL", "S3_REGION"])
    def test_a_variable_without_the_private_bucket_is_refused(self, env, present):
        with pytest.raises(ImproperlyConfigured, match="n'est activé que si S3_PRIVATE_BUCKET"):
            env(**{present: "x"})

    def test_the_private_bucket_cannot_be_the_public_one(self, env):
        with pytest.raises(ImproperlyConfigured, match="deux compartiments distincts"):
            env(**{**FULL, "S3_MEDIA_BUCKET": "cnum-private"})

    @pytest.mark.parametrize("endpoint", ["s3.fr-par.scw.cloud", "ftp://s3.example", "https://"])
    def test_an_endpoint_that_is_not_an_http_address_is_refused(self, env, endpoint):
        with pytest.raises(ImproperlyConfigured, match="S3_ENDPOINT_URL"):
            env(**{**FULL, "S3_ENDPOINT_URL": endpoint})

    @pytest.mark.parametrize("seconds", ["0", "86400", "cinq"])
    def test_a_signed_url_lifetime_out_of_bounds_is_refused(self, env, seconds):
        with pytest.raises(ImproperlyConfigured, match="S3_SIGNED_URL_SECONDS"):
            env(**FULL, S3_SIGNED_URL_SECONDS=seconds)


def run_check(**variables) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if name not in S3_VARIABLES}
    environment.update(variables, DJANGO_SETTINGS_MODULE="config.settings.test")
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    return subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120)


class TestStartUp:
    def test_a_half_configuration_stops_start_up_with_a_french_message(self):
        result = run_check(S3_PRIVATE_BUCKET="cnum-private")
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr and "S3_MEDIA_BUCKET" in result.stderr

    def test_the_media_bucket_may_serve_images_to_pages_under_the_content_security_policy(self):
        result = run_check(**FULL)
        assert result.returncode == 0, result.stderr
        assert "https://s3.fr-par.scw.cloud" in result.stdout
