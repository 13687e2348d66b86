"""Issue 13 item 5: contract changes (prolongation, renewal, amendment) asked by the structure and validated by the
hub; renewals applied on their first day and fixed-term contracts ended at their term by the daily command; the
contract history on the advisor's page, in the exports and in the Coop profile."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directory import conventions
from directory.enums import AdvisorStatus, ContractEndReason, ContractStatus, ContractType
from directory.models import Contract, PlaceAssignment
from tests import personas
from tests.directory.factories import AdvisorFactory
from tests.workflows.factories import CandidateFactory
from tests.workflows.helpers import work_item
from workflows import services
from workflows.enums import Kind, RecruitmentStatus, RequestStatus, Step
from workflows.models import ContractChange, Decision, Recruitment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def _contract(advisor, *, contract_type=ContractType.CDD, days_left=60, salary=2000):
    return conventions.contract_open(
        advisor=advisor,
        structure=advisor.structure,
        contract_type=contract_type,
        start=TODAY() - datetime.timedelta(days=300),
        end=None if contract_type == ContractType.CDI else TODAY() + datetime.timedelta(days=days_left),
        salary=salary,
    )


def _request(manager, advisor, **data):
    values = {"motivation": "Le projet de l'équipe se poursuit.", **data}
    return services.contract_change_request(advisor=advisor, user=manager, **values)


def _decide(hub, change, decision="accorder", **data):
    item = work_item(Kind.CONTRACT_CHANGE, change, Step.CONTRACT_CHANGE_VALIDATION)
    return services.contract_change_decide(work_item=item, user=hub, decision=decision, **data)


def _run(now: datetime.date, *, hour=6, apply=True) -> str:
    out = io.StringIO()
    args = ["apply_programme_dates", "--now", f"{now.isoformat()}T{hour:02d}:00"]
    call_command(*args, *(["--apply"] if apply else []), stdout=out)
    return out.getvalue()


def _form(response) -> str:
    return response.content.decode()


@pytest.fixture
def cdd(paris_advisor):
    return _contract(paris_advisor)


@pytest.fixture
def marseille_manager(marseille_structure):
    return personas.create_user(personas.STRUCTURE_MARSEILLE, structure=marseille_structure)


class TestProlongation:
    def test_it_is_asked_from_my_advisors_validated_by_the_hub_and_moves_the_rupture_limit(
        self,
        client,
        structure_manager,
        advisor_user,
        paris_advisor,
        cdd,
        hub_agent,
        django_capture_on_commit_callbacks,
    ):
        recruitment = Recruitment.objects.create(
            structure=paris_advisor.structure,
            candidate=CandidateFactory(),
            status=RecruitmentStatus.ACTIVE,
            contract_type="cdd",
            contract_start=cdd.start,
            contract_end=cdd.end,
            salary=2000,
            advisor=paris_advisor,
            contract=cdd,
        )
        client.force_login(structure_manager)
        listing = client.get(reverse("workflows:my_advisors"))
        url = reverse("workflows:contract_change_request", args=[paris_advisor.pk])
        assert url in listing.text and cdd.end.strftime("%d/%m/%Y") in listing.text
        assert client.get(url).status_code == 200
        new_end = cdd.end + datetime.timedelta(days=180)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                url, {"type": "prolongation", "new_end": new_end.isoformat(), "motivation": "Projet prolongé d'un an."}
            )
        change = ContractChange.objects.get()
        assert response.status_code == 302 and response.url == reverse("workflows:contract_change", args=[change.pk])
        assert change.status == RequestStatus.DECISION and change.new_end == new_end
        registered = next(m for m in mail.outbox if "demande enregistrée" in m.subject)
        assert registered.to == [structure_manager.email]
        assert f"/espace/modifications-de-contrat/{change.pk}/" in registered.body
        # The hub learns of the new task as of any task of its territory: its queue and the daily digest.
        assert not any(hub_agent.email in m.to for m in mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_digests", stdout=io.StringIO())
        digest = next(m for m in mail.outbox if hub_agent.email in m.to)
        assert digest.subject == "1 nouvelle demande à traiter" and paris_advisor.full_name in digest.body
        again = client.post(
            url, {"type": "prolongation", "new_end": new_end.isoformat(), "motivation": "Projet prolongé d'un an."}
        )
        assert again.status_code == 400 and "déjà en cours" in again.text

        # A rupture after the current end is refused while the prolongation waits.
        late = cdd.end + datetime.timedelta(days=30)
        with pytest.raises(ValidationError, match="dépasser la fin du contrat"):
            services.rupture_notify(advisor=paris_advisor, user=structure_manager, end_date=late, motive="demission")

        client.force_login(hub_agent)
        dossier = client.get(reverse("workflows:contract_change", args=[change.pk]))
        assert "Enregistrer la décision" in dossier.text and "Projet prolongé d&#x27;un an." in dossier.text
        item = work_item(Kind.CONTRACT_CHANGE, change, Step.CONTRACT_CHANGE_VALIDATION)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            decided = client.post(
                reverse("workflows:decide", args=[item.pk]),
                {"decision": "accorder", "internal_note": "Pièces vérifiées par le hub."},
            )
        assert decided.status_code == 302
        change.refresh_from_db()
        cdd.refresh_from_db()
        recruitment.refresh_from_db()
        assert change.status == RequestStatus.GRANTED and change.decided_at is not None
        assert cdd.end == new_end and cdd.status == ContractStatus.ACTIVE
        assert recruitment.contract_end == new_end
        subjects = {m.subject: m.to for m in mail.outbox}
        assert subjects[f"Prolongation du contrat de {paris_advisor.full_name} : demande validée"] == [
            structure_manager.email
        ]
        assert subjects["Votre contrat est prolongé"] == [advisor_user.email]
        assert not any("Pièces vérifiées" in m.body for m in mail.outbox)  # the internal note stays internal
        again = client.post(reverse("workflows:decide", args=[item.pk]), {"decision": "accorder"}, follow=True)
        assert "Cette étape a déjà été traitée." in again.text

        # The rupture check reads the contract in progress, now prolonged.
        rupture = services.rupture_notify(
            advisor=paris_advisor, user=structure_manager, end_date=late, motive="demission"
        )
        assert rupture.end_date == late

    def test_a_cdi_cannot_be_prolonged(self, client, structure_manager, paris_advisor):
        _contract(paris_advisor, contract_type=ContractType.CDI)
        client.force_login(structure_manager)
        response = client.post(
            reverse("workflows:contract_change_request", args=[paris_advisor.pk]),
            {
                "type": "prolongation",
                "new_end": (TODAY() + 400 * DAY).isoformat(),
                "motivation": "Nous voulons prolonger.",
            },
        )
        assert response.status_code == 400
        assert "Un CDI n&#x27;a pas de date de fin : il ne peut pas être prolongé." in response.text
        assert "Nous voulons prolonger." in response.text  # nothing typed is lost
        assert not ContractChange.objects.exists()

    def test_the_new_end_must_follow_the_current_one(self, client, structure_manager, paris_advisor, cdd):
        client.force_login(structure_manager)
        response = client.post(
            reverse("workflows:contract_change_request", args=[paris_advisor.pk]),
            {"type": "prolongation", "new_end": (cdd.end - DAY).isoformat(), "motivation": "Nous voulons prolonger."},
        )
        assert response.status_code == 400 and "doit suivre la fin actuelle du contrat" in response.text
        missing = client.post(
            reverse("workflows:contract_change_request", args=[paris_advisor.pk]),
            {"type": "prolongation", "motivation": "Nous voulons prolonger."},
        )
        assert missing.status_code == 400 and "Indiquez la nouvelle date de fin du contrat." in missing.text


class TestAmendment:
    def test_a_salary_below_the_smic_is_refused_as_at_the_proposal(
        self, client, settings, structure_manager, paris_advisor, cdd
    ):
        client.force_login(structure_manager)
        url = reverse("workflows:contract_change_request", args=[paris_advisor.pk])
        low = client.post(url, {"type": "modification", "new_salary": "1500", "motivation": "Baisse du temps."})
        assert low.status_code == 400
        assert f"au moins égal au SMIC ({settings.SMIC_MONTHLY_GROSS} €)" in low.text
        hours = client.post(url, {"type": "modification", "new_weekly_hours": "40", "motivation": "Plus d'heures."})
        assert hours.status_code == 400 and "35" in hours.text
        nothing = client.post(url, {"type": "modification", "motivation": "Rien ne change ici."})
        assert nothing.status_code == 400 and "Indiquez au moins une modification" in nothing.text
        short = client.post(url, {"type": "modification", "new_salary": "2300", "motivation": "Court"})
        assert short.status_code == 400 and not ContractChange.objects.exists()

    def test_it_applies_at_validation(self, structure_manager, paris_advisor, cdd, hub_agent):
        change = _request(structure_manager, paris_advisor, type="modification", new_weekly_hours=28, new_salary=2300)
        assert change.new_weekly_hours == 28 and change.new_salary == 2300 and change.new_end is None
        _decide(hub_agent, change)
        cdd.refresh_from_db()
        assert (cdd.weekly_hours, cdd.salary) == (28, 2300)
        assert Contract.objects.filter(advisor=paris_advisor).count() == 1  # an amendment opens no new contract

    def test_refused_it_leaves_the_contract_unchanged_and_tells_the_structure_why(
        self, structure_manager, advisor_user, paris_advisor, cdd, hub_agent, django_capture_on_commit_callbacks
    ):
        change = _request(structure_manager, paris_advisor, type="modification", new_salary=2500)
        with pytest.raises(ValidationError) as missing:
            _decide(hub_agent, change, decision="refuser")
        assert "reason" in missing.value.error_dict
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            _decide(
                hub_agent,
                change,
                decision="refuser",
                reason="autre",
                message_to_applicant="Le budget de la structure ne le permet pas.",
                internal_note="Vu avec la préfecture.",
            )
        change.refresh_from_db()
        cdd.refresh_from_db()
        assert change.status == RequestStatus.REFUSED and cdd.salary == 2000
        refused = next(m for m in mail.outbox if m.subject.endswith("demande refusée"))
        assert refused.to == [structure_manager.email] and "Le budget de la structure" in refused.body
        assert "Vu avec la préfecture." not in refused.body
        assert not any(advisor_user.email in m.to for m in mail.outbox)

    def test_a_bad_decision_answers_400_with_the_message(
        self, client, structure_manager, paris_advisor, cdd, hub_agent
    ):
        change = _request(structure_manager, paris_advisor, type="modification", new_salary=2500)
        client.force_login(hub_agent)
        item = work_item(Kind.CONTRACT_CHANGE, change, Step.CONTRACT_CHANGE_VALIDATION)
        response = client.post(
            reverse("workflows:decide", args=[item.pk]), {"decision": "refuser", "message_to_applicant": "Non."}
        )
        assert response.status_code == 400 and "Choisissez un motif de refus." in response.text
        assert "Non." in response.text


class TestRenewal:
    def test_it_is_applied_by_the_daily_command_on_the_day_after_the_current_end_only(
        self, structure_manager, advisor_user, paris_advisor, cdd, hub_agent, django_capture_on_commit_callbacks
    ):
        new_end = cdd.end + datetime.timedelta(days=365)
        change = _request(
            structure_manager,
            paris_advisor,
            type="renouvellement",
            new_contract_type=ContractType.CDD,
            new_end=new_end,
            new_salary=2100,
        )
        assert change.new_start == cdd.end + DAY and change.new_weekly_hours == cdd.weekly_hours
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            _decide(hub_agent, change)
        change.refresh_from_db()
        assert change.status == RequestStatus.SCHEDULED and change.new_contract is None
        assert {m.subject for m in mail.outbox} >= {"Votre contrat sera renouvelé"}
        assert Contract.objects.filter(advisor=paris_advisor).count() == 1

        # Not due the last day of the current contract: nothing changes, and the term does not end it either.
        assert "0 renouvellements de contrat appliqués" in _run(cdd.end, hour=23)
        assert "0 contrats arrivés à leur terme" in _run(cdd.end, hour=23)
        # The day after: a dry run changes nothing, then the renewal (not the term) applies, once.
        assert "1 renouvellements de contrat appliqués (à faire)" in _run(cdd.end + DAY, apply=False)
        assert not services.contracts_due_at_term(
            timezone.make_aware(datetime.datetime.combine(cdd.end + DAY, datetime.time(6)))
        )
        cdd.refresh_from_db()
        assert cdd.status == ContractStatus.ACTIVE
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            summary = _run(cdd.end + DAY)
        assert "1 renouvellements de contrat appliqués" in summary and "0 contrats arrivés à leur terme" in summary
        cdd.refresh_from_db()
        change.refresh_from_db()
        new = change.new_contract
        assert (cdd.status, cdd.ended_on, cdd.end_reason) == (ContractStatus.ENDED, cdd.end, ContractEndReason.RENEWED)
        assert (new.follows, new.start, new.end, new.salary, new.status) == (
            cdd,
            cdd.end + DAY,
            new_end,
            2100,
            ContractStatus.ACTIVE,
        )
        assert change.status == RequestStatus.GRANTED
        paris_advisor.refresh_from_db()
        assert paris_advisor.status == AdvisorStatus.ACTIVE
        assert PlaceAssignment.objects.filter(advisor=paris_advisor).exists()
        assert [m.subject for m in mail.outbox if advisor_user.email in m.to] == ["Votre nouveau contrat a commencé"]
        assert Decision.objects.filter(kind=Kind.CONTRACT_CHANGE, subject_id=change.pk, verdict="application").exists()
        assert "0 renouvellements de contrat appliqués" in _run(cdd.end + 2 * DAY)
        assert Contract.objects.filter(advisor=paris_advisor).count() == 2

    def test_a_renewal_needs_a_type_an_end_and_a_salary(self, client, structure_manager, paris_advisor, cdd):
        client.force_login(structure_manager)
        url = reverse("workflows:contract_change_request", args=[paris_advisor.pk])
        response = client.post(url, {"type": "renouvellement", "motivation": "Renouvellement du CDD."})
        assert response.status_code == 400
        assert "Choisissez le type du nouveau contrat." in response.text and "SMIC" in response.text
        cdi_with_end = client.post(
            url,
            {
                "type": "renouvellement",
                "new_contract_type": "cdi",
                "new_end": (cdd.end + 30 * DAY).isoformat(),
                "new_salary": "2200",
                "motivation": "CDIsation du poste.",
            },
        )
        assert cdi_with_end.status_code == 400 and "Un CDI n&#x27;a pas de date de fin." in cdi_with_end.text

    def test_the_renewed_contract_cannot_be_moved_before_the_previous_one_ended(
        self, structure_manager, paris_advisor, cdd, hub_agent
    ):
        change = _request(
            structure_manager, paris_advisor, type="renouvellement", new_contract_type="cdi", new_salary=2200
        )
        _decide(hub_agent, change)
        later = timezone.make_aware(datetime.datetime.combine(cdd.end + DAY, datetime.time(8)))
        services.contract_change_apply(change=change, now=later)
        with pytest.raises(ValidationError) as error:
            _request(structure_manager, paris_advisor, type="modification", new_start=cdd.end)
        assert "Le contrat précédent s'est terminé" in str(error.value.error_dict["new_start"])

    def test_a_renewal_as_a_cdi_has_no_end(self, structure_manager, paris_advisor, cdd, hub_agent):
        change = _request(
            structure_manager, paris_advisor, type="renouvellement", new_contract_type="cdi", new_salary=2200
        )
        _decide(hub_agent, change)
        assert services.contract_change_apply(change=change, now=timezone.now()) is False  # not due yet
        later = timezone.make_aware(datetime.datetime.combine(cdd.end + DAY, datetime.time(8)))
        assert services.contract_change_apply(change=change, now=later) is True
        change.refresh_from_db()
        assert change.new_contract.contract_type == ContractType.CDI and change.new_contract.end is None


class TestTerm:
    def test_a_fixed_term_contract_ends_at_its_term_only_when_due(
        self, structure_manager, advisor_user, paris_advisor, cdd, django_capture_on_commit_callbacks
    ):
        assert "0 contrats arrivés à leur terme" in _run(cdd.end, hour=23)
        assert "1 contrats arrivés à leur terme (à faire)" in _run(cdd.end + DAY, apply=False)
        paris_advisor.refresh_from_db()
        assert paris_advisor.status == AdvisorStatus.ACTIVE  # the dry run changed nothing
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert "1 contrats arrivés à leur terme" in _run(cdd.end + DAY)
        cdd.refresh_from_db()
        paris_advisor.refresh_from_db()
        assert (cdd.status, cdd.ended_on, cdd.end_reason) == (ContractStatus.ENDED, cdd.end, ContractEndReason.TERM)
        assert paris_advisor.status == AdvisorStatus.ENDED and paris_advisor.ended_at == cdd.end
        assert not PlaceAssignment.objects.filter(advisor=paris_advisor).exists()
        recipients = {m.subject: m.to for m in mail.outbox}
        assert recipients[f"Contrat de {paris_advisor.full_name} arrivé à son terme"] == [structure_manager.email]
        assert recipients["Votre contrat de conseiller numérique est arrivé à son terme"] == [advisor_user.email]
        assert "0 contrats arrivés à leur terme" in _run(cdd.end + 2 * DAY)

    def test_never_while_a_change_or_a_rupture_is_open_nor_for_a_cdi(
        self, structure_manager, paris_advisor, paris_structure, cdd, hub_agent
    ):
        change = _request(structure_manager, paris_advisor, type="modification", new_salary=2200)
        other = AdvisorFactory(structure=paris_structure)
        _contract(other)
        services.rupture_notify(advisor=other, user=structure_manager, end_date=TODAY() + DAY, motive="demission")
        cdi_advisor = AdvisorFactory(structure=paris_structure)
        _contract(cdi_advisor, contract_type=ContractType.CDI)
        assert "0 contrats arrivés à leur terme" in _run(cdd.end + 10 * DAY)
        _decide(hub_agent, change, decision="refuser", reason="autre", message_to_applicant="Pas de budget.")
        assert "1 contrats arrivés à leur terme" in _run(cdd.end + 10 * DAY)
        paris_advisor.refresh_from_db()
        other.refresh_from_db()
        assert paris_advisor.status == AdvisorStatus.ENDED and other.status == AdvisorStatus.ACTIVE


class TestScope:
    def test_out_of_scope_pages_are_404(
        self, client, structure_manager, paris_advisor, cdd, marseille_manager, prefecture_marseille
    ):
        change = _request(structure_manager, paris_advisor, type="modification", new_salary=2200)
        client.force_login(marseille_manager)
        assert client.get(reverse("workflows:contract_change_request", args=[paris_advisor.pk])).status_code == 404
        assert client.get(reverse("workflows:contract_change", args=[change.pk])).status_code == 404
        client.force_login(prefecture_marseille)
        assert client.get(reverse("workflows:contract_change", args=[change.pk])).status_code == 404
        assert client.get(reverse("directory:advisor_detail", args=[paris_advisor.pk])).status_code == 404

    def test_services_refuse_who_may_not_act(
        self,
        structure_manager,
        paris_advisor,
        cdd,
        marseille_manager,
        marseille_advisor,
        prefecture_paris,
        national_admin,
        hub_agent,
    ):
        with pytest.raises(PermissionDenied):
            _request(marseille_manager, paris_advisor, type="modification", new_salary=2200)
        with pytest.raises(PermissionDenied):
            _request(prefecture_paris, paris_advisor, type="modification", new_salary=2200)
        change = _request(structure_manager, paris_advisor, type="modification", new_salary=2200)
        with pytest.raises(PermissionDenied):
            _decide(prefecture_paris, change)  # an opinion role, not a validator
        with pytest.raises(PermissionDenied):
            _decide(structure_manager, change)
        _contract(marseille_advisor)
        far = _request(marseille_manager, marseille_advisor, type="modification", new_salary=2200)
        with pytest.raises(PermissionDenied):
            _decide(hub_agent, far)  # the Île-de-France hub does not decide for Marseille
        _decide(national_admin, far)  # the national team decides everywhere
        far.refresh_from_db()
        assert far.status == RequestStatus.GRANTED

    def test_an_advisor_without_contract_or_ended_cannot_be_changed(self, structure_manager, paris_structure):
        advisor = AdvisorFactory(structure=paris_structure)
        with pytest.raises(ValidationError, match="pas de contrat en cours"):
            _request(structure_manager, advisor, type="modification", new_salary=2200)
        ended = AdvisorFactory(structure=paris_structure, ended=True)
        with pytest.raises(ValidationError, match="plus en poste"):
            _request(structure_manager, ended, type="modification", new_salary=2200)


class TestLists:
    def test_my_advisors_stays_at_a_constant_query_count(
        self, client, structure_manager, paris_structure, django_assert_max_num_queries
    ):
        for _ in range(6):
            advisor = AdvisorFactory(structure=paris_structure)
            _contract(advisor)
            _request(structure_manager, advisor, type="modification", new_salary=2200)
        client.force_login(structure_manager)
        with django_assert_max_num_queries(25):
            response = client.get(reverse("workflows:my_advisors"))
        assert response.text.count("Modification de contrat : en attente de décision") == 6


class TestHistory:
    def _renewed(self, structure_manager, paris_advisor, cdd, hub_agent):
        change = _request(
            structure_manager,
            paris_advisor,
            type="renouvellement",
            new_contract_type="pec",
            new_end=cdd.end + 200 * DAY,
            new_salary=2100,
        )
        _decide(hub_agent, change)
        services.contract_change_apply(
            change=change, now=timezone.make_aware(datetime.datetime.combine(cdd.end + DAY, datetime.time(8)))
        )

    def test_the_advisor_page_shows_every_contract_and_how_it_ended(
        self, client, structure_manager, paris_advisor, cdd, hub_agent, prefecture_paris
    ):
        self._renewed(structure_manager, paris_advisor, cdd, hub_agent)
        client.force_login(prefecture_paris)
        page = client.get(reverse("directory:advisor_detail", args=[paris_advisor.pk])).text
        assert "<caption>Contrats du conseiller, du plus ancien au plus récent</caption>" in page
        assert "Renouvelé (nouveau contrat)" in page and "PEC (parcours emploi compétences)" in page
        assert page.index("CDD") < page.index("PEC (parcours")

    def test_the_coop_profile_shows_my_own_contracts(
        self, client, advisor_user, paris_advisor, cdd, marseille_advisor
    ):
        _contract(marseille_advisor, contract_type=ContractType.PEC)
        client.force_login(advisor_user)
        page = client.get(reverse("coop:profile")).text
        assert "<caption>Mes contrats, du plus ancien au plus récent</caption>" in page
        assert paris_advisor.structure.name in page and "PEC" not in page

    def test_the_pilotage_export_has_the_current_contract_and_the_count(
        self, client, national_admin, structure_manager, paris_advisor, cdd, hub_agent
    ):
        self._renewed(structure_manager, paris_advisor, cdd, hub_agent)
        paris_advisor.last_name = "=HYPERLINK(1)"
        paris_advisor.save()
        client.force_login(national_admin)
        response = client.get(reverse("pilotage:export_list", kwargs={"kind": "conseillers"}))
        content = b"".join(response.streaming_content) if response.streaming else response.content
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        row = dict(zip(rows[0], next(r for r in rows[1:] if r[0] == str(paris_advisor.pk)), strict=True))
        assert row["Type de contrat en cours"] == "PEC (parcours emploi compétences)"
        assert row["Début du contrat en cours"] == (cdd.end + DAY).strftime("%d/%m/%Y")
        assert row["Fin prévue du contrat en cours"] == (cdd.end + 200 * DAY).strftime("%d/%m/%Y")
        assert row["Nombre de contrats"] == "2" and row["Nom"] == "'=HYPERLINK(1)"
        assert rows[0][-1] == "CRA saisis sur la période"

    def test_the_contract_history_export_is_scoped_and_safe(
        self, client, structure_manager, paris_advisor, cdd, hub_agent, marseille_advisor, prefecture_marseille
    ):
        self._renewed(structure_manager, paris_advisor, cdd, hub_agent)
        marseille_advisor.first_name = "@SUM(A1)"
        marseille_advisor.save()
        _contract(marseille_advisor)
        client.force_login(structure_manager)
        response = client.get(reverse("workflows:export", args=["historique-des-contrats", "csv"]))
        content = b"".join(response.streaming_content) if response.streaming else response.content
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        assert [row[1] for row in rows[1:]] == [str(paris_advisor.pk)] * 2
        assert [row[16] for row in rows[1:]] == ["Renouvelé (nouveau contrat)", ""]
        client.force_login(prefecture_marseille)
        response = client.get(reverse("workflows:export", args=["historique-des-contrats", "csv"]))
        content = b"".join(response.streaming_content) if response.streaming else response.content
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        assert [(row[1], row[3]) for row in rows[1:]] == [(str(marseille_advisor.pk), "'@SUM(A1)")]
        xlsx = client.get(reverse("workflows:export", args=["historique-des-contrats", "xlsx"]))
        assert xlsx.status_code == 200


class TestDossier:
    def test_the_hub_finds_it_in_its_queue_and_the_structure_reads_the_dossier_without_internal_notes(
        self, client, structure_manager, paris_advisor, cdd, hub_agent, national_admin
    ):
        change = _request(structure_manager, paris_advisor, type="modification", new_salary=2400)
        client.force_login(hub_agent)
        queue = client.get(reverse("workflows:queue")).text
        assert paris_advisor.full_name in queue and "Validation d&#x27;une modification de contrat" in queue
        _decide(
            hub_agent,
            change,
            decision="refuser",
            reason="autre",
            message_to_applicant="Budget insuffisant.",
            internal_note="Note pour les agents seulement.",
        )
        client.force_login(structure_manager)
        page = client.get(reverse("workflows:contract_change", args=[change.pk])).text
        assert "Budget insuffisant." in page and "Note pour les agents seulement." not in page
        assert "Enregistrer la décision" not in page and "2400 €" in page and "Historique des contrats" in page
        client.force_login(national_admin)
        page = client.get(reverse("workflows:contract_change", args=[change.pk])).text
        assert "Note pour les agents seulement." in page
        chart = client.get(reverse("workflows:process_chart", args=[Kind.CONTRACT_CHANGE, change.process_id]))
        assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"


class TestCancel:
    def test_the_structure_withdraws_a_scheduled_renewal_and_the_term_applies_again(
        self,
        client,
        structure_manager,
        advisor_user,
        paris_advisor,
        cdd,
        hub_agent,
        django_capture_on_commit_callbacks,
    ):
        change = _request(
            structure_manager,
            paris_advisor,
            type="renouvellement",
            new_contract_type="cdd",
            new_end=cdd.end + 90 * DAY,
            new_salary=2000,
        )
        _decide(hub_agent, change)
        client.force_login(structure_manager)
        url = reverse("workflows:contract_change_cancel", args=[change.pk])
        assert client.get(url).status_code == 302  # a reloaded URL goes back to the dossier
        short = client.post(url, {"comment": "Non."})
        assert short.status_code == 400 and "10 caractères au moins" in short.text and "Non." in short.text
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(url, {"comment": "Le conseiller a trouvé un autre poste."})
        assert done.status_code == 302
        change.refresh_from_db()
        assert change.status == RequestStatus.CANCELLED
        assert {m.subject for m in mail.outbox} >= {"Le renouvellement de votre contrat est annulé"}
        again = client.post(url, {"comment": "Le conseiller a trouvé un autre poste."}, follow=True)
        assert "déjà traitée ou annulée" in again.text
        assert "1 contrats arrivés à leur terme" in _run(cdd.end + DAY)

    def test_only_the_structure_or_the_national_team_may_withdraw(
        self, client, structure_manager, paris_advisor, cdd, hub_agent, marseille_manager
    ):
        change = _request(structure_manager, paris_advisor, type="modification", new_salary=2200)
        with pytest.raises(PermissionDenied):
            services.contract_change_cancel(change=change, user=hub_agent, comment="Je voudrais annuler.")
        client.force_login(marseille_manager)
        assert (
            client.post(
                reverse("workflows:contract_change_cancel", args=[change.pk]), {"comment": "x" * 20}
            ).status_code
            == 404
        )
        services.contract_change_cancel(change=change, user=structure_manager, comment="Demande faite par erreur.")
        assert not services.open_work_item(Kind.CONTRACT_CHANGE, change.pk)
