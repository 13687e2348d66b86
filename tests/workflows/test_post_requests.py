"""Avenants (posts added or given back) and the structure manager's "Ma structure" page (issue 13 items 2 and 7)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent, Membership
from directory import conventions
from directory.enums import ConventionEventKind
from directory.models import ConventionEvent
from tests import personas
from tests.directory.factories import AdvisorFactory
from tests.territories.factories import commune
from tests.workflows.factories import CandidateFactory
from tests.workflows.helpers import work_item
from workflows import services
from workflows.enums import Kind, RecruitmentStatus, RequestStatus, Step, Verdict
from workflows.models import Decision, PostRequest, Recruitment, WorkItem

pytestmark = pytest.mark.django_db

MOTIVATION = "Deux nouvelles antennes de quartier ouvrent en janvier : il nous faut deux conseillers de plus."
NOTE = "Besoin confirmé par la mairie, territoire peu couvert."


def today():
    return timezone.localdate()


@pytest.fixture
def convention(paris_structure):
    """The Paris structure's convention in force: 3 posts since 100 days."""
    return conventions.convention_open(
        structure=paris_structure, start=today() - datetime.timedelta(days=100), posts=3
    )


@pytest.fixture
def marseille_convention(marseille_structure):
    return conventions.convention_open(
        structure=marseille_structure, start=today() - datetime.timedelta(days=100), posts=2
    )


@pytest.fixture
def marseille_manager(marseille_structure):
    return personas.create_user(personas.STRUCTURE_MARSEILLE, structure=marseille_structure)


def submit(user, **kwargs):
    values = {"type": "ajout", "posts_requested": 2, "motivation": MOTIVATION, "request": None}
    values.update(kwargs)
    return services.post_request_submit(user=user, **values)


def at_decision(post_request, prefecture_user, opinion="favorable"):
    services.post_request_prefecture_review(
        work_item=work_item(Kind.POST_REQUEST, post_request, Step.POST_REQUEST_PREFECTURE),
        user=prefecture_user,
        opinion=opinion,
        internal_note=NOTE,
    )
    post_request.refresh_from_db()
    return post_request


def decision_item(post_request):
    return work_item(Kind.POST_REQUEST, post_request, Step.POST_REQUEST_DECISION)


def hold_posts(structure, advisors=0, recruitments=0):
    """Advisors in post and recruitments in progress: the posts they hold cannot be given back."""
    for _ in range(advisors):
        AdvisorFactory(structure=structure)
    for _ in range(recruitments):
        Recruitment.objects.create(
            structure=structure,
            candidate=CandidateFactory(),
            status=RecruitmentStatus.PREFECTURE_REVIEW,
            contract_type="cdi",
            contract_start=today() + datetime.timedelta(days=20),
            salary=2000,
        )


