"""Issue 11 item 11 (part): a POST-only address reloaded with GET shows its page, never a blank 405; training (and
deployment) dates are checked against the hub's validation and the contract, whichever way they come in."""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.services import membership_grant
from tests.accounts.factories import UserFactory
from tests.directory.factories import PlaceFactory
from tests.workflows.factories import CandidateFactory
from tests.workflows.helpers import work_item
from workflows import services
from workflows.enums import Kind, RecruitmentStatus, Step, TrainingImportOutcome, Verdict
from workflows.models import Decision, Recruitment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
THIRD_PARTY_PREFIXES = ("cms/", "django-admin/", "api/")  # Wagtail's and Django's admin, and the JSON API


def _routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def _allowed_methods(view) -> list[str] | None:
    """The methods a view restricts itself to (Django's require_http_methods, or a class view), or None."""
    layer = view
    while layer is not None:
        names = getattr(getattr(layer, "__code__", None), "co_freevars", ())
        for name, cell in zip(names, getattr(layer, "__closure__", None) or (), strict=False):
            if name == "request_method_list":
                return [method.upper() for method in cell.cell_contents]
        layer = getattr(layer, "__wrapped__", None)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return [method.upper() for method in view_class.http_method_names if hasattr(view_class, method)]
    return None


class TestItem11NoBlank405:
    def test_item11_no_page_of_ours_refuses_a_get(self):
        """The whole class: every URL pattern of the project (not the third-party admins) accepts a GET."""
        refusing = [
            route
            for route, view in _routes()
            if not route.startswith(THIRD_PARTY_PREFIXES)
            and (methods := _allowed_methods(view)) is not None
            and "GET" not in methods
        ]
        assert not refusing, f"POST-only views answering GET with a blank 405 (use common.http.post_only): {refusing}"

    def test_item11_the_scan_sees_a_post_only_view(self):
        """The scan above would catch a view written with Django's require_POST (it found Django's LogoutView)."""
        from django.contrib.auth.views import LogoutView
        from django.views.decorators.http import require_POST

        assert _allowed_methods(require_POST(lambda request: None)) == ["POST"]
        assert "GET" not in _allowed_methods(LogoutView.as_view())

    def test_item11_reloading_a_decision_url_after_an_error_shows_the_dossier_and_its_form(
        self, client, structure_manager, paris_advisor, hub_agent, prefecture_marseille
    ):
        rupture = services.rupture_notify(
            advisor=paris_advisor, user=structure_manager, end_date=TODAY(), motive="demission"
        )
        item = work_item(Kind.RUPTURE, rupture, Step.RUPTURE_VALIDATION)
        url = reverse("workflows:decide", args=[item.pk])
        dossier = reverse("workflows:rupture", args=[rupture.pk])
        client.force_login(hub_agent)
        error = client.post(url, {"decision": "pieces", "comment": "court"})
        assert error.status_code == 400 and "10 caractères au moins" in error.text
        reloaded = client.get(url)
        assert reloaded.status_code == 302 and reloaded.url == dossier
        page = client.get(dossier)
        assert page.status_code == 200 and "Enregistrer la décision" in page.text
        for action in ("take", "release"):
            response = client.get(reverse(f"workflows:{action}", args=[item.pk]))
            assert response.status_code == 302 and response.url == dossier
        assert client.head(url).status_code == 302
        assert client.put(url).status_code == 405  # only GET and HEAD are pages
        client.force_login(prefecture_marseille)
        assert client.get(url).status_code == 404  # out of scope, even on a reload
        client.logout()
        assert client.get(url).url.startswith(reverse("accounts:login"))

    def test_item11_every_post_only_action_goes_back_to_its_page_on_get(
        self, client, structure_manager, national_admin, advisor_user, paris_advisor, marseille_candidate
    ):
        candidate = CandidateFactory()
        client.force_login(structure_manager)
        preselect = client.get(reverse("workflows:preselect", args=[candidate.pk]))
        assert preselect.url == reverse("workflows:candidate", args=[candidate.pk])
        assert client.get(reverse("workflows:preselect", args=[marseille_candidate.pk])).status_code == 404
        recruitment = services.recruitment_preselect(candidate=candidate, user=structure_manager)
        cancel = client.get(reverse("workflows:recruitment_cancel", args=[recruitment.pk]))
        assert cancel.url == reverse("workflows:recruitment", args=[recruitment.pk])
        assert Recruitment.objects.get(pk=recruitment.pk).status == RecruitmentStatus.PRESELECTED
        switch = client.get(reverse("accounts:switch_role"))
        assert switch.url == reverse("accounts:account")

        client.force_login(national_admin)
        membership = structure_manager.memberships.get()
        revoke = client.get(reverse("accounts:membership_revoke", args=[structure_manager.pk, membership.pk]))
        assert revoke.url == reverse("accounts:user_detail", args=[structure_manager.pk])
        membership.refresh_from_db()
        assert membership.revoked_at is None  # a GET changes nothing

        client.force_login(advisor_user)
        place = paris_advisor.places.first()
        principal = client.get(reverse("coop:place_principal", args=[place.pk]))
        assert principal.url == reverse("coop:place_list")
        elsewhere = PlaceFactory()
        assert client.get(reverse("coop:place_principal", args=[elsewhere.pk])).status_code == 404

        logout = client.get(reverse("accounts:logout"))
        assert logout.status_code == 302 and logout.url == "/"
        assert SESSION_KEY in client.session  # a GET does not log out
        client.post(reverse("accounts:logout"))
        assert SESSION_KEY not in client.session


