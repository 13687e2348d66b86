"""A structure manager sees only the candidates whose own maximum distance reaches the structure (and its recruits).

Regression (permission matrix, issue 7): a Paris structure could open the dossier and the CV of a Marseille candidate
who asked for 20 km around Marseille, and preselect them.
"""

import pytest
from django.core.files.base import ContentFile

from tests.workflows.factories import CandidateFactory
from tests.workflows.helpers import pdf_bytes
from workflows import scopes
from workflows.enums import MaxDistance

pytestmark = pytest.mark.django_db


class TestStructureManagerCandidates:
    def test_it_sees_candidates_whose_distance_reaches_the_structure(self, structure_manager, paris_candidate):
        assert list(scopes.visible_candidates(structure_manager)) == [paris_candidate]

    def test_it_never_sees_a_far_candidate_who_limited_the_distance(self, structure_manager, marseille_candidate):
        assert marseille_candidate not in scopes.visible_candidates(structure_manager)

    def test_a_candidate_ready_to_move_anywhere_is_visible_from_everywhere(self, structure_manager):
        mobile = CandidateFactory(in_marseille=True, max_distance_km=MaxDistance.FRANCE)
        assert mobile in scopes.visible_candidates(structure_manager)

    def test_the_far_dossier_cv_and_preselection_answer_404(self, client, structure_manager, marseille_candidate):
        marseille_candidate.cv.save("cv.pdf", ContentFile(pdf_bytes()), save=True)
        client.force_login(structure_manager)
        for path in (
            f"/espace/candidats/{marseille_candidate.pk}/",
            f"/espace/candidats/{marseille_candidate.pk}/cv/",
        ):
            assert client.get(path).status_code == 404, path
        response = client.post(f"/espace/candidats/{marseille_candidate.pk}/preselectionner/")
        assert response.status_code == 404
        assert not marseille_candidate.recruitments.exists()

    def test_the_prefecture_of_the_candidate_still_sees_them(self, prefecture_marseille, marseille_candidate):
        assert marseille_candidate in scopes.visible_candidates(prefecture_marseille)
