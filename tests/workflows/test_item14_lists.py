"""Issue 14, lists: sorting, filters, saved views, "nouveau" markers, exports of the filtered rows, query budgets."""

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import roles
from accounts.models import Membership
from tests.territories.factories import department
from tests.workflows.helpers import confirmed_application
from workflows.filters import SORTS, filtered_work_items, saved_view_counts
from workflows.models import DossierLabel, Label, ListVisit, SavedView, WorkItem
from workflows.services import saved_views as saved_view_services
from workflows.templatetags.saved_views import MENU_COUNTS_SECONDS

pytestmark = pytest.mark.django_db

QUEUE = reverse("workflows:queue")


def dossier(name, *, in_marseille=False, **facets) -> WorkItem:
    """A structure application waiting for the prefecture, its open task given these facets."""
    application = confirmed_application(name=name, in_marseille=in_marseille)
    item = WorkItem.objects.get(kind="structure", subject_id=application.pk, is_open=True)
    WorkItem.objects.filter(pk=item.pk).update(**facets)
    item.refresh_from_db()
    return item


def titles(response) -> list[str]:
    rows = response.context["page"].object_list
    return [row.title.split(" — ")[0].split(" (")[0] for row in rows]


def names(response) -> list[str]:
    return [row.pk for row in response.context["page"].object_list]


@pytest.fixture
def three(db):
    now = timezone.now()
    return [
        dossier(
            "Alpha",
            prefecture_opinion="favorable",
            structure_type="commune",
            posts_requested=3,
            created_at=now - timedelta(days=3),
            due_at=now + timedelta(days=2),
        ),
        dossier(
            "Bravo",
            prefecture_opinion="defavorable",
            structure_type="privee",
            posts_requested=1,
            created_at=now - timedelta(days=1),
            due_at=now - timedelta(days=1),
        ),
        dossier(
            "Charlie",
            prefecture_opinion="",
            structure_type="epci",
            posts_requested=None,
            created_at=now - timedelta(days=2),
            due_at=now + timedelta(days=5),
            paused_at=now - timedelta(days=1),
        ),
    ]


class TestSorting:
    @pytest.mark.parametrize("key", list(SORTS))
    def test_each_key_sorts_both_ways_with_the_primary_key_last(self, client, national_admin, three, key):
        # Empty values come last in both directions: give every row a value to compare the two orders.
        WorkItem.objects.filter(posts_requested__isnull=True).update(posts_requested=2)
        client.force_login(national_admin)
        ascending = client.get(QUEUE, {"tri": key})
        descending = client.get(QUEUE, {"tri": f"-{key}"})
        assert ascending.status_code == descending.status_code == 200
        up, down = names(ascending), names(descending)
        assert sorted(up) == sorted(down) == sorted(item.pk for item in three)
        assert up == list(reversed(down))
        assert f'aria-sort="ascending"><a href="?tri=-{key}"' in ascending.text
        assert f'aria-sort="descending"><a href="?tri={key}"' in descending.text

    def test_it_orders_by_the_values(self, client, national_admin, three):
        alpha, bravo, charlie = three
        client.force_login(national_admin)
        assert names(client.get(QUEUE, {"tri": "dossier"}))[0] == alpha.pk
        assert names(client.get(QUEUE, {"tri": "-postes"})) == [alpha.pk, bravo.pk, charlie.pk]
        assert names(client.get(QUEUE, {"tri": "postes"})) == [bravo.pk, alpha.pk, charlie.pk]
        assert names(client.get(QUEUE, {"tri": "-recue"})) == [bravo.pk, charlie.pk, alpha.pk]
        assert names(client.get(QUEUE, {"tri": "echeance"})) == [bravo.pk, alpha.pk, charlie.pk]

    def test_ties_are_broken_by_the_primary_key(self, client, national_admin):
        items = [dossier(f"Pareil {i}", posts_requested=2) for i in range(4)]
        client.force_login(national_admin)
        assert names(client.get(QUEUE, {"tri": "postes"})) == [i.pk for i in items]
        assert names(client.get(QUEUE, {"tri": "-postes"})) == [i.pk for i in reversed(items)]

    def test_an_unknown_sort_gives_the_default_order(self, client, national_admin, three):
        client.force_login(national_admin)
        assert names(client.get(QUEUE, {"tri": "n'importe quoi"})) == names(client.get(QUEUE))

    def test_sorting_keeps_the_filters_and_drops_the_page(self, client, national_admin, three):
        client.force_login(national_admin)
        page = client.get(QUEUE, {"opinion": "favorable", "page": "1", "tri": "dossier"})
        assert 'href="?opinion=favorable&amp;tri=-dossier"' in page.text


