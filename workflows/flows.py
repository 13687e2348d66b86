"""The three parcours as Viewflow flows (open-source nodes only). Flows only wire nodes: every business write
happens in workflows/services/ before `activation.execute()`, and the timers' work in workflows/timers.py.

Each human step is a `View` node that carries a role-level permission (see accounts.backends), a deadline
(WORKFLOW_TASK_DEADLINE_DAYS), a reminder timer before it and an escalation timer after it, both
non-interrupting: the task stays open and actionable, the dossier is flagged and people are told.
"""

from django.shortcuts import redirect
from django.utils import timezone
from viewflow import this
from viewflow.workflow import act, flow
from viewflow.workflow.lock import SelectForUpdateLock

from workflows import timers
from workflows.enums import (
    Kind,
    PrefectureOpinion,
    RecruitmentHubDecision,
    RecruitmentStatus,
    RequestDecision,
    RuptureDecision,
    Step,
    StructureHubDecision,
)
from workflows.links import dossier_url_for_process
from workflows.models import (
    ContractChangeProcess,
    CoordinatorProcess,
    PostRequestProcess,
    RecruitmentProcess,
    RenewalProcess,
    RuptureProcess,
    StructureApplicationProcess,
    TransferProcess,
    WorkItem,
)
from workflows.notifications.deadlines import new_task_opened
from workflows.steps import STEPS
from workflows.timers import deadline_delay, reminder_delay


def _task_view(request, *args, **kwargs):
    """Viewflow's own task URL, if ever mounted: our dossier page does the work."""
    return redirect(dossier_url_for_process(request.activation.process))


def human(step: Step):
    """A human step: its role permission (from the step registry), work-item index on creation, reminder and
    escalation timers. The node remembers its step for the work items it creates."""
    node = (
        flow.View(_task_view)
        .Permission(STEPS[step].permission)
        .onCreate(this.task_created)
        .OnTimeout(reminder_delay, this.reminder, interrupting=False, title="Rappel avant échéance")
        .OnTimeout(deadline_delay, this.overdue, interrupting=False, title="Échéance dépassée")
    )
    node.work_step = step
    return node


class BaseFlow(flow.Flow):
    """Shared by every parcours: row lock on the process (PostgreSQL), work items, timers."""

    lock_impl = SelectForUpdateLock(nowait=False, attempts=1)
    kind = None

    def start_process(self, activation, subject):
        activation.process.artifact = subject
        return activation.process

    def task_created(self, activation):
        subject = activation.process.artifact
        title, search_text, structure_id, department_id = self.describe(subject)
        created = timezone.now()
        work_item = WorkItem.objects.create(
            task=activation.task,
            process=activation.process,
            kind=self.kind,
            subject_id=subject.pk,
            step=activation.flow_task.work_step,
            department_id=department_id,
            structure_id=structure_id,
            title=title[:255],
            search_text=search_text[:400],
            created_at=created,
            due_at=created + deadline_delay(),
            **self.facets(subject, activation.process),
        )
        new_task_opened(work_item)

    def send_reminder(self, activation):
        timers.remind(activation)

    def mark_overdue(self, activation):
        timers.escalate(activation)

    def describe(self, subject) -> tuple[str, str, int | None, str]:
        raise NotImplementedError

    def facets(self, subject, process) -> dict:
        """What the lists filter and sort on besides the step: the prefecture's opinion, the structure's type and
        the posts asked, as they stand when the task opens."""
        structure = getattr(subject, "structure", None)
        return {
            "prefecture_opinion": getattr(subject, "prefecture_opinion", "") or "",
            "structure_type": structure.type if structure is not None else "",
            "posts_requested": getattr(subject, "posts_requested", None),
        }


