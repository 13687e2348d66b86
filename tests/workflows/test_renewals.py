"""Issue 13 item 4: reconventionnement. Before its convention ends the structure is reminded once, asks to renew
(posts, advisors who continue), the prefecture gives its opinion, the national team decides; the new convention
starts the day after the old one ends, the continuing contracts are linked to it on that day, the others end with
the old convention; a convention not renewed ends with its contracts, applied by `apply_programme_dates` only when
due."""

import datetime
import io
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import AuditEvent, Membership
from directory import conventions
from directory.enums import AdvisorStatus, ContractEndReason, ContractStatus, ConventionStatus
from directory.models import Contract, Convention
from tests import personas
from tests.directory.factories import AdvisorFactory
from tests.workflows.helpers import work_item
from workflows import services
from workflows.enums import Kind, RequestStatus, Step, Verdict
from workflows.models import Decision, RenewalRequest

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
MOTIVATION = "Nous souhaitons poursuivre l'accompagnement des habitants du quartier."
NOTE = "Besoin confirmé sur le territoire, avis favorable."


def today():
    return timezone.localdate()


def _at(day: datetime.date, hour=0, minute=5) -> str:
    """A `--now` value: that day at that (Paris) time."""
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


def _on(day: datetime.date):
    """Pretend the clock reads 10:00 (Paris) on `day`."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    return mock.patch("django.utils.timezone.now", return_value=moment)


def _run(day, *, apply=True, hour=0, minute=5) -> str:
    out = io.StringIO()
    call_command("apply_programme_dates", *(["--apply"] if apply else []), "--now", _at(day, hour, minute), stdout=out)
    return out.getvalue()


def _contract(advisor, convention, *, days_ago=400):
    return conventions.contract_open(
        advisor=advisor,
        structure=convention.structure,
        contract_type="cdi",
        start=today() - datetime.timedelta(days=days_ago),
        end=None,
        salary=2000,
        convention=convention,
    )


def _convention(structure, *, days_left=30, posts=3):
    end = today() + datetime.timedelta(days=days_left)
    return conventions.convention_open(
        structure=structure, start=end - datetime.timedelta(days=3 * 365 - 1), end=end, posts=posts
    )


@pytest.fixture
def convention(paris_structure):
    """The Paris structure's convention ends in 30 days."""
    return _convention(paris_structure)


@pytest.fixture
def staying(advisor_user, paris_advisor, convention):
    """Camille (with an account) continues in the next convention."""
    return _contract(paris_advisor, convention)


@pytest.fixture
def leaving(paris_structure, convention):
    """Another advisor of the structure, not kept."""
    return _contract(AdvisorFactory(structure=paris_structure, first_name="Léo", last_name="Martin"), convention)


def _submit(manager, *, posts=2, contracts=(), motivation=MOTIVATION):
    return services.renewal_submit(
        user=manager, posts_requested=posts, continuing_contracts=list(contracts), motivation=motivation
    )


def _review(user, renewal, opinion="favorable"):
    item = work_item(Kind.RENEWAL, renewal, Step.RENEWAL_PREFECTURE)
    return services.renewal_prefecture_review(work_item=item, user=user, opinion=opinion, internal_note=NOTE)


def _decide(user, renewal, **decision):
    item = work_item(Kind.RENEWAL, renewal, Step.RENEWAL_DECISION)
    return services.renewal_decide(work_item=item, user=user, **decision)


def _at_decision(manager, prefecture, contracts=(), posts=2):
    renewal = _submit(manager, posts=posts, contracts=contracts)
    _review(prefecture, renewal)
    renewal.refresh_from_db()
    return renewal


def _mails(subject_start: str, to: str | None = None):
    return [m for m in mail.outbox if m.subject.startswith(subject_start) and (to is None or to in m.to)]


