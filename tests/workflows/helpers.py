"""Helpers of the parcours tests: a valid PDF, the open task of a dossier, dossiers moved to a given step."""

import io

from pypdf import PdfWriter

from tests.workflows.factories import StructureApplicationFactory
from workflows import services
from workflows.enums import Kind, Step
from workflows.models import WorkItem


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def work_item(kind, subject, step) -> WorkItem:
    """The open task of a dossier at a step (fails loudly when absent)."""
    return WorkItem.objects.select_related("task").get(kind=kind, subject_id=subject.pk, step=step, is_open=True)


def confirmed_application(**kwargs):
    """A structure application whose e-mail is confirmed: it waits for the prefecture's opinion."""
    application = StructureApplicationFactory(**kwargs)
    return services.structure_application_confirm(application_id=application.pk)


def application_at_hub(prefecture_user, **kwargs):
    application = confirmed_application(**kwargs)
    services.structure_prefecture_review(
        work_item=work_item(Kind.STRUCTURE, application, Step.STRUCTURE_PREFECTURE),
        user=prefecture_user,
        opinion="favorable",
        internal_note="Avis favorable, le besoin est réel.",
    )
    application.refresh_from_db()
    return application
