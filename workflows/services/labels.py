"""Labels a team of agents puts on dossiers: read by the agents of that team only, never by the applicant."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from accounts import roles
from workflows.audiences import reads_internal_notes
from workflows.models import DossierLabel, Label
from workflows.services.common import check_dossier_in_scope
from workflows.teams import team_key

MAX_LABELS_PER_TEAM = 50
NAME_MAX_LENGTH = 40


def _team(user) -> str:
    """The team key of an agent, or PermissionDenied for roles that never read labels."""
    membership = roles.active_membership(user)
    team = team_key(membership)
    if membership is None or not reads_internal_notes(membership.role) or not team:
        raise PermissionDenied("Les étiquettes sont réservées aux agents.")
    return team


def clean_label_name(name: str) -> str:
    """One line, single spaces, 1 to 40 characters; or ValidationError on "name"."""
    name = re.sub(r"\s+", " ", name or "").strip()
    if not name:
        raise ValidationError({"name": "Saisissez le nom de l'étiquette."})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": f"Le nom de l'étiquette fait au plus {NAME_MAX_LENGTH} caractères."})
    return name


def team_labels(user):
    """The labels of the user's team (none for a role without a team)."""
    membership = roles.active_membership(user)
    team = team_key(membership) if membership is not None and reads_internal_notes(membership.role) else ""
    return Label.objects.filter(team=team) if team else Label.objects.none()


def dossier_labels(user, kind, subject_id):
    """The labels of the user's team on one dossier."""
    return team_labels(user).filter(dossiers__kind=kind, dossiers__subject_id=subject_id).order_by("name", "pk")


def team_labels_marked(user, kind, subject_id):
    """The labels of the user's team, each with `on_dossier` (whether it is on this dossier): one query."""
    on_dossier = DossierLabel.objects.filter(label=OuterRef("pk"), kind=kind, subject_id=subject_id)
    return team_labels(user).annotate(on_dossier=Exists(on_dossier)).order_by("name", "pk")


def _same_name(team, name) -> Label | None:
    """The team's label of that name, whatever the case (compared in Python: SQLite folds ASCII letters only; a
    team has at most 50 labels)."""
    wanted = name.casefold()
    return next((label for label in Label.objects.filter(team=team) if label.name.casefold() == wanted), None)


def _label_for(team, name, user) -> Label:
    """The team's label of that name (case-insensitive), created on first use within the team's limit."""
    label = _same_name(team, name)
    if label is not None:
        return label
    if Label.objects.filter(team=team).count() >= MAX_LABELS_PER_TEAM:
        raise ValidationError(
            {"name": f"Votre équipe a déjà {MAX_LABELS_PER_TEAM} étiquettes : réutilisez l'une d'elles."}
        )
    try:
        with transaction.atomic():
            return Label.objects.create(team=team, name=name, created_by=user)
    except IntegrityError:
        # Created by a colleague at the same moment.
        return _same_name(team, name) or Label.objects.get(team=team, name=name)


@transaction.atomic
def dossier_label_add(*, kind, subject_id, name, user, request=None) -> Label:
    """Put a label of the user's team on a dossier (the label is created on first use)."""
    team = _team(user)
    check_dossier_in_scope(user, kind, subject_id)
    label = _label_for(team, clean_label_name(name), user)
    DossierLabel.objects.get_or_create(label=label, kind=kind, subject_id=subject_id, defaults={"added_by": user})
    return label


@transaction.atomic
def dossier_label_remove(*, kind, subject_id, name, user, request=None) -> None:
    """Take a label of the user's team off a dossier (the label stays for the team's other dossiers)."""
    team = _team(user)
    check_dossier_in_scope(user, kind, subject_id)
    label = _same_name(team, clean_label_name(name))
    if label is not None:
        DossierLabel.objects.filter(label=label, kind=kind, subject_id=subject_id).delete()