class TestRequest:
    def test_the_form_asks_posts_advisors_and_motivation_and_opens_the_prefecture_step(
        self,
        client,
        structure_manager,
        prefecture_paris,
        staying,
        leaving,
        convention,
        django_capture_on_commit_callbacks,
    ):
        client.force_login(structure_manager)
        url = reverse("workflows:renewal_request")
        page = client.get(url)
        assert page.status_code == 200
        assert "Conseillers qui poursuivent" in page.text and staying.advisor.full_name in page.text
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url, {"posts_requested": "2", "continuing_contracts": [str(staying.pk)], "motivation": MOTIVATION}
            )
        renewal = RenewalRequest.objects.get()
        assert response.status_code == 302 and response.url == reverse("workflows:renewal", args=[renewal.pk])
        assert renewal.status == RequestStatus.PREFECTURE_REVIEW and renewal.department_id == "75"
        assert list(renewal.continuing_contracts.all()) == [staying]
        convention.refresh_from_db()
        assert convention.status == ConventionStatus.RENEWAL_REQUESTED
        assert work_item(Kind.RENEWAL, renewal, Step.RENEWAL_PREFECTURE).department_id == "75"
        assert _mails("Votre demande de reconventionnement est enregistrée", structure_manager.email)
        assert _mails("Reconventionnement de", prefecture_paris.email)
        # One request per convention: the form now points to the request.
        page = client.get(url)
        assert "Suivre la demande" in page.text and "Demander le reconventionnement</button>" not in page.text
        with pytest.raises(ValidationError, match="déjà demandé"):
            _submit(structure_manager)

    def test_bad_input_answers_400_with_french_messages_and_keeps_what_was_typed(
        self, client, structure_manager, staying, leaving
    ):
        client.force_login(structure_manager)
        url = reverse("workflows:renewal_request")
        response = client.post(
            url,
            {
                "posts_requested": "1",
                "continuing_contracts": [str(staying.pk), str(leaving.pk)],
                "motivation": "Poursuivre l'action engagée dans le quartier.",
            },
        )
        assert response.status_code == 400
        assert "Vous avez coché 2 conseillers pour 1 poste(s)" in response.text
        assert "Poursuivre l&#x27;action engagée dans le quartier." in response.text  # nothing typed is lost
        response = client.post(url, {"posts_requested": "0", "motivation": "court"})
        assert response.status_code == 400 and "fr-error-text" in response.text
        assert not RenewalRequest.objects.exists()

    def test_the_service_checks_posts_contracts_and_motivation(self, structure_manager, staying, leaving):
        with pytest.raises(ValidationError) as error:
            _submit(structure_manager, posts=1, contracts=[staying, leaving], motivation="court")
        assert set(error.value.message_dict) == {"continuing_contracts", "motivation"}
        with pytest.raises(ValidationError) as error:
            _submit(structure_manager, posts=0)
        assert "posts_requested" in error.value.message_dict
        other = _contract(AdvisorFactory(), _convention(AdvisorFactory().structure))
        with pytest.raises(ValidationError, match="contrats en cours de votre convention"):
            _submit(structure_manager, contracts=[other])
        assert not RenewalRequest.objects.exists()

    def test_no_request_after_the_end_or_without_a_convention(self, client, structure_manager, paris_structure):
        with pytest.raises(ValidationError, match="pas de convention en cours"):
            _submit(structure_manager)
        old = _convention(paris_structure, days_left=-1)
        assert old.end < today()
        with pytest.raises(ValidationError, match="pas de convention en cours"):
            _submit(structure_manager)
        client.force_login(structure_manager)
        response = client.post(
            reverse("workflows:renewal_request"), {"posts_requested": "1", "motivation": MOTIVATION}
        )
        assert response.status_code == 400 and "ne peut pas être renouvelée" in response.text

    def test_only_a_structure_manager_asks(self, client, prefecture_paris, national_admin, convention):
        with pytest.raises(PermissionDenied):
            _submit(prefecture_paris)
        client.force_login(prefecture_paris)
        assert client.get(reverse("workflows:renewal_request")).status_code == 403


