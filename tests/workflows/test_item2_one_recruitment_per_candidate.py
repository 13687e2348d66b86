"""Issue 11 item 2: no candidate is recruited twice.

A candidate preselected, under review, in training or in post with one structure is offered to no other structure
(pool, dossier, CV, exports), a second preselection is refused with a clear message, the database refuses a second
engaged recruitment, and the data migration resolves the duplicates recorded before the rule.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts.enums import Role
from accounts.services import membership_grant
from tests.accounts.factories import UserFactory
from tests.directory.factories import StructureFactory
from tests.workflows.factories import CandidateFactory
from workflows import services
from workflows.enums import ENGAGED_RECRUITMENT_STATUSES, RecruitmentStatus
from workflows.models import AdvisorApplication, Recruitment

pytestmark = pytest.mark.django_db


def manager_of(structure):
    user = UserFactory()
    membership_grant(user=user, role=Role.STRUCTURE_MANAGER, granted_by=None, structure=structure)
    user.refresh_from_db()
    return user


@pytest.fixture
def rival(db):
    """A second Paris structure, with free posts, that would like the same candidate."""
    return manager_of(StructureFactory(name="Médiathèque de Belleville", posts_granted=3))


def pool_ids(client, user):
    client.force_login(user)
    response = client.get(reverse("workflows:pool"), {"distance": 40})
    assert response.status_code == 200
    return {candidate.pk for _distance, candidate in response.context["page"].object_list}


class TestItem2SecondPreselection:
    def test_item2_another_structure_is_refused_with_a_clear_message(self, structure_manager, rival, paris_candidate):
        services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        with pytest.raises(ValidationError) as refused:
            services.recruitment_preselect(candidate=paris_candidate, user=rival)
        assert "déjà engagé dans un recrutement avec une autre structure" in refused.value.messages[0]
        assert paris_candidate.recruitments.count() == 1

    def test_item2_the_same_structure_is_told_it_already_preselected(self, structure_manager, paris_candidate):
        services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        with pytest.raises(ValidationError, match="Vous avez déjà présélectionné ce candidat"):
            services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)

    @pytest.mark.parametrize("status", ENGAGED_RECRUITMENT_STATUSES)
    def test_item2_every_engaged_status_blocks_other_structures(self, status, structure_manager, rival):
        candidate = CandidateFactory()
        recruitment = services.recruitment_preselect(candidate=candidate, user=structure_manager)
        Recruitment.objects.filter(pk=recruitment.pk).update(status=status)
        with pytest.raises(ValidationError, match="déjà engagé"):
            services.recruitment_preselect(candidate=candidate, user=rival)

    @pytest.mark.parametrize("status", [RecruitmentStatus.CANCELLED, RecruitmentStatus.REFUSED])
    def test_item2_a_closed_recruitment_frees_the_candidate(self, status, structure_manager, rival, paris_candidate):
        recruitment = services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        Recruitment.objects.filter(pk=recruitment.pk).update(status=status)
        again = services.recruitment_preselect(candidate=paris_candidate, user=rival)
        assert again.status == RecruitmentStatus.PRESELECTED

    def test_item2_the_preselect_button_of_a_stale_page_answers_404_and_creates_nothing(
        self, client, structure_manager, rival, paris_candidate
    ):
        services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        client.force_login(rival)
        response = client.post(reverse("workflows:preselect", args=[paris_candidate.pk]))
        assert response.status_code == 404
        assert paris_candidate.recruitments.count() == 1

    def test_item2_a_former_recruiter_sees_the_history_but_no_preselect_button(
        self, client, structure_manager, rival, paris_candidate
    ):
        first = services.recruitment_preselect(candidate=paris_candidate, user=rival)
        services.recruitment_cancel(recruitment=first, user=rival, message_to_applicant="Poste pourvu.")
        services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        client.force_login(rival)
        page = client.get(reverse("workflows:candidate", args=[paris_candidate.pk]))
        assert page.status_code == 200
        assert not page.context["can_preselect"]
        assert "Engagé dans un recrutement avec une autre structure" in page.text
        response = client.post(reverse("workflows:preselect", args=[paris_candidate.pk]), follow=True)
        assert "déjà engagé dans un recrutement avec une autre structure" in response.text
        assert paris_candidate.recruitments.filter(status__in=ENGAGED_RECRUITMENT_STATUSES).count() == 1


class TestItem2NotOfferedToOthers:
    def test_item2_the_pool_dossier_and_cv_hide_an_engaged_candidate(
        self, client, structure_manager, rival, paris_candidate
    ):
        assert paris_candidate.pk in pool_ids(client, rival)
        services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        assert paris_candidate.pk not in pool_ids(client, rival)
        assert paris_candidate.pk in pool_ids(client, structure_manager)  # still there for its own structure
        client.force_login(rival)
        for name in ("workflows:candidate", "workflows:candidate_cv"):
            assert client.get(reverse(name, args=[paris_candidate.pk])).status_code == 404, name

    def test_item2_a_cancelled_preselection_puts_the_candidate_back_in_the_pool(
        self, client, structure_manager, rival, paris_candidate
    ):
        recruitment = services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        services.recruitment_cancel(recruitment=recruitment, user=structure_manager, message_to_applicant="")
        assert paris_candidate.pk in pool_ids(client, rival)

    def test_item2_the_rivals_exports_never_list_the_candidate(
        self, client, structure_manager, rival, paris_candidate
    ):
        services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        client.force_login(rival)
        response = client.get(reverse("workflows:export", args=["recrutements", "csv"]))
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert paris_candidate.last_name.encode() not in body

    def test_item2_the_queryset_rule_keeps_a_structures_own_candidates(self, structure_manager, rival):
        mine, theirs, free = CandidateFactory(), CandidateFactory(), CandidateFactory()
        services.recruitment_preselect(candidate=mine, user=structure_manager)
        services.recruitment_preselect(candidate=theirs, user=rival)
        structure = structure_manager.active_membership.structure
        offered = set(AdvisorApplication.objects.not_engaged(except_structure=structure))
        assert {mine, free} <= offered and theirs not in offered
        assert set(AdvisorApplication.objects.not_engaged()) >= {free} and mine not in set(
            AdvisorApplication.objects.not_engaged()
        )


class TestItem2DatabaseConstraint:
    def test_item2_a_preselection_that_loses_the_race_gets_the_clear_message(
        self, monkeypatch, structure_manager, rival, paris_candidate
    ):
        services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        real = AdvisorApplication.engaged_recruitment
        calls = []

        def stale_then_real(candidate):
            calls.append(candidate.pk)
            return None if len(calls) == 1 else real(candidate)  # the first read predates the winner's commit

        monkeypatch.setattr(AdvisorApplication, "engaged_recruitment", stale_then_real)
        with pytest.raises(ValidationError, match="déjà engagé dans un recrutement avec une autre structure"):
            services.recruitment_preselect(candidate=paris_candidate, user=rival)
        assert len(calls) == 2 and paris_candidate.recruitments.count() == 1

    def test_item2_the_database_refuses_a_second_engaged_recruitment(self, structure_manager, rival, paris_candidate):
        services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        other = rival.active_membership.structure
        with pytest.raises(IntegrityError), transaction.atomic():
            Recruitment.objects.create(structure=other, candidate=paris_candidate, status=RecruitmentStatus.TRAINING)


@pytest.mark.django_db(transaction=True)
class TestItem2DataMigration:
    BEFORE = [("workflows", "0003_resolve_duplicate_engaged_recruitments")]
    BEFORE_RULE = [("workflows", "0002_candidate_anonymisation")]

    def test_item2_duplicates_keep_the_most_advanced_recruitment(self):
        executor = MigrationExecutor(connection)
        executor.migrate(self.BEFORE_RULE)
        apps = executor.loader.project_state(self.BEFORE_RULE).apps
        structure_model = apps.get_model("directory", "Structure")
        recruitment_model = apps.get_model("workflows", "Recruitment")
        candidate_model = apps.get_model("workflows", "AdvisorApplication")
        try:
            structures = StructureFactory.create_batch(3)
            candidate = CandidateFactory()
            single = CandidateFactory()
            rows = {}
            for structure, status in zip(
                structures,
                [RecruitmentStatus.PRESELECTED, RecruitmentStatus.TRAINING, RecruitmentStatus.PREFECTURE_REVIEW],
                strict=True,
            ):
                rows[status] = recruitment_model.objects.create(
                    structure=structure_model.objects.get(pk=structure.pk),
                    candidate=candidate_model.objects.get(pk=candidate.pk),
                    department_id=structure.department_id,
                    status=status,
                )
            alone = recruitment_model.objects.create(
                structure=structure_model.objects.get(pk=structures[0].pk),
                candidate=candidate_model.objects.get(pk=single.pk),
                department_id=structures[0].department_id,
                status=RecruitmentStatus.PRESELECTED,
            )
        finally:
            executor = MigrationExecutor(connection)
            executor.migrate(executor.loader.graph.leaf_nodes())
        statuses = {status: Recruitment.objects.get(pk=row.pk).status for status, row in rows.items()}
        assert statuses == {
            RecruitmentStatus.TRAINING: RecruitmentStatus.TRAINING,
            RecruitmentStatus.PRESELECTED: RecruitmentStatus.CANCELLED,
            RecruitmentStatus.PREFECTURE_REVIEW: RecruitmentStatus.CANCELLED,
        }
        assert Recruitment.objects.get(pk=alone.pk).status == RecruitmentStatus.PRESELECTED
        from workflows.models import Decision

        notes = Decision.objects.filter(subject_id__in=[rows[s].pk for s in statuses], verdict="annulation")
        assert notes.count() == 2 and all("un seul recrutement" in note.internal_note for note in notes)
