"""A dossier's threads in the espace agents (posting a message, asking for a correction) and the attachments'
downloads, each fetched through the user's scope first (out of scope: 404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from accounts import roles
from accounts.decorators import agent_required
from common import throttle
from common.forms import apply_errors
from common.http import post_only
from common.storage import download_response
from workflows import scopes
from workflows.audiences import reads_internal_notes
from workflows.forms.threads import AgentMessageForm, MessageForm
from workflows.kinds import KINDS
from workflows.links import dossier_url
from workflows.services import threads
from workflows.views.dossiers import render_dossier

# An applicant writes a few messages a day; a script posting in a loop stops here.
APPLICANT_MESSAGES_PER_HOUR = 20


def applicant_limits(kind, subject_id, party) -> list[throttle.Limit]:
    return [throttle.Limit("thread-applicant", f"{kind}:{subject_id}:{party}", APPLICANT_MESSAGES_PER_HOUR)]


def message_form(user, data=None, files=None, *, prefix):
    """The agents' form (with the correction request) or the structure's; prefixed by the party (two threads may
    share a page)."""
    form_class = AgentMessageForm if reads_internal_notes(roles.active_role(user)) else MessageForm
    return form_class(data, files, prefix=prefix)


def with_download_urls(messages, url):
    """The messages, each attachment carrying the URL that serves it (`url(attachment)`)."""
    messages = list(messages)
    for message in messages:
        for attachment in message.attachments.all():
            attachment.download_url = url(attachment)
    return messages


def thread_block(*, party, messages, form, action, title, hidden=(), waiting=None, anchor="") -> dict:
    """What `workflows/espace/threads/_thread.html` shows of one thread."""
    return {
        "party": party,
        "anchor": anchor or f"fil-{party}",
        "title": title,
        "messages": messages,
        "form": form,
        "action": action,
        "hidden": [("party", party), *hidden],
        "waiting": waiting,
    }


def _to_dossier(request, kind, pk):
    if kind not in KINDS:
        raise Http404
    return redirect(dossier_url(kind, pk))


@agent_required
@post_only(on_get=_to_dossier)
def thread_post(request, kind, pk):
    """Post a message (and its files) on one thread of a dossier; a bad form comes back as typed, with a 400."""
    if kind not in KINDS:
        raise Http404
    subject = get_object_or_404(KINDS[kind].visible(request.user), pk=pk)
    party = request.POST.get("party", "")
    if party not in threads.readable_parties(request.user, kind):
        raise Http404
    form = message_form(request.user, request.POST, request.FILES, prefix=party)
    is_agent = isinstance(form, AgentMessageForm)
    if form.is_valid():
        limits = [] if is_agent else applicant_limits(kind, subject.pk, party)
        wait = throttle.retry_after(*limits) if limits else None
        if wait:
            form.add_error(None, f"Trop de messages envoyés sur ce dossier. {throttle.wait_message(wait)}")
        else:
            try:
                threads.message_post(
                    kind=kind,
                    subject_id=subject.pk,
                    party=party,
                    body=form.cleaned_data["body"],
                    files=form.cleaned_data["files"],
                    correction=form.cleaned_data.get("correction", False),
                    user=request.user,
                    request=request,
                )
            except PermissionDenied as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if limits:
                    throttle.consume(*limits)
                done = "Votre demande de correction est envoyée." if form.cleaned_data.get("correction") else None
                messages.success(request, done or "Votre message est envoyé.")
                return redirect(f"{dossier_url(kind, subject.pk)}#fil-{party}")
    request.thread_form = (party, form)  # read back by the thread partial of the dossier page
    return render_dossier(request, kind, subject.pk, status=400)


def attachment_response(attachment):
    """The file as a download that no browser renders inline nor keeps in a cache."""
    if not attachment.file:
        raise Http404
    try:
        return download_response(
            attachment.file.storage,
            attachment.file.name,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
    except FileNotFoundError:
        raise Http404 from None


@agent_required
def attachment(request, pk):
    """An attachment of a dossier in the user's scope, if its audience includes the user's role."""
    return attachment_response(get_object_or_404(scopes.visible_attachments(request.user), pk=pk))