class TestDecisions:
    def test_happy_path_new_convention_the_day_after_relinking_on_its_start_and_leavers_ending_with_the_old(
        self,
        client,
        structure_manager,
        prefecture_paris,
        national_admin,
        advisor_user,
        staying,
        leaving,
        convention,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            renewal = _at_decision(structure_manager, prefecture_paris, contracts=[staying])
        assert renewal.status == RequestStatus.DECISION and renewal.prefecture_opinion == "favorable"
        assert _mails("Reconventionnement : avis de la préfecture rendu", structure_manager.email)
        # The national team decides from the dossier page.
        client.force_login(national_admin)
        item = work_item(Kind.RENEWAL, renewal, Step.RENEWAL_DECISION)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("workflows:decide", args=[item.pk]),
                {"decision": "accorder", "posts_granted": "2", "message_to_applicant": "Bonne continuation."},
            )
        assert response.status_code == 302
        renewal.refresh_from_db()
        new = renewal.new_convention
        assert renewal.status == RequestStatus.SCHEDULED and renewal.posts_granted == 2
        assert new.start == convention.end + DAY and new.previous == convention and new.phase == 2
        assert Convention.objects.get(pk=convention.pk).status == ConventionStatus.RENEWED
        granted = _mails("Votre reconventionnement est accordé", structure_manager.email)
        assert granted and "Bonne continuation." in granted[0].body
        assert _mails("Votre contrat prendra fin le", leaving.advisor.professional_email)
        assert not _mails("Votre contrat prendra fin le", advisor_user.email)
        page = client.get(reverse("workflows:renewal", args=[renewal.pk]))
        assert page.status_code == 200 and "commencera le" in page.text

        # The last day of the old convention: nothing moves yet.
        _run(convention.end, hour=23, minute=30)
        staying.refresh_from_db()
        leaving.refresh_from_db()
        assert staying.convention_id == convention.pk and leaving.status == ContractStatus.ACTIVE
        assert RenewalRequest.objects.get(pk=renewal.pk).status == RequestStatus.SCHEDULED

        # The day after: the new convention is in force, Camille follows it, Léo's contract ended on the old end.
        with django_capture_on_commit_callbacks(execute=True):
            _run(new.start)
        staying.refresh_from_db()
        leaving.refresh_from_db()
        assert staying.convention_id == new.pk and staying.status == ContractStatus.ACTIVE
        assert leaving.status == ContractStatus.ENDED and leaving.ended_on == convention.end
        assert leaving.end_reason == ContractEndReason.CONVENTION_ENDED
        assert leaving.advisor.__class__.objects.get(pk=leaving.advisor_id).status == AdvisorStatus.ENDED
        assert staying.advisor.__class__.objects.get(pk=staying.advisor_id).status == AdvisorStatus.ACTIVE
        assert Membership.objects.active().filter(user=advisor_user, role=Role.ADVISOR).exists()
        renewal.refresh_from_db()
        assert renewal.status == RequestStatus.GRANTED
        assert Convention.objects.get(pk=convention.pk).status == ConventionStatus.RENEWED  # not "ended"
        assert conventions.posts_on(convention.structure_id, new.start) == 2
        assert _mails("Votre nouvelle convention", structure_manager.email)
        assert _mails("Votre contrat de conseiller numérique est terminé", leaving.advisor.professional_email)
        verdicts = list(
            Decision.objects.filter(kind=Kind.RENEWAL, subject_id=renewal.pk).values_list("verdict", flat=True)
        )
        assert verdicts == [Verdict.SUBMITTED, Verdict.FAVORABLE, Verdict.GRANTED, Verdict.APPLIED, Verdict.ENDED]
        # Idempotent: a second run changes nothing.
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            _run(new.start + DAY)
        assert not mail.outbox
        assert Decision.objects.filter(kind=Kind.RENEWAL, subject_id=renewal.pk).count() == 5

    def test_grant_bounds_posts_between_continuing_advisors_and_asked(
        self, client, structure_manager, prefecture_paris, national_admin, staying, leaving
    ):
        renewal = _at_decision(structure_manager, prefecture_paris, contracts=[staying, leaving], posts=3)
        with pytest.raises(ValidationError, match="Accordez entre 2 et 3"):
            _decide(national_admin, renewal, decision="accorder", posts_granted=1)
        client.force_login(national_admin)
        item = work_item(Kind.RENEWAL, renewal, Step.RENEWAL_DECISION)
        response = client.post(
            reverse("workflows:decide", args=[item.pk]),
            {"decision": "accorder", "posts_granted": "4", "message_to_applicant": "Message gardé"},
        )
        assert (
            response.status_code == 400
            and "Accordez entre 2 et 3" in response.text
            and "Message gardé" in response.text
        )
        assert RenewalRequest.objects.get(pk=renewal.pk).status == RequestStatus.DECISION
        assert not Convention.objects.filter(previous__isnull=False).exists()

    def test_refusal_tells_the_structure_and_the_convention_ends_at_its_date(
        self,
        client,
        structure_manager,
        prefecture_paris,
        national_admin,
        staying,
        convention,
        django_capture_on_commit_callbacks,
    ):
        renewal = _at_decision(structure_manager, prefecture_paris, contracts=[staying])
        with pytest.raises(ValidationError):
            _decide(national_admin, renewal, decision="refuser")  # a reason is required
        with django_capture_on_commit_callbacks(execute=True):
            _decide(national_admin, renewal, decision="refuser", reason="besoin_non_justifie", message_to_applicant="")
        renewal.refresh_from_db()
        assert renewal.status == RequestStatus.REFUSED and renewal.new_convention is None
        assert Convention.objects.get(pk=convention.pk).status == ConventionStatus.ACTIVE
        refused = _mails("Votre demande de reconventionnement est refusée", structure_manager.email)
        assert refused and "vos postes prennent fin" in refused[0].body
        client.force_login(structure_manager)
        page = client.get(reverse("workflows:renewal_request"))
        assert "refusée" in page.text and "Demander le reconventionnement</button>" not in page.text
        _run(convention.end + DAY)
        staying.refresh_from_db()
        assert staying.status == ContractStatus.ENDED and staying.ended_on == convention.end
        assert Convention.objects.get(pk=convention.pk).status == ConventionStatus.ENDED

    def test_send_back_returns_to_the_prefecture(
        self, structure_manager, prefecture_paris, national_admin, convention, django_capture_on_commit_callbacks
    ):
        renewal = _at_decision(structure_manager, prefecture_paris)
        with pytest.raises(ValidationError):
            _decide(national_admin, renewal, decision="renvoyer", internal_note="court")
        with django_capture_on_commit_callbacks(execute=True):
            _decide(national_admin, renewal, decision="renvoyer", internal_note="Merci de vérifier le besoin réel.")
        renewal.refresh_from_db()
        assert renewal.status == RequestStatus.PREFECTURE_REVIEW and renewal.prefecture_opinion == ""
        assert work_item(Kind.RENEWAL, renewal, Step.RENEWAL_PREFECTURE)
        assert _mails("Reconventionnement de", prefecture_paris.email)
        _review(prefecture_paris, renewal, opinion="defavorable")
        assert work_item(Kind.RENEWAL, renewal, Step.RENEWAL_DECISION)

    def test_a_second_decision_on_the_same_task_is_already_processed(
        self, client, structure_manager, prefecture_paris, national_admin, convention
    ):
        renewal = _submit(structure_manager)
        item = work_item(Kind.RENEWAL, renewal, Step.RENEWAL_PREFECTURE)
        _review(prefecture_paris, renewal)
        with pytest.raises(services.AlreadyProcessed):
            services.renewal_prefecture_review(
                work_item=item, user=prefecture_paris, opinion="favorable", internal_note=NOTE
            )
        client.force_login(prefecture_paris)
        response = client.post(
            reverse("workflows:decide", args=[item.pk]), {"opinion": "favorable", "internal_note": NOTE}, follow=True
        )
        assert response.status_code == 200 and "Cette étape a déjà été traitée." in response.text

    def test_cancel_by_the_structure_lets_the_convention_end(
        self, client, structure_manager, convention, django_capture_on_commit_callbacks
    ):
        renewal = _submit(structure_manager)
        client.force_login(structure_manager)
        url = reverse("workflows:renewal_cancel", args=[renewal.pk])
        assert "Annuler la demande" in client.get(reverse("workflows:renewal", args=[renewal.pk])).text
        response = client.post(url, {"comment": "court"})
        assert response.status_code == 400 and "fr-error-text" in response.text
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"comment": "Nous arrêtons le dispositif à la fin de la convention."})
        assert response.status_code == 302
        renewal.refresh_from_db()
        assert renewal.status == RequestStatus.CANCELLED
        assert Convention.objects.get(pk=convention.pk).status == ConventionStatus.ACTIVE
        assert not services.open_work_item(Kind.RENEWAL, renewal.pk)
        assert _mails("Reconventionnement de", structure_manager.email)
        with pytest.raises(services.AlreadyProcessed):
            services.renewal_cancel(renewal=renewal, user=structure_manager, comment="Deuxième annulation ici.")


