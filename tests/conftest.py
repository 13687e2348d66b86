"""Fixtures of every test: the personas of tests/personas.py over two territories (Paris and Marseille)."""

import os

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.cache import cache
from pytest_django.live_server_helper import LiveServer

from tests import personas
from tests.accounts.factories import PASSWORD
from tests.directory.factories import AdvisorFactory, HubFactory, PlaceAssignmentFactory, StructureFactory
from tests.territories.factories import department


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: rate limits, lock-out counters and cached pages never carry over from
    whichever test the same worker ran before (the order differs between runs and workers)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_undefined_template_variables():
    """A test fails when one of our templates printed a variable its context lacks (config/template_guard.py)."""
    guard = django_settings.TEMPLATES[0]["OPTIONS"].get("string_if_invalid")
    found = getattr(guard, "found", None)
    if found is None:
        yield
        return
    found.clear()
    yield
    undefined, found[:] = sorted(set(found)), []
    if undefined:
        pytest.fail("Undefined template variables:\n" + "\n".join(undefined), pytrace=False)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def paris_structure(db):
    return StructureFactory(name="Mairie du 11e arrondissement")


@pytest.fixture
def marseille_structure(db):
    return StructureFactory(name="Centre social de la Belle de Mai", in_marseille=True)


@pytest.fixture
def hub_idf(db):
    return HubFactory(name="Francil-in", slug="francil-in", departments=[department("75"), department("92")])


@pytest.fixture
def paris_advisor(paris_structure):
    return PlaceAssignmentFactory(
        advisor__structure=paris_structure, place__structure=paris_structure, is_principal=True
    ).advisor


@pytest.fixture
def marseille_advisor(marseille_structure):
    return PlaceAssignmentFactory(
        advisor__structure=marseille_structure, place__structure=marseille_structure, is_principal=True
    ).advisor


@pytest.fixture
def national_admin(db):
    """Nadia, at the ANCT: sees everything."""
    return personas.create_user(personas.NATIONAL)


@pytest.fixture
def prefecture_paris(db):
    """Paul, at the prefecture of Paris (75)."""
    return personas.create_user(personas.PREFECTURE_PARIS, department=department("75"))


@pytest.fixture
def prefecture_marseille(db):
    """Marie, at the prefecture of Bouches-du-Rhône (13): must never see Paris."""
    return personas.create_user(personas.PREFECTURE_MARSEILLE, department=department("13"))


@pytest.fixture
def hub_agent(hub_idf):
    """Hugo, at the Île-de-France hub."""
    return personas.create_user(personas.HUB_IDF, hub=hub_idf)


@pytest.fixture
def structure_manager(paris_structure):
    """Sophie manages the Paris structure."""
    return personas.create_user(personas.STRUCTURE_PARIS, structure=paris_structure)


@pytest.fixture
def advisor_user(paris_advisor):
    """Camille, advisor at the Paris structure."""
    user = personas.create_user(personas.ADVISOR_PARIS, advisor=paris_advisor)
    paris_advisor.user = user
    paris_advisor.save(update_fields=["user"])
    return user


@pytest.fixture
def coordinator_user(paris_structure, paris_advisor):
    """Karim coordinates Camille (Paris)."""
    coordinator = AdvisorFactory(structure=paris_structure, coordinator=True)
    coordinator.coordinated_advisors.add(paris_advisor)
    user = personas.create_user(personas.COORDINATOR_PARIS, advisor=coordinator)
    coordinator.user = user
    coordinator.save(update_fields=["user"])
    return user


@pytest.fixture
def editor_user(db):
    """Éric writes the public site's pages."""
    return personas.create_user(personas.EDITOR)


@pytest.fixture
def moderator_user(db):
    """Mona approves the editors' pages for publication."""
    return personas.create_user(personas.MODERATOR)


@pytest.fixture
def prefecture_editor(db):
    """Léa, at the prefecture of Paris (active role), also edits the site: two roles."""
    return personas.create_user(personas.PREFECTURE_EDITOR, department=department("75"))


@pytest.fixture
def outsider(db):
    """Someone with an account but no role."""
    return personas.create_user(personas.OUTSIDER)


@pytest.fixture(scope="session")
def live_server(request, django_db_setup):
    """pytest-django's live server, serving static files from the apps like `runserver` does (browser tests, and
    the load clients of tests/bench).

    It depends on the test database so that it stops (and its thread closes its connection) before the database is
    destroyed: otherwise PostgreSQL refuses to drop a database still in use and the worker's test database stays.

    pytest-django only does so when the string "django.contrib.staticfiles" is in INSTALLED_APPS; we
    install config.staticfiles.StaticFilesConfig instead, so it would serve STATIC_ROOT, which tests
    never collect: the pages would have no DSFR.
    """
    address = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(address, start=False)
    server.thread.static_handler = StaticFilesHandler
    server.start()
    yield server
    server.stop()
