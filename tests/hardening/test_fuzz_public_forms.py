"""Hostile input on every public form: never a 500; a refused form re-renders with the French DSFR error summary and
stores nothing. Examples per test: the hypothesis profile (`ci` by default, `HYPOTHESIS_PROFILE=thorough`)."""

import datetime
from urllib.parse import quote_from_bytes

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.hardening.fuzz import ERROR_SUMMARY, SPECIALS, get_query, hostile_text, maybe, post_form, text_of
from tests.hardening.world import bogus_token, manage_token
from workflows import tokens
from workflows.models import AdvisorApplication, StructureApplication

pytestmark = [
    pytest.mark.django_db,
    # The fuzzer is one client posting hundreds of times: the abuse limits and the lock-out have their own tests.
    pytest.mark.usefixtures("_no_throttling"),
]


@pytest.fixture
def _no_throttling():
    unlimited = dict.fromkeys(
        (
            "APPLICATION_RATE_LIMIT_PER_HOUR",
            "APPLICATION_IP_LIMIT_PER_HOUR",
            "PASSWORD_RESET_LIMIT_PER_HOUR",
            "PASSWORD_RESET_IP_LIMIT_PER_HOUR",
        ),
        10**9,
    )
    with override_settings(AXES_ENABLED=False, **unlimited):
        yield


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def structure_fields():
    return st.fixed_dictionaries(
        {
            "siret": maybe("73282932000074"),
            "name": maybe("Centre social Les Amandiers"),
            "type": maybe("privee"),
            "address": maybe("12 rue des Amandiers"),
            "commune_query": maybe("Paris"),
            "commune_code": maybe(""),
            "contact_first_name": maybe("Nadia"),
            "contact_last_name": maybe("Haddad"),
            "contact_function": maybe("Directrice"),
            "contact_email": maybe("nadia@amandiers.test"),
            "contact_phone": maybe("0123456789"),
            "advisors_wanted": maybe("2"),
            "start_date": maybe(in_days(10)),
            "candidate_identified": maybe("non"),
            "motivation": maybe("Nous accompagnons déjà 200 familles par an.", max_size=3000),
            "engagement": maybe("on"),
        }
    )


def candidate_fields():
    return st.fixed_dictionaries(
        {
            "first_name": maybe("Inès"),
            "last_name": maybe("Traoré"),
            "email": maybe("ines.traore@perso.test"),
            "phone": maybe(""),
            "commune_query": maybe("Marseille"),
            "commune_code": maybe(""),
            "situations": st.one_of(
                st.just(["is_job_seeker"]), st.lists(hostile_text(20), max_size=4), hostile_text(20)
            ),
            "diploma_name": maybe(""),
            "has_experience": maybe("non"),
            "available_from": maybe(in_days(0)),
            "max_distance_km": maybe("20"),
            "motivation": maybe("Je veux aider les habitants de mon quartier.", max_size=3000),
        }
    )


def assert_refused_or_accepted(response, *, before: int, after: int, thanks: str):
    """200/400 re-render with the summary and nothing stored, or 302 to the thanks page with one row more."""
    assert response.status_code != 500
    if response.status_code == 302:
        assert response.url == thanks
        assert after in (before, before + 1)  # +0 when the honeypot silently dropped a bot
        return
    assert response.status_code == 400, response.status_code
    assert ERROR_SUMMARY in text_of(response)
    assert after == before, "a refused submission stored a row"


class TestStructureApplicationForm:
    @given(data=structure_fields(), website=st.sampled_from(["", "", "", "http://spam.example"]))
    def test_it_never_fails_and_stores_nothing_it_refuses(self, world, client, data, website):
        before = StructureApplication.objects.count()
        response = post_form(client, "/candidature/structure/", {**data, "website": website})
        after = StructureApplication.objects.count()
        if website:
            assert response.status_code == 302 and after == before
        assert_refused_or_accepted(response, before=before, after=after, thanks="/candidature/structure/merci/")

    def test_a_refused_form_keeps_what_was_typed(self, world, client):
        response = post_form(client, "/candidature/structure/", {"name": "Centre <b>Amandiers</b>", "siret": "12"})
        page = text_of(response)
        assert response.status_code == 400 and ERROR_SUMMARY in page
        assert 'value="Centre &lt;b&gt;Amandiers&lt;/b&gt;"' in page
        assert "<b>Amandiers</b>" not in page


class TestCandidateForm:
    @given(data=candidate_fields())
    def test_it_never_fails_and_stores_nothing_it_refuses(self, world, client, data):
        before = AdvisorApplication.objects.count()
        response = post_form(client, "/candidature/conseiller/", {**data, "website": ""})
        after = AdvisorApplication.objects.count()
        assert_refused_or_accepted(response, before=before, after=after, thanks="/candidature/conseiller/merci/")


SIGNED_LINKS = [
    ("structure/confirmer", tokens.CONFIRM_STRUCTURE),
    ("structure/suivre", tokens.MANAGE_STRUCTURE),
    ("conseiller/confirmer", tokens.CONFIRM_CANDIDATE),
    ("conseiller/gerer", tokens.MANAGE_CANDIDATE),
]