class TestAddPosts:
    def test_it_goes_from_the_structure_to_the_prefecture_to_the_hub_and_adds_the_posts_granted_today(
        self,
        client,
        convention,
        structure_manager,
        prefecture_paris,
        hub_agent,
        django_capture_on_commit_callbacks,
    ):
        structure = convention.structure
        client.force_login(structure_manager)
        page = client.get(reverse("workflows:my_structure"))
        assert "Demander des postes supplémentaires" in page.text and "Ma structure" in page.text
        form = client.get(reverse("workflows:post_request_new"))
        assert form.status_code == 200 and "3 postes" in form.text
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("workflows:post_request_new"),
                {"type": "ajout", "posts_requested": "2", "motivation": MOTIVATION},
            )
        post_request = PostRequest.objects.get()
        assert response.status_code == 302 and response.url == f"/espace/avenants/{post_request.pk}/"
        assert post_request.status == RequestStatus.PREFECTURE_REVIEW
        assert post_request.posts_before == 3 and post_request.convention == convention
        asked = next(m for m in mail.outbox if m.subject == "Demande de poste(s) supplémentaire(s)")
        assert asked.to == [prefecture_paris.email] and f"/espace/avenants/{post_request.pk}/" in asked.body
        assert any(m.to == [structure_manager.email] for m in mail.outbox)
        mail.outbox.clear()

        client.force_login(prefecture_paris)
        item = work_item(Kind.POST_REQUEST, post_request, Step.POST_REQUEST_PREFECTURE)
        dossier = client.get(reverse("workflows:post_request", args=[post_request.pk]))
        assert dossier.status_code == 200 and "Avis du préfet" in dossier.text and MOTIVATION in dossier.text
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("workflows:decide", args=[item.pk]),
                {"opinion": "favorable", "internal_note": NOTE, "message_to_applicant": "Bon courage."},
            )
        post_request.refresh_from_db()
        assert post_request.status == RequestStatus.DECISION and post_request.prefecture_opinion == "favorable"
        told = next(m for m in mail.outbox if m.subject == "Avenant : transmis pour décision")
        assert told.to == [structure_manager.email] and "Bon courage." in told.body and NOTE not in told.body
        mail.outbox.clear()

        client.force_login(hub_agent)
        item = decision_item(post_request)
        too_many = client.post(
            reverse("workflows:decide", args=[item.pk]), {"decision": "accorder", "posts_granted": "3"}
        )
        assert too_many.status_code == 400
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(
                reverse("workflows:decide", args=[item.pk]),
                {"decision": "accorder", "posts_granted": "1"},
                follow=True,
            )
        assert "Votre décision est enregistrée." in done.text
        post_request.refresh_from_db()
        structure.refresh_from_db()
        assert post_request.status == RequestStatus.GRANTED and post_request.posts_granted == 1
        assert structure.posts_granted == 4
        event = ConventionEvent.objects.get(convention=convention, kind=ConventionEventKind.POSTS_ADDED)
        assert (
            event.delta == 1 and event.effective_on == today() and event.reference == f"Avenant n° {post_request.pk}"
        )
        # Dated: the day before the grant the structure still had 3 posts.
        assert conventions.posts_on(structure.pk, today() - datetime.timedelta(days=1)) == 3
        assert conventions.posts_on(structure.pk, today()) == 4
        assert services.free_posts(structure) == 4
        granted = next(m for m in mail.outbox if m.subject == "Avenant à votre convention : décision favorable")
        assert granted.to == [structure_manager.email] and "compte désormais 4 poste(s)" in granted.body
        assert any(
            m.subject == "Avenant - décision favorable" and m.to == [prefecture_paris.email] for m in mail.outbox
        )
        verdicts = list(Decision.objects.filter(kind=Kind.POST_REQUEST).values_list("verdict", flat=True))
        assert verdicts == [Verdict.SUBMITTED, Verdict.FAVORABLE, Verdict.GRANTED]
        assert not WorkItem.objects.open().filter(kind=Kind.POST_REQUEST).exists()

        # The structure sees the decision, never the prefecture's internal note.
        client.force_login(structure_manager)
        seen = client.get(reverse("workflows:post_request", args=[post_request.pk]))
        assert "Postes attribués" in seen.text and NOTE not in seen.text and "Bon courage." in seen.text

    def test_a_second_decision_on_the_same_task_is_already_processed(
        self, convention, structure_manager, prefecture_paris, hub_agent
    ):
        post_request = at_decision(submit(structure_manager), prefecture_paris)
        item = decision_item(post_request)
        services.post_request_decide(work_item=item, user=hub_agent, decision="accorder", posts_granted=2)
        item.refresh_from_db()
        with pytest.raises(services.AlreadyProcessed):
            services.post_request_decide(work_item=item, user=hub_agent, decision="accorder", posts_granted=2)
        convention.structure.refresh_from_db()
        assert convention.structure.posts_granted == 5
        assert ConventionEvent.objects.filter(kind=ConventionEventKind.POSTS_ADDED).count() == 1


