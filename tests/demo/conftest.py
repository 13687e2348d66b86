"""The demo world: what `make demo` seeds for the demo accounts, built once per package and xdist worker."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import get_resolver


@pytest.fixture(scope="package")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Territories, hubs and every app's demo seeder (`manage.py seed_demo`), rolled back at the package's end.

    The tests only read it or seed again to check idempotency: each runs in its own savepoint (they request `db`).
    """
    assert get_resolver().url_patterns  # Viewflow's node.reverse() needs the URLconf imported
    root = tmp_path_factory.mktemp("demo")
    with override_settings(MEDIA_ROOT=root / "media", PRIVATE_MEDIA_ROOT=root / "private"):
        with django_db_blocker.unblock():
            with transaction.atomic():
                call_command("load_territories", verbosity=0)
                call_command("seed_demo", verbosity=0)
                yield
                transaction.set_rollback(True)
    cache.clear()
