"""The national team's pages for partner tokens: who may open them, creation (secret shown once), revocation, log."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from partners import keys
from partners.enums import Right, ScopeLevel
from partners.models import ApiCall, ApiToken
from partners.views import SECRET_SESSION_KEY
from tests.partners.factories import bearer, make_token
from tests.territories.factories import department, region

pytestmark = pytest.mark.django_db

LIST = "/gestion/partenaires/"
CREATE = "/gestion/partenaires/nouveau/"


def form_data(**changes) -> dict:
    today = timezone.localdate()
    data = {
        "name": "Observatoire du numérique de la Métropole de Lyon",
        "organisation": "Métropole de Lyon",
        "contact_email": "donnees@grandlyon.test",
        "level": ScopeLevel.DEPARTMENT,
        "region": "",
        "department": "69",
        "rights": [Right.STATISTICS, Right.PLACES],
        "rate_limit": "120",
        "valid_from": today.isoformat(),
        "expires_on": (today + timedelta(days=365)).isoformat(),
    }
    data.update(changes)
    return data


@pytest.fixture
def lyon(db):
    return department("69")


class TestWhoMayOpenThePages:
    @pytest.mark.parametrize(
        "persona",
        ["prefecture_paris", "hub_agent", "structure_manager", "advisor_user", "coordinator_user", "editor_user"],
    )
    def test_it_refuses_every_other_role(self, client, request, persona):
        token, _ = make_token()
        client.force_login(request.getfixturevalue(persona))
        for path in (
            LIST,
            CREATE,
            f"{LIST}{token.pk}/",
            f"{LIST}{token.pk}/jeton/",
            f"{LIST}{token.pk}/revoquer/",
        ):
            assert client.get(path).status_code == 403, path
        assert client.post(f"{LIST}{token.pk}/revoquer/", {"reason": "essai"}).status_code == 403
        assert client.post(CREATE, form_data()).status_code == 403
        token.refresh_from_db()
        assert token.revoked_at is None
        assert ApiToken.objects.count() == 1

    def test_it_sends_anonymous_visitors_to_the_login_page(self, client):
        response = client.get(LIST)
        assert response.status_code == 302
        assert response["Location"].startswith("/connexion/")

    def test_it_answers_404_for_an_unknown_token(self, client, national_admin):
        client.force_login(national_admin)
        for path in (f"{LIST}999999/", f"{LIST}999999/jeton/", f"{LIST}999999/revoquer/"):
            assert client.get(path).status_code == 404

    def test_national_admins_find_the_pages_in_their_menu(self, client, national_admin, prefecture_paris):
        client.force_login(national_admin)
        assert f'href="{LIST}"' in client.get("/gestion/utilisateurs/").text
        client.force_login(prefecture_paris)
        assert f'href="{LIST}"' not in client.get("/pilotage/").text


class TestList:
    def test_it_lists_every_token_with_its_territory_rights_prefix_use_and_status(self, client, national_admin):
        active, _ = make_token(name="Carte nationale des lieux", rights=[Right.PLACES])
        lyon, _ = make_token(name="Observatoire de Lyon", level=ScopeLevel.DEPARTMENT, code="69")
        revoked, _ = make_token(name="Ancien partenaire", revoked_at=timezone.now())
        scheduled, _ = make_token(
            name="Partenaire à venir",
            valid_from=timezone.now() + timedelta(days=10),
            level=ScopeLevel.REGION,
            code="84",
        )
        lyon.last_used_at = timezone.now()
        lyon.save()
        client.force_login(national_admin)
        response = client.get(LIST)
        text = response.text
        assert response.status_code == 200
        assert "<caption>4 jetons d'API partenaires</caption>" in text
        for token in (active, lyon, revoked, scheduled):
            assert f"<code>{token.prefix}…</code>" in text
        assert "Département Rhône (69)" in text
        assert "Région Auvergne-Rhône-Alpes" in text
        assert "France entière" in text
        assert "Révoqué" in text and "Actif" in text and "Valable à partir du" in text
        assert "Lieux" in text and "Statistiques agrégées" in text
        assert "secret_hash" not in text and lyon.secret_hash not in text

    def test_its_queries_do_not_grow_with_the_tokens(self, client, national_admin, django_assert_max_num_queries):
        for index in range(12):
            make_token(name=f"Partenaire {index}", level=ScopeLevel.DEPARTMENT, code="69")
        client.force_login(national_admin)
        client.get(LIST)
        with django_assert_max_num_queries(12):
            assert client.get(LIST).status_code == 200


class TestCreation:
    def test_it_creates_the_token_and_shows_its_secret_once_never_cached(self, client, national_admin, lyon):
        client.force_login(national_admin)
        response = client.post(CREATE, form_data())
        token = ApiToken.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"{LIST}{token.pk}/jeton/"
        page = client.get(response["Location"])
        secret = page.context["secret"]
        assert page.status_code == 200
        assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
        assert page["Referrer-Policy"] == "no-referrer"
        assert f'value="{secret}"' in page.text
        assert "il ne sera plus jamais affiché" in page.text
        assert keys.prefix_of(secret) == token.prefix
        assert token.secret_hash == keys.hash_of(secret)
        assert secret not in response["Location"]
        # Once: neither a reload nor the session still hold it.
        again = client.get(f"{LIST}{token.pk}/jeton/")
        assert again.context["secret"] is None
        assert secret not in again.text
        assert "Ce jeton ne peut plus être affiché" in again.text
        assert SECRET_SESSION_KEY not in client.session
        # The token works.
        assert client.get("/api/partenaires/lieux/", headers=bearer(secret)).status_code == 200

    def test_it_stores_what_the_form_says(self, client, national_admin, lyon):
        client.force_login(national_admin)
        client.post(CREATE, form_data())
        token = ApiToken.objects.get()
        today = timezone.localdate()
        assert (token.level, token.department_id, token.region_id) == ("departement", "69", None)
        assert token.rights == [Right.STATISTICS, Right.PLACES]
        assert token.rate_limit == 120
        assert token.created_by == national_admin
        assert timezone.localtime(token.valid_from).date() == today
        # Valid through the chosen day: refused from the next midnight, Paris time.
        expires = timezone.localtime(token.expires_at)
        assert (expires.date(), expires.hour, expires.minute) == (today + timedelta(days=366), 0, 0)

    def test_the_secret_is_stored_nowhere_and_logged_nowhere(self, client, national_admin, lyon, caplog):
        client.force_login(national_admin)
        with caplog.at_level(logging.DEBUG):
            response = client.post(CREATE, form_data())
            secret = client.get(response["Location"]).context["secret"]
        assert secret not in caplog.text
        token = ApiToken.objects.get()
        stored = " ".join(str(value) for value in ApiToken.objects.values().get().values())
        assert secret not in stored
        event = AuditEvent.objects.get(action=AuditAction.API_TOKEN_CREATED)
        assert secret not in str(event.details) and secret not in event.target_label
        assert event.actor == national_admin
        assert event.details["prefixe"] == token.prefix
        assert event.details["perimetre"] == "Département Rhône (69)"
        assert "donnees@grandlyon.test" not in str(event.details)

    def test_a_secret_not_shown_within_its_delay_is_lost(self, client, national_admin, lyon):
        client.force_login(national_admin)
        response = client.post(CREATE, form_data())
        session = client.session
        session[SECRET_SESSION_KEY]["at"] -= 16 * 60
        session.save()
        page = client.get(response["Location"])
        assert page.context["secret"] is None
        assert SECRET_SESSION_KEY not in client.session

    def test_another_tokens_page_does_not_show_the_secret(self, client, national_admin, lyon):
        other, _ = make_token()
        client.force_login(national_admin)
        client.post(CREATE, form_data())
        page = client.get(f"{LIST}{other.pk}/jeton/")
        assert page.context["secret"] is None
        assert SECRET_SESSION_KEY in client.session  # still waiting for its own page

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"name": ""}, "name", "Indiquez le nom du partenaire."),
            ({"contact_email": "pas-une-adresse"}, "contact_email", "Saisissez une adresse e-mail valide"),
            ({"level": ""}, "level", "Choisissez un périmètre."),
            ({"level": "departement", "department": ""}, "department", "Choisissez le département du partenaire."),
            ({"level": "region", "department": ""}, "region", "Choisissez la région du partenaire."),
            ({"department": "XX"}, "department", "Choisissez un département de la liste."),
            ({"rights": []}, "rights", "Cochez au moins un droit."),
            ({"rights": ["tout"]}, "rights", "Choix inconnu"),
            ({"rate_limit": "0"}, "rate_limit", "supérieur ou égal à 1"),
            ({"rate_limit": "beaucoup"}, "rate_limit", "Saisissez un nombre entier."),
            ({"valid_from": "2021-01-01"}, "valid_from", "Choisissez aujourd'hui ou une date à venir."),
            ({"valid_from": "31/02/2027"}, "valid_from", "Saisissez une date valide."),
            ({"expires_on": "9999-01-01"}, "expires_on", "Choisissez une date entre"),
        ],
    )
    def test_it_refuses_bad_input_in_french_next_to_the_field_keeping_the_rest(
        self, client, national_admin, lyon, changes, field, message
    ):
        client.force_login(national_admin)
        response = client.post(CREATE, form_data(**changes))
        assert response.status_code == 400
        assert message in " ".join(response.context["form"].errors[field])
        assert "Le formulaire contient des erreurs" in response.text
        assert 'value="Observatoire du numérique de la Métropole de Lyon"' in response.text or field == "name"
        assert ApiToken.objects.count() == 0

    def test_it_refuses_an_end_before_the_start_and_a_validity_over_three_years(self, client, national_admin, lyon):
        client.force_login(national_admin)
        today = timezone.localdate()
        before = client.post(CREATE, form_data(valid_from=(today + timedelta(days=5)).isoformat(), expires_on=today))
        assert "postérieure au début de validité" in before.context["form"].errors["expires_on"][0]
        too_long = client.post(CREATE, form_data(expires_on=(today + timedelta(days=3 * 366)).isoformat()))
        assert "3 ans après le début de validité" in too_long.context["form"].errors["expires_on"][0]
        assert ApiToken.objects.count() == 0

    def test_the_level_decides_which_territory_is_kept(self, client, national_admin, lyon):
        region("84")
        client.force_login(national_admin)
        client.post(CREATE, form_data(level="region", region="84", department="69"))
        client.post(CREATE, form_data(level="national", region="84", department="69"))
        regional, national = ApiToken.objects.order_by("pk")
        assert (regional.region_id, regional.department_id) == ("84", None)
        assert (national.region_id, national.department_id) == (None, None)

    def test_a_token_dated_in_the_future_is_created_scheduled(self, client, national_admin, lyon):
        client.force_login(national_admin)
        start = timezone.localdate() + timedelta(days=30)
        client.post(
            CREATE, form_data(valid_from=start.isoformat(), expires_on=(start + timedelta(days=30)).isoformat())
        )
        assert ApiToken.objects.get().status() == "scheduled"


class TestRevocation:
    def test_it_asks_for_confirmation_then_revokes_at_once_with_the_reason(self, client, national_admin):
        token, secret = make_token()
        assert client.get("/api/partenaires/lieux/", headers=bearer(secret)).status_code == 200
        client.force_login(national_admin)
        confirm = client.get(f"{LIST}{token.pk}/revoquer/")
        assert confirm.status_code == 200
        assert "sera refusé" in confirm.text and "dès maintenant" in confirm.text
        token.refresh_from_db()
        assert token.revoked_at is None
        response = client.post(f"{LIST}{token.pk}/revoquer/", {"reason": "Fin de la convention de partage"})
        assert response.status_code == 302
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert (token.revoked_by, token.revocation_reason) == (national_admin, "Fin de la convention de partage")
        event = AuditEvent.objects.get(action=AuditAction.API_TOKEN_REVOKED)
        assert event.details == {"prefixe": token.prefix, "motif": "Fin de la convention de partage"}
        refused = client.get("/api/partenaires/lieux/", headers=bearer(secret))
        assert refused.status_code == 401
        assert "révoqué" in str(refused.json())
        detail = client.get(response["Location"])
        assert "Fin de la convention de partage" in detail.text and "Révoquer ce jeton" not in detail.text

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_it_requires_a_reason(self, client, national_admin, reason):
        token, _ = make_token()
        client.force_login(national_admin)
        response = client.post(f"{LIST}{token.pk}/revoquer/", {"reason": reason})
        assert response.status_code == 400
        assert "Indiquez le motif de la révocation." in response.text
        token.refresh_from_db()
        assert token.revoked_at is None

    def test_revoking_twice_changes_nothing(self, client, national_admin):
        token, _ = make_token()
        client.force_login(national_admin)
        client.post(f"{LIST}{token.pk}/revoquer/", {"reason": "Jeton exposé"})
        first = ApiToken.objects.get().revoked_at
        response = client.post(f"{LIST}{token.pk}/revoquer/", {"reason": "Encore"})
        assert response.status_code == 302
        token.refresh_from_db()
        assert (token.revoked_at, token.revocation_reason) == (first, "Jeton exposé")
        assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_REVOKED).count() == 1


class TestCallsLog:
    def test_it_shows_the_tokens_calls_paginated_and_filtered_by_status(self, client, national_admin):
        token, _ = make_token()
        other, _ = make_token(name="Autre")
        now = timezone.now()
        calls = [
            ApiCall(
                token=token,
                prefix=token.prefix,
                method="GET",
                path="/api/partenaires/lieux/",
                query_string=f"offset={index}",
                status=429 if index % 10 == 0 else 200,
                duration_ms=12,
                client_ip="192.0.2.10",
                at=now - timedelta(seconds=index),
            )
            for index in range(60)
        ]
        ApiCall.objects.bulk_create(calls)
        ApiCall.objects.create(token=other, prefix=other.prefix, method="GET", path="/x/", status=200, duration_ms=1)
        client.force_login(national_admin)
        page = client.get(f"{LIST}{token.pk}/")
        assert page.status_code == 200
        assert "60 appels, les plus récents d'abord" in page.text
        assert page.context["page"].paginator.num_pages == 2
        assert "offset=0" in page.text and "/x/" not in page.text
        refused = client.get(f"{LIST}{token.pk}/?statut=429")
        assert refused.context["page"].paginator.count == 6
        succeeded = client.get(f"{LIST}{token.pk}/?statut=2xx")
        assert succeeded.context["page"].paginator.count == 54
        bad = client.get(f"{LIST}{token.pk}/?statut=999")
        assert bad.status_code == 400
        assert "Choisissez un statut de la liste." in bad.text

    def test_it_shows_who_created_the_token_and_the_contact_to_the_national_team(self, client, national_admin):
        token, _ = make_token(created_by=national_admin)
        client.force_login(national_admin)
        text = client.get(f"{LIST}{token.pk}/").text
        assert "technique@partenaire.test" in text
        assert "Contact technique (équipe nationale seulement)" in text
        assert national_admin.email in text or national_admin.get_full_name() in text