class TestFilters:
    def test_opinion_type_and_posts(self, client, national_admin, three):
        alpha, bravo, charlie = three
        client.force_login(national_admin)
        assert names(client.get(QUEUE, {"opinion": "favorable"})) == [alpha.pk]
        assert names(client.get(QUEUE, {"opinion": "sans"})) == [charlie.pk]
        assert names(client.get(QUEUE, {"structure_type": "privee"})) == [bravo.pk]
        assert names(client.get(QUEUE, {"posts_min": "2"})) == [alpha.pk]
        assert names(client.get(QUEUE, {"posts_max": "2"})) == [bravo.pk]
        bad = client.get(QUEUE, {"posts_min": "5", "posts_max": "2"})
        assert bad.status_code == 200 and "Le maximum doit être supérieur" in bad.text
        assert client.get(QUEUE, {"posts_min": "beaucoup"}).status_code == 200

    def test_paused_dossiers_are_neither_late_nor_on_time(self, client, national_admin, three):
        alpha, bravo, charlie = three
        client.force_login(national_admin)
        assert names(client.get(QUEUE, {"deadline": "attente"})) == [charlie.pk]
        assert names(client.get(QUEUE, {"deadline": "retard"})) == [bravo.pk]
        assert names(client.get(QUEUE, {"deadline": "delai"})) == [alpha.pk]
        WorkItem.objects.filter(pk=charlie.pk).update(due_at=timezone.now() - timedelta(days=30))
        assert charlie.pk not in names(client.get(QUEUE, {"deadline": "retard"}))
        assert "En attente du demandeur" in client.get(QUEUE).text

    def test_labels_of_my_team_only(self, client, prefecture_paris, three):
        alpha, bravo, _ = three
        mine = Label.objects.create(team="prefecture:75", name="À revoir")
        theirs = Label.objects.create(team="prefecture:13", name="Secret")
        DossierLabel.objects.create(label=mine, kind=alpha.kind, subject_id=alpha.subject_id)
        DossierLabel.objects.create(label=theirs, kind=bravo.kind, subject_id=bravo.subject_id)
        client.force_login(prefecture_paris)
        page = client.get(QUEUE, {"label": mine.pk})
        assert names(page) == [alpha.pk]
        assert "À revoir" in page.text and "Secret" not in page.text
        assert names(client.get(QUEUE, {"label": theirs.pk})) == names(client.get(QUEUE))  # refused, not applied
        counts = saved_view_counts(prefecture_paris, [SavedView(pk=1, list_name="queue", query=f"label={theirs.pk}")])
        assert counts == {1: 0}

    def test_assignee_and_department(self, client, national_admin, three):
        marseille = dossier("Delta", in_marseille=True)
        WorkItem.objects.filter(pk=three[0].pk).update(owner=national_admin)
        client.force_login(national_admin)
        inbox = client.get(reverse("workflows:inbox"), {"assignee": national_admin.pk})
        assert names(inbox) == [three[0].pk]
        assert names(client.get(QUEUE, {"assignee": "aucun", "department": "13"})) == [marseille.pk]

    def test_a_structure_manager_never_gets_the_agents_filters(self, client, structure_manager):
        client.force_login(structure_manager)
        page = client.get(QUEUE)
        assert page.status_code == 200
        assert "Avis du préfet" not in page.text and "Étiquette" not in page.text

    def test_filtered_work_items_rebuilds_the_list_for_the_bulk_actions(self, national_admin, three):
        roles.forget_active_membership(national_admin)
        filterset, rows = filtered_work_items(national_admin, "queue", "opinion=favorable&tri=-postes&page=3")
        assert [row.pk for row in rows] == [three[0].pk]


