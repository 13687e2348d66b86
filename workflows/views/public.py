"""The public application forms, their confirmation links and the applicants' withdrawal pages."""

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.enums import AuditAction
from accounts.services import audit_record
from common import throttle
from common.client_address import client_ip
from common.forms import apply_errors
from common.storage import download_response
from workflows import services, tokens
from workflows.enums import AttachmentAudience, CandidateStatus, Kind, Party, StructureApplicationStatus
from workflows.forms import ENGAGEMENTS, CandidateForm, StructureApplicationForm
from workflows.forms.threads import MessageForm
from workflows.models import AdvisorApplication, Attachment, Recruitment, StructureApplication
from workflows.personal_data import candidate_data
from workflows.ratelimit import application_limits, throttled
from workflows.services import threads
from workflows.views.threads import applicant_limits, attachment_response, thread_block, with_download_urls


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


# --- The applicant's thread through her signed link ---------------------------------------------------------------

MESSAGE_ACTION = "message"


def _applicant_thread(request, *, kind, subject, party, title, download, form=None, anchor="", hidden=()):
    """One thread of the applicant's signed-link page: her own party's messages only, and the form to answer."""
    messages = with_download_urls(threads.thread_messages(kind, subject.pk, [party]), download)
    asked = any(message.is_correction_request for message in messages)
    correction = threads.open_correction(kind, subject.pk, party) if asked else None
    return thread_block(
        party=party,
        messages=messages,
        form=form or MessageForm(prefix=anchor or party),
        action=request.path,
        title=title,
        hidden=[("action", MESSAGE_ACTION), *hidden],
        waiting=correction,
        anchor=anchor,
    )


def _applicant_post(request, form, *, applicant, kind, subject_id, party) -> int | None:
    """Post the applicant's message when the form is valid and the thread's limits allow: None once sent, else the
    page's status (400, or 429 over the limits) with the form's errors next to what she typed."""
    if not form.is_valid():
        return 400
    limits = [
        *applicant_limits(kind, subject_id, party),
        throttle.Limit("thread-ip", client_ip(request) or "unknown", settings.APPLICATION_IP_LIMIT_PER_HOUR),
    ]
    wait = throttle.retry_after(*limits)
    if wait:
        form.add_error(None, f"Trop de messages envoyés. {throttle.wait_message(wait)}")
        return 429
    try:
        threads.applicant_message_post(
            applicant=applicant,
            kind=kind,
            subject_id=subject_id,
            body=form.cleaned_data["body"],
            files=form.cleaned_data["files"],
            request=request,
        )
    except ValidationError as error:
        apply_errors(form, error)
        return 400
    throttle.consume(*limits)
    return None


def _structure_from_link(token):
    pk = tokens.read_token(tokens.MANAGE_STRUCTURE, token, settings.CANDIDATE_LINK_MAX_AGE)
    return StructureApplication.objects.filter(pk=pk).first() if pk else None


def _structure_threads(request, token, application, form=None):
    def download(attachment):
        return reverse("candidature:structure_attachment", args=[token, attachment.pk])

    return [
        _applicant_thread(
            request,
            kind=Kind.STRUCTURE,
            subject=application,
            party=Party.STRUCTURE,
            title="Vos échanges avec les agents",
            download=download,
            form=form,
        )
    ]