class TestSubmissionRules:
    def test_bad_input_answers_400_with_the_message_next_to_the_field_and_keeps_what_was_typed(
        self, client, convention, structure_manager
    ):
        client.force_login(structure_manager)
        url = reverse("workflows:post_request_new")
        no_motivation = client.post(url, {"type": "ajout", "posts_requested": "2", "motivation": "court"})
        assert no_motivation.status_code == 400
        assert "Expliquez votre besoin de postes supplémentaires" in no_motivation.text
        assert 'value="2"' in no_motivation.text and "court</textarea>" in no_motivation.text
        other = client.post(url, {"type": "rendu", "posts_requested": "1", "return_motive": "autre"})
        assert other.status_code == 400 and "Précisez le motif du rendu de poste." in other.text
        no_motive = client.post(url, {"type": "rendu", "posts_requested": "1"})
        assert no_motive.status_code == 400 and "Choisissez le motif du rendu de poste." in no_motive.text
        zero = client.post(url, {"type": "ajout", "posts_requested": "0", "motivation": MOTIVATION})
        assert zero.status_code == 400 and MOTIVATION in zero.text
        assert not PostRequest.objects.exists()

    def test_one_open_avenant_at_a_time_and_a_new_one_after_cancellation(
        self, client, convention, structure_manager, prefecture_paris, django_capture_on_commit_callbacks
    ):
        first = submit(structure_manager)
        client.force_login(structure_manager)
        again = client.post(
            reverse("workflows:post_request_new"), {"type": "ajout", "posts_requested": "1", "motivation": MOTIVATION}
        )
        assert again.status_code == 400 and "Un avenant est déjà en cours pour votre structure" in again.text
        with django_capture_on_commit_callbacks(execute=True):
            cancelled = client.post(reverse("workflows:post_request_cancel", args=[first.pk]), follow=True)
        assert "Votre avenant est annulé." in cancelled.text
        first.refresh_from_db()
        assert first.status == RequestStatus.CANCELLED
        assert not WorkItem.objects.open().filter(kind=Kind.POST_REQUEST, subject_id=first.pk).exists()
        assert any(
            m.subject == "Avenant annulé par la structure" and prefecture_paris.email in m.to for m in mail.outbox
        )
        twice = client.post(reverse("workflows:post_request_cancel", args=[first.pk]), follow=True)
        assert "déjà décidé ou annulé" in twice.text
        assert submit(structure_manager, posts_requested=1).status == RequestStatus.PREFECTURE_REVIEW

    def test_no_avenant_without_a_convention_in_force(self, client, paris_structure, structure_manager):
        conventions.convention_open(
            structure=paris_structure,
            start=today() - datetime.timedelta(days=800),
            end=today() - datetime.timedelta(days=1),
            posts=3,
        )
        with pytest.raises(ValidationError, match="pas de convention en cours"):
            submit(structure_manager)
        client.force_login(structure_manager)
        page = client.get(reverse("workflows:post_request_new"))
        assert "pas de convention en cours" in page.text

    def test_only_a_structure_manager_submits(self, convention, prefecture_paris):
        with pytest.raises(PermissionDenied):
            submit(prefecture_paris)


class TestReturnPosts:
    def test_posts_held_by_advisors_cannot_be_given_back_at_submission(self, client, convention, structure_manager):
        hold_posts(convention.structure, advisors=2, recruitments=1)
        client.force_login(structure_manager)
        response = client.post(
            reverse("workflows:post_request_new"),
            {"type": "rendu", "posts_requested": "1", "return_motive": "besoin_non_justifie"},
        )
        assert response.status_code == 400
        assert "Vous ne pouvez rendre que des postes vacants : 0 poste(s) libre(s) sur 3" in response.text
        assert "notifiez d&#x27;abord la fin de contrat" in response.text
        assert not PostRequest.objects.exists()

    def test_a_return_is_checked_again_at_decision_an_advisor_may_have_been_recruited_since(
        self, client, convention, structure_manager, prefecture_paris, hub_agent, django_capture_on_commit_callbacks
    ):
        structure = convention.structure
        hold_posts(structure, advisors=1)
        post_request = submit(
            structure_manager,
            type="rendu",
            posts_requested=2,
            motivation="",
            return_motive="autre",
            return_motive_other="Réorganisation du service",
        )
        assert post_request.return_motive_other == "Réorganisation du service"
        at_decision(post_request, prefecture_paris)
        hold_posts(structure, advisors=1)  # recruited meanwhile: one post left vacant
        client.force_login(hub_agent)
        dossier = client.get(reverse("workflows:post_request", args=[post_request.pk]))
        assert "ne peut plus être accordé en entier" in dossier.text
        item = decision_item(post_request)
        refused = client.post(
            reverse("workflows:decide", args=[item.pk]), {"decision": "accorder", "posts_granted": "2"}
        )
        assert refused.status_code == 400
        assert "Vous ne pouvez rendre que des postes vacants : 1 poste(s) libre(s) sur 3" in refused.text
        structure.refresh_from_db()
        assert structure.posts_granted == 3 and not ConventionEvent.objects.filter(kind="avenant_rendu").exists()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("workflows:decide", args=[item.pk]), {"decision": "accorder", "posts_granted": "1"})
        structure.refresh_from_db()
        post_request.refresh_from_db()
        assert post_request.status == RequestStatus.GRANTED and structure.posts_granted == 2
        event = ConventionEvent.objects.get(kind=ConventionEventKind.POSTS_RETURNED)
        assert event.delta == -1 and event.reference == f"Avenant n° {post_request.pk}"
        assert services.free_posts(structure) == 0


