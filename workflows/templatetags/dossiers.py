"""Template tags shared by the espace agents' lists: the dossier page of any kind (from workflows.kinds)."""

from django import template
from django.urls import NoReverseMatch

from workflows.links import dossier_url

register = template.Library()


@register.simple_tag
def dossier_link(kind, pk) -> str:
    """The dossier page of a row of any kind ("" while that kind's page is not built)."""
    try:
        return dossier_url(kind, pk)
    except (KeyError, NoReverseMatch):
        return ""
