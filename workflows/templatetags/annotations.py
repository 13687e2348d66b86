"""Template tags of the agents' private annotations on a dossier page (agents only, never the applicant side)."""

from django import template

from workflows.forms.annotations import AnnotationForm
from workflows.services.annotations import dossier_annotations

register = template.Library()


@register.simple_tag(takes_context=True)
def annotations_of(context, kind, subject_id) -> list:
    """The dossier's annotations when the page's user is an agent ([] for anybody else)."""
    return dossier_annotations(kind=kind, subject_id=subject_id, user=context["request"].user)


@register.simple_tag(takes_context=True)
def annotation_form(context) -> AnnotationForm:
    """The annotation form: the one just refused (its errors and text) or an empty one."""
    return getattr(context["request"], "annotation_form", None) or AnnotationForm()
