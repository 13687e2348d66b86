"""Fixtures of the hardening tests: the two-territory world built once per module, hypothesis profiles."""

import os

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings

from tests.hardening.world import build_world

settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    derandomize=True,
    database=None,
)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="package")
def media_dirs(tmp_path_factory):
    """CVs and documents go to temporary folders for the whole package."""
    root = tmp_path_factory.mktemp("hardening")
    with override_settings(MEDIA_ROOT=root / "media", PRIVATE_MEDIA_ROOT=root / "private"):
        yield root


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, media_dirs):
    """Both territories, built once per package (and xdist worker), rolled back at its end; tests run in savepoints."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)
    cache.clear()