class StructureApplicationFlow(BaseFlow):
    """Candidature de structure

    E-mail confirmed → avis du préfet → validation du hub (attribuer, refuser, renvoyer au préfet, doublon)."""

    process_class = StructureApplicationProcess
    kind = Kind.STRUCTURE

    start = flow.StartHandle(this.start_process).Annotation(title="E-mail confirmé").Next(this.prefecture_review)
    prefecture_review = human(Step.STRUCTURE_PREFECTURE).Annotation(title="Avis du préfet").Next(this.hub_validation)
    hub_validation = human(Step.STRUCTURE_HUB).Annotation(title="Validation du hub").Next(this.route_hub)
    route_hub = (
        flow.Switch()
        .Annotation(title="Décision du hub")
        .Case(this.granted, lambda a: a.process.hub_decision == StructureHubDecision.GRANT)
        .Case(this.prefecture_review, lambda a: a.process.hub_decision == StructureHubDecision.SEND_BACK)
        .Case(this.duplicate, lambda a: a.process.hub_decision == StructureHubDecision.DUPLICATE)
        .Default(this.refused)
    )
    granted = flow.End().Annotation(title="Postes attribués")
    refused = flow.End().Annotation(title="Refusée")
    duplicate = flow.End().Annotation(title="Doublon")
    reminder = flow.Function(this.send_reminder).Annotation(title="Rappel").Next(this.timer_done)
    overdue = flow.Function(this.mark_overdue).Annotation(title="Escalade").Next(this.timer_done)
    timer_done = flow.End().Annotation(title="Alerte envoyée")

    def facets(self, subject, process):
        return {
            "prefecture_opinion": subject.prefecture_opinion,
            "structure_type": subject.type,
            "posts_requested": subject.advisors_wanted,
        }

    def describe(self, subject):
        return (
            f"{subject.name} — SIRET {subject.siret}",
            f"{subject.name} {subject.siret}".lower(),
            subject.structure_id,
            subject.department_id,
        )


class RecruitmentFlow(BaseFlow):
    """Recrutement de conseiller

    Présélection → contrat proposé → avis du préfet → validation du hub → formation → prise de poste."""

    process_class = RecruitmentProcess
    kind = Kind.RECRUITMENT

    start = flow.StartHandle(this.start_process).Annotation(title="Présélection").Next(this.contract)
    contract = human(Step.RECRUITMENT_CONTRACT).Annotation(title="Proposition de contrat").Next(this.prefecture_review)
    prefecture_review = (
        human(Step.RECRUITMENT_PREFECTURE).Annotation(title="Avis du préfet").Next(this.route_prefecture)
    )
    route_prefecture = (
        flow.If(act.process.prefecture_favorable)
        .Annotation(title="Avis favorable ?")
        .Then(this.hub_validation)
        .Else(this.refused)
    )
    hub_validation = human(Step.RECRUITMENT_HUB).Annotation(title="Validation du hub").Next(this.route_hub)
    route_hub = (
        flow.Switch()
        .Annotation(title="Décision du hub")
        .Case(this.training, lambda a: a.process.hub_decision == RecruitmentHubDecision.VALIDATE)
        .Case(this.prefecture_review, lambda a: a.process.hub_decision == RecruitmentHubDecision.SEND_BACK)
        .Default(this.refused)
    )
    training = human(Step.RECRUITMENT_TRAINING).Annotation(title="Formation").Next(this.deployment)
    deployment = human(Step.RECRUITMENT_DEPLOYMENT).Annotation(title="Prise de poste").Next(this.active)
    active = flow.End().Annotation(title="Conseiller en poste")
    refused = flow.End().Annotation(title="Refusé")
    reminder = flow.Function(this.send_reminder).Annotation(title="Rappel").Next(this.timer_done)
    overdue = flow.Function(this.mark_overdue).Annotation(title="Escalade").Next(this.timer_done)
    timer_done = flow.End().Annotation(title="Alerte envoyée")

    def facets(self, subject, process):
        facets = super().facets(subject, process)
        reviewed = (RecruitmentStatus.HUB_VALIDATION, RecruitmentStatus.TRAINING, RecruitmentStatus.DEPLOYMENT)
        if subject.status in reviewed:
            facets["prefecture_opinion"] = (
                PrefectureOpinion.FAVORABLE if process.prefecture_favorable else PrefectureOpinion.UNFAVORABLE
            )
        return {**facets, "posts_requested": 1}

    def describe(self, subject):
        candidate = subject.candidate
        return (
            f"{candidate.full_name} — {subject.structure.name}",
            f"{candidate.full_name} {subject.structure.name} {subject.structure.siret or ''}".lower(),
            subject.structure_id,
            subject.department_id,
        )


