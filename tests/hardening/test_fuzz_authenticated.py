"""Hostile input on the forms that matter behind the login: activity reports, places, workflow decisions, end of
contract, training import, and the filters of every list. Never a 500; a refused form stores nothing.

Each example runs in a savepoint rolled back at its end, so that an accepted submission (a closed task, a new report)
does not change what the next example meets. Fewer examples than the public forms: these pages are heavier.
"""

import uuid
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.models import Activity
from tests.hardening.fuzz import ERROR_SUMMARY, get_query, hostile_text, maybe, post_form, text_of
from workflows.models import Decision, Rupture

pytestmark = pytest.mark.django_db

EXAMPLES = max(25, settings.default.max_examples // 3)


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def logged_in(client, world, persona: str):
    client.force_login(world.users[persona])
    return client


def assert_form_outcome(response, *, stored_before: int, stored_after: int):
    """302 (accepted or "déjà traité"), or a re-render (400; 200 in the Espace Coop) with the error summary and
    nothing stored."""
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code != 302:
        assert ERROR_SUMMARY in text_of(response)
        assert stored_after == stored_before, "a refused submission stored a row"


def activity_fields(world):
    place = str(world.own.place.pk)
    return st.fixed_dictionaries(
        {
            "token": st.one_of(st.just(str(uuid.uuid4())), st.uuids().map(str), hostile_text()),
            "date": maybe("2026-01-15"),
            "duration": maybe("45"),
            "duration_hours": maybe(""),
            "duration_minutes": maybe(""),
            "place_type": maybe("lieu_activite"),
            "place": st.one_of(st.just(place), hostile_text(), st.just(str(world.other.place.pk))),
            "commune": maybe(""),
            "themes": st.one_of(st.just(["email"]), st.lists(hostile_text(30), max_size=3)),
            "procedures": st.lists(maybe("social_sante"), max_size=2),
            "materials": st.lists(maybe("ordinateur"), max_size=2),
            "gender": maybe("feminin"),
            "age": maybe("soixante_dix_plus"),
            "status": maybe("retraite"),
            "redirected": maybe("non"),
            "title": maybe("Découvrir la tablette"),
            "level": maybe("debutant"),
            "participants": maybe("10"),
            "already_accompanied": maybe("3"),
            "gender_feminin": maybe("6"),
            "age_soixante_dix_plus": maybe("4"),
            "notes": hostile_text(3000),
        }
    )


class TestActivityReports:
    @settings(max_examples=EXAMPLES)
    @given(data=st.data(), kind=st.sampled_from(["individuel", "collectif"]))
    def test_the_report_form_refuses_bad_input_and_stores_nothing(self, world, client, data, kind):
        fields = data.draw(activity_fields(world))
        logged_in(client, world, "advisor")
        with rolled_back():
            before = Activity.objects.count()
            elsewhere = Activity.objects.filter(place=world.other.place).count()
            response = post_form(client, f"/coop/activites/nouvelle/?type={kind}", fields)
            assert_form_outcome(response, stored_before=before, stored_after=Activity.objects.count())
            # Accepted or not, never a report at another advisor's place (Marseille).
            assert Activity.objects.filter(place=world.other.place).count() == elsewhere

    @settings(max_examples=EXAMPLES)
    @given(
        params=st.fixed_dictionaries(
            {},
            optional={
                "start": maybe("2026-01-01"),
                "end": maybe("2026-12-31"),
                "kind": maybe("individuel"),
                "theme": maybe("email"),
                "place_type": maybe("a_distance"),
                "place": hostile_text(),
                "periode": hostile_text(),
                "conseiller": hostile_text(),
                "page": hostile_text(),
            },
        ),
        path=st.sampled_from(
            ["/coop/activites/", "/coop/statistiques/", "/coop/equipe/", "/coop/equipe/statistiques/"]
        ),
    )
    def test_the_coop_lists_and_statistics_filters_never_fail(self, world, client, params, path):
        logged_in(client, world, "coordinator")
        response = get_query(client, path, params)
        assert response.status_code in (200, 400, 404), response.status_code


class TestPlaces:
    @settings(max_examples=EXAMPLES)
    @given(
        fields=st.fixed_dictionaries(
            {
                "name": maybe("Médiathèque Marguerite Duras"),
                "address": maybe("115 rue de Bagnolet"),
                "postal_code": maybe("75020"),
                "commune": maybe("Paris"),
                "latitude": maybe(""),
                "longitude": maybe(""),
                "access_types": st.lists(maybe("libre"), max_size=3),
                "itinerant": maybe(""),
                "is_public": maybe("on"),
                "phone": maybe(""),
                "email": maybe(""),
                "website": maybe(""),
                "hours_lundi_matin_start": maybe("09:00"),
                "hours_lundi_matin_end": maybe("12:00"),
            }
        )
    )
    def test_the_place_form_refuses_bad_input_and_stores_nothing(self, world, client, fields):
        from directory.models import Place

        logged_in(client, world, "advisor")
        with rolled_back():
            before = Place.objects.count()
            response = post_form(client, "/coop/lieux/nouveau/", fields)
            assert_form_outcome(response, stored_before=before, stored_after=Place.objects.count())


class TestDecisions:
    @settings(max_examples=EXAMPLES)
    @given(opinion=maybe("favorable"), comment=maybe("Le besoin est réel et la structure est solide.", 1200))
    def test_the_prefecture_opinion_refuses_bad_input(self, world, client, opinion, comment):
        logged_in(client, world, "prefecture")
        item = world.own.application_item
        with rolled_back():
            before = Decision.objects.count()
            response = post_form(
                client, f"/espace/taches/{item.pk}/decision/", {"opinion": opinion, "internal_note": comment}
            )
            assert_form_outcome(response, stored_before=before, stored_after=Decision.objects.count())

    @settings(max_examples=EXAMPLES)
    @given(
        fields=st.fixed_dictionaries(
            {
                "contract_type": maybe("cdd"),
                "contract_start": maybe("2099-01-01"),
                "contract_end": maybe("2100-12-31"),
                "salary": maybe("2100"),
                "is_coordinator_post": maybe(""),
                "message_to_applicant": hostile_text(1200),
            }
        )
    )
    def test_the_contract_proposal_refuses_bad_input(self, world, client, fields):
        logged_in(client, world, "structure")
        item = world.own.recruitment_item
        with rolled_back():
            before = Decision.objects.count()
            response = post_form(client, f"/espace/taches/{item.pk}/decision/", fields)
            assert_form_outcome(response, stored_before=before, stored_after=Decision.objects.count())

    @settings(max_examples=EXAMPLES)
    @given(end_date=maybe("2099-01-01"), motive=maybe("demission"), comment=hostile_text(1200))
    def test_the_end_of_contract_notice_refuses_bad_input(self, world, client, end_date, motive, comment):
        logged_in(client, world, "structure")
        advisor = world.own.advisor
        with rolled_back():
            before = Rupture.objects.count()
            response = post_form(
                client,
                f"/espace/conseillers/{advisor.pk}/fin-de-contrat/",
                {"end_date": end_date, "motive": motive, "comment": comment},
            )
            assert_form_outcome(response, stored_before=before, stored_after=Rupture.objects.count())

    @settings(max_examples=EXAMPLES)
    @given(content=st.one_of(st.binary(max_size=2000), hostile_text(500).map(lambda t: t.encode("utf-8", "replace"))))
    def test_the_training_import_never_fails(self, world, client, content):
        logged_in(client, world, "hub")
        with rolled_back():
            upload = SimpleUploadedFile("formation.csv", b"email;date_debut;date_fin;terminee;certifie\n" + content)
            response = client.post("/espace/formation/import/", {"file": upload})
            assert response.status_code in (200, 302, 400), response.status_code


class TestAgentListFilters:
    @settings(max_examples=EXAMPLES)
    @given(
        params=st.fixed_dictionaries(
            {},
            optional={
                "q": hostile_text(200),
                "step": maybe("structure_avis_prefecture"),
                "status": hostile_text(),
                "department": maybe("75"),
                "deadline": hostile_text(),
                "created_after": maybe("2026-01-01"),
                "created_before": maybe("2026-12-31"),
                "type": hostile_text(),
                "is_coordinator": hostile_text(),
                "distance": maybe("20"),
                "available_by": maybe("2026-12-31"),
                "diploma": maybe("oui"),
                "experience": maybe("non"),
                "page": hostile_text(),
            },
        ),
        target=st.sampled_from(
            [
                ("national", "/espace/a-traiter/"),
                ("prefecture", "/espace/mes-taches/"),
                ("hub", "/espace/dossiers/"),
                ("structure", "/espace/recruter/"),
                ("prefecture", "/annuaire/structures/"),
                ("hub", "/annuaire/conseillers/"),
                ("national", "/gestion/utilisateurs/"),
                ("national", "/gestion/journal/"),
                ("prefecture", "/pilotage/"),
                ("national", "/pilotage/territoires/"),
                ("hub", "/pilotage/exports/"),
            ]
        ),
        pilotage=st.fixed_dictionaries(
            {},
            optional={
                "region": maybe("11"),
                "departement": maybe("75"),
                "structure": hostile_text(),
                "conseiller": hostile_text(),
                "type_structure": hostile_text(),
                "debut": maybe("2026-01-01"),
                "fin": maybe("2026-12-31"),
                "par": hostile_text(),
                "tri": hostile_text(),
                "ordre": hostile_text(),
            },
        ),
    )
    def test_every_list_filter_never_fails(self, world, client, params, target, pilotage):
        persona, path = target
        logged_in(client, world, persona)
        response = get_query(client, path, {**params, **pilotage} if path.startswith("/pilotage/") else params)
        # 404: a pilotage territory outside the user's scope (or unknown).
        assert response.status_code in (200, 400, 404), (path, response.status_code)
