"""Fixtures of the public site tests: media in a temporary folder, a small published tree, the seeded site."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tests.content.factories import PublicFactory, ThematiqueFactory, resource, site_tree


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Uploaded and generated documents go to a temporary folder, never to the working copy."""
    path = tmp_path_factory.mktemp("media")
    # Documents are private files (common.storage.MediaRouterStorage).
    with override_settings(MEDIA_ROOT=path, PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private")):
        yield path


@pytest.fixture
def tree(db):
    return site_tree()


@pytest.fixture
def securite(db):
    return ThematiqueFactory(slug="securite-numerique", name="Sécurité numérique")


@pytest.fixture
def demarches(db):
    return ThematiqueFactory(slug="demarches-en-ligne", name="Démarches administratives en ligne")


@pytest.fixture
def conseillers(db):
    return PublicFactory(slug="conseillers", name="Conseillers numériques")


@pytest.fixture
def library(tree, securite, demarches, conseillers):
    """Four published resources and one draft, across types, thématiques, publics and tags."""
    lib = tree["library"]
    return {
        "arnaques": resource(
            lib,
            title="Repérer les arnaques en ligne",
            slug="arnaques",
            resource_type="guide",
            text="Hameçonnage et faux conseillers : les bons réflexes.",
            thematiques=[securite],
            publics=[conseillers],
            tags=["arnaques"],
        ),
        "franceconnect": resource(
            lib,
            title="Se connecter avec FranceConnect",
            slug="franceconnect",
            resource_type="fiche",
            text="Identité numérique et démarches en ligne.",
            thematiques=[demarches],
            tags=["franceconnect"],
        ),
        "mots-de-passe": resource(
            lib,
            title="Des mots de passe solides",
            slug="mots-de-passe",
            resource_type="fiche",
            text="Phrase de passe et double authentification.",
            thematiques=[securite, demarches],
            publics=[conseillers],
        ),
        "pix": resource(lib, title="Évaluer ses compétences avec Pix", slug="pix", resource_type="outil"),
        "brouillon": resource(lib, title="Brouillon confidentiel", slug="brouillon", publish=False),
    }


@pytest.fixture
def seeded(db):
    """The whole public site as `manage.py seed_content` builds it (about 3 s on SQLite)."""
    call_command("seed_content", verbosity=0)


@pytest.fixture(scope="module")
def seeded_site(django_db_setup, django_db_blocker):
    """The seeded site shared by a module's tests (they also request `db`): built once, rolled back at the end.

    Each test still runs in its own savepoint, so what a test writes is undone before the next one.
    """
    with django_db_blocker.unblock():
        with transaction.atomic():
            call_command("seed_content", verbosity=0)
            yield
            transaction.set_rollback(True)
    cache.clear()