class RuptureFlow(BaseFlow):
    """Fin de contrat

    Notifiée par la structure → validation (hub ou national), qui peut demander des pièces manquantes ; la fin
    prend effet à sa date (`services.rupture_apply`)."""

    process_class = RuptureProcess
    kind = Kind.RUPTURE

    start = flow.StartHandle(this.start_process).Annotation(title="Fin de contrat notifiée").Next(this.validation)
    validation = human(Step.RUPTURE_VALIDATION).Annotation(title="Validation").Next(this.route)
    route = (
        flow.Switch()
        .Annotation(title="Décision")
        .Case(this.documents, lambda a: a.process.decision == RuptureDecision.REQUEST_DOCUMENTS)
        .Default(this.ended)
    )
    documents = human(Step.RUPTURE_DOCUMENTS).Annotation(title="Pièces manquantes").Next(this.validation)
    ended = flow.End().Annotation(title="Validée : effet à la date de fin")  # apply_contract_endings ends it
    reminder = flow.Function(this.send_reminder).Annotation(title="Rappel").Next(this.timer_done)
    overdue = flow.Function(this.mark_overdue).Annotation(title="Escalade").Next(this.timer_done)
    timer_done = flow.End().Annotation(title="Alerte envoyée")

    def describe(self, subject):
        return (
            f"{subject.advisor.full_name} — {subject.structure.name}",
            f"{subject.advisor.full_name} {subject.structure.name} {subject.structure.siret or ''}".lower(),
            subject.structure_id,
            subject.department_id,
        )


FLOWS = {Kind.STRUCTURE: StructureApplicationFlow, Kind.RECRUITMENT: RecruitmentFlow, Kind.RUPTURE: RuptureFlow}


class RenewalFlow(BaseFlow):
    """Reconventionnement

    Demandé par la structure avant la fin de sa convention → avis du préfet → validation nationale (accorder N
    postes, refuser, renvoyer au préfet) ; la nouvelle convention commence le lendemain de la fin de l'ancienne
    (effets datés : workflows/dated.py)."""

    process_class = RenewalProcess
    kind = Kind.RENEWAL

    start = flow.StartHandle(this.start_process).Annotation(title="Reconventionnement demandé").Next(this.prefecture)
    prefecture = human(Step.RENEWAL_PREFECTURE).Annotation(title="Avis du préfet").Next(this.national)
    national = human(Step.RENEWAL_DECISION).Annotation(title="Validation nationale").Next(this.route)
    route = (
        flow.Switch()
        .Annotation(title="Décision nationale")
        .Case(this.granted, lambda a: a.process.decision == RequestDecision.GRANT)
        .Case(this.prefecture, lambda a: a.process.decision == RequestDecision.SEND_BACK)
        .Default(this.refused)
    )
    granted = flow.End().Annotation(title="Accordé : nouvelle convention à sa date")
    refused = flow.End().Annotation(title="Refusé")
    reminder = flow.Function(this.send_reminder).Annotation(title="Rappel").Next(this.timer_done)
    overdue = flow.Function(this.mark_overdue).Annotation(title="Escalade").Next(this.timer_done)
    timer_done = flow.End().Annotation(title="Alerte envoyée")

    def describe(self, subject):
        return (
            f"Reconventionnement — {subject.structure.name}",
            f"reconventionnement {subject.structure.name} {subject.structure.siret or ''}".lower(),
            subject.structure_id,
            subject.department_id,
        )


FLOWS[Kind.RENEWAL] = RenewalFlow


