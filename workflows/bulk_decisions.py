"""The registry of the decisions allowed in bulk: per step, which decisions one agent may apply to many dossiers at
once, and how each dossier's arguments of the step's service are derived from its open task.

A bulk decision calls the same service as a single decision (`STEPS[step].service`), so each dossier is decided under
its own lock, recorded as its own decision and its e-mails are queued. The internal note and the message to the
applicant are typed once on the bulk form and given to every dossier.
"""

from collections.abc import Callable
from dataclasses import dataclass

from workflows.enums import PrefectureOpinion, RecruitmentHubDecision, RequestDecision, Step, StructureHubDecision


class NotEligible(Exception):
    """This dossier cannot take this bulk decision (the message says why, in French)."""


@dataclass(frozen=True)
class BulkDecision:
    """One decision allowed in bulk at one step."""

    step: Step
    key: str
    label: str
    arguments: Callable  # work_item -> the step service's keyword arguments (raises NotEligible)
    outcome: Callable  # work_item -> what the dossier will get, shown on the confirmation page
    note_required: bool = False  # the service refuses an internal note shorter than 10 characters

    @property
    def value(self) -> str:
        """The value of this decision in the bulk form's choices."""
        return f"{self.step}:{self.key}"


def _favourable_opinion(work_item) -> dict:
    return {"opinion": PrefectureOpinion.FAVORABLE}


def _posts_asked(work_item) -> int:
    if work_item.prefecture_opinion != PrefectureOpinion.FAVORABLE:
        raise NotEligible("Pas d'avis favorable du préfet : à décider dossier par dossier.")
    if not work_item.posts_requested:
        raise NotEligible("Nombre de postes demandés inconnu : à décider dossier par dossier.")
    return work_item.posts_requested


def _grant_structure(work_item) -> dict:
    return {"decision": StructureHubDecision.GRANT, "posts_granted": _posts_asked(work_item)}


def _grant_post_request(work_item) -> dict:
    return {"decision": RequestDecision.GRANT, "posts_granted": _posts_asked(work_item)}


def _posts_outcome(work_item) -> str:
    posts = _posts_asked(work_item)
    return f"{posts} poste{'s' if posts > 1 else ''} (nombre demandé)"


def _opinion_outcome(work_item) -> str:
    return "Avis favorable"


def _validate_outcome(work_item) -> str:
    return "Recrutement validé : passe en formation"


def _prefecture_favourable(step) -> BulkDecision:
    return BulkDecision(
        step,
        "favorable",
        "Donner un avis favorable (avec une note interne commune)",
        _favourable_opinion,
        _opinion_outcome,
        note_required=True,
    )


BULK_DECISIONS: dict[str, tuple[BulkDecision, ...]] = {
    Step.STRUCTURE_PREFECTURE: (_prefecture_favourable(Step.STRUCTURE_PREFECTURE),),
    Step.RECRUITMENT_PREFECTURE: (_prefecture_favourable(Step.RECRUITMENT_PREFECTURE),),
    Step.POST_REQUEST_PREFECTURE: (_prefecture_favourable(Step.POST_REQUEST_PREFECTURE),),
    Step.RENEWAL_PREFECTURE: (_prefecture_favourable(Step.RENEWAL_PREFECTURE),),
    Step.TRANSFER_PREFECTURE: (_prefecture_favourable(Step.TRANSFER_PREFECTURE),),
    # The coordinator posts' opinion also ranks each request among the department's: never in bulk.
    Step.STRUCTURE_HUB: (
        BulkDecision(
            Step.STRUCTURE_HUB,
            "attribuer",
            "Attribuer les postes demandés (avis favorable du préfet seulement)",
            _grant_structure,
            _posts_outcome,
        ),
    ),
    Step.RECRUITMENT_HUB: (
        BulkDecision(
            Step.RECRUITMENT_HUB,
            "valider",
            "Valider le recrutement",
            lambda work_item: {"decision": RecruitmentHubDecision.VALIDATE},
            _validate_outcome,
        ),
    ),
    Step.POST_REQUEST_DECISION: (
        BulkDecision(
            Step.POST_REQUEST_DECISION,
            "accorder",
            "Accorder les postes demandés (avis favorable du préfet seulement)",
            _grant_post_request,
            _posts_outcome,
        ),
    ),
}


def bulk_decision(value: str) -> BulkDecision | None:
    """The bulk decision of a form value "<step>:<key>" (None when unknown)."""
    step, _, key = value.partition(":")
    return next((decision for decision in BULK_DECISIONS.get(step, ()) if decision.key == key), None)


def bulk_decisions_for(steps) -> list[BulkDecision]:
    """The bulk decisions of the given steps, in the registry's order."""
    wanted = set(steps)
    return [decision for step, decisions in BULK_DECISIONS.items() if step in wanted for decision in decisions]
