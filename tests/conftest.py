"""Named personas of the programme, each with one active role, over two territories (Paris and Marseille)."""

import pytest
from django.core.cache import cache

from accounts import services
from accounts.enums import Role
from tests.accounts.factories import PASSWORD, UserFactory
from tests.directory.factories import AdvisorFactory, HubFactory, PlaceAssignmentFactory, StructureFactory
from tests.territories.factories import department


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: rate limits, lock-out counters and cached pages never carry over from
    whichever test the same worker ran before (the order differs between runs and workers)."""
    cache.clear()
    yield
    cache.clear()


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


def _persona(role: str, email: str, **scope):
    user = UserFactory(email=email)
    services.membership_grant(user=user, role=role, granted_by=None, **scope)
    user.refresh_from_db()
    return user


@pytest.fixture
def national_admin(db):
    """Alice, at the ANCT: sees everything."""
    return _persona(Role.NATIONAL, "alice.national@anct.gouv.fr")


@pytest.fixture
def prefecture_paris(db):
    """Paul, at the prefecture of Paris (75)."""
    return _persona(Role.PREFECTURE, "paul.prefecture@paris.gouv.fr", department=department("75"))


@pytest.fixture
def prefecture_marseille(db):
    """Marie, at the prefecture of Bouches-du-Rhône (13): must never see Paris."""
    return _persona(Role.PREFECTURE, "marie.prefecture@bouches-du-rhone.gouv.fr", department=department("13"))


@pytest.fixture
def hub_agent(hub_idf):
    """Hugo, at the Île-de-France hub."""
    return _persona(Role.HUB, "hugo@francil-in.fr", hub=hub_idf)


@pytest.fixture
def structure_manager(paris_structure):
    """Sophie manages the Paris structure."""
    return _persona(Role.STRUCTURE_MANAGER, "sophie@mairie11.paris.fr", structure=paris_structure)


@pytest.fixture
def advisor_user(paris_advisor):
    """Camille, advisor at the Paris structure."""
    user = _persona(Role.ADVISOR, "camille@conseiller-numerique.fr", advisor=paris_advisor)
    paris_advisor.user = user
    paris_advisor.save(update_fields=["user"])
    return user


@pytest.fixture
def coordinator_user(paris_structure, paris_advisor):
    """Karim coordinates Camille (Paris)."""
    coordinator = AdvisorFactory(structure=paris_structure, coordinator=True)
    coordinator.coordinated_advisors.add(paris_advisor)
    user = _persona(Role.COORDINATOR, "karim@conseiller-numerique.fr", advisor=coordinator)
    coordinator.user = user
    coordinator.save(update_fields=["user"])
    return user


@pytest.fixture
def editor_user(db):
    """Éric writes the public site's pages."""
    return _persona(Role.EDITOR, "eric.editeur@anct.gouv.fr")


@pytest.fixture
def outsider(db):
    """Someone with an account but no role."""
    return UserFactory(email="personne@exemple.fr")