def token_strategy():
    """Forged, truncated, re-signed-for-another-purpose or garbage tokens (path-safe: slashes would change route)."""
    garbage = hostile_text(80).map(lambda value: value.replace("/", "") or "x")
    wrong_purpose = st.sampled_from(SIGNED_LINKS).map(lambda link: manage_token(link[1], 1))
    return st.one_of(garbage, wrong_purpose, st.just(bogus_token()), st.integers().map(str))


class TestSignedLinks:
    @given(link=st.sampled_from(SIGNED_LINKS), token=token_strategy(), action=hostile_text(20))
    def test_a_forged_link_answers_a_clear_400_never_a_500(self, world, client, link, token, action):
        route, purpose = link
        if token == manage_token(purpose, 1):
            return  # by chance a valid token: not a forged one
        path = f"/candidature/{route}/{quote_from_bytes(token.encode('utf-8', 'surrogatepass'), safe='')}/"
        counts = (StructureApplication.objects.count(), AdvisorApplication.objects.count())
        for response in (client.get(path), post_form(client, path, {"action": action})):
            assert response.status_code in (400, 404, 405), (path, response.status_code)
            if response.status_code == 400:
                assert "Ce lien n'est pas valide" in text_of(response) or "Requête incorrecte" in text_of(response)
        assert (StructureApplication.objects.count(), AdvisorApplication.objects.count()) == counts

    @given(
        name=st.sampled_from(["mes-donnees.json", "mon-cv.pdf"]),
        token=token_strategy(),
    )
    def test_a_forged_download_link_answers_400_and_logs_nothing(self, world, client, name, token):
        from accounts.models import AuditEvent

        if token == manage_token(tokens.MANAGE_CANDIDATE, 1):
            return
        events = AuditEvent.objects.count()
        path = (
            f"/candidature/conseiller/gerer/{quote_from_bytes(token.encode('utf-8', 'surrogatepass'), safe='')}/{name}"
        )
        response = client.get(path)
        assert response.status_code in (400, 404), (path, response.status_code)
        assert AuditEvent.objects.count() == events

    @given(action=hostile_text(30))
    def test_an_unknown_action_on_a_valid_link_changes_nothing(self, world, client, action):
        candidate = world.own.candidate
        status = AdvisorApplication.objects.get(pk=candidate.pk).status
        path = f"/candidature/conseiller/gerer/{manage_token(tokens.MANAGE_CANDIDATE, candidate.pk)}/"
        response = post_form(client, path, {"action": action})
        assert response.status_code == 200
        if action not in ("withdraw", "erase"):
            assert AdvisorApplication.objects.get(pk=candidate.pk).status == status


class TestLogin:
    @given(username=hostile_text(), password=hostile_text())
    def test_bad_credentials_re_render_in_french_and_log_nobody_in(self, world, client, username, password):
        response = post_form(client, "/connexion/", {"username": username, "password": password})
        assert response.status_code == 200, response.status_code
        page = text_of(response)
        assert ERROR_SUMMARY in page
        assert SESSION_KEY not in client.session

    @given(email=hostile_text())
    def test_the_password_reset_form_never_fails(self, world, client, email):
        response = post_form(client, "/connexion/mot-de-passe-oublie/", {"email": email})
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert ERROR_SUMMARY in text_of(response)


class TestPublicSearches:
    @given(q=hostile_text(), limit=maybe("10"))
    def test_the_commune_search_answers_json_or_a_french_400(self, world, client, q, limit):
        response = get_query(client, "/territoires/communes/", {"q": q, "limit": limit})
        assert response.status_code in (200, 400), response.status_code
        assert response["Content-Type"].startswith("application/json")
        if response.status_code == 400:
            assert response.json()["error"]

    @given(q=hostile_text(), commune=maybe("75111"), rayon=maybe("10"), page=maybe("1"))
    def test_find_an_advisor_never_fails(self, world, client, q, commune, rayon, page):
        params = {"q": q, "commune": commune, "rayon": rayon, "page": page}
        response = get_query(client, "/trouver-un-conseiller/", params)
        assert response.status_code in (200, 400, 404), response.status_code
        if response.status_code == 404:  # a well-formed commune code that does not exist
            assert "existe pas" in text_of(response)

    @given(
        q=hostile_text(),
        type_=maybe("guide"),
        thematique=st.lists(maybe("securite-numerique"), max_size=3),
        public=maybe(""),
        tag=maybe(""),
        page=maybe("1"),
    )
    def test_the_resource_library_filters_never_fail(self, world, client, q, type_, thematique, public, tag, page):
        params = {"q": q, "type": type_, "thematique": thematique, "public": public, "tag": tag, "page": page}
        response = get_query(client, "/ressources/", params)
        assert response.status_code in (200, 400), response.status_code

    @given(thematique=hostile_text(), page=hostile_text())
    def test_the_news_filters_never_fail(self, world, client, thematique, page):
        response = get_query(client, "/actualites/", {"thematique": thematique, "page": page})
        assert response.status_code in (200, 400), response.status_code


def test_the_specials_include_the_classics():
    """The hand-picked list keeps its NUL byte, surrogate, SQL and HTML entries (they found bugs elsewhere)."""
    assert {"\x00", "\ud800", "' OR '1'='1' --", "<script>alert(1)</script>"} <= set(SPECIALS)