class TestScope:
    def test_out_of_scope_is_404_on_pages_and_permission_denied_in_services(
        self, client, structure_manager, prefecture_paris, prefecture_marseille, hub_agent, national_admin, convention
    ):
        renewal = _submit(structure_manager)
        client.force_login(prefecture_marseille)
        assert client.get(reverse("workflows:renewal", args=[renewal.pk])).status_code == 404
        item = work_item(Kind.RENEWAL, renewal, Step.RENEWAL_PREFECTURE)
        with pytest.raises(PermissionDenied):
            services.renewal_prefecture_review(
                work_item=item, user=prefecture_marseille, opinion="favorable", internal_note=NOTE
            )
        marseille_manager = personas.create_user(
            personas.STRUCTURE_MARSEILLE, structure=AdvisorFactory(structure__in_marseille=True).structure
        )
        client.force_login(marseille_manager)
        assert client.get(reverse("workflows:renewal", args=[renewal.pk])).status_code == 404
        assert client.get(reverse("workflows:renewal_cancel", args=[renewal.pk])).status_code == 404
        with pytest.raises(PermissionDenied):
            services.renewal_cancel(renewal=renewal, user=marseille_manager, comment="Annulation hors périmètre.")
        _review(prefecture_paris, renewal)
        # Only the national team decides: the hub and the prefecture see the dossier, not the decision form.
        renewal.refresh_from_db()
        for agent in (hub_agent, prefecture_paris):
            with pytest.raises(PermissionDenied):
                _decide(agent, renewal, decision="accorder", posts_granted=1)
            client.force_login(agent)
            page = client.get(reverse("workflows:renewal", args=[renewal.pk]))
            assert page.status_code == 200 and "Nombre de postes accordés" not in page.text
        client.force_login(national_admin)
        assert "Nombre de postes accordés" in client.get(reverse("workflows:renewal", args=[renewal.pk])).text


