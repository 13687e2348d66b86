"""Importing followed people from a CSV file: template, upload, a verdict per row, then one import per analysis."""

import uuid
from dataclasses import asdict

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.decorators import coop_required
from common import exports as export_files
from common.http import post_only
from reporting import scopes
from reporting.beneficiary_import import COLUMNS, MAX_BYTES, MAX_ROWS, TOO_BIG, ImportFileError, analyse
from reporting.forms_beneficiaries import BeneficiaryImportForm
from reporting.services import beneficiaries as services
from reporting.views.beneficiaries import breadcrumb

SESSION_KEY = "beneficiary_import"


def _page(request, template, context, status=200):
    return render(request, f"reporting/coop/{template}", {"section": "beneficiaires", **context}, status=status)


@coop_required
def beneficiary_import_template(request):
    """The CSV template: the header row only (`;`-separated UTF-8, as Excel opens it)."""
    return export_files.csv_response("modele_import_beneficiaires", [[label for _, label in COLUMNS]])


@coop_required
@require_http_methods(["GET", "POST"])
def beneficiary_import(request):
    """Upload a file; its analysis is kept in the session and shown on the next page (reloading it is harmless)."""
    form = BeneficiaryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_BYTES:
                raise ImportFileError(TOO_BIG)
            results = analyse(upload.read(), scopes.visible_beneficiaries(request.user))
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            request.session[SESSION_KEY] = {
                "token": str(uuid.uuid4()),
                "advisor": request.advisor.pk,
                "informed": True,
                "rows": [asdict(result) for result in results],
            }
            return redirect("coop:beneficiary_import_analysis")
    return _page(
        request,
        "beneficiary_import.html",
        {
            "title": "Importer des bénéficiaires",
            "form": form,
            "columns": [label for _, label in COLUMNS],
            "max_rows": MAX_ROWS,
            "breadcrumb": breadcrumb(("Importer", "")),
        },
        status=400 if form.errors else 200,
    )


def _analysis(request) -> dict | None:
    analysis = request.session.get(SESSION_KEY)
    if not analysis or analysis.get("advisor") != request.advisor.pk:
        return None
    return analysis


@coop_required
def beneficiary_import_analysis(request):
    """The verdict of each row of the last file, and the button importing the valid ones."""
    analysis = _analysis(request)
    if analysis is None:
        messages.info(request, "Déposez un fichier pour voir son analyse.")
        return redirect("coop:beneficiary_import")
    rows = analysis["rows"]
    valid = sum(1 for row in rows if not row["errors"])
    return _page(
        request,
        "beneficiary_import_analysis.html",
        {
            "title": "Analyse du fichier",
            "rows": rows,
            "valid": valid,
            "refused": len(rows) - valid,
            "token": analysis["token"],
            "breadcrumb": breadcrumb(("Importer", reverse("coop:beneficiary_import")), ("Analyse du fichier", "")),
        },
    )


@coop_required
@post_only(beneficiary_import_analysis)
def beneficiary_import_confirm(request):
    """Import the valid rows of the analysed file once (the token makes a double click harmless)."""
    analysis = _analysis(request)
    token = request.POST.get("token", "")
    if analysis is None or analysis["token"] != token:
        messages.info(request, "Ce fichier a déjà été importé, ou son analyse a expiré : rien n'a été ajouté.")
        return redirect("coop:beneficiary_list")
    rows = [row["values"] for row in analysis["rows"] if not row["errors"]]
    report = services.beneficiary_import(
        advisor=request.advisor, rows=rows, token=uuid.UUID(token), informed=analysis["informed"], request=request
    )
    request.session.pop(SESSION_KEY, None)
    if report.already_imported:
        messages.info(request, "Ce fichier a déjà été importé : rien n'a été ajouté.")
    else:
        skipped = f" {report.duplicates} ligne(s) déjà présente(s) écartée(s)." if report.duplicates else ""
        messages.success(request, f"{len(report.created)} personne(s) importée(s).{skipped}")
    return redirect("coop:beneficiary_list")