class TestSendBackAndRefusal:
    def test_send_back_needs_a_note_then_the_prefecture_reviews_again_and_the_hub_refuses(
        self,
        client,
        convention,
        structure_manager,
        prefecture_paris,
        hub_agent,
        django_capture_on_commit_callbacks,
    ):
        post_request = at_decision(submit(structure_manager), prefecture_paris, opinion="defavorable")
        client.force_login(hub_agent)
        item = decision_item(post_request)
        no_note = client.post(reverse("workflows:decide", args=[item.pk]), {"decision": "renvoyer"})
        assert no_note.status_code == 400 and "Expliquez au préfet" in no_note.text
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("workflows:decide", args=[item.pk]),
                {"decision": "renvoyer", "internal_note": "Merci de vérifier les locaux annoncés."},
            )
        post_request.refresh_from_db()
        assert post_request.status == RequestStatus.PREFECTURE_REVIEW and post_request.prefecture_opinion == ""
        back = next(m for m in mail.outbox if "nouvel examen demandé" in m.subject)
        assert back.to == [prefecture_paris.email] and "vérifier les locaux" in back.body
        at_decision(post_request, prefecture_paris)
        item = decision_item(post_request)
        other = client.post(reverse("workflows:decide", args=[item.pk]), {"decision": "refuser", "reason": "autre"})
        assert other.status_code == 400 and "Précisez le motif" in other.text
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("workflows:decide", args=[item.pk]),
                {"decision": "refuser", "reason": "besoin_non_justifie", "message_to_applicant": "Déjà couvert."},
            )
        post_request.refresh_from_db()
        convention.structure.refresh_from_db()
        assert post_request.status == RequestStatus.REFUSED and convention.structure.posts_granted == 3
        refused = next(m for m in mail.outbox if m.subject == "Avenant à votre convention : décision défavorable")
        assert refused.to == [structure_manager.email] and "Déjà couvert." in refused.body
        steps = list(Decision.objects.filter(kind=Kind.POST_REQUEST).values_list("verdict", flat=True))
        assert steps == [
            Verdict.SUBMITTED,
            Verdict.UNFAVORABLE,
            Verdict.SENT_BACK,
            Verdict.FAVORABLE,
            Verdict.REFUSED,
        ]

    def test_a_prefecture_cannot_decide(self, client, convention, structure_manager, prefecture_paris):
        post_request = at_decision(submit(structure_manager), prefecture_paris)
        client.force_login(prefecture_paris)
        response = client.post(
            reverse("workflows:decide", args=[decision_item(post_request).pk]),
            {"decision": "accorder", "posts_granted": "1"},
        )
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            services.post_request_decide(
                work_item=decision_item(post_request), user=prefecture_paris, decision="accorder", posts_granted=1
            )


