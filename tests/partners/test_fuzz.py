"""Hostile parameters and paths on the partner API: an answer (200, 404, 422), never a 500, and always one log row."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partners.models import ApiCall
from tests.hardening.fuzz import form_body, hostile_text, maybe
from tests.partners.factories import bearer, make_token

pytestmark = pytest.mark.django_db

# As tests/hardening's "ci" profile: reproducible, no deadline, the test client shared by the examples.
FUZZ = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
}


def _call(client, path: str, params: dict):
    _, secret = make_token(rate_limit=10_000)
    before = ApiCall.objects.count()
    response = client.get(f"{path}?{form_body(params)}" if params else path, headers=bearer(secret))
    assert ApiCall.objects.count() == before + 1
    return response


class TestHostileInput:
    @settings(max_examples=40, **FUZZ)
    @given(
        params=st.fixed_dictionaries(
            {},
            optional={
                "debut": maybe("2026-01-01"),
                "fin": maybe("2026-06-30"),
                "niveau": maybe("departement"),
                "code": maybe("75"),
                "detail": maybe("true"),
            },
        )
    )
    def test_statistics_answer_200_404_or_422(self, client, params):
        assert _call(client, "/api/partenaires/statistiques/", params).status_code in (200, 404, 422)

    @settings(max_examples=40, **FUZZ)
    @given(
        path=st.sampled_from(["lieux/", "structures/suppressions/", "conseillers/"]),
        params=st.fixed_dictionaries(
            {},
            optional={
                "limit": maybe("10"),
                "offset": maybe("0"),
                "updated_since": maybe("2026-12-01T00:00:00+01:00"),
                "apres_id": maybe("3"),
                "token": hostile_text(),
            },
        ),
    )
    def test_lists_answer_200_400_or_422(self, client, path, params):
        # 400: a lone surrogate goes out as bytes that are not UTF-8, refused before any parameter is read.
        assert _call(client, f"/api/partenaires/{path}", params).status_code in (200, 400, 422)

    @settings(max_examples=30, **FUZZ)
    @given(segment=hostile_text(80))
    def test_unknown_paths_answer_404_and_are_logged(self, client, segment):
        path = "/api/partenaires/" + form_body({"x": segment}).removeprefix("x=") + "/"
        assert _call(client, path, {}).status_code in (404, 400)
