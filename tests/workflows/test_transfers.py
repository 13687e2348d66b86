"""Transfers of posts (issue 13, item 3): started by the national team, optional opinion of the receiving prefecture,
national decision, applied on its date, with or without the advisor who holds one of the posts."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from directory import conventions
from directory.enums import ContractEndReason, ContractStatus, ConventionEventKind
from directory.models import Contract, ConventionEvent, PlaceAssignment
from tests.directory.factories import StructureFactory
from tests.personas import user_with_role
from tests.workflows.helpers import work_item
from workflows import services
from workflows.enums import Kind, RequestStatus, Step
from workflows.models import PostTransfer, WorkItem

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _setup(structure, posts):
    """A convention in force for `structure` since last year, with `posts` posts."""
    start = TODAY() - datetime.timedelta(days=365)
    return conventions.convention_open(structure=structure, start=start, posts=posts)


@pytest.fixture
def network(paris_structure, marseille_structure, paris_advisor):
    """Paris (75): 3 posts, Camille in post on a CDD; Marseille (13): 2 posts, nobody."""
    _setup(paris_structure, 3)
    _setup(marseille_structure, 2)
    conventions.contract_open(
        advisor=paris_advisor,
        structure=paris_structure,
        contract_type="cdd",
        start=TODAY() - datetime.timedelta(days=200),
        end=TODAY() + datetime.timedelta(days=300),
        salary=2100,
    )
    return paris_structure, marseille_structure, paris_advisor


@pytest.fixture
def managers(paris_structure, marseille_structure):
    paris = user_with_role(Role.STRUCTURE_MANAGER, "gestion@paris.test", structure=paris_structure)
    marseille = user_with_role(Role.STRUCTURE_MANAGER, "gestion@marseille.test", structure=marseille_structure)
    return paris, marseille


def _form(giving, receiving, **overrides):
    data = {
        "from_structure": str(giving.pk),
        "structure": str(receiving.pk),
        "posts": "1",
        "advisor": "",
        "effective_on": TODAY().isoformat(),
        "motivation": "La structure qui cède n'a plus l'usage de ce poste.",
    }
    data.update(overrides)
    return data


def _start(user, from_structure, structure, **kwargs):
    args = {"posts": 1, "effective_on": TODAY(), "motivation": "Réorganisation du réseau local."}
    args.update(kwargs)
    return services.transfer_start(user=user, from_structure=from_structure, structure=structure, **args)


def _decide(user, transfer, decision="accorder", **kwargs):
    return services.transfer_decide(
        work_item=work_item(Kind.TRANSFER, transfer, Step.TRANSFER_DECISION), user=user, decision=decision, **kwargs
    )


class TestVacantPosts:
    def test_started_from_the_form_and_confirmed_today_moves_the_posts_at_once(
        self, client, network, managers, national_admin, django_capture_on_commit_callbacks
    ):
        paris, marseille, _advisor = network
        client.force_login(national_admin)
        assert client.get(reverse("workflows:transfer_new")).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("workflows:transfer_new"), _form(paris, marseille, posts="2"))
        transfer = PostTransfer.objects.get()
        assert response.status_code == 302 and response.url == reverse("workflows:transfer", args=[transfer.pk])
        assert transfer.status == RequestStatus.DECISION and transfer.department_id == "13"
        assert transfer.from_department_id == "75"
        confirm = [m for m in mail.outbox if m.subject == "Transfert de postes à confirmer"]
        assert confirm and national_admin.email in confirm[0].to
        # No opinion asked: straight to the national decision.
        assert not WorkItem.objects.filter(kind=Kind.TRANSFER, step=Step.TRANSFER_PREFECTURE).exists()
        decision = work_item(Kind.TRANSFER, transfer, Step.TRANSFER_DECISION)
        page = client.get(reverse("workflows:transfer", args=[transfer.pk]))
        assert "Étape en cours : Décision sur un transfert de postes" in page.text
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("workflows:decide", args=[decision.pk]), {"decision": "accorder"})
        transfer.refresh_from_db()
        assert transfer.status == RequestStatus.GRANTED and transfer.applied_at is not None
        assert conventions.posts_on(paris.pk, TODAY()) == 1
        assert conventions.posts_on(marseille.pk, TODAY()) == 4
        paris.refresh_from_db()
        marseille.refresh_from_db()
        assert (paris.posts_granted, marseille.posts_granted) == (1, 4)
        events = ConventionEvent.objects.filter(reference=f"TRANSFERT-{transfer.pk}")
        assert sorted(events.values_list("kind", "delta")) == [
            (ConventionEventKind.TRANSFER_IN, 2),
            (ConventionEventKind.TRANSFER_OUT, -2),
        ]
        effective = [m for m in mail.outbox if m.subject == "Transfert de postes effectif"]
        assert effective and set(effective[0].to) == {"gestion@paris.test", "gestion@marseille.test"}
        # A second decision on the same task: already processed, not a 500.
        again = client.post(reverse("workflows:decide", args=[decision.pk]), {"decision": "accorder"}, follow=True)
        assert "Cette étape a déjà été traitée." in again.text

    def test_an_occupied_post_moves_only_with_its_advisor(self, client, network, national_admin):
        paris, marseille, _advisor = network
        client.force_login(national_admin)
        response = client.post(reverse("workflows:transfer_new"), _form(paris, marseille, posts="3"))
        assert response.status_code == 400
        assert "Les postes transférés doivent être vacants" in response.text
        assert "Réorganisation" not in response.text and "n&#x27;a plus l&#x27;usage" in response.text  # kept
        assert not PostTransfer.objects.exists()

    def test_posts_promised_by_an_open_transfer_are_not_vacant_any_more(self, network, national_admin):
        paris, marseille, _advisor = network
        _start(national_admin, paris, marseille, posts=2, ask_prefecture=True)
        with pytest.raises(ValidationError) as error:
            _start(national_admin, paris, marseille, posts=1)
        assert "vacants" in str(error.value)


class TestWithAdvisor:
    def test_prefecture_opinion_then_scheduled_then_applied_by_the_daily_command(
        self,
        network,
        managers,
        national_admin,
        prefecture_marseille,
        prefecture_paris,
        advisor_user,
        django_capture_on_commit_callbacks,
    ):
        paris, marseille, advisor = network
        effective = TODAY() + datetime.timedelta(days=10)
        with django_capture_on_commit_callbacks(execute=True):
            transfer = _start(
                national_admin, paris, marseille, posts=2, advisor=advisor, effective_on=effective, ask_prefecture=True
            )
        assert transfer.status == RequestStatus.PREFECTURE_REVIEW
        asked = [m for m in mail.outbox if m.subject == "Transfert de postes : votre avis est demandé"]
        assert asked and asked[0].to == [prefecture_marseille.email]
        review = work_item(Kind.TRANSFER, transfer, Step.TRANSFER_PREFECTURE)
        # The giving department's prefecture sees the dossier but gives no opinion: the receiving one does.
        with pytest.raises(PermissionDenied):
            services.transfer_prefecture_review(
                work_item=review, user=prefecture_paris, opinion="favorable", internal_note="Avis de Paris, non."
            )
        services.transfer_prefecture_review(
            work_item=review, user=prefecture_marseille, opinion="favorable", internal_note="Le besoin est avéré ici."
        )
        transfer.refresh_from_db()
        assert transfer.status == RequestStatus.DECISION and transfer.prefecture_opinion == "favorable"
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            _decide(national_admin, transfer)
        transfer.refresh_from_db()
        assert transfer.status == RequestStatus.SCHEDULED and transfer.applied_at is None
        assert any(m.subject == "Votre contrat se poursuit chez un nouvel employeur" for m in mail.outbox)
        old_contract = Contract.objects.get(advisor=advisor)

        # Not due: the command changes nothing before the effective date.
        call_command("apply_programme_dates", "--apply", "--now", f"{effective - datetime.timedelta(days=1)}T08:00")
        transfer.refresh_from_db()
        advisor.refresh_from_db()
        assert transfer.status == RequestStatus.SCHEDULED and advisor.structure_id == paris.pk
        assert conventions.posts_on(paris.pk, effective) == 3

        # Due: posts, contract, employer and places move; her account stays.
        call_command("apply_programme_dates", "--apply", "--now", f"{effective}T08:00")
        transfer.refresh_from_db()
        advisor.refresh_from_db()
        assert transfer.status == RequestStatus.GRANTED and transfer.applied_at is not None
        assert advisor.structure_id == marseille.pk and advisor.user_id == advisor_user.pk
        assert advisor_user.memberships.active().filter(advisor=advisor).exists()
        assert not PlaceAssignment.objects.filter(advisor=advisor, place__structure=paris).exists()
        old_contract.refresh_from_db()
        assert old_contract.status == ContractStatus.ENDED
        assert old_contract.end_reason == ContractEndReason.TRANSFERRED
        assert old_contract.ended_on == effective - datetime.timedelta(days=1)
        new_contract = conventions.active_contract(advisor)
        assert new_contract.structure_id == marseille.pk and new_contract.follows_id == old_contract.pk
        assert (new_contract.contract_type, new_contract.end, new_contract.salary, new_contract.start) == (
            "cdd",
            old_contract.end,
            2100,
            effective,
        )
        assert new_contract.convention == conventions.convention_in_force(marseille, effective)
        assert (conventions.posts_on(paris.pk, effective), conventions.posts_on(marseille.pk, effective)) == (1, 4)
        assert (conventions.posts_on(paris.pk, TODAY()), conventions.posts_on(marseille.pk, TODAY())) == (3, 2)
        # Idempotent: a second run applies nothing twice.
        call_command("apply_programme_dates", "--apply", "--now", f"{effective}T09:00")
        assert ConventionEvent.objects.filter(reference=f"TRANSFERT-{transfer.pk}").count() == 2
        assert Contract.objects.filter(advisor=advisor).count() == 2

    def test_an_advisor_whose_contract_ended_meanwhile_stays_behind(self, network, national_admin):
        paris, marseille, advisor = network
        effective = TODAY() + datetime.timedelta(days=3)
        transfer = _start(national_admin, paris, marseille, advisor=advisor, effective_on=effective)
        _decide(national_admin, transfer)
        services.advisor_end(advisor=advisor, ended_on=TODAY(), reason=ContractEndReason.RUPTURE)
        assert services.transfer_apply(transfer=transfer, now=timezone.now() + datetime.timedelta(days=3))
        advisor.refresh_from_db()
        assert advisor.structure_id == paris.pk and conventions.active_contract(advisor) is None
        assert conventions.posts_on(marseille.pk, effective) == 3

    def test_the_advisor_must_work_at_the_giving_structure(self, network, marseille_advisor, national_admin):
        paris, marseille, _advisor = network
        with pytest.raises(ValidationError) as error:
            _start(national_admin, paris, marseille, advisor=marseille_advisor)
        assert "n'est pas en poste dans la structure qui cède" in str(error.value)


class TestDecisions:
    def test_refusal_needs_a_reason_and_changes_nothing(
        self, client, network, managers, national_admin, django_capture_on_commit_callbacks
    ):
        paris, marseille, _advisor = network
        transfer = _start(national_admin, paris, marseille)
        client.force_login(national_admin)
        decision = work_item(Kind.TRANSFER, transfer, Step.TRANSFER_DECISION)
        missing = client.post(reverse("workflows:decide", args=[decision.pk]), {"decision": "refuser"})
        assert missing.status_code == 400 and "Choisissez un motif de refus." in missing.text
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("workflows:decide", args=[decision.pk]),
                {"decision": "refuser", "reason": "autre", "message_to_applicant": "Le poste reste utile à Paris."},
            )
        transfer.refresh_from_db()
        assert transfer.status == RequestStatus.REFUSED
        assert conventions.posts_on(paris.pk, TODAY()) == 3
        refused = next(m for m in mail.outbox if m.subject == "Transfert de postes refusé")
        assert "Le poste reste utile à Paris." in refused.body and "gestion@paris.test" in refused.to

    def test_send_back_only_when_the_opinion_was_asked(self, network, national_admin, prefecture_marseille):
        paris, marseille, _advisor = network
        direct = _start(national_admin, paris, marseille)
        with pytest.raises(ValidationError) as error:
            _decide(national_admin, direct, "renvoyer", internal_note="Merci de revoir ce dossier.")
        assert "n'a pas été demandé" in str(error.value)
        asked = _start(national_admin, paris, marseille, ask_prefecture=True)
        services.transfer_prefecture_review(
            work_item=work_item(Kind.TRANSFER, asked, Step.TRANSFER_PREFECTURE),
            user=prefecture_marseille,
            opinion="defavorable",
            internal_note="Pas de besoin identifié.",
        )
        _decide(national_admin, asked, "renvoyer", internal_note="Merci de revoir avec la mairie.")
        asked.refresh_from_db()
        assert asked.status == RequestStatus.PREFECTURE_REVIEW
        assert work_item(Kind.TRANSFER, asked, Step.TRANSFER_PREFECTURE)

    def test_cancelled_before_its_date(self, client, network, national_admin, prefecture_paris):
        paris, marseille, _advisor = network
        transfer = _start(national_admin, paris, marseille, effective_on=TODAY() + datetime.timedelta(days=5))
        _decide(national_admin, transfer)
        url = reverse("workflows:transfer_cancel", args=[transfer.pk])
        client.force_login(prefecture_paris)
        assert "Annuler ce transfert" not in client.get(reverse("workflows:transfer", args=[transfer.pk])).text
        assert client.post(url, {"comment": "Je voudrais annuler."}).status_code == 403
        client.force_login(national_admin)
        short = client.post(url, {"comment": "Non."})
        assert short.status_code == 400 and "10 caractères au moins" in short.text
        assert client.post(url, {"comment": "La structure a changé d'avis."}).status_code == 302
        transfer.refresh_from_db()
        assert transfer.status == RequestStatus.CANCELLED
        assert services.transfers_due(timezone.now() + datetime.timedelta(days=6)).count() == 0


class TestScopeAndInput:
    def test_only_the_national_team_starts_a_transfer(self, client, network, prefecture_paris, structure_manager):
        paris, marseille, _advisor = network
        with pytest.raises(PermissionDenied):
            _start(prefecture_paris, paris, marseille)
        client.force_login(prefecture_paris)
        assert client.get(reverse("workflows:transfer_new")).status_code == 403

    def test_each_prefecture_sees_only_the_transfers_of_its_department(
        self, client, network, national_admin, prefecture_paris, prefecture_marseille, django_assert_max_num_queries
    ):
        paris, marseille, _advisor = network
        other = StructureFactory(name="Mairie d'Aubagne", in_marseille=True)
        _setup(other, 10)
        with_paris = _start(national_admin, paris, marseille)
        within_13 = _start(national_admin, marseille, other)
        client.force_login(prefecture_paris)
        assert client.get(reverse("workflows:transfer", args=[with_paris.pk])).status_code == 200
        assert client.get(reverse("workflows:transfer", args=[within_13.pk])).status_code == 404
        listing = client.get(reverse("workflows:transfer_list"))
        assert "Mairie d&#x27;Aubagne" not in listing.text and marseille.name in listing.text
        client.force_login(prefecture_marseille)
        for _ in range(5):
            _start(national_admin, other, marseille)
        with django_assert_max_num_queries(12):
            listing = client.get(reverse("workflows:transfer_list"))
        assert listing.text.count("<tr>") == 8  # header + 7 transfers

    def test_both_structures_see_it_without_the_internal_notes(
        self, client, network, managers, national_admin, prefecture_marseille
    ):
        paris, marseille, _advisor = network
        transfer = _start(national_admin, paris, marseille, ask_prefecture=True)
        services.transfer_prefecture_review(
            work_item=work_item(Kind.TRANSFER, transfer, Step.TRANSFER_PREFECTURE),
            user=prefecture_marseille,
            opinion="favorable",
            internal_note="Note réservée aux agents.",
            message_to_applicant="Bienvenue au poste.",
        )
        other = StructureFactory(name="Mairie de Lyon")
        for manager in managers:
            client.force_login(manager)
            page = client.get(reverse("workflows:transfer", args=[transfer.pk]))
            assert page.status_code == 200 and "Bienvenue au poste." in page.text
            assert "Note réservée aux agents." not in page.text
        outsider = user_with_role(Role.STRUCTURE_MANAGER, "gestion@lyon.test", structure=other)
        client.force_login(outsider)
        assert client.get(reverse("workflows:transfer", args=[transfer.pk])).status_code == 404

    def test_bad_input_answers_400_with_the_message_next_to_the_field(self, client, network, national_admin):
        paris, marseille, _advisor = network
        client.force_login(national_admin)
        url = reverse("workflows:transfer_new")
        yesterday = (TODAY() - datetime.timedelta(days=1)).isoformat()
        cases = [
            (_form(paris, paris), "doit être différente"),
            (_form(paris, marseille, effective_on=yesterday), "ne peut pas être passée"),
            (_form(paris, marseille, structure="99999999999999"), "Aucune structure ne correspond"),
            (_form(paris, marseille, posts="0"), "supérieure ou égale à 1"),
            (_form(paris, marseille, advisor="personne@nulle-part.test"), "Aucun conseiller en poste"),
            (_form(paris, marseille, motivation="court"), "10 caractères au moins"),
        ]
        for data, message in cases:
            response = client.post(url, data)
            assert response.status_code == 400 and message in response.text.replace("&#x27;", "'"), message
        assert not PostTransfer.objects.exists()

    def test_a_structure_without_convention_in_force_cannot_receive(self, network, national_admin):
        paris, _marseille, _advisor = network
        bare = StructureFactory(name="Sans convention")
        with pytest.raises(ValidationError) as error:
            _start(national_admin, paris, bare)
        assert "pas de convention en cours" in str(error.value)