class TestScope:
    def test_other_territories_and_structures_answer_404_and_services_refuse(
        self,
        client,
        convention,
        marseille_convention,
        structure_manager,
        marseille_manager,
        prefecture_marseille,
        national_admin,
    ):
        paris = submit(structure_manager)
        url = reverse("workflows:post_request", args=[paris.pk])
        client.force_login(prefecture_marseille)
        assert client.get(url).status_code == 404
        with pytest.raises(PermissionDenied):
            services.post_request_prefecture_review(
                work_item=work_item(Kind.POST_REQUEST, paris, Step.POST_REQUEST_PREFECTURE),
                user=prefecture_marseille,
                opinion="favorable",
                internal_note=NOTE,
            )
        client.force_login(marseille_manager)
        assert client.get(url).status_code == 404
        assert client.post(reverse("workflows:post_request_cancel", args=[paris.pk])).status_code == 404
        with pytest.raises(PermissionDenied):
            services.post_request_cancel(post_request=paris, user=marseille_manager)
        # Marseille's own avenant: decided by the national team (no hub agent there).
        marseille = submit(marseille_manager, posts_requested=1)
        at_decision(marseille, prefecture_marseille)
        services.post_request_decide(
            work_item=decision_item(marseille), user=national_admin, decision="accorder", posts_granted=1
        )
        marseille_convention.structure.refresh_from_db()
        assert marseille_convention.structure.posts_granted == 3
        client.force_login(national_admin)
        assert client.get(url).status_code == 200


class TestLists:
    def test_the_prefecture_and_then_the_hub_find_the_avenant_in_a_traiter_at_a_constant_query_count(
        self,
        client,
        convention,
        marseille_convention,
        structure_manager,
        marseille_manager,
        prefecture_paris,
        hub_agent,
        django_assert_max_num_queries,
    ):
        post_request = submit(structure_manager)
        submit(marseille_manager, posts_requested=1)
        client.force_login(prefecture_paris)
        queue = reverse("workflows:queue")
        client.get(queue)
        with django_assert_max_num_queries(12) as captured:
            page = client.get(queue)
        assert (
            f"/espace/avenants/{post_request.pk}/" in page.text and "Centre social de la Belle de Mai" not in page.text
        )
        small = len(captured)
        dossier = reverse("workflows:post_request", args=[post_request.pk])
        client.get(dossier)
        with django_assert_max_num_queries(25):
            assert client.get(dossier).status_code == 200
        at_decision(post_request, prefecture_paris)
        assert f"/espace/avenants/{post_request.pk}/" not in client.get(queue).text
        client.force_login(hub_agent)
        client.get(queue)
        with django_assert_max_num_queries(12) as captured:
            page = client.get(queue)
        assert f"/espace/avenants/{post_request.pk}/" in page.text and len(captured) == small


