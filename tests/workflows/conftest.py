"""Shared fixtures of the parcours tests: private media in a temporary folder, URLconf loaded, two candidates."""

import pytest
from django.core.cache import cache

from tests.workflows.factories import CandidateFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _load_urlconf():
    """Viewflow's node.reverse() needs the URLconf imported (tech-viewflow.md §2.4)."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns


@pytest.fixture
def paris_candidate(db):
    return CandidateFactory(first_name="Lina", last_name="Benali", email="lina.benali@perso.test")


@pytest.fixture
def marseille_candidate(db):
    return CandidateFactory(in_marseille=True, first_name="Yanis", last_name="Roux")
