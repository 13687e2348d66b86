"""Bulk import of a training operator's results (hub agents, national admins)."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from accounts.enums import Role
from workflows import services
from workflows.enums import TrainingImportOutcome
from workflows.forms import TrainingImportForm


@require_http_methods(["GET", "POST"])
@role_required(Role.HUB, Role.NATIONAL)
def training_import(request):
    form = TrainingImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = services.training_import(user=request.user, text=form.cleaned_data["file"], request=request)
        except ValidationError as error:
            form.add_error("file", error)
    summary = None
    if report is not None:
        summary = [
            (outcome.label, sum(1 for row in report if row["outcome"] == outcome)) for outcome in TrainingImportOutcome
        ]
    return render(
        request,
        "workflows/espace/training_import.html",
        {"form": form, "report": report, "summary": summary},
        status=400 if form.errors else 200,
    )
