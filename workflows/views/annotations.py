"""The agents' private annotations on a dossier page: add one, delete one's own."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from accounts.decorators import role_required
from common.forms import apply_errors
from common.http import post_only
from workflows.audiences import INTERNAL_NOTE_READERS
from workflows.forms.annotations import AnnotationForm
from workflows.kinds import KINDS
from workflows.links import dossier_url
from workflows.models import Annotation
from workflows.services.annotations import annotation_add as add_service
from workflows.services.annotations import annotation_delete as delete_service
from workflows.views.dossiers import render_dossier

agents_only = role_required(*sorted(INTERNAL_NOTE_READERS))


def _subject_pk(user, kind, pk) -> int:
    """The dossier through the user's scope (404 when out of scope or of an unknown kind)."""
    if kind not in KINDS:
        raise Http404
    return get_object_or_404(KINDS[kind].visible(user).only("pk"), pk=pk).pk


def _to_dossier(request, kind, pk, **kwargs):
    return redirect(dossier_url(kind, _subject_pk(request.user, kind, pk)) + "#annotations")


@agents_only
@post_only(on_get=_to_dossier)
def annotation_add(request, kind, pk):
    """Save a private annotation; a bad one re-renders the dossier page (400) with the text kept."""
    pk = _subject_pk(request.user, kind, pk)
    form = AnnotationForm(request.POST)
    if form.is_valid():
        try:
            add_service(kind=kind, subject_id=pk, body=form.cleaned_data["body"], user=request.user, request=request)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Votre annotation est enregistrée : seuls les agents la lisent.")
            return redirect(dossier_url(kind, pk) + "#annotations")
    # The dossier page's partial shows this form (its errors and the text typed) instead of an empty one.
    request.annotation_form = form
    return render_dossier(request, kind, pk, status=400)


@agents_only
@post_only(on_get=_to_dossier)
def annotation_delete(request, kind, pk, annotation_pk):
    """Delete one's own annotation (another agent's answers 403)."""
    pk = _subject_pk(request.user, kind, pk)
    annotation = get_object_or_404(Annotation, kind=kind, subject_id=pk, pk=annotation_pk)
    delete_service(annotation=annotation, user=request.user, request=request)
    messages.success(request, "Votre annotation est supprimée.")
    return redirect(dossier_url(kind, pk) + "#annotations")
