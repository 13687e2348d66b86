"""Absolute and relative links to dossiers, shared by views, e-mails and commands."""

from django.conf import settings
from django.urls import reverse

from workflows.kinds import KINDS


def dossier_url(kind: str, pk: int) -> str:
    """The espace agents page of a dossier."""
    return reverse(KINDS[kind].url_name, args=[pk])


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def dossier_url_for_process(process) -> str:
    """The dossier page of a process (its flow class says which kind of dossier), or the espace agents' home."""
    kind = getattr(process.flow_class, "kind", None)
    if kind in KINDS:
        return dossier_url(kind, process.artifact_object_id)
    return reverse("workflows:home")
