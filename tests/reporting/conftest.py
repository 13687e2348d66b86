"""Fixtures of the reporting tests: valid POST data of the activity form."""

import uuid

import pytest
from django.utils import timezone

from tests.reporting.factories_benef import people_calls  # noqa: F401  (issue 15: « Mes bénéficiaires »)


@pytest.fixture
def individual_post(advisor_user, paris_advisor):
    """A function giving the POST data of a valid individual report (overridable per field)."""

    def build(**overrides):
        data = {
            "token": str(uuid.uuid4()),
            "date": timezone.localdate().isoformat(),
            "duration": "45",
            "place_type": "lieu_activite",
            "place": str(paris_advisor.places.first().pk),
            "themes": ["navigation_sur_internet", "email"],
            "materials": ["ordinateur"],
            "gender": "feminin",
            "age": "soixante_dix_plus",
            "status": "retraite",
            "redirected": "non",
            "notes": "",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


@pytest.fixture
def collective_post(individual_post):
    """The POST data of a valid workshop of 10 participants with a partial breakdown."""

    def build(**overrides):
        data = individual_post(
            gender=None,
            age=None,
            status=None,
            redirected=None,
            title="Découvrir la tablette",
            level="debutant",
            participants="10",
            already_accompanied="3",
            gender_feminin="6",
            gender_masculin="3",
            age_soixante_dix_plus="4",
            status_retraite="5",
            duration="120",
        )
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build
