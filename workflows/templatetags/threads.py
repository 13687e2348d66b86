"""Template tags of the dossiers' threads: the threads the user's role reads on a dossier page, with their forms."""

from django import template
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from accounts import roles
from workflows.audiences import reads_internal_notes
from workflows.enums import AttachmentAudience, Party
from workflows.models import Attachment
from workflows.services import threads
from workflows.views.threads import message_form, thread_block, with_download_urls

register = template.Library()

THREAD_TITLES = {Party.STRUCTURE: "Échanges avec la structure", Party.CANDIDATE: "Échanges avec le candidat"}


@register.inclusion_tag("workflows/espace/threads/_threads.html", takes_context=True)
def dossier_threads(context):
    """The dossier page's threads: every party's for the agents, the structure's only for a structure manager."""
    request, kind, subject = context["request"], context["kind"], context["subject"]
    user = request.user
    parties = threads.readable_parties(user, kind)
    bound = getattr(request, "thread_form", None)
    correction = threads.open_correction(kind, subject.pk) if parties else None
    blocks = []
    for party in parties:
        messages = with_download_urls(
            threads.thread_messages(kind, subject.pk, party),
            lambda attachment: reverse("workflows:attachment", args=[attachment.pk]),
        )
        form = bound[1] if bound and bound[0] == party else message_form(user, prefix=party)
        waiting = correction if correction is not None and correction.party == party else None
        blocks.append(
            thread_block(
                party=party,
                messages=messages,
                form=form,
                action=reverse("workflows:thread_post", args=[kind, subject.pk]),
                title=THREAD_TITLES[party]
                if reads_internal_notes(roles.active_role(user))
                else "Échanges avec les agents",
                waiting=waiting,
            )
        )
    pieces = Attachment.objects.none()
    if parties:
        pieces = Attachment.objects.filter(kind=kind, subject_id=subject.pk, message__isnull=True)
        if not reads_internal_notes(roles.active_role(user)):
            pieces = pieces.filter(audience=AttachmentAudience.STRUCTURE)
    pieces = list(pieces)
    for piece in pieces:
        piece.download_url = reverse("workflows:attachment", args=[piece.pk])
    return {
        "threads": blocks,
        "pieces": pieces,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }


@register.filter
def file_size(value) -> str:
    return filesizeformat(value).replace("bytes", "octets").replace("KB", "Ko").replace("MB", "Mo")