class TestSavedViews:
    def test_create_shows_it_in_the_menu_with_its_count(self, client, prefecture_paris, three):
        client.force_login(prefecture_paris)
        response = client.post(
            reverse("workflows:saved_view_new"),
            {"name": "Favorables", "list_name": "queue", "query": "opinion=favorable&page=2"},
        )
        view = SavedView.objects.get(user=prefecture_paris)
        assert view.query == "opinion=favorable"
        assert response.status_code == 302 and response["Location"] == f"{QUEUE}?opinion=favorable"
        page = client.get(reverse("workflows:home"))
        assert "Favorables" in page.text and '>1<span class="fr-sr-only"> dossier</span>' in page.text

    def test_the_menu_counts_are_at_most_thirty_seconds_old_and_the_lists_count_live(
        self, client, prefecture_paris, three
    ):
        SavedView.objects.create(
            user=prefecture_paris, list_name="queue", name="Favorables", query="opinion=favorable"
        )
        client.force_login(prefecture_paris)
        one = '>1<span class="fr-sr-only"> dossier</span>'
        assert one in client.get(reverse("workflows:home")).text
        dossier("Delta", prefecture_opinion="favorable")
        assert one in client.get(reverse("workflows:home")).text  # the menu's count, kept for a while
        assert "2 demandes" in client.get(f"{QUEUE}?opinion=favorable").text  # the list itself is live
        assert MENU_COUNTS_SECONDS <= 30
        cache.clear()  # what the cache does after MENU_COUNTS_SECONDS
        assert '>2<span class="fr-sr-only"> dossiers</span>' in client.get(reverse("workflows:home")).text

    def test_bad_name_duplicate_and_cap(self, client, prefecture_paris):
        client.force_login(prefecture_paris)
        url = reverse("workflows:saved_view_new")
        empty = client.post(url, {"name": "", "list_name": "queue", "query": "opinion=favorable"})
        assert empty.status_code == 400 and "Nom de la vue" in empty.text
        client.post(url, {"name": "Ma vue", "list_name": "queue", "query": ""})
        duplicate = client.post(url, {"name": "Ma vue", "list_name": "queue", "query": "step=x"})
        assert duplicate.status_code == 400 and "déjà une vue de ce nom" in duplicate.text
        for index in range(saved_view_services.SAVED_VIEWS_MAX - 1):
            SavedView.objects.create(user=prefecture_paris, list_name="queue", name=f"V{index}", query="")
        capped = client.post(url, {"name": "Une de trop", "list_name": "queue", "query": ""})
        assert capped.status_code == 400 and "le maximum" in capped.text
        assert SavedView.objects.filter(user=prefecture_paris).count() == saved_view_services.SAVED_VIEWS_MAX
        unknown = client.post(url, {"name": "X", "list_name": "autre", "query": ""})
        assert unknown.status_code == 400

    def test_rename_delete_and_another_users_view(self, client, prefecture_paris, prefecture_marseille):
        view = SavedView.objects.create(user=prefecture_paris, list_name="queue", name="Avant", query="")
        client.force_login(prefecture_marseille)
        assert client.get(reverse("workflows:saved_view", args=[view.pk])).status_code == 404
        assert client.post(reverse("workflows:saved_view", args=[view.pk]), {"name": "Pirate"}).status_code == 404
        assert client.post(reverse("workflows:saved_view_delete", args=[view.pk])).status_code == 404
        client.force_login(prefecture_paris)
        assert client.post(reverse("workflows:saved_view", args=[view.pk]), {"name": ""}).status_code == 400
        client.post(reverse("workflows:saved_view", args=[view.pk]), {"name": "Après"})
        assert SavedView.objects.get(pk=view.pk).name == "Après"
        assert "Après" in client.get(reverse("workflows:saved_views")).text
        client.post(reverse("workflows:saved_view_delete", args=[view.pk]))
        assert not SavedView.objects.filter(pk=view.pk).exists()

    def test_counts_follow_the_current_role(self, prefecture_paris, three):
        for index in range(2):
            dossier(f"Marseille {index}", in_marseille=True, prefecture_opinion="favorable")
        marseille = Membership.objects.create(user=prefecture_paris, role="prefecture", department=department("13"))
        view = SavedView.objects.create(
            user=prefecture_paris, list_name="queue", name="Fav", query="opinion=favorable"
        )
        roles.forget_active_membership(prefecture_paris)
        assert saved_view_counts(prefecture_paris, [view]) == {view.pk: 1}
        roles.act_as(prefecture_paris, marseille)
        assert saved_view_counts(prefecture_paris, [view]) == {view.pk: 2}


class TestMarkers:
    def test_rows_since_the_previous_visit_are_new(self, client, prefecture_paris):
        old = dossier("Ancien", created_at=timezone.now() - timedelta(days=2))
        client.force_login(prefecture_paris)
        assert "Nouveau" not in client.get(QUEUE).text  # first visit: nothing to compare with
        ListVisit.objects.filter(user=prefecture_paris).update(visited_at=timezone.now() - timedelta(hours=1))
        dossier("Récent")
        WorkItem.objects.filter(pk=old.pk).update(applicant_activity_at=timezone.now())
        page = client.get(QUEUE)
        assert page.text.count(">Nouveau<") == 1 and "Message du demandeur" in page.text
        # A reload (or a second tab) within ten minutes keeps the markers.
        assert client.get(QUEUE).text.count(">Nouveau<") == 1
        long_ago = timezone.now() - timedelta(minutes=30)
        WorkItem.objects.update(created_at=long_ago, applicant_activity_at=long_ago)
        ListVisit.objects.filter(user=prefecture_paris).update(visited_at=timezone.now() - timedelta(minutes=11))
        page = client.get(QUEUE)
        assert ">Nouveau<" not in page.text and "Message du demandeur" not in page.text


