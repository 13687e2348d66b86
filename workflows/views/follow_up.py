"""The dossier page's follow-up (agents only): put or take off a label of the team, confide the task to a colleague."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.decorators import role_required
from accounts.enums import Role
from common.forms import apply_errors
from common.http import post_only
from workflows import scopes, services
from workflows.forms.follow_up import AssignForm, LabelForm
from workflows.kinds import KINDS
from workflows.links import dossier_url
from workflows.services.assignment import assignable_agents, work_item_assign
from workflows.services.labels import dossier_label_add, dossier_label_remove, team_labels

agents_only = role_required(Role.PREFECTURE, Role.HUB, Role.NATIONAL)


def _subject(request, kind, pk):
    if kind not in KINDS:
        raise Http404
    return get_object_or_404(KINDS[kind].visible(request.user), pk=pk)


def _to_dossier(request, kind, pk):
    _subject(request, kind, pk)
    return redirect(dossier_url(kind, pk))


def _work_item(request, pk):
    return get_object_or_404(scopes.visible_work_items(request.user).select_related("task", "owner"), pk=pk)


def _to_task_dossier(request, pk):
    work_item = _work_item(request, pk)
    return redirect(dossier_url(work_item.kind, work_item.subject_id))


def _form_page(request, form, *, heading, title, kind, pk, action, submit_label, labels=()):
    """A follow-up form sent back with its errors (400), what was typed kept, and a way back to the dossier."""
    context = {
        "page_title": heading,
        "heading": heading,
        "title": title,
        "form": form,
        "action": action,
        "submit_label": submit_label,
        "dossier_link": dossier_url(kind, pk),
        "labels": labels,
    }
    return render(request, "workflows/espace/bulk/follow_up_form.html", context, status=400)


@agents_only
@post_only(on_get=_to_dossier)
def label_add(request, kind, pk):
    """Put a label of my team on the dossier (created on first use)."""
    subject = _subject(request, kind, pk)
    form = LabelForm(request.POST)
    if form.is_valid():
        try:
            label = dossier_label_add(
                kind=kind, subject_id=subject.pk, name=form.cleaned_data["name"], user=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Étiquette « {label.name} » ajoutée.")
            return redirect(dossier_url(kind, pk))
    return _form_page(
        request,
        form,
        heading="Ajouter une étiquette",
        title=KINDS[kind].title(subject),
        kind=kind,
        pk=pk,
        action=reverse("workflows:follow_up_label_add", args=[kind, pk]),
        submit_label="Ajouter l'étiquette",
        labels=team_labels(request.user),
    )


@agents_only
@post_only(on_get=_to_dossier)
def label_remove(request, kind, pk):
    """Take a label of my team off the dossier."""
    subject = _subject(request, kind, pk)
    try:
        dossier_label_remove(kind=kind, subject_id=subject.pk, name=request.POST.get("name", ""), user=request.user)
    except ValidationError:
        messages.warning(request, "Étiquette inconnue : rien n'a été retiré.")
    else:
        messages.success(request, "Étiquette retirée.")
    return redirect(dossier_url(kind, pk))


@agents_only
@post_only(on_get=_to_task_dossier)
def assign(request, pk):
    """Confide the dossier's open task to a colleague of my scope (she is told so)."""
    work_item = _work_item(request, pk)
    target = dossier_url(work_item.kind, work_item.subject_id)
    if not work_item.is_open:
        messages.warning(request, services.ALREADY_PROCESSED)
        return redirect(target)
    # Only who may act on the step confides it: the others are refused before any form (403).
    services.check_can_act(request.user, work_item)
    form = AssignForm(request.POST, agents=assignable_agents(work_item, request.user))
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        try:
            work_item_assign(work_item=work_item, assignee=assignee, user=request.user, request=request)
        except services.AlreadyProcessed as error:
            messages.warning(request, str(error))
            return redirect(target)
        except PermissionDenied as error:
            messages.error(request, str(error) or "Vous ne pouvez pas confier ce dossier.")
            return redirect(target)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Dossier confié à {assignee}.")
            return redirect(target)
    return _form_page(
        request,
        form,
        heading="Confier le dossier",
        title=work_item.title,
        kind=work_item.kind,
        pk=work_item.subject_id,
        action=reverse("workflows:follow_up_assign", args=[pk]),
        submit_label="Confier le dossier",
    )
