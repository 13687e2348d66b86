"""Mes statistiques on paper: a print-ready page and the same page as a PDF (WeasyPrint)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from accounts.decorators import coop_required
from reporting.pdf import html_to_pdf
from reporting.scopes import Scope
from reporting.views.statistics import statistics_context

TEMPLATE = "reporting/print/statistics.html"


def print_context(request) -> dict:
    """My statistics with the filters of the URL, and the header lines of the printed page."""
    context = statistics_context(request, Scope.advisors([request.advisor.pk]), personal_tags_of=request.advisor.pk)
    advisor = request.advisor
    structure = advisor.structure
    query = context["query"]
    context.update(
        title="Mes statistiques — version imprimable",
        document_title="Statistiques d'activité",
        subject_lines=[
            ("Conseiller", advisor.full_name),
            ("Structure employeuse", structure.name if structure else "Aucune"),
        ],
        printed_at=timezone.localtime(),
        back_url=reverse("coop:statistics") + (f"?{query}" if query else ""),
        pdf_url=reverse("coop:statistics_pdf") + (f"?{query}" if query else ""),
    )
    return context


def pdf_filename(context: dict) -> str:
    return f"statistiques_{context['period'].start:%Y-%m-%d}_{context['period'].end:%Y-%m-%d}.pdf"


@coop_required
def my_statistics_print(request):
    """The print-ready page: A4 layout, no menus, every chart with its table; « Imprimer » opens the print dialog."""
    response = render(request, TEMPLATE, print_context(request))
    patch_cache_control(response, private=True, no_store=True)
    return response


@coop_required
def my_statistics_pdf(request):
    """The print-ready page as a PDF file named after the period."""
    context = print_context(request)
    context["pdf"] = True
    html = render_to_string(TEMPLATE, context, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(context)}"'
    patch_cache_control(response, private=True, no_store=True)
    return response