class TestExport:
    def test_it_exports_exactly_the_filtered_rows(self, client, prefecture_paris, three):
        dossier("Marseille favorable", in_marseille=True, prefecture_opinion="favorable")
        client.force_login(prefecture_paris)
        url = reverse("workflows:task_list_export", args=["queue", "csv"])
        csv = b"".join(client.get(url, {"opinion": "favorable"}).streaming_content).decode("utf-8-sig")
        lines = csv.splitlines()
        assert lines[0].startswith("Dossier;Type de dossier;Étape")
        assert len(lines) == 2 and "Alpha" in lines[1]
        everything = b"".join(client.get(url, {"tri": "-dossier"}).streaming_content).decode("utf-8-sig")
        assert "Marseille" not in everything
        assert [line.split(";")[0][:7] for line in everything.splitlines()[1:]][0].startswith("Charlie")
        xlsx = client.get(reverse("workflows:task_list_export", args=["queue", "xlsx"]), {"posts_min": "1"})
        sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
        assert sheet.max_row == 3
        assert client.get(reverse("workflows:task_list_export", args=["autre", "csv"])).status_code == 404
        assert client.get(reverse("workflows:task_list_export", args=["queue", "pdf"])).status_code == 404

    def test_a_structure_manager_gets_no_opinion_column(self, client, structure_manager):
        client.force_login(structure_manager)
        csv = b"".join(
            client.get(reverse("workflows:task_list_export", args=["queue", "csv"])).streaming_content
        ).decode("utf-8-sig")
        assert "Avis du préfet" not in csv


class TestBudgets:
    def test_the_list_costs_the_same_with_5_or_50_rows_and_saved_views(
        self, client, prefecture_paris, django_assert_max_num_queries
    ):
        for index, query in enumerate(["opinion=favorable", "label=1&tri=-postes", "deadline=attente"]):
            SavedView.objects.create(user=prefecture_paris, list_name="queue", name=f"V{index}", query=query)
        SavedView.objects.create(user=prefecture_paris, list_name="inbox", name="Mes favorables", query="")
        client.force_login(prefecture_paris)

        def measure():
            client.get(QUEUE)
            with django_assert_max_num_queries(14) as captured:
                assert client.get(QUEUE, {"tri": "-postes", "opinion": "sans"}).status_code == 200
            return len(captured)

        for _ in range(5):
            dossier("Petit")
        small = measure()
        for _ in range(45):
            dossier("Grand")
        assert measure() == small


class TestMenuWithoutSavedViews:
    def test_other_pages_skip_the_query_until_a_list_finds_a_view(self, client, prefecture_paris):
        client.force_login(prefecture_paris)
        home = reverse("workflows:home")
        application = confirmed_application(name="Une page de dossier")
        page = reverse("workflows:structure_application", args=[application.pk])
        assert "Gérer mes vues" not in client.get(home).text
        SavedView.objects.create(user=prefecture_paris, list_name="queue", name="Faite ailleurs", query="")
        assert "Faite ailleurs" not in client.get(page).text  # remembered: no view, no query
        assert "Faite ailleurs" in client.get(QUEUE).text  # the lists always read them
        assert "Faite ailleurs" in client.get(page).text


class TestSelection:
    def test_the_table_is_a_form_for_the_bulk_actions(self, client, national_admin, three):
        client.force_login(national_admin)
        page = client.get(QUEUE, {"opinion": "favorable", "tri": "-postes", "page": "1"}).text
        assert f'action="{reverse("workflows:bulk_new")}"' in page
        assert f'name="items" value="{three[0].pk}"' in page and f'value="{three[1].pk}"' not in page
        assert "Sélectionner Alpha" in page
        assert '<input type="hidden" name="list" value="queue">' in page
        assert '<input type="hidden" name="query" value="opinion=favorable&amp;tri=-postes">' in page
        assert 'name="scope" value="selection"' in page and "Traiter le dossier filtré" in page
        assert "Traiter les 3 dossiers filtrés" in client.get(QUEUE).text
