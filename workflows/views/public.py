"""The public application forms, their confirmation links and the applicants' withdrawal pages."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.enums import AuditAction
from accounts.services import audit_record
from common import throttle
from common.forms import apply_errors
from workflows import services, tokens
from workflows.enums import CandidateStatus, StructureApplicationStatus
from workflows.forms import ENGAGEMENTS, CandidateForm, StructureApplicationForm
from workflows.models import AdvisorApplication, StructureApplication
from workflows.personal_data import candidate_data
from workflows.ratelimit import application_limits, throttled


@require_http_methods(["GET", "POST"])
def structure_apply(request):
    """Accueillir un conseiller numérique: the structure application form."""
    form = StructureApplicationForm(request.POST or None)
    if request.method == "POST":
        if form.is_spam:
            return redirect("candidature:structure_thanks")
        if form.is_valid():
            limits = application_limits(
                "structure", request, [form.cleaned_data["contact_email"], form.cleaned_data["siret"]]
            )
            wait = throttle.retry_after(*limits)
            if wait:
                return throttled(
                    request, form, "workflows/public/structure_form.html", {"engagements": ENGAGEMENTS}, wait
                )
            try:
                services.structure_application_submit(data=form.application_data(), request=request)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                throttle.consume(*limits)
                request.session["candidature_email"] = form.cleaned_data["contact_email"]
                return redirect("candidature:structure_thanks")
    status = 400 if form.errors else 200
    return render(
        request, "workflows/public/structure_form.html", {"form": form, "engagements": ENGAGEMENTS}, status=status
    )


def structure_thanks(request):
    return render(
        request,
        "workflows/public/thanks.html",
        {"kind": "structure", "email": request.session.pop("candidature_email", "")},
    )


def structure_confirm(request, token):
    """The link of the confirmation e-mail: the application enters the parcours (prefecture review)."""
    pk = tokens.read_token(tokens.CONFIRM_STRUCTURE, token, settings.APPLICATION_CONFIRMATION_MAX_AGE)
    application = StructureApplication.objects.filter(pk=pk).first() if pk else None
    if application is None:
        return render(request, "workflows/public/link_invalid.html", status=400)
    if application.status in (StructureApplicationStatus.UNCONFIRMED,):
        application = services.structure_application_confirm(application_id=application.pk)
    return render(request, "workflows/public/confirmed.html", {"kind": "structure", "application": application})


@require_http_methods(["GET", "POST"])
def structure_manage(request, token):
    """Follow or withdraw a structure application (signed link from the e-mails)."""
    pk = tokens.read_token(tokens.MANAGE_STRUCTURE, token, settings.CANDIDATE_LINK_MAX_AGE)
    application = get_object_or_404(StructureApplication, pk=pk) if pk else None
    if application is None:
        return render(request, "workflows/public/link_invalid.html", status=400)
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        try:
            services.structure_application_withdraw(application_id=application.pk)
        except services.AlreadyProcessed as error:
            return render(
                request, "workflows/public/manage_structure.html", {"application": application, "error": str(error)}
            )
        application.refresh_from_db()
        return render(request, "workflows/public/manage_structure.html", {"application": application, "done": True})
    return render(request, "workflows/public/manage_structure.html", {"application": application})


@require_http_methods(["GET", "POST"])
def candidate_apply(request):
    """Devenir conseiller numérique: the candidate form (optional private CV)."""
    form = CandidateForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_spam:
            return redirect("candidature:candidate_thanks")
        if form.is_valid():
            limits = application_limits("candidate", request, [form.cleaned_data["email"]])
            wait = throttle.retry_after(*limits)
            if wait:
                context = {"cv_sent": bool(request.FILES.get("cv"))}
                return throttled(request, form, "workflows/public/candidate_form.html", context, wait)
            try:
                services.candidate_submit(data=form.candidate_data(), request=request)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                throttle.consume(*limits)
                request.session["candidature_email"] = form.cleaned_data["email"]
                return redirect("candidature:candidate_thanks")
    status = 400 if form.errors else 200
    return render(
        request,
        "workflows/public/candidate_form.html",
        {"form": form, "cv_sent": bool(request.FILES.get("cv")) and bool(form.errors)},
        status=status,
    )


def candidate_thanks(request):
    return render(
        request,
        "workflows/public/thanks.html",
        {"kind": "candidate", "email": request.session.pop("candidature_email", "")},
    )


def candidate_confirm(request, token):
    """The link of the confirmation e-mail: the candidate joins the pool."""
    pk = tokens.read_token(tokens.CONFIRM_CANDIDATE, token, settings.APPLICATION_CONFIRMATION_MAX_AGE)
    candidate = AdvisorApplication.objects.filter(pk=pk).first() if pk else None
    if candidate is None or candidate.status == CandidateStatus.ERASED:
        return render(request, "workflows/public/link_invalid.html", status=400)
    if candidate.status == CandidateStatus.UNCONFIRMED:
        candidate = services.candidate_confirm(candidate_id=candidate.pk)
    return render(request, "workflows/public/confirmed.html", {"kind": "candidate", "candidate": candidate})


def _candidate_from_link(token):
    pk = tokens.read_token(tokens.MANAGE_CANDIDATE, token, settings.CANDIDATE_LINK_MAX_AGE)
    return AdvisorApplication.objects.select_related("commune").filter(pk=pk).first() if pk else None


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def candidate_manage(request, token):
    """See, download, withdraw or erase the candidacy's personal data (signed link from the e-mails)."""
    candidate = _candidate_from_link(token)
    if candidate is None:
        return render(request, "workflows/public/link_invalid.html", status=400)
    context = {"candidate": candidate, "token": token}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                services.candidate_withdraw(candidate_id=candidate.pk)
                context["done"] = "withdrawn"
            elif action == "erase":
                services.candidate_erase(candidate_id=candidate.pk)
                context["done"] = "erased"
        except (services.AlreadyProcessed, ValidationError) as error:
            context["error"] = error.messages[0] if isinstance(error, ValidationError) else str(error)
        candidate.refresh_from_db()
    context["data"] = candidate_data(candidate) if candidate.status != CandidateStatus.ERASED else None
    return _no_store(render(request, "workflows/public/manage_candidate.html", context))


def candidate_data_download(request, token):
    """The candidate's data as a JSON file (right of access and portability); the download is audited."""
    candidate = _candidate_from_link(token)
    if candidate is None:
        return render(request, "workflows/public/link_invalid.html", status=400)
    audit_record(
        actor=None,
        action=AuditAction.CANDIDATE_DATA_DOWNLOADED,
        target=candidate,
        label=f"Candidature n° {candidate.pk}",
        details={"format": "json"},
        request=request,
    )
    body = json.dumps(candidate_data(candidate), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="mes-donnees-candidature-{candidate.pk}.json"'
    return _no_store(response)


def candidate_cv_download(request, token):
    """The candidate's own CV, while it is kept."""
    candidate = _candidate_from_link(token)
    if candidate is None:
        return render(request, "workflows/public/link_invalid.html", status=400)
    if not candidate.cv:
        raise Http404
    try:
        handle = candidate.cv.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_record(
        actor=None,
        action=AuditAction.CANDIDATE_DATA_DOWNLOADED,
        target=candidate,
        label=f"Candidature n° {candidate.pk}",
        details={"format": "cv"},
        request=request,
    )
    response = FileResponse(handle, as_attachment=True, filename=f"mon-cv-{candidate.pk}.pdf")
    response["Content-Type"] = "application/pdf"
    return _no_store(response)
