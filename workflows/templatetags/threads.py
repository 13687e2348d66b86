"""Template tags of the dossiers' threads: the threads the user's role reads on a dossier page, with their forms."""

from django import template
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from accounts import roles
from workflows.audiences import reads_internal_notes
from workflows.enums import AttachmentAudience, Kind, Party
from workflows.models import Attachment
from workflows.services import threads
from workflows.views.threads import message_form, thread_block, with_download_urls

register = template.Library()

# The kinds whose steps join pièces outside a message (the rupture's documents step).
PIECE_KINDS = {Kind.RUPTURE}

THREAD_TITLES = {Party.STRUCTURE: "Échanges avec la structure", Party.CANDIDATE: "Échanges avec le candidat"}


@register.inclusion_tag("workflows/espace/threads/_threads.html", takes_context=True)
def dossier_threads(context):
    """The dossier page's threads: every party's for the agents, the structure's only for a structure manager."""
    request, kind, subject = context["request"], context["kind"], context["subject"]
    user = request.user
    parties = threads.readable_parties(user, kind)
    if not parties:
        return {"threads": [], "pieces": [], "csrf_token": context.get("csrf_token"), "request": request}
    is_agent = reads_internal_notes(roles.active_role(user))
    bound = getattr(request, "thread_form", None)
    messages = with_download_urls(
        threads.thread_messages(kind, subject.pk, parties),
        lambda attachment: reverse("workflows:attachment", args=[attachment.pk]),
    )
    # A correction request is a message of the thread: without one, there is nothing to look up.
    asked = any(message.is_correction_request for message in messages)
    correction = threads.open_correction(kind, subject.pk) if asked else None
    blocks = []
    for party in parties:
        form = bound[1] if bound and bound[0] == party else message_form(user, prefix=party)
        blocks.append(
            thread_block(
                party=party,
                messages=[message for message in messages if message.party == party],
                form=form,
                action=reverse("workflows:thread_post", args=[kind, subject.pk]),
                title=THREAD_TITLES[party] if is_agent else "Échanges avec les agents",
                waiting=correction if correction is not None and correction.party == party else None,
            )
        )
    pieces = []
    if kind in PIECE_KINDS:
        pieces = Attachment.objects.filter(kind=kind, subject_id=subject.pk, message__isnull=True)
        if not is_agent:
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
