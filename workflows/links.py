"""Absolute and relative links to dossiers, shared by views, e-mails and commands."""

from django.conf import settings
from django.urls import reverse

from workflows.enums import Kind

_DOSSIER_URLS = {
    Kind.STRUCTURE: "workflows:structure_application",
    Kind.RECRUITMENT: "workflows:recruitment",
    Kind.RUPTURE: "workflows:rupture",
}


def dossier_url(kind: str, pk: int) -> str:
    """The espace agents page of a dossier."""
    return reverse(_DOSSIER_URLS[kind], args=[pk])


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def dossier_url_for_process(process) -> str:
    """The dossier page of a process (its flow class says which kind of dossier), or the espace agents' home."""
    kind = getattr(process.flow_class, "kind", None)
    if kind in _DOSSIER_URLS:
        return dossier_url(kind, process.artifact_object_id)
    return reverse("workflows:home")
