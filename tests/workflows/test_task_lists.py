"""À traiter and Mes dossiers: scope, counts per step, filters, taking a task, and query budgets."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.workflows.helpers import application_at_hub, confirmed_application, work_item
from workflows import services
from workflows.enums import Kind, Step
from workflows.models import WorkItem

pytestmark = pytest.mark.django_db


def queries_for(client, url, django_assert_max_num_queries, budget):
    # Site-wide settings are cached after the first page: measure a warm page, as users get it.
    client.get(url)
    with django_assert_max_num_queries(budget) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


class TestLists:
    def test_taking_a_task_moves_it_from_a_traiter_to_mes_taches(self, client, prefecture_paris):
        application = confirmed_application(name="Ludothèque du Marais")
        client.force_login(prefecture_paris)
        assert "Ludothèque du Marais" in client.get(reverse("workflows:queue")).text
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        client.post(reverse("workflows:take", args=[item.pk]))
        assert "Ludothèque du Marais" not in client.get(reverse("workflows:queue")).text
        inbox = client.get(reverse("workflows:inbox"))
        assert "Ludothèque du Marais" in inbox.text and "1 demande" in inbox.text
        again = client.post(reverse("workflows:take", args=[item.pk]), follow=True)
        assert again.status_code == 200
        client.post(reverse("workflows:release", args=[item.pk]))
        assert "Ludothèque du Marais" in client.get(reverse("workflows:queue")).text

    def test_a_colleague_cannot_decide_on_a_task_someone_took(self, client, prefecture_paris):
        from tests.personas import user_with_role as _persona
        from tests.territories.factories import department

        colleague = _persona("prefecture", "colleague@paris.gouv.fr", department=department("75"))
        application = confirmed_application()
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        services.task_take(work_item=item, user=prefecture_paris)
        client.force_login(colleague)
        response = client.post(
            reverse("workflows:decide", args=[item.pk]), {"opinion": "favorable", "internal_note": "Je passe devant."}
        )
        assert response.status_code == 403
        assert WorkItem.objects.get(pk=item.pk).is_open

    def test_counts_per_step_and_filters(self, client, national_admin, prefecture_paris):
        confirmed_application(name="Atelier Alpha")
        application_at_hub(prefecture_paris, name="Atelier Bêta")
        confirmed_application(name="Atelier Gamma", in_marseille=True)
        client.force_login(national_admin)
        page = client.get(reverse("workflows:queue"))
        assert "Avis du préfet sur une structure : 2" in page.text
        assert "Validation d&#x27;une structure : 1" in page.text
        by_step = client.get(reverse("workflows:queue"), {"step": Step.STRUCTURE_HUB})
        assert "Atelier Bêta" in by_step.text and "Atelier Alpha" not in by_step.text
        by_department = client.get(reverse("workflows:queue"), {"department": "13"})
        assert "Atelier Gamma" in by_department.text and "Atelier Alpha" not in by_department.text
        by_name = client.get(reverse("workflows:queue"), {"q": "alpha"})
        assert "Atelier Alpha" in by_name.text and "Atelier Gamma" not in by_name.text
        siret = client.get(
            reverse("workflows:queue"), {"q": WorkItem.objects.get(title__contains="Gamma").title[-14:]}
        )
        assert "Atelier Gamma" in siret.text and "Atelier Alpha" not in siret.text
        bad = client.get(reverse("workflows:queue"), {"created_after": "pas-une-date"})
        assert bad.status_code == 200

    @pytest.mark.parametrize("url_name", ["workflows:queue", "workflows:inbox", "workflows:home"])
    def test_the_cost_does_not_grow_with_the_number_of_processes(
        self, client, prefecture_paris, django_assert_max_num_queries, url_name
    ):
        client.force_login(prefecture_paris)
        url = reverse(url_name)
        # The lists also read their filters' choices (departments, labels, owners) and record the visit (issue 14).
        budget = 9 if url_name == "workflows:home" else 12
        for _ in range(5):
            item = work_item(Kind.STRUCTURE, confirmed_application(), Step.STRUCTURE_PREFECTURE)
            services.task_take(work_item=item, user=prefecture_paris) if url_name == "workflows:inbox" else None
        small = queries_for(client, url, django_assert_max_num_queries, budget)
        for _ in range(45):
            item = work_item(Kind.STRUCTURE, confirmed_application(), Step.STRUCTURE_PREFECTURE)
            services.task_take(work_item=item, user=prefecture_paris) if url_name == "workflows:inbox" else None
        large = queries_for(client, url, django_assert_max_num_queries, budget)
        assert small == large

    def test_a_decision_post_has_a_query_budget(self, client, prefecture_paris, django_assert_max_num_queries):
        application = confirmed_application()
        item = work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE)
        client.force_login(prefecture_paris)
        with django_assert_max_num_queries(45):
            response = client.post(
                reverse("workflows:decide", args=[item.pk]),
                {"opinion": "favorable", "internal_note": "Avis favorable."},
            )
        assert response.status_code == 302

    def test_the_dossier_page_has_a_query_budget(self, client, national_admin, django_assert_max_num_queries):
        application = confirmed_application()
        client.force_login(national_admin)
        # 13: the threads with the applicant read one query on a dossier without messages (issue 14).
        # 15: the follow-up block reads the team's labels (one query) and the colleagues to confide the task to (one).
        with django_assert_max_num_queries(15):
            page = client.get(reverse("workflows:structure_application", args=[application.pk]))
        assert page.status_code == 200 and "Schéma du parcours" in page.text
        chart = client.get(reverse("workflows:process_chart", args=["structure", application.process_id]))
        assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"


class TestDigests:
    def test_one_email_per_agent_with_new_tasks_none_when_empty(
        self, prefecture_paris, prefecture_marseille, hub_agent, django_capture_on_commit_callbacks
    ):
        confirmed_application(name="Point numérique Oberkampf")
        application_at_hub(prefecture_paris, name="Tiers-lieu Ménilmontant")
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_digests", stdout=open("/dev/null", "w"))
        recipients = {address: message for message in mail.outbox for address in message.to}
        assert set(recipients) == {prefecture_paris.email, hub_agent.email}
        paris = recipients[prefecture_paris.email]
        assert paris.subject == "Nouvelle candidature au poste de conseiller numérique"
        assert "Point numérique Oberkampf" in paris.body and "/espace/a-traiter/" in paris.body
        assert "Tiers-lieu Ménilmontant" in recipients[hub_agent.email].body


class TestExports:
    def test_csv_and_xlsx_have_the_real_columns(self, client, structure_manager, prefecture_paris):
        import io

        from openpyxl import load_workbook

        from tests.workflows.factories import CandidateFactory

        services.recruitment_preselect(candidate=CandidateFactory(last_name="Exportée"), user=structure_manager)
        client.force_login(prefecture_paris)
        csv = b"".join(client.get(reverse("workflows:export", args=["recrutements", "csv"])).streaming_content)
        header = csv.decode("utf-8-sig").splitlines()[0].split(";")
        assert header[:5] == [
            "Date candidature",
            "Date de début de contrat",
            "Date de fin de contrat",
            "Type de contrat",
            "Salaire",
        ]
        assert "Exportée" in csv.decode("utf-8-sig")
        xlsx = client.get(reverse("workflows:export", args=["structures", "xlsx"]))
        sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
        assert [cell.value for cell in sheet[1]][:3] == ["SIRET structure", "ID candidature", "Dénomination"]
        assert client.get(reverse("workflows:export", args=["autre", "csv"])).status_code == 404


class TestDossiers:
    def test_closed_dossiers_of_my_scope_can_be_found(self, client, prefecture_paris, prefecture_marseille, hub_agent):
        paris = application_at_hub(prefecture_paris, name="Maison France Services Belleville")
        services.structure_hub_decide(
            work_item=work_item(Kind.STRUCTURE, paris, Step.STRUCTURE_HUB),
            user=hub_agent,
            decision="refuser",
            reason="pas_de_poste",
        )
        confirmed_application(name="Centre social du Panier", in_marseille=True)
        client.force_login(prefecture_paris)
        page = client.get(reverse("workflows:dossiers"))
        assert "Maison France Services Belleville" in page.text and "<td>Refus</td>" in page.text
        assert "Centre social du Panier" not in page.text
        assert "Belleville" in client.get(reverse("workflows:dossiers"), {"q": paris.siret}).text
        assert "Belleville" not in client.get(reverse("workflows:dossiers"), {"status": "validee"}).text
        for tab in ("recrutements", "fins-de-contrat", "inconnu"):
            assert client.get(reverse("workflows:dossiers"), {"type": tab}).status_code == 200
        client.force_login(prefecture_marseille)
        page = client.get(reverse("workflows:dossiers"))
        assert "Centre social du Panier" in page.text and "Belleville" not in page.text

    def test_the_archive_costs_a_constant_number_of_queries(
        self, client, national_admin, django_assert_max_num_queries
    ):
        from tests.directory.factories import StructureFactory
        from tests.workflows.factories import CandidateFactory
        from workflows.models import Recruitment

        structure = StructureFactory()
        client.force_login(national_admin)
        url = reverse("workflows:dossiers") + "?type=recrutements"
        Recruitment.objects.create(structure=structure, candidate=CandidateFactory())
        small = queries_for(client, url, django_assert_max_num_queries, 8)
        for _ in range(30):
            Recruitment.objects.create(structure=structure, candidate=CandidateFactory())
        assert queries_for(client, url, django_assert_max_num_queries, 8) == small