@require_http_methods(["GET", "POST"])
def structure_manage(request, token):
    """Follow or withdraw a structure application, and write to the agents (signed link from the e-mails)."""
    application = _structure_from_link(token)
    if application is None:
        return render(request, "workflows/public/link_invalid.html", status=400)
    context = {"application": application}
    status = 200
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        try:
            services.structure_application_withdraw(application_id=application.pk)
        except services.AlreadyProcessed as error:
            context["error"] = str(error)
        else:
            application.refresh_from_db()
            context["done"] = True
    elif request.method == "POST" and request.POST.get("action") == MESSAGE_ACTION:
        form = MessageForm(request.POST, request.FILES, prefix=Party.STRUCTURE)
        status = _applicant_post(
            request, form, applicant=application, kind=Kind.STRUCTURE, subject_id=application.pk, party=Party.STRUCTURE
        )
        if status is None:
            messages.success(request, "Votre message est envoyé aux agents.")
            return redirect(f"{request.path}#fil-{Party.STRUCTURE}")
        context["threads"] = _structure_threads(request, token, application, form)
    context.setdefault("threads", _structure_threads(request, token, application))
    return _no_store(render(request, "workflows/public/manage_structure.html", context, status=status))


def structure_attachment(request, token, pk):
    """An attachment of the structure's own thread, through its signed link."""
    application = _structure_from_link(token)
    if application is None:
        raise Http404
    attachment = get_object_or_404(
        Attachment,
        pk=pk,
        kind=Kind.STRUCTURE,
        subject_id=application.pk,
        audience=AttachmentAudience.STRUCTURE,
    )
    return attachment_response(attachment)


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


def _candidate_threads(request, token, candidate, bound=None):
    """The candidate's threads, one per recruitment: only the candidate's party, never the structure's."""
    if candidate.status == CandidateStatus.ERASED or candidate.anonymised_at:
        return []

    def download(attachment):
        return reverse("candidature:candidate_attachment", args=[token, attachment.pk])

    blocks = []
    for recruitment in Recruitment.objects.filter(candidate=candidate).select_related("structure").order_by("pk"):
        anchor = f"fil-recrutement-{recruitment.pk}"
        blocks.append(
            _applicant_thread(
                request,
                kind=Kind.RECRUITMENT,
                subject=recruitment,
                party=Party.CANDIDATE,
                title=f"Vos échanges avec les agents : recrutement par {recruitment.structure.name}",
                download=download,
                form=bound[1] if bound and bound[0] == recruitment.pk else None,
                anchor=anchor,
                hidden=[("recruitment", recruitment.pk)],
            )
        )
    return blocks


def candidate_attachment(request, token, pk):
    """An attachment of one of the candidate's own threads, through her signed link."""
    candidate = _candidate_from_link(token)
    if candidate is None:
        raise Http404
    attachment = get_object_or_404(
        Attachment,
        pk=pk,
        kind=Kind.RECRUITMENT,
        subject_id__in=Recruitment.objects.filter(candidate=candidate).values("pk"),
        audience=AttachmentAudience.CANDIDATE,
    )
    return attachment_response(attachment)


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
    status = 200
    if request.method == "POST" and request.POST.get("action") == MESSAGE_ACTION:
        recruitment_id = request.POST.get("recruitment", "")
        recruitment = (
            Recruitment.objects.filter(pk=recruitment_id, candidate=candidate).first()
            if recruitment_id.isdigit()
            else None
        )
        if recruitment is None or candidate.status == CandidateStatus.ERASED:
            raise Http404
        form = MessageForm(request.POST, request.FILES, prefix=f"fil-recrutement-{recruitment.pk}")
        status = _applicant_post(
            request, form, applicant=candidate, kind=Kind.RECRUITMENT, subject_id=recruitment.pk, party=Party.CANDIDATE
        )
        if status is None:
            messages.success(request, "Votre message est envoyé aux agents.")
            return redirect(f"{request.path}#fil-recrutement-{recruitment.pk}")
        context["threads"] = _candidate_threads(request, token, candidate, (recruitment.pk, form))
    elif request.method == "POST":
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
    context.setdefault("threads", _candidate_threads(request, token, candidate))
    return _no_store(render(request, "workflows/public/manage_candidate.html", context, status=status))


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
        response = download_response(
            candidate.cv.storage,
            candidate.cv.name,
            filename=f"mon-cv-{candidate.pk}.pdf",
            content_type="application/pdf",
        )
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
    return _no_store(response)