def _at_training(manager, prefecture, hub, *, contract_end):
    """A recruitment validated by the hub today, waiting for its training."""
    recruitment = services.recruitment_preselect(candidate=CandidateFactory(email="t@perso.test"), user=manager)
    services.recruitment_propose_contract(
        work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_CONTRACT),
        user=manager,
        contract_type="cdd",
        contract_start=TODAY() + datetime.timedelta(days=1),
        contract_end=contract_end,
        salary=2100,
    )
    services.recruitment_prefecture_review(
        work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_PREFECTURE),
        user=prefecture,
        opinion="favorable",
        internal_note="Profil adapté, contrat conforme.",
    )
    services.recruitment_hub_decide(
        work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_HUB), user=hub, decision="valider"
    )
    recruitment.refresh_from_db()
    return recruitment


class TestItem11TrainingDates:
    def test_item11_a_training_starts_after_the_hub_validation_and_ends_within_the_contract(
        self, client, structure_manager, prefecture_paris, hub_agent
    ):
        contract_end = TODAY() + datetime.timedelta(days=40)
        recruitment = _at_training(structure_manager, prefecture_paris, hub_agent, contract_end=contract_end)
        item = work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_TRAINING)
        url = reverse("workflows:decide", args=[item.pk])
        client.force_login(hub_agent)
        early = (TODAY() - datetime.timedelta(days=3)).isoformat()
        response = client.post(url, {"session_start": early, "session_end": TODAY().isoformat(), "comment": ""})
        assert response.status_code == 400
        assert "ne peut pas commencer avant la validation du recrutement par le hub" in response.text
        assert f'value="{early}"' in response.text  # what was typed is kept
        late = (contract_end + datetime.timedelta(days=1)).isoformat()
        response = client.post(url, {"session_start": TODAY().isoformat(), "session_end": late, "comment": ""})
        assert response.status_code == 400 and "ne peut pas se terminer après la fin du contrat" in response.text
        assert not hasattr(Recruitment.objects.get(pk=recruitment.pk), "training")

        # Time: validated 10 days ago, a training that started 5 days ago is fine.
        Decision.objects.filter(
            kind=Kind.RECRUITMENT, subject_id=recruitment.pk, step=Step.RECRUITMENT_HUB, verdict=Verdict.VALIDATED
        ).update(created_at=timezone.now() - datetime.timedelta(days=10))
        start = (TODAY() - datetime.timedelta(days=5)).isoformat()
        response = client.post(url, {"session_start": start, "session_end": TODAY().isoformat(), "comment": ""})
        assert response.status_code == 302
        assert Recruitment.objects.get(pk=recruitment.pk).training.session_start.isoformat() == start

    def test_item11_the_training_import_applies_the_same_rule(
        self, client, structure_manager, prefecture_paris, hub_agent
    ):
        recruitment = _at_training(
            structure_manager, prefecture_paris, hub_agent, contract_end=TODAY() + datetime.timedelta(days=40)
        )
        before = TODAY() - datetime.timedelta(days=2)
        report = services.training_import(
            user=hub_agent,
            text=f"email;date_debut;date_fin;terminee;certifie\nt@perso.test;{before:%d/%m/%Y};{TODAY():%d/%m/%Y};oui;oui\n",
        )
        assert report[0]["outcome"] == TrainingImportOutcome.ERROR
        assert "ne peut pas commencer avant la validation du recrutement" in report[0]["message"]
        recruitment.refresh_from_db()
        assert recruitment.status == RecruitmentStatus.TRAINING

    def test_item11_a_deployment_cannot_start_after_the_contract_ends(
        self, client, structure_manager, prefecture_paris, hub_agent
    ):
        contract_end = TODAY() + datetime.timedelta(days=40)
        recruitment = _at_training(structure_manager, prefecture_paris, hub_agent, contract_end=contract_end)
        services.recruitment_record_training(
            work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_TRAINING),
            user=hub_agent,
            session_start=TODAY(),
            session_end=TODAY(),
            completed=True,
            certified=True,
        )
        place = PlaceFactory(structure=recruitment.structure)
        client.force_login(structure_manager)
        item = work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_DEPLOYMENT)
        late = (contract_end + datetime.timedelta(days=1)).isoformat()
        response = client.post(reverse("workflows:decide", args=[item.pk]), {"started_at": late, "place": place.pk})
        assert response.status_code == 400 and "doit précéder la fin du contrat" in response.text
        assert Recruitment.objects.get(pk=recruitment.pk).status == RecruitmentStatus.DEPLOYMENT


def test_item11_an_unrelated_role_cannot_learn_contract_dates_through_training_errors(
    structure_manager, prefecture_paris, hub_agent
):
    """The dates are read only after the permission check: a prefecture agent gets a refusal, not the dates."""
    from django.core.exceptions import PermissionDenied

    recruitment = _at_training(
        structure_manager, prefecture_paris, hub_agent, contract_end=TODAY() + datetime.timedelta(days=40)
    )
    intruder = UserFactory()
    membership_grant(
        user=intruder, role=Role.PREFECTURE, granted_by=None, department=prefecture_paris.active_membership.department
    )
    with pytest.raises(PermissionDenied):
        services.recruitment_record_training(
            work_item=work_item(Kind.RECRUITMENT, recruitment, Step.RECRUITMENT_TRAINING),
            user=intruder,
            session_start=TODAY() - datetime.timedelta(days=30),
            session_end=TODAY(),
            completed=False,
            certified=False,
        )
