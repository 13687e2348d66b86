"""Private annotations of the agents on a dossier: written and read by the agents of the dossier's territory only
(never by the structure, the candidate or in any e-mail or applicant-facing export); the author may delete hers."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts import roles
from accounts.enums import AuditAction
from accounts.services import audit_record
from workflows.audiences import reads_internal_notes
from workflows.kinds import KINDS
from workflows.models import Annotation
from workflows.services.common import check_dossier_in_scope

BODY_MAX = 2000


def _check_agent_on(user, kind, subject_id) -> None:
    """An active agent (prefecture, hub, national) with the dossier in her scope, or PermissionDenied."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied("Vous devez être connecté.")
    if not reads_internal_notes(roles.active_role(user)):
        raise PermissionDenied("Les annotations sont réservées aux agents.")
    check_dossier_in_scope(user, kind, subject_id)


def _author_label(user) -> str:
    name = user.get_full_name() or user.email
    membership = roles.active_membership(user)
    return f"{name} ({membership})"[:255] if membership else name[:255]


def dossier_annotations(*, kind, subject_id, user) -> list[Annotation]:
    """The annotations of a dossier, oldest first, for an agent of its territory (none for anybody else)."""
    if user is None or not user.is_authenticated or not reads_internal_notes(roles.active_role(user)):
        return []
    return list(Annotation.objects.filter(kind=kind, subject_id=subject_id).order_by("created_at", "pk"))


@transaction.atomic
def annotation_add(*, kind, subject_id, body: str, user, request=None) -> Annotation:
    """An agent writes a private note on a dossier of her territory."""
    _check_agent_on(user, kind, subject_id)
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Écrivez l'annotation."})
    if len(body) > BODY_MAX:
        raise ValidationError({"body": "2 000 caractères au maximum."})
    return Annotation.objects.create(
        kind=kind, subject_id=subject_id, author=user, author_label=_author_label(user), body=body
    )


@transaction.atomic
def annotation_delete(*, annotation: Annotation, user, request=None) -> None:
    """The author deletes her own annotation (still an agent of the dossier's territory); the deletion is audited,
    without the note's text."""
    _check_agent_on(user, annotation.kind, annotation.subject_id)
    if annotation.author_id != user.pk:
        raise PermissionDenied("Seul l'auteur d'une annotation peut la supprimer.")
    subject = KINDS[annotation.kind].model_class().objects.get(pk=annotation.subject_id)
    # No audit action of its own (that would need an accounts migration): the dossier's action, told apart by details.
    audit_record(
        actor=user,
        action=AuditAction.WORKFLOW_DECISION,
        target=subject,
        details={
            "operation": "annotation_supprimee",
            "kind": annotation.kind,
            "annotation": annotation.pk,
            "written_at": annotation.created_at.isoformat(),
        },
        request=request,
    )
    annotation.delete()
