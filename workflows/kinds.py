"""The registry of the kinds of dossier: each kind declares here, once, its model (filtered by the scope rule
registered for it), its dossier page (URL name, template, title) and what that page reads along.

The dossier view, the services' scope check, the links of e-mails and the Viewflow task redirect read this
registry; a new parcours adds one `KindSpec` (and its flow in flows.FLOWS, its steps in steps.STEPS).
Models are named, not imported, and scope rules read from accounts' registry, so that the registry stays below
them (links.py imports it).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps

from accounts import roles
from workflows.enums import Kind


@dataclass(frozen=True)
class KindSpec:
    """What one kind of dossier declares."""

    kind: str
    model: str  # "app_label.Model" of the dossier's row (the process artifact)
    url_name: str  # the dossier page
    template: str  # the dossier page's template
    title: Callable[[Any], str]  # the dossier page's title, from the row
    related: tuple[str, ...] = ()  # select_related of the dossier page
    prefetch: tuple[str, ...] = ()  # prefetch_related of the dossier page (its lists: one query each, not per row)

    def model_class(self):
        return apps.get_model(self.model)

    def visible(self, user):
        """The rows of this kind the user may see: the scope rule registered for its model (workflows/scopes.py)."""
        return roles.scope_rule_of(self.model_class())(user)


KINDS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in [
        KindSpec(
            Kind.STRUCTURE,
            model="workflows.StructureApplication",
            url_name="workflows:structure_application",
            template="workflows/espace/dossier_structure.html",
            title=lambda subject: f"Candidature de {subject.name}",
            related=("commune", "department", "structure"),
        ),
        KindSpec(
            Kind.RECRUITMENT,
            model="workflows.Recruitment",
            url_name="workflows:recruitment",
            template="workflows/espace/dossier_recruitment.html",
            title=lambda subject: f"Recrutement de {subject.candidate}",
            related=("structure__commune", "candidate__commune", "advisor", "training", "department"),
        ),
        KindSpec(
            Kind.RUPTURE,
            model="workflows.Rupture",
            url_name="workflows:rupture",
            template="workflows/espace/dossier_rupture.html",
            title=lambda subject: f"Fin de contrat de {subject.advisor}",
            related=("advisor", "structure", "recruitment", "department"),
        ),
        KindSpec(
            Kind.POST_REQUEST,
            model="workflows.PostRequest",
            url_name="workflows:post_request",
            template="workflows/espace/dossier_post_request.html",
            title=lambda subject: f"{subject.get_type_display()} — {subject.structure}",
            related=("structure", "convention", "department"),
        ),
        KindSpec(
            Kind.TRANSFER,
            model="workflows.PostTransfer",
            url_name="workflows:transfer",
            template="workflows/espace/dossier_transfer.html",
            title=lambda subject: f"Transfert de postes de {subject.from_structure} à {subject.structure}",
            related=("structure", "from_structure", "advisor", "department"),
        ),
        KindSpec(
            Kind.RENEWAL,
            model="workflows.RenewalRequest",
            url_name="workflows:renewal",
            template="workflows/espace/dossier_renewal.html",
            title=lambda subject: f"Reconventionnement de {subject.structure}",
            related=("structure", "convention", "new_convention", "department"),
            prefetch=("continuing_contracts__advisor",),
        ),
        KindSpec(
            Kind.CONTRACT_CHANGE,
            model="workflows.ContractChange",
            url_name="workflows:contract_change",
            template="workflows/espace/dossier_contract_change.html",
            title=lambda subject: f"Modification du contrat de {subject.advisor}",
            related=("structure", "contract", "advisor", "department"),
        ),
        KindSpec(
            Kind.COORDINATOR,
            model="workflows.CoordinatorRequest",
            url_name="workflows:coordinator_request",
            template="workflows/espace/dossier_coordinator.html",
            title=lambda subject: f"Poste de coordinateur — {subject.structure}",
            related=("structure", "coordinator", "recruitment", "department"),
        ),
    ]
}