class TestMyStructure:
    def test_the_page_shows_the_convention_the_posts_and_the_pending_requests_at_a_constant_query_count(
        self, client, convention, structure_manager, django_assert_max_num_queries
    ):
        structure = convention.structure
        hold_posts(structure, advisors=1, recruitments=1)
        post_request = submit(structure_manager)
        client.force_login(structure_manager)
        client.get(reverse("workflows:my_structure"))  # warm the session and the active role
        with django_assert_max_num_queries(30):
            page = client.get(reverse("workflows:my_structure"))
        assert page.status_code == 200
        text = page.text
        assert convention.number in text and "Attribution initiale" in text
        assert "Historique des postes de la convention" in text
        assert '<p class="fr-tile__title">3</p>' in text and '<p class="fr-tile__title">2</p>' in text
        assert '<p class="fr-tile__title">1</p>' in text
        assert f"/espace/avenants/{post_request.pk}/" in text and "2 poste(s) demandé(s)" in text
        assert "Un avenant est déjà en cours" in text
        assert structure.siret in text and structure_manager.email in text
        with django_assert_max_num_queries(30) as small:
            client.get(reverse("workflows:my_structure"))
        hold_posts(structure, advisors=3, recruitments=2)
        for _ in range(5):
            conventions.convention_record(
                convention=convention, kind=ConventionEventKind.POSTS_ADDED, delta=1, effective_on=today()
            )
        with django_assert_max_num_queries(30) as large:
            assert client.get(reverse("workflows:my_structure")).status_code == 200
        assert len(small) == len(large)

    def test_only_structure_managers(self, client, prefecture_paris):
        client.force_login(prefecture_paris)
        assert client.get(reverse("workflows:my_structure")).status_code == 403

    def test_the_contact_and_address_change_the_department_follows_the_commune_and_the_audit_log_says_so(
        self, client, convention, structure_manager
    ):
        structure = convention.structure
        commune("13055")
        client.force_login(structure_manager)
        url = reverse("workflows:my_structure_contact")
        data = {
            "address": "12 La Canebière",
            "commune_query": "Marseille",
            "commune_code": structure.commune_id,  # the page's hidden code, stale without the script: the name wins
            "contact_first_name": "Jeanne",
            "contact_last_name": "Nouvelle",
            "contact_function": "Directrice",
            "contact_email": "jeanne.nouvelle@structure.test",
            "contact_phone": "0491000000",
            "siret": "12345678901234",
            "name": "Autre nom",
        }
        bad = client.post(url, {**data, "contact_phone": "12", "contact_email": "pas-une-adresse"})
        assert bad.status_code == 400 and "12 La Canebière" in bad.text
        assert "Saisissez un numéro de téléphone français valide" in bad.text
        assert 'value="pas-une-adresse"' in bad.text
        response = client.post(url, data)
        assert response.status_code == 302, response.context["contact_form"].errors
        structure.refresh_from_db()
        assert structure.address == "12 La Canebière" and structure.contact_last_name == "Nouvelle"
        assert structure.contact_phone == "+33491000000"  # the international form (directory.phones)
        assert structure.commune_id == "13055" and structure.department_id == "13"
        assert structure.name == "Mairie du 11e arrondissement" and structure.siret != "12345678901234"
        event = AuditEvent.objects.get(action=AuditAction.STRUCTURE_UPDATED)
        assert event.actor == structure_manager and "commune" in event.details["fields"]
        assert event.details["department"] == ["75", "13"]

    def test_saving_the_contact_alone_keeps_the_commune(self, client, convention, structure_manager):
        structure = convention.structure
        client.force_login(structure_manager)
        page = client.get(reverse("workflows:my_structure"))
        form = page.context["contact_form"]
        data = {name: form.initial.get(name) or "" for name in form.fields}
        data["contact_function"] = "Directrice générale"
        assert client.post(reverse("workflows:my_structure_contact"), data).status_code == 302
        structure.refresh_from_db()
        assert structure.commune_id == "75056" and structure.contact_function == "Directrice générale"
        assert AuditEvent.objects.get(action=AuditAction.STRUCTURE_UPDATED).details == {"fields": ["contact_function"]}

    def test_invite_a_co_manager_once(self, client, convention, structure_manager, django_capture_on_commit_callbacks):
        client.force_login(structure_manager)
        url = reverse("workflows:my_structure_invite")
        data = {"invite-email": "Rachid@Structure.test", "invite-first_name": "Rachid", "invite-last_name": "Adjoint"}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        assert response.status_code == 302, response.context["contact_form"].errors
        membership = Membership.objects.active().get(user__email="rachid@structure.test")
        assert membership.role == Role.STRUCTURE_MANAGER and membership.structure == convention.structure
        assert any(m.to == ["rachid@structure.test"] for m in mail.outbox)
        assert "rachid@structure.test" in client.get(reverse("workflows:my_structure")).text
        again = client.post(url, data)
        assert again.status_code == 400 and "Cette adresse gère déjà votre structure." in again.text
        assert 'value="Rachid"' in again.text
        myself = client.post(url, {**data, "invite-email": structure_manager.email})
        assert myself.status_code == 400 and "Cette adresse gère déjà votre structure." in myself.text
        bad = client.post(url, {**data, "invite-email": "nope"})
        assert bad.status_code == 400

    def test_the_menu_links_to_it(self, client, structure_manager):
        client.force_login(structure_manager)
        assert reverse("workflows:my_structure") in client.get(reverse("workflows:my_advisors")).text
