"""Coordinator posts: the structure applies, the prefecture ranks, the national team decides, the structure designates
the coordinator (an advisor, or a recruitment who becomes coordinator at her deployment); the team changes over
time, each change in the history."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Membership
from directory import conventions
from directory.enums import ConventionEventKind
from directory.models import ConventionEvent, Structure
from tests import personas
from tests.directory.factories import AdvisorFactory, PlaceFactory, StructureFactory
from tests.territories.factories import department
from tests.workflows.factories import CandidateFactory
from tests.workflows.helpers import work_item
from workflows import services
from workflows.enums import ContractType, Kind, RequestStatus, Step
from workflows.models import CoordinatorRequest

pytestmark = pytest.mark.django_db


def _convention(structure, posts=3):
    return conventions.convention_open(
        structure=structure, start=timezone.localdate() - datetime.timedelta(days=100), posts=posts
    )


def _submit(user, **overrides):
    data = {
        "coordination_type": "FT",
        "territory": "Les 11e et 20e arrondissements",
        "covered_departments": [department("75")],
        "motivation": "Dix conseillers à animer sur l'est parisien.",
    }
    data.update(overrides)
    return services.coordinator_request_submit(user=user, **data)


def _review(user, coordinator_request, rank=1, opinion="favorable"):
    return services.coordinator_prefecture_review(
        work_item=work_item(Kind.COORDINATOR, coordinator_request, Step.COORDINATOR_PREFECTURE),
        user=user,
        opinion=opinion,
        rank=rank,
        internal_note="Besoin réel sur le territoire.",
    )


def _decide(user, coordinator_request, decision="accorder", **kwargs):
    return services.coordinator_decide(
        work_item=work_item(Kind.COORDINATOR, coordinator_request, Step.COORDINATOR_DECISION),
        user=user,
        decision=decision,
        **kwargs,
    )


@pytest.fixture
def paris_convention(paris_structure):
    return _convention(paris_structure)


@pytest.fixture
def second_paris_manager(db):
    structure = StructureFactory(name="Médiathèque Couronnes")
    _convention(structure)
    return personas.create_user(
        personas.Persona("Odile", "Gestionnaire", "odile@couronnes.fr", Role.STRUCTURE_MANAGER, "second"),
        structure=structure,
    )


@pytest.fixture
def marseille_manager(marseille_structure):
    _convention(marseille_structure)
    return personas.create_user(personas.STRUCTURE_MARSEILLE, structure=marseille_structure)


class TestHappyPath:
    def test_apply_rank_grant_designate_an_advisor(
        self,
        client,
        structure_manager,
        paris_convention,
        paris_advisor,
        advisor_user,
        prefecture_paris,
        national_admin,
        django_capture_on_commit_callbacks,
    ):
        structure = paris_convention.structure
        department("93")
        client.force_login(structure_manager)
        url = reverse("workflows:coordinator_apply")
        assert client.get(url).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url,
                {
                    "coordination_type": "PT",
                    "territory": "Paris 11e et 20e",
                    "covered_departments": ["75", "93"],
                    "motivation": "Animer les conseillers de l'est parisien.",
                },
            )
        assert response.status_code == 302
        coordinator_request = CoordinatorRequest.objects.get()
        assert coordinator_request.status == RequestStatus.PREFECTURE_REVIEW
        assert coordinator_request.department_id == "75"
        assert sorted(coordinator_request.covered_departments.values_list("pk", flat=True)) == ["75", "93"]
        new = next(m for m in mail.outbox if m.subject == "Nouvelle demande de poste de coordinateur")
        assert (
            new.to == [prefecture_paris.email] and f"/espace/postes-coordinateur/{coordinator_request.pk}/" in new.body
        )
        # A second request while one is open is refused, the form kept.
        again = client.get(url)
        assert "Votre demande est en cours" in again.text

        client.force_login(prefecture_paris)
        dossier = client.get(reverse("workflows:coordinator_request", args=[coordinator_request.pk]))
        assert dossier.status_code == 200 and "Classement des demandes en cours" in dossier.text
        item = work_item(Kind.COORDINATOR, coordinator_request, Step.COORDINATOR_PREFECTURE)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("workflows:decide", args=[item.pk]),
                {"opinion": "favorable", "rank": "1", "internal_note": "Territoire prioritaire, besoin fort."},
            )
        assert response.status_code == 302
        coordinator_request.refresh_from_db()
        assert coordinator_request.status == RequestStatus.DECISION and coordinator_request.prefecture_rank == 1
        assert any(m.subject == "Demande de poste de coordinateur à décider" for m in mail.outbox)
        listing = client.get(reverse("workflows:coordinator_requests"))
        assert structure.name in listing.text

        client.force_login(national_admin)
        posts_before = conventions.posts_on(structure.pk, timezone.localdate())
        item = work_item(Kind.COORDINATOR, coordinator_request, Step.COORDINATOR_DECISION)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("workflows:decide", args=[item.pk]), {"decision": "accorder"})
        coordinator_request.refresh_from_db()
        assert coordinator_request.status == RequestStatus.DESIGNATION
        assert conventions.posts_on(structure.pk, timezone.localdate()) == posts_before + 1
        event = ConventionEvent.objects.get(kind=ConventionEventKind.COORDINATOR_POST)
        assert event.is_coordinator_post and event.delta == 1 and event.convention == paris_convention
        assert event.effective_on == timezone.localdate()
        structure.refresh_from_db()
        assert structure.posts_granted == posts_before + 1
        assert any(
            m.subject == "Votre demande de poste de coordinateur est acceptée" and m.to == [structure_manager.email]
            for m in mail.outbox
        )

        client.force_login(structure_manager)
        item = work_item(Kind.COORDINATOR, coordinator_request, Step.COORDINATOR_DESIGNATION)
        page = client.get(reverse("workflows:coordinator_request", args=[coordinator_request.pk]))
        assert paris_advisor.full_name in page.text and "Rang dans le département" not in page.text
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("workflows:decide", args=[item.pk]), {"advisor": paris_advisor.pk})
        assert response.status_code == 302
        coordinator_request.refresh_from_db()
        paris_advisor.refresh_from_db()
        assert coordinator_request.status == RequestStatus.GRANTED
        assert coordinator_request.coordinator == paris_advisor and paris_advisor.is_coordinator
        assert Membership.objects.active().filter(user=advisor_user, role=Role.COORDINATOR, advisor=paris_advisor)
        assert any(m.subject == "Vous êtes conseiller numérique coordinateur" for m in mail.outbox)
        # A second post of the same decision: already processed, nothing changed.
        again = client.post(reverse("workflows:decide", args=[item.pk]), {"advisor": paris_advisor.pk}, follow=True)
        assert "Cette étape a déjà été traitée." in again.text

    def test_a_recruitment_designated_becomes_coordinator_at_its_deployment(
        self, structure_manager, paris_convention, prefecture_paris, national_admin, hub_agent
    ):
        structure = paris_convention.structure
        coordinator_request = _submit(structure_manager)
        _review(prefecture_paris, coordinator_request)
        _decide(national_admin, coordinator_request)
        today = timezone.localdate()
        recruitment = services.recruitment_preselect(
            candidate=CandidateFactory(email="future.coordinatrice@perso.test"), user=structure_manager
        )
        services.recruitment_propose_contract(
            work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_CONTRACT),
            user=structure_manager,
            contract_type=ContractType.CDI,
            contract_start=today,
            contract_end=None,
            salary=2200,
        )
        services.coordinator_designate(
            work_item=work_item(Kind.COORDINATOR, coordinator_request, Step.COORDINATOR_DESIGNATION),
            user=structure_manager,
            recruitment=recruitment,
        )
        recruitment.refresh_from_db()
        coordinator_request.refresh_from_db()
        assert recruitment.is_coordinator_post and coordinator_request.recruitment == recruitment
        assert coordinator_request.coordinator is None and coordinator_request.status == RequestStatus.GRANTED

        # The recruitment runs its course; at the deployment the advisor becomes the coordinator.
        services.recruitment_prefecture_review(
            work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_PREFECTURE),
            user=prefecture_paris,
            opinion="favorable",
            internal_note="Profil adapté à la coordination.",
        )
        services.recruitment_hub_decide(
            work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_HUB),
            user=hub_agent,
            decision="valider",
        )
        services.recruitment_record_training(
            work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_TRAINING),
            user=hub_agent,
            session_start=today,
            session_end=today,
            completed=True,
            certified=True,
        )
        services.recruitment_deploy(
            work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_DEPLOYMENT),
            user=structure_manager,
            started_at=today,
            place=PlaceFactory(structure=structure),
        )
        recruitment.refresh_from_db()
        coordinator_request.refresh_from_db()
        advisor = recruitment.advisor
        assert advisor.is_coordinator and coordinator_request.coordinator == advisor
        assert Membership.objects.active().filter(user=advisor.user, role=Role.COORDINATOR, advisor=advisor).exists()
        assert recruitment.contract.is_coordinator_post


class TestRanking:
    def test_two_requests_of_a_department_never_share_a_rank(
        self, client, structure_manager, second_paris_manager, paris_convention, prefecture_paris
    ):
        first = _submit(structure_manager)
        second = _submit(second_paris_manager, territory="Le 20e arrondissement")
        _review(prefecture_paris, first, rank=1)
        with pytest.raises(ValidationError) as error:
            _review(prefecture_paris, second, rank=1)
        assert "déjà donné à la demande de « Mairie du 11e arrondissement »" in str(error.value)
        with pytest.raises(ValidationError) as error:
            _review(prefecture_paris, second, rank=3)
        assert "entre 1 et 2" in str(error.value)
        # Through the page: 400, the error next to the rank, what was typed kept.
        client.force_login(prefecture_paris)
        item = work_item(Kind.COORDINATOR, second, Step.COORDINATOR_PREFECTURE)
        response = client.post(
            reverse("workflows:decide", args=[item.pk]),
            {"opinion": "favorable", "rank": "1", "internal_note": "Ma note interne reste là."},
        )
        assert response.status_code == 400
        assert "est déjà donné" in response.text and "Ma note interne reste là." in response.text
        assert "Entre 1 et 2 (2 demande(s) en cours dans le département)" in response.text
        second.refresh_from_db()
        assert second.status == RequestStatus.PREFECTURE_REVIEW and second.prefecture_rank is None
        _review(prefecture_paris, second, rank=2)
        second.refresh_from_db()
        assert second.prefecture_rank == 2

    def test_bad_input_answers_400_with_the_message(self, client, structure_manager, paris_convention):
        client.force_login(structure_manager)
        response = client.post(
            reverse("workflows:coordinator_apply"),
            {"coordination_type": "XX", "territory": "abc", "motivation": "court", "covered_departments": []},
        )
        assert response.status_code == 400
        assert "abc" in response.text and not CoordinatorRequest.objects.exists()
        with pytest.raises(ValidationError) as error:
            _submit(structure_manager, territory="abc", covered_departments=[])
        assert set(error.value.message_dict) == {"territory", "covered_departments"}

    def test_no_request_without_a_convention_in_force_nor_two_at_once(self, structure_manager, paris_structure):
        with pytest.raises(ValidationError, match="pas de convention en cours"):
            _submit(structure_manager)
        _convention(paris_structure)
        _submit(structure_manager)
        with pytest.raises(ValidationError, match="déjà une demande"):
            _submit(structure_manager)


class TestDecisions:
    def test_refusal_closes_the_request_and_tells_the_structure(
        self, structure_manager, paris_convention, prefecture_paris, national_admin, django_capture_on_commit_callbacks
    ):
        coordinator_request = _submit(structure_manager)
        _review(prefecture_paris, coordinator_request, opinion="defavorable")
        with pytest.raises(ValidationError):
            _decide(national_admin, coordinator_request, decision="refuser")  # no reason
        with django_capture_on_commit_callbacks(execute=True):
            _decide(
                national_admin,
                coordinator_request,
                decision="refuser",
                reason="besoin_non_justifie",
                message_to_applicant="Le territoire est déjà couvert.",
                internal_note="Doublon avec la demande du département.",
            )
        coordinator_request.refresh_from_db()
        assert coordinator_request.status == RequestStatus.REFUSED
        assert not ConventionEvent.objects.filter(kind=ConventionEventKind.COORDINATOR_POST).exists()
        refused = next(m for m in mail.outbox if m.subject.endswith("n'est pas retenue"))
        assert refused.to == [structure_manager.email] and "déjà couvert" in refused.body
        assert "Doublon avec la demande" not in refused.body  # the internal note stays internal
        # Closed: the structure may apply again.
        assert _submit(structure_manager).status == RequestStatus.PREFECTURE_REVIEW

    def test_send_back_returns_to_the_prefecture_which_keeps_the_rank(
        self, structure_manager, paris_convention, prefecture_paris, national_admin
    ):
        coordinator_request = _submit(structure_manager)
        _review(prefecture_paris, coordinator_request, rank=1)
        with pytest.raises(ValidationError):
            _decide(national_admin, coordinator_request, decision="renvoyer")  # no note
        _decide(national_admin, coordinator_request, decision="renvoyer", internal_note="Précisez le territoire.")
        coordinator_request.refresh_from_db()
        assert coordinator_request.status == RequestStatus.PREFECTURE_REVIEW
        # Its own rank is not "taken" by itself.
        _review(prefecture_paris, coordinator_request, rank=1)
        coordinator_request.refresh_from_db()
        assert coordinator_request.status == RequestStatus.DECISION

    def test_only_the_national_team_decides(
        self, client, structure_manager, paris_convention, prefecture_paris, hub_agent
    ):
        coordinator_request = _submit(structure_manager)
        _review(prefecture_paris, coordinator_request)
        with pytest.raises(PermissionDenied):
            _decide(hub_agent, coordinator_request)
        client.force_login(hub_agent)
        item = work_item(Kind.COORDINATOR, coordinator_request, Step.COORDINATOR_DECISION)
        assert client.post(reverse("workflows:decide", args=[item.pk]), {"decision": "accorder"}).status_code == 403


class TestScope:
    def test_out_of_scope_is_404_and_permission_denied(
        self, client, structure_manager, paris_convention, prefecture_marseille, marseille_manager
    ):
        coordinator_request = _submit(structure_manager)
        url = reverse("workflows:coordinator_request", args=[coordinator_request.pk])
        for user in (prefecture_marseille, marseille_manager):
            client.force_login(user)
            assert client.get(url).status_code == 404
        with pytest.raises(PermissionDenied):
            _review(prefecture_marseille, coordinator_request)
        client.force_login(prefecture_marseille)
        assert "Mairie du 11e" not in client.get(reverse("workflows:coordinator_requests")).text

    def test_designation_of_an_advisor_of_another_structure_is_refused(
        self, client, structure_manager, paris_convention, prefecture_paris, national_admin, marseille_advisor
    ):
        coordinator_request = _submit(structure_manager)
        _review(prefecture_paris, coordinator_request)
        _decide(national_admin, coordinator_request)
        item = work_item(Kind.COORDINATOR, coordinator_request, Step.COORDINATOR_DESIGNATION)
        with pytest.raises(ValidationError, match="pas en poste dans la structure"):
            services.coordinator_designate(work_item=item, user=structure_manager, advisor=marseille_advisor)
        with pytest.raises(ValidationError, match="l'un ou l'autre"):
            services.coordinator_designate(work_item=item, user=structure_manager)
        client.force_login(structure_manager)
        response = client.post(reverse("workflows:decide", args=[item.pk]), {"advisor": marseille_advisor.pk})
        assert response.status_code == 400
        marseille_advisor.refresh_from_db()
        assert not marseille_advisor.is_coordinator

    def test_request_list_stays_within_a_query_budget(self, client, prefecture_paris, django_assert_max_num_queries):
        for index in range(6):
            structure = StructureFactory(name=f"Structure parisienne {index}")
            _convention(structure)
            manager = personas.create_user(
                personas.Persona("G", f"N{index}", f"g{index}@s.fr", Role.STRUCTURE_MANAGER, "x"), structure=structure
            )
            _submit(manager)
        client.force_login(prefecture_paris)
        client.get(reverse("workflows:coordinator_requests"))  # warm the session and caches
        with django_assert_max_num_queries(12):
            response = client.get(reverse("workflows:coordinator_requests"))
        assert response.text.count("Structure parisienne") == 6


class TestTeam:
    def test_team_change_is_recorded_and_scoped(
        self, client, structure_manager, national_admin, paris_structure, paris_advisor, marseille_advisor
    ):
        coordinator = AdvisorFactory(structure=paris_structure, coordinator=True, first_name="Karim")
        colleague = AdvisorFactory(structure=paris_structure, first_name="Lou", last_name="Martin")
        # The national team puts a Marseille advisor in the team; the Paris manager cannot see her.
        services.coordinator_team_set(
            coordinator=coordinator, user=national_admin, advisors=[marseille_advisor], departments=[]
        )
        client.force_login(structure_manager)
        url = reverse("workflows:coordinator_team", args=[coordinator.pk])
        page = client.get(url)
        assert page.status_code == 200 and marseille_advisor.full_name not in page.text
        response = client.post(url, {"advisors": [paris_advisor.pk, colleague.pk], "departments": ["75"]})
        assert response.status_code == 302
        assert set(coordinator.coordinated_advisors.all()) == {paris_advisor, colleague, marseille_advisor}
        assert list(coordinator.coordination_departments.values_list("pk", flat=True)) == ["75"]
        page = client.get(url)
        assert "Lou Martin" in page.text and marseille_advisor.full_name not in page.text
        history = services.coordinator_team_history(coordinator=coordinator, user=structure_manager)
        assert len(history) == 2
        assert history[0]["by"] == structure_manager.email
        assert sorted(history[0]["added"]) == sorted([paris_advisor.full_name, colleague.full_name])
        assert history[0]["departments_before"] == [] and history[0]["departments_after"] == ["75"]
        assert history[1]["added"] == [] and history[1]["hidden"] == 1  # the Marseille advisor, not named
        national_view = services.coordinator_team_history(coordinator=coordinator, user=national_admin)
        assert national_view[1]["added"] == [marseille_advisor.full_name]
        # Removing: the manager unticks Lou; the Marseille advisor stays.
        client.post(url, {"advisors": [paris_advisor.pk], "departments": ["75"]})
        assert set(coordinator.coordinated_advisors.all()) == {paris_advisor, marseille_advisor}
        assert services.coordinator_team_history(coordinator=coordinator, user=structure_manager)[0]["removed"] == [
            colleague.full_name
        ]

    def test_team_page_out_of_scope(
        self, client, marseille_manager, structure_manager, paris_structure, marseille_advisor
    ):
        coordinator = AdvisorFactory(structure=paris_structure, coordinator=True)
        client.force_login(marseille_manager)
        assert client.get(reverse("workflows:coordinator_team", args=[coordinator.pk])).status_code == 404
        with pytest.raises(PermissionDenied):
            services.coordinator_team_set(
                coordinator=coordinator, user=marseille_manager, advisors=[marseille_advisor], departments=[]
            )
        with pytest.raises(ValidationError):
            services.coordinator_team_set(
                coordinator=coordinator, user=structure_manager, advisors=[marseille_advisor], departments=[]
            )
        client.force_login(structure_manager)
        response = client.post(
            reverse("workflows:coordinator_team", args=[coordinator.pk]), {"advisors": [marseille_advisor.pk]}
        )
        assert response.status_code == 400


def test_structures_are_untouched_by_a_refused_or_pending_request(structure_manager, paris_convention):
    before = Structure.objects.get(pk=paris_convention.structure_id).posts_granted
    _submit(structure_manager)
    assert Structure.objects.get(pk=paris_convention.structure_id).posts_granted == before


def test_team_page_stays_within_a_query_budget(client, national_admin, paris_structure, django_assert_max_num_queries):
    coordinator = AdvisorFactory(structure=paris_structure, coordinator=True)
    members = [AdvisorFactory(structure=paris_structure) for _ in range(8)]
    for size in (3, 6, 8):
        services.coordinator_team_set(
            coordinator=coordinator, user=national_admin, advisors=members[:size], departments=[department("75")]
        )
    client.force_login(national_admin)
    url = reverse("workflows:coordinator_team", args=[coordinator.pk])
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200 and response.text.count("Prénom") >= 8
    assert len(services.coordinator_team_history(coordinator=coordinator, user=national_admin)) == 3


class TestVacantPost:
    def test_a_post_whose_coordinator_left_gets_a_new_coordinator(
        self, client, structure_manager, paris_convention, prefecture_paris, national_admin, paris_advisor
    ):
        coordinator_request = _submit(structure_manager)
        _review(prefecture_paris, coordinator_request)
        _decide(national_admin, coordinator_request)
        item = work_item(Kind.COORDINATOR, coordinator_request, Step.COORDINATOR_DESIGNATION)
        services.coordinator_designate(work_item=item, user=structure_manager, advisor=paris_advisor)
        url = reverse("workflows:coordinator_request", args=[coordinator_request.pk])
        redesignate = reverse("workflows:coordinator_redesignate", args=[coordinator_request.pk])
        client.force_login(structure_manager)
        assert "Le poste de coordinateur est vacant" not in client.get(url).text
        successor = AdvisorFactory(structure=paris_convention.structure, first_name="Nora")
        with pytest.raises(ValidationError, match="pas vacant"):
            services.coordinator_redesignate(
                coordinator_request=coordinator_request, user=structure_manager, advisor=successor
            )

        services.advisor_end(advisor=paris_advisor, ended_on=timezone.localdate(), reason="rupture")
        page = client.get(url)
        assert "Le poste de coordinateur est vacant" in page.text
        response = client.post(redesignate, {"advisor": "", "recruitment": ""})
        assert response.status_code == 400 and "l&#x27;un ou l&#x27;autre" in response.text
        assert client.post(redesignate, {"advisor": successor.pk}).status_code == 302
        coordinator_request.refresh_from_db()
        successor.refresh_from_db()
        assert coordinator_request.coordinator == successor and successor.is_coordinator
        assert "Le poste de coordinateur est vacant" not in client.get(url).text
        # Out of scope: a prefecture cannot designate, another structure does not see the dossier.
        with pytest.raises(PermissionDenied):
            services.coordinator_redesignate(
                coordinator_request=coordinator_request, user=prefecture_paris, advisor=successor
            )

    def test_a_designated_recruitment_that_falls_through_leaves_the_post_vacant(
        self, structure_manager, paris_convention, prefecture_paris, national_admin, marseille_manager
    ):
        coordinator_request = _submit(structure_manager)
        _review(prefecture_paris, coordinator_request)
        _decide(national_admin, coordinator_request)
        recruitment = services.recruitment_preselect(candidate=CandidateFactory(), user=structure_manager)
        services.recruitment_propose_contract(
            work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_CONTRACT),
            user=structure_manager,
            contract_type=ContractType.CDI,
            contract_start=timezone.localdate(),
            contract_end=None,
            salary=2200,
        )
        services.coordinator_designate(
            work_item=work_item(Kind.COORDINATOR, coordinator_request, Step.COORDINATOR_DESIGNATION),
            user=structure_manager,
            recruitment=recruitment,
        )
        assert not services.coordinator_post_vacant(coordinator_request)
        services.recruitment_cancel(recruitment=recruitment, user=structure_manager, message_to_applicant="Annulé.")
        coordinator_request.refresh_from_db()
        assert services.coordinator_post_vacant(coordinator_request)
        with pytest.raises(PermissionDenied):
            services.coordinator_redesignate(
                coordinator_request=coordinator_request,
                user=marseille_manager,
                advisor=AdvisorFactory(structure=paris_convention.structure),
            )
