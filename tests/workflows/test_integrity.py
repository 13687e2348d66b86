"""Integrity: append-only decision log, database constraints against duplicates, routing to shared hubs."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import services as account_services
from accounts.enums import Role
from tests.accounts.factories import UserFactory
from tests.directory.factories import HubFactory
from tests.territories.factories import CommuneFactory, department
from tests.workflows.factories import CandidateFactory, StructureApplicationFactory
from tests.workflows.helpers import confirmed_application, work_item
from workflows import services
from workflows.enums import Kind, Step, StructureApplicationStatus
from workflows.models import Decision, StructureApplication

pytestmark = pytest.mark.django_db


class TestDecisionLog:
    def test_it_cannot_be_rewritten_or_deleted(self, prefecture_paris):
        application = confirmed_application()
        line = Decision.objects.get(subject_id=application.pk)
        line.internal_note = "falsifié"
        with pytest.raises(ValueError, match="ne peut pas être modifié"):
            line.save()
        with pytest.raises(ValueError):
            line.delete()

    def test_the_django_admin_shows_it_read_only(self, client, national_admin):
        application = confirmed_application()
        line = Decision.objects.get(subject_id=application.pk)
        client.force_login(national_admin)
        assert client.get(reverse("admin:workflows_decision_changelist")).status_code == 200
        change = client.post(reverse("admin:workflows_decision_change", args=[line.pk]), {"internal_note": "x"})
        assert change.status_code in (200, 403)
        assert Decision.objects.get(pk=line.pk).internal_note == line.internal_note
        assert (
            client.post(reverse("admin:workflows_decision_delete", args=[line.pk]), {"post": "yes"}).status_code == 403
        )
        assert Decision.objects.filter(pk=line.pk).exists()


class TestConstraints:
    def test_one_open_application_per_siret(self):
        first = StructureApplicationFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            StructureApplicationFactory(siret=first.siret)
        StructureApplication.objects.filter(pk=first.pk).update(status=StructureApplicationStatus.REFUSED)
        assert StructureApplicationFactory(siret=first.siret).pk  # a refused structure may apply again

    def test_one_open_candidacy_per_email(self):
        CandidateFactory(email="double@perso.test")
        with pytest.raises(IntegrityError), transaction.atomic():
            CandidateFactory(email="double@perso.test")

    def test_one_open_recruitment_per_pair(self, structure_manager, paris_candidate):
        services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)
        with pytest.raises(ValidationError, match="déjà présélectionné"):
            services.recruitment_preselect(candidate=paris_candidate, user=structure_manager)

    def test_services_check_permissions_whatever_calls_them(self, hub_agent, advisor_user, prefecture_marseille):
        application = confirmed_application()
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        for user in (hub_agent, advisor_user, prefecture_marseille):
            with pytest.raises(PermissionDenied):
                services.structure_prefecture_review(
                    work_item=item, user=user, opinion="favorable", internal_note="Appel direct du service."
                )
        with pytest.raises(PermissionDenied):
            services.recruitment_preselect(candidate=CandidateFactory(), user=hub_agent)


class TestSharedHubs:
    def test_either_hub_covering_mayotte_may_act(self, prefecture_paris):
        mayotte = department("976")
        agents = []
        for name in ("Hub UltraNumérique", "Solidarnum"):
            hub = HubFactory(name=name, departments=[mayotte])
            user = UserFactory()
            account_services.membership_grant(user=user, role=Role.HUB, granted_by=None, hub=hub)
            user.refresh_from_db()
            agents.append(user)
        prefect = UserFactory()
        account_services.membership_grant(user=prefect, role=Role.PREFECTURE, granted_by=None, department=mayotte)
        prefect.refresh_from_db()
        application = confirmed_application(commune=CommuneFactory(department_code="976"))
        services.structure_prefecture_review(
            work_item=work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE),
            user=prefect,
            opinion="favorable",
            internal_note="Besoin important à Mayotte.",
        )
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_HUB)
        from workflows.selectors import queue_items

        assert all(queue_items(agent).filter(pk=item.pk).exists() for agent in agents)
        assert not queue_items(prefecture_paris).filter(pk=item.pk).exists()
        services.structure_hub_decide(work_item=item, user=agents[1], decision="attribuer", posts_granted=1)
        application.refresh_from_db()
        assert application.status == StructureApplicationStatus.GRANTED