class TestDatedEffects:
    def test_the_notice_is_sent_once_within_the_notice_period(
        self, settings, structure_manager, paris_structure, django_capture_on_commit_callbacks
    ):
        settings.CONVENTION_RENEWAL_NOTICE_DAYS = 90
        convention = _convention(paris_structure, days_left=100)
        notice_day = convention.end - datetime.timedelta(days=90)
        with django_capture_on_commit_callbacks(execute=True):
            _run(notice_day - DAY)
        assert not _mails("Votre convention se termine")
        assert "0 rappels de reconventionnement envoyés (à faire)" in _run(notice_day - DAY, apply=False, hour=23)
        assert "1 rappels de reconventionnement envoyés (à faire)" in _run(notice_day, apply=False)
        assert not AuditEvent.objects.filter(details__effect="rappel_reconventionnement").exists()  # dry run
        with django_capture_on_commit_callbacks(execute=True):
            _run(notice_day, hour=12)
            _run(notice_day + DAY)
        notices = _mails("Votre convention se termine")
        assert len(notices) == 1
        assert set(notices[0].to) == {structure_manager.email, paris_structure.contact_email}
        assert reverse("workflows:renewal_request") in notices[0].body and "prennent fin" in notices[0].body
        assert (
            AuditEvent.objects.filter(
                target_id=str(convention.pk), details__effect="rappel_reconventionnement"
            ).count()
            == 1
        )

    def test_no_notice_once_the_renewal_is_asked(
        self, structure_manager, paris_structure, django_capture_on_commit_callbacks
    ):
        convention = _convention(paris_structure, days_left=20)
        _submit(structure_manager)
        with django_capture_on_commit_callbacks(execute=True):
            _run(today())
        assert not _mails("Votre convention se termine")
        assert Convention.objects.get(pk=convention.pk).status == ConventionStatus.RENEWAL_REQUESTED

    def test_a_convention_not_renewed_ends_only_when_due_and_dry_run_changes_nothing(
        self, advisor_user, structure_manager, staying, leaving, convention, django_capture_on_commit_callbacks
    ):
        _run(convention.end, hour=23, minute=59)
        staying.refresh_from_db()
        assert staying.status == ContractStatus.ACTIVE
        assert Convention.objects.get(pk=convention.pk).status == ConventionStatus.ACTIVE
        output = _run(convention.end + DAY, apply=False)
        assert "1 conventions terminées (à faire)" in output
        staying.refresh_from_db()
        assert staying.status == ContractStatus.ACTIVE
        with django_capture_on_commit_callbacks(execute=True):
            output = _run(convention.end + DAY)
        assert "1 conventions terminées" in output
        for contract in (staying, leaving):
            contract.refresh_from_db()
            assert contract.status == ContractStatus.ENDED and contract.ended_on == convention.end
            assert contract.end_reason == ContractEndReason.CONVENTION_ENDED
        assert Convention.objects.get(pk=convention.pk).status == ConventionStatus.ENDED
        assert not Membership.objects.active().filter(user=advisor_user, role=Role.ADVISOR).exists()
        assert _mails("Votre convention", structure_manager.email)
        assert _mails("Votre contrat de conseiller numérique est terminé", advisor_user.email)
        assert Contract.objects.active().count() == 0
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert "0 conventions terminées" in _run(convention.end + 2 * DAY)
        assert not mail.outbox

    def test_a_pending_request_holds_the_ending_until_decided(
        self, structure_manager, prefecture_paris, national_admin, staying, convention
    ):
        renewal = _at_decision(structure_manager, prefecture_paris, contracts=[staying])
        _run(convention.end + DAY)
        staying.refresh_from_db()
        assert staying.status == ContractStatus.ACTIVE
        # Refused after the end date: the ending, dated on the convention's end, is applied at once.
        with _on(convention.end + 2 * DAY):
            _decide(national_admin, renewal, decision="refuser", reason="besoin_non_justifie")
        staying.refresh_from_db()
        assert staying.status == ContractStatus.ENDED and staying.ended_on == convention.end

    def test_a_late_grant_applies_what_is_already_due(
        self, structure_manager, prefecture_paris, national_admin, staying, leaving, convention
    ):
        renewal = _at_decision(structure_manager, prefecture_paris, contracts=[staying])
        with _on(convention.end + 2 * DAY):
            _decide(national_admin, renewal, decision="accorder", posts_granted=1)
        renewal.refresh_from_db()
        staying.refresh_from_db()
        leaving.refresh_from_db()
        assert renewal.status == RequestStatus.GRANTED and staying.convention_id == renewal.new_convention_id
        assert leaving.status == ContractStatus.ENDED and leaving.ended_on == convention.end


class TestLists:
    def test_the_queue_lists_renewals_at_a_constant_query_count(
        self, client, django_assert_max_num_queries, national_admin, prefecture_paris
    ):
        from tests.directory.factories import StructureFactory

        for _ in range(4):
            structure = StructureFactory()
            _convention(structure)
            manager = personas.user_with_role(Role.STRUCTURE_MANAGER, f"g{structure.pk}@s.test", structure=structure)
            _submit(manager)
        client.force_login(prefecture_paris)
        with django_assert_max_num_queries(25):
            response = client.get(reverse("workflows:queue"))
        assert (
            response.status_code == 200 and response.text.count(">Reconventionnement —") == 4
        )  # the links (not the boxes' labels)


def test_the_decision_step_reminds_the_national_team(structure_manager, prefecture_paris, national_admin, convention):
    from workflows import notifications

    renewal = _at_decision(structure_manager, prefecture_paris)
    item = work_item(Kind.RENEWAL, renewal, Step.RENEWAL_DECISION)
    assert notifications.people_in_charge(item) == [national_admin.email]
