"""Tag pages (Coop and pilotage), tags on the CRA form, the tag filter of « Mes activités » and the exports' column."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting import services
from reporting.models import Activity, Tag
from tests.reporting.factories import ActivityFactory
from tests.reporting.factories_tags import TagFactory
from tests.territories.factories import department


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def tags(paris_advisor, marseille_advisor):
    """Camille's personal tag, another advisor's, Paris's and Marseille's departmental tags, a national tag."""
    return {
        "mine": TagFactory(personal=True, owner=paris_advisor, name="Ma permanence"),
        "theirs": TagFactory(personal=True, owner=marseille_advisor, name="Secret de Marseille"),
        "paris": TagFactory(departmental=True, name="Paris numérique"),
        "marseille": TagFactory(departmental=True, department=department("13"), name="Provence connectée"),
        "national": TagFactory(name="France Services"),
    }


def tag_on(activity, *tags):
    services.activity_update(activity=activity, values={}, tags=list(tags))
    return activity


class TestCoopTagList:
    def test_it_shows_my_tags_and_the_shared_ones_i_may_use_with_my_uses(
        self, client, advisor_user, paris_advisor, marseille_advisor, tags
    ):
        tag_on(ActivityFactory(advisor=paris_advisor), tags["mine"], tags["national"])
        tag_on(ActivityFactory(advisor=marseille_advisor), tags["national"])
        client.force_login(advisor_user)
        response = client.get(reverse("coop:tag_list"))
        assert response.status_code == 200
        assert [tag.name for tag in response.context["personal"]] == ["Ma permanence"]
        shared = {tag.name: tag.uses for tag in response.context["shared"]}
        assert shared == {"France Services": 1, "Paris numérique": 0}  # my uses only
        assert "Secret de Marseille" not in response.text and "Provence connectée" not in response.text

    def test_the_menu_offers_it(self, client, advisor_user):
        client.force_login(advisor_user)
        assert reverse("coop:tag_list") in client.get(reverse("coop:home")).text

    def test_other_roles_are_refused(self, client, prefecture_paris):
        client.force_login(prefecture_paris)
        assert client.get(reverse("coop:tag_list")).status_code == 403


class TestCoopTagChanges:
    def test_it_creates_a_personal_tag(self, client, advisor_user, paris_advisor):
        client.force_login(advisor_user)
        response = client.post(reverse("coop:tag_create"), {"name": "Atelier CAF", "scope": "personnel"})
        assert response.status_code == 302
        assert Tag.objects.get(name="Atelier CAF").owner == paris_advisor

    def test_bad_input_keeps_what_was_typed_with_a_french_error(self, client, advisor_user, tags):
        client.force_login(advisor_user)
        response = client.post(
            reverse("coop:tag_create"), {"name": "ma  PERMANENCE", "description": "Le mardi", "scope": "personnel"}
        )
        assert response.status_code == 400
        assert "existe déjà" in response.text and "Le mardi" in response.text
        assert Tag.objects.filter(scope="personnel", owner__user=advisor_user).count() == 1

    def test_a_forged_scope_creates_nothing(self, client, advisor_user):
        client.force_login(advisor_user)
        response = client.post(reverse("coop:tag_create"), {"name": "Nationale", "scope": "national"})
        assert response.status_code == 400 and not Tag.objects.exists()
        assert "Vous ne pouvez pas créer ce type" in response.text

    def test_it_renames_archives_and_merges_my_tags(self, client, advisor_user, paris_advisor, tags):
        other = TagFactory(personal=True, owner=paris_advisor, name="Doublon")
        activity = tag_on(ActivityFactory(advisor=paris_advisor), other)
        client.force_login(advisor_user)
        assert client.post(reverse("coop:tag_edit", args=[tags["mine"].pk]), {"name": "Permanence"}).status_code == 302
        merge = reverse("coop:tag_merge", args=[other.pk])
        assert tags["national"].name not in client.get(merge).text  # not mine to manage
        assert client.post(merge, {"target": tags["mine"].pk}).status_code == 302
        assert list(activity.tags.values_list("name", flat=True)) == ["Permanence"]
        assert client.post(reverse("coop:tag_archive", args=[tags["mine"].pk])).status_code == 302
        tags["mine"].refresh_from_db()
        assert tags["mine"].archived_at is not None

    @pytest.mark.parametrize("name", ["theirs", "national", "paris", "marseille"])
    def test_a_tag_i_do_not_manage_answers_404(self, client, advisor_user, tags, name):
        client.force_login(advisor_user)
        for view in ("coop:tag_edit", "coop:tag_archive", "coop:tag_merge"):
            assert client.get(reverse(view, args=[tags[name].pk])).status_code == 404
            assert client.post(reverse(view, args=[tags[name].pk]), {"name": "x"}).status_code == 404

    def test_a_coordinator_creates_a_tag_for_the_department_she_coordinates(self, client, coordinator_user):
        coordinator_user.active_membership.advisor.coordination_departments.add(department("75"))
        client.force_login(coordinator_user)
        data = {"name": "Pass numérique", "scope": "departemental", "department": "75"}
        assert client.post(reverse("coop:tag_create"), data).status_code == 302
        response = client.post(reverse("coop:tag_create"), {**data, "department": department("13").pk})
        assert response.status_code == 400 and Tag.objects.count() == 1


class TestPilotageTagPages:
    def test_a_prefecture_sees_its_department_and_national_tags_with_territory_uses(
        self, client, prefecture_paris, paris_advisor, marseille_advisor, tags
    ):
        tag_on(ActivityFactory(advisor=paris_advisor), tags["national"], tags["mine"])
        tag_on(ActivityFactory(advisor=marseille_advisor), tags["national"])
        client.force_login(prefecture_paris)
        response = client.get(reverse("pilotage:tag_list"))
        assert response.status_code == 200
        assert {tag.name: tag.uses for tag in response.context["shared"]} == {
            "France Services": 1,
            "Paris numérique": 0,
        }
        for hidden in ("Ma permanence", "Secret de Marseille", "Provence connectée"):
            assert hidden not in response.text

    def test_the_prefecture_of_13_cannot_manage_the_tags_of_75(self, client, prefecture_marseille, tags):
        client.force_login(prefecture_marseille)
        for view in ("pilotage:tag_edit", "pilotage:tag_archive", "pilotage:tag_merge"):
            assert client.get(reverse(view, args=[tags["paris"].pk])).status_code == 404
            assert client.post(reverse(view, args=[tags["paris"].pk]), {"name": "Prise"}).status_code == 404
        assert Tag.objects.get(pk=tags["paris"].pk).name == "Paris numérique"

    def test_a_prefecture_creates_and_renames_its_department_tags(self, client, prefecture_paris, tags):
        client.force_login(prefecture_paris)
        data = {"name": "Quartiers d'été", "scope": "departemental", "department": "75"}
        assert client.post(reverse("pilotage:tag_create"), data).status_code == 302
        edit = reverse("pilotage:tag_edit", args=[tags["paris"].pk])
        assert client.post(edit, {"name": "Paris connecté"}).status_code == 302
        assert Tag.objects.filter(name__in=["Quartiers d'été", "Paris connecté"], department="75").count() == 2

    def test_the_national_team_manages_national_tags(self, client, national_admin, tags):
        client.force_login(national_admin)
        assert client.post(reverse("pilotage:tag_archive", args=[tags["national"].pk])).status_code == 302
        response = client.get(reverse("pilotage:tag_list"))
        assert {tag.name for tag in response.context["shared"]} == {"Paris numérique", "Provence connectée"}
        assert "Secret de Marseille" not in response.text

    @pytest.mark.parametrize("persona", ["advisor_user", "structure_manager", "hub_agent", "coordinator_user"])
    def test_other_roles_are_refused(self, client, request, persona):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(reverse("pilotage:tag_list")).status_code == 403


class TestTagsOnTheActivityForm:
    def test_it_offers_only_the_tags_i_may_use_grouped_by_scope(self, client, advisor_user, tags):
        client.force_login(advisor_user)
        response = client.get(reverse("coop:activity_create"))
        offered = {str(tag) for tag in response.context["form"].fields["tags"].queryset}
        assert offered == {"Ma permanence", "Paris numérique", "France Services"}
        for group in ("Personnel", "Départemental", "National"):
            assert f">{group}</legend>" in response.text
        assert "Provence connectée" not in response.text and "Secret de Marseille" not in response.text

    def test_the_panel_is_collapsed_when_i_have_no_tag_of_my_own(self, client, advisor_user, tags):
        tags["mine"].delete()
        client.force_login(advisor_user)
        response = client.get(reverse("coop:activity_create"))
        assert 'aria-expanded="false" aria-controls="etiquettes-panel"' in response.text

    def test_it_saves_the_tags_ticked(self, client, advisor_user, individual_post, tags):
        client.force_login(advisor_user)
        data = individual_post(tags=[tags["mine"].pk, tags["paris"].pk])
        assert client.post(reverse("coop:activity_create"), data).status_code == 302
        assert set(Activity.objects.get().tags.all()) == {tags["mine"], tags["paris"]}

    @pytest.mark.parametrize("name", ["marseille", "theirs"])
    def test_a_tag_from_elsewhere_is_refused_and_nothing_typed_is_lost(
        self, client, advisor_user, individual_post, tags, name
    ):
        client.force_login(advisor_user)
        data = individual_post(tags=[tags[name].pk], notes="Rappeler mardi")
        response = client.post(reverse("coop:activity_create"), data)
        assert response.status_code == 200 and not Activity.objects.exists()
        assert "étiquette choisie" in response.text and "Rappeler mardi" in response.text

    def test_editing_shows_the_tags_and_keeps_an_archived_one(self, client, advisor_user, paris_advisor, tags):
        activity = tag_on(ActivityFactory(advisor=paris_advisor), tags["mine"], tags["national"])
        Tag.objects.filter(pk=tags["mine"].pk).update(archived_at=timezone.now())
        client.force_login(advisor_user)
        url = reverse("coop:activity_edit", args=[activity.pk])
        form = client.get(url).context["form"]
        assert form.initial["tags"] and tags["national"].pk in form.initial["tags"]
        data = {**_post_of(form), "tags": [tags["paris"].pk]}
        assert client.post(url, data).status_code == 302
        assert set(activity.tags.all()) == {tags["mine"], tags["paris"]}  # archived kept, national unticked

    def test_duplicating_keeps_the_tags(self, client, advisor_user, paris_advisor, tags):
        source = tag_on(ActivityFactory(advisor=paris_advisor), tags["paris"])
        client.force_login(advisor_user)
        response = client.get(reverse("coop:activity_duplicate", args=[source.pk]))
        assert response.context["form"].initial["tags"] == [tags["paris"].pk]
        assert f'value="{tags["paris"].pk}"' in response.text and "checked" in response.text


def _post_of(form) -> dict:
    """The POST data of an unbound activity form, from its initial values."""
    data = {}
    for name, value in form.initial.items():
        if value is None or name == "tags":
            continue
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data.update(gender="feminin", age="soixante_dix_plus", status="retraite", redirected="non")
    return data


class TestActivityListByTag:
    def test_it_filters_my_activities_by_tag(self, client, advisor_user, paris_advisor, tags):
        tagged = tag_on(ActivityFactory(advisor=paris_advisor), tags["mine"])
        ActivityFactory(advisor=paris_advisor)
        client.force_login(advisor_user)
        response = client.get(reverse("coop:activity_list"), {"tag": tags["mine"].pk})
        assert [activity.pk for activity in response.context["page"]] == [tagged.pk]

    @pytest.mark.parametrize("value", ["theirs", "unknown", "text"])
    def test_a_foreign_or_unknown_tag_is_ignored_with_a_message(
        self, client, advisor_user, paris_advisor, tags, value
    ):
        ActivityFactory(advisor=paris_advisor)
        ActivityFactory(advisor=paris_advisor)
        raw = {"theirs": tags["theirs"].pk, "unknown": 999999, "text": "abc"}[value]
        client.force_login(advisor_user)
        response = client.get(reverse("coop:activity_list"), {"tag": raw, "kind": "individuel"})
        assert response.status_code == 200 and response.context["page"].paginator.count == 2
        assert "ce filtre a été ignoré" in response.text

    def test_my_export_has_an_etiquettes_column(self, client, advisor_user, paris_advisor, tags):
        tag_on(ActivityFactory(advisor=paris_advisor), tags["mine"], tags["national"])
        client.force_login(advisor_user)
        rows = csv_rows(client.get(reverse("coop:activity_export", args=["csv"])))
        assert rows[1][rows[0].index("Étiquettes")] == "France Services, Ma permanence"

    def test_the_team_export_leaves_out_personal_tags(self, client, coordinator_user, paris_advisor, tags):
        tag_on(ActivityFactory(advisor=paris_advisor), tags["mine"], tags["paris"])
        client.force_login(coordinator_user)
        rows = csv_rows(client.get(reverse("coop:team_export", args=["csv"]), {"tag": tags["paris"].pk}))
        assert len(rows) == 2 and rows[1][rows[0].index("Étiquettes")] == "Paris numérique"
        assert "Ma permanence" not in "".join(";".join(row) for row in rows)