# --- Issue 13, avenants (helper "post_requests") ---------------------------------------------------------------------


class PostRequestFlow(BaseFlow):
    """Avenant (ajout ou rendu de postes)

    Déposé par la structure → avis du préfet → décision du hub ou de l'équipe nationale (accorder N postes au plus,
    refuser, renvoyer au préfet) ; les postes de la convention changent le jour de l'accord."""

    process_class = PostRequestProcess
    kind = Kind.POST_REQUEST

    start = flow.StartHandle(this.start_process).Annotation(title="Avenant déposé").Next(this.prefecture_review)
    prefecture_review = human(Step.POST_REQUEST_PREFECTURE).Annotation(title="Avis du préfet").Next(this.decision)
    decision = human(Step.POST_REQUEST_DECISION).Annotation(title="Décision").Next(this.route)
    route = (
        flow.Switch()
        .Annotation(title="Décision")
        .Case(this.granted, lambda a: a.process.decision == RequestDecision.GRANT)
        .Case(this.prefecture_review, lambda a: a.process.decision == RequestDecision.SEND_BACK)
        .Default(this.refused)
    )
    granted = flow.End().Annotation(title="Postes ajustés")
    refused = flow.End().Annotation(title="Refusé")
    reminder = flow.Function(this.send_reminder).Annotation(title="Rappel").Next(this.timer_done)
    overdue = flow.Function(this.mark_overdue).Annotation(title="Escalade").Next(this.timer_done)
    timer_done = flow.End().Annotation(title="Alerte envoyée")

    def describe(self, subject):
        structure = subject.structure
        return (
            f"{subject.get_type_display()} ({subject.posts_requested}) — {structure.name}",
            f"avenant {structure.name} {structure.siret or ''}".lower(),
            subject.structure_id,
            subject.department_id,
        )


FLOWS[Kind.POST_REQUEST] = PostRequestFlow


# --- Contract changes (issue 13, item 5) ---------------------------------------------------------------------------


class ContractChangeFlow(BaseFlow):
    """Modification de contrat

    Demandée par la structure (prolongation, renouvellement, avenant au contrat) → validation du hub (ou de l'équipe
    nationale) ; un renouvellement validé prend effet le lendemain de la fin du contrat en cours
    (`services.contract_change_apply`, commande quotidienne)."""

    process_class = ContractChangeProcess
    kind = Kind.CONTRACT_CHANGE

    start = flow.StartHandle(this.start_process).Annotation(title="Demande de la structure").Next(this.validation)
    validation = human(Step.CONTRACT_CHANGE_VALIDATION).Annotation(title="Validation du hub").Next(this.route)
    route = (
        flow.Switch()
        .Annotation(title="Décision")
        .Case(this.validated, lambda a: a.process.decision == RequestDecision.GRANT)
        .Default(this.refused)
    )
    validated = flow.End().Annotation(title="Validée")
    refused = flow.End().Annotation(title="Refusée")
    reminder = flow.Function(this.send_reminder).Annotation(title="Rappel").Next(this.timer_done)
    overdue = flow.Function(this.mark_overdue).Annotation(title="Escalade").Next(this.timer_done)
    timer_done = flow.End().Annotation(title="Alerte envoyée")

    def describe(self, subject):
        return (
            f"{subject.get_type_display().split(' (')[0]} — {subject.advisor.full_name} — {subject.structure.name}",
            f"{subject.advisor.full_name} {subject.structure.name} {subject.structure.siret or ''}".lower(),
            subject.structure_id,
            subject.department_id,
        )


FLOWS[Kind.CONTRACT_CHANGE] = ContractChangeFlow


# --- Coordinator posts (issue 13, item 6) ------------------------------------------------------------------------


