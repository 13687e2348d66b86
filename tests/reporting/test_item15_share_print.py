"""Issue 15 part 4: « Mes statistiques » on paper — the print-ready page and its PDF."""

import html
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reporting.pdf import RefusedURL, static_url_fetcher
from tests.reporting.factories import ActivityFactory

pytestmark = pytest.mark.django_db

PRINT = reverse("coop:statistics_print")
PDF = reverse("coop:statistics_pdf")
TODAY = timezone.localdate()


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def reports(paris_advisor):
    ActivityFactory(advisor=paris_advisor, collective=True, participants=12, date=TODAY)
    ActivityFactory(advisor=paris_advisor, date=TODAY)


class TestPrintPage:
    def test_it_shows_the_period_filters_structure_and_every_chart_with_its_table(
        self, client, advisor_user, paris_advisor, reports
    ):
        client.force_login(advisor_user)
        start = TODAY.replace(day=1)
        response = client.get(PRINT, {"start": start.isoformat(), "end": TODAY.isoformat(), "kind": "collectif"})
        assert response.status_code == 200
        text = html.unescape(response.text)
        assert "Statistiques d'activité" in text
        assert paris_advisor.structure.name in text and paris_advisor.full_name in text
        assert "Type : Atelier collectif" in text
        assert "Imprimé le" in text
        assert "fr-sidemenu" not in text  # no menus on paper
        assert "data-cnum-print hidden" in text  # the print button appears only with JavaScript
        assert "Données du graphique" in text and "<svg" in text
        assert f"{PDF}?start={start.isoformat()}" in text  # the PDF keeps the filters
        figures = {figure.label: figure.value for figure in response.context["figures"]}
        assert figures["Accompagnements"] == "12"  # the kind filter applies (the workshop only)
        assert "no-store" in response["Cache-Control"]

    def test_it_says_when_the_dates_were_refused(self, client, advisor_user, reports):
        client.force_login(advisor_user)
        response = client.get(PRINT, {"start": "31/02/2025", "end": "n'importe"})
        assert response.status_code == 200
        assert "la période par défaut est affichée" in html.unescape(response.text)

    def test_it_is_the_advisor_s_only(self, client, structure_manager, outsider):
        client.force_login(structure_manager)
        assert client.get(PRINT).status_code == 403
        client.force_login(outsider)
        assert client.get(PDF).status_code == 403
        client.logout()
        assert client.get(PDF).status_code == 302

    def test_my_statistics_link_to_print_pdf_and_share_but_the_team_page_does_not(
        self, client, coordinator_user, reports
    ):
        client.force_login(coordinator_user)
        mine = client.get(reverse("coop:statistics"), {"start": "2025-01-01"}).text
        assert f"{PRINT}?start=2025-01-01" in mine and f"{PDF}?start=2025-01-01" in mine
        assert reverse("coop:statistics_shares") in mine
        team = client.get(reverse("coop:team_statistics")).text
        assert PRINT not in team and reverse("coop:statistics_shares") not in team


class TestPdf:
    def test_it_is_a_pdf_named_after_the_period_with_the_key_figures(
        self, client, advisor_user, paris_advisor, reports, django_assert_max_num_queries
    ):
        client.force_login(advisor_user)
        start = date(TODAY.year, 1, 1)
        with django_assert_max_num_queries(14):
            response = client.get(PDF, {"start": start.isoformat(), "end": TODAY.isoformat()})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="statistiques_{start:%Y-%m-%d}_{TODAY:%Y-%m-%d}.pdf"'
        )
        reader = PdfReader(io.BytesIO(response.content))
        assert len(reader.pages) >= 2  # the sections after the first start on a new page
        text = pdf_text(response.content)
        assert "Statistiques d'activité" in text and paris_advisor.structure.name in text
        assert "Accompagnements" in text and "13" in text and "Activités enregistrées" in text
        assert "Thématiques de médiation numérique" in text
        fonts = {
            str(font.get_object()["/BaseFont"])
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        assert any("Marianne" in font for font in fonts)  # the design system's font, read from the static files

    def test_the_chart_bars_are_drawn_in_the_design_system_blue(self, client, advisor_user, reports):
        client.force_login(advisor_user)
        content = client.get(PDF).content
        page = PdfReader(io.BytesIO(content)).pages[0]
        assert "0 0 0.568627 rg" in page.get_contents().get_data().decode("latin-1")  # #000091

    def test_a_period_in_the_future_gives_an_empty_pdf_not_an_error(self, client, advisor_user, reports):
        client.force_login(advisor_user)
        later = TODAY + timedelta(days=400)
        response = client.get(PDF, {"start": later.isoformat(), "end": (later + timedelta(days=10)).isoformat()})
        assert response.status_code == 200 and response.content.startswith(b"%PDF-")


class TestStaticUrlFetcher:
    def test_it_serves_the_static_files(self):
        fetched = static_url_fetcher("static:reporting/statistics_print.css")
        assert b"@page" in fetched["string"] and fetched["mime_type"] == "text/css"

    @pytest.mark.parametrize(
        "url",
        [
            "https://example.com/x.css",
            "file:///etc/passwd",
            "static:../../../etc/passwd",
            "static:reporting/../../settings.py",
            "static:",
            "static:nothing/here.css",
        ],
    )
    def test_it_refuses_anything_else(self, url):
        with pytest.raises(RefusedURL):
            static_url_fetcher(url)