class CoordinatorFlow(BaseFlow):
    """Poste de coordinateur

    Demande de la structure → avis et classement du préfet → décision nationale (accorder, refuser, renvoyer au
    préfet) → désignation du coordinateur par la structure."""

    process_class = CoordinatorProcess
    kind = Kind.COORDINATOR

    start = flow.StartHandle(this.start_process).Annotation(title="Demande déposée").Next(this.prefecture_review)
    prefecture_review = (
        human(Step.COORDINATOR_PREFECTURE)
        .Annotation(title="Avis et classement du préfet")
        .Next(this.national_decision)
    )
    national_decision = human(Step.COORDINATOR_DECISION).Annotation(title="Décision nationale").Next(this.route)
    route = (
        flow.Switch()
        .Annotation(title="Décision")
        .Case(this.designation, lambda a: a.process.decision == RequestDecision.GRANT)
        .Case(this.prefecture_review, lambda a: a.process.decision == RequestDecision.SEND_BACK)
        .Default(this.refused)
    )
    designation = (
        human(Step.COORDINATOR_DESIGNATION).Annotation(title="Désignation du coordinateur").Next(this.granted)
    )
    granted = flow.End().Annotation(title="Coordinateur désigné")
    refused = flow.End().Annotation(title="Refusée")
    reminder = flow.Function(this.send_reminder).Annotation(title="Rappel").Next(this.timer_done)
    overdue = flow.Function(this.mark_overdue).Annotation(title="Escalade").Next(this.timer_done)
    timer_done = flow.End().Annotation(title="Alerte envoyée")

    def describe(self, subject):
        structure = subject.structure
        return (
            f"Poste de coordinateur — {structure.name}",
            f"coordinateur {structure.name} {structure.siret or ''}".lower(),
            subject.structure_id,
            subject.department_id,
        )


FLOWS[Kind.COORDINATOR] = CoordinatorFlow


class TransferFlow(BaseFlow):
    """Transfert de postes

    Lancé par l'équipe nationale → avis du préfet du département d'accueil (si demandé) → décision nationale
    (confirmer, refuser, renvoyer au préfet) ; le transfert prend effet à sa date (`services.transfer_apply`)."""

    process_class = TransferProcess
    kind = Kind.TRANSFER

    start = flow.StartHandle(this.start_transfer).Annotation(title="Transfert lancé").Next(this.route_start)
    route_start = (
        flow.If(act.process.ask_prefecture)
        .Annotation(title="Avis du préfet demandé ?")
        .Then(this.prefecture_review)
        .Else(this.decision)
    )
    prefecture_review = (
        human(Step.TRANSFER_PREFECTURE).Annotation(title="Avis du préfet (accueil)").Next(this.decision)
    )
    decision = human(Step.TRANSFER_DECISION).Annotation(title="Décision nationale").Next(this.route)
    route = (
        flow.Switch()
        .Annotation(title="Décision")
        .Case(this.prefecture_review, lambda a: a.process.decision == RequestDecision.SEND_BACK)
        .Case(this.refused, lambda a: a.process.decision == RequestDecision.REFUSE)
        .Default(this.confirmed)
    )
    confirmed = flow.End().Annotation(title="Confirmé : effet à sa date")  # apply_programme_dates applies it
    refused = flow.End().Annotation(title="Refusé")
    reminder = flow.Function(this.send_reminder).Annotation(title="Rappel").Next(this.timer_done)
    overdue = flow.Function(this.mark_overdue).Annotation(title="Escalade").Next(this.timer_done)
    timer_done = flow.End().Annotation(title="Alerte envoyée")

    def start_transfer(self, activation, subject):
        activation.process.ask_prefecture = subject.ask_prefecture
        return self.start_process(activation, subject)

    def facets(self, subject, process):
        return {**super().facets(subject, process), "posts_requested": subject.posts}

    def describe(self, subject):
        return (
            f"{subject.posts} poste(s) : {subject.from_structure.name} → {subject.structure.name}",
            f"{subject.from_structure.name} {subject.structure.name} {subject.structure.siret or ''}".lower(),
            subject.structure_id,
            subject.department_id,
        )


FLOWS[Kind.TRANSFER] = TransferFlow
