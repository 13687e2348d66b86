"""What the hub, the structure and the advisor are told along a contract change, and at a contract's term."""

from decimal import Decimal

from workflows.enums import ContractChangeType, Kind, RequestStatus
from workflows.links import absolute, dossier_url
from workflows.notifications.common import (
    advisor_address,
    date_text,
    message_detail,
    send,
    structure_managers,
)


def hours_text(hours) -> str:
    """Weekly hours as a French number: 35, 24,5."""
    return f"{Decimal(hours).normalize():f}".replace(".", ",")


SHORT = {
    ContractChangeType.PROLONGATION: "Prolongation",
    ContractChangeType.RENEWAL: "Renouvellement",
    ContractChangeType.AMENDMENT: "Modification",
}


def _kind(change) -> str:
    return SHORT[change.type]


def _details(change) -> list[tuple[str, str]]:
    contract = change.contract
    details = [
        ("Conseiller", change.advisor.full_name),
        ("Structure", change.structure.name),
        ("Nature", change.get_type_display()),
        (
            "Contrat concerné",
            f"{contract.get_contract_type_display()} du {date_text(contract.start)}"
            + (f" au {date_text(contract.end)}" if contract.end else ""),
        ),
    ]
    if change.new_contract_type:
        details.append(("Nouveau contrat", change.get_new_contract_type_display()))
    if change.new_start:
        details.append(("Nouvelle date de début", date_text(change.new_start)))
    if change.new_end:
        details.append(("Nouvelle date de fin", date_text(change.new_end)))
    if change.new_weekly_hours is not None:
        details.append(("Durée hebdomadaire", f"{hours_text(change.new_weekly_hours)} h"))
    if change.new_salary is not None:
        details.append(("Salaire brut mensuel", f"{change.new_salary} €"))
    return details


def contract_change_requested(change):
    """The structure's request is recorded. The hub learns of its new task as of every task of its territory: the
    « À traiter » list and the daily digest (`send_digests`), see README « Qui est prévenu »."""
    url = absolute(dossier_url(Kind.CONTRACT_CHANGE, change.pk))
    send(
        to=structure_managers(change.structure_id),
        subject=f"{_kind(change)} du contrat de {change.advisor.full_name} : demande enregistrée",
        heading="Votre demande est enregistrée",
        paragraphs=["Elle est transmise pour validation au hub territorial ou à l'équipe nationale."],
        details=_details(change),
        action=("Suivre la demande", url),
    )


def contract_change_validated(change, message: str = ""):
    if change.type == ContractChangeType.RENEWAL and change.status == RequestStatus.SCHEDULED:
        effect = f"Le nouveau contrat commencera le {date_text(change.new_start)}."
    elif change.type == ContractChangeType.RENEWAL:
        effect = f"Le nouveau contrat a commencé le {date_text(change.new_start)}."
    else:
        effect = "Le contrat est modifié dès maintenant."
    send(
        to=structure_managers(change.structure_id),
        subject=f"{_kind(change)} du contrat de {change.advisor.full_name} : demande validée",
        heading="Demande validée",
        paragraphs=[effect],
        details=[*_details(change), *message_detail("Message", message)],
        action=("Voir le dossier", absolute(dossier_url(Kind.CONTRACT_CHANGE, change.pk))),
    )


def contract_change_refused(change, reason: str, message: str = ""):
    send(
        to=structure_managers(change.structure_id),
        subject=f"{_kind(change)} du contrat de {change.advisor.full_name} : demande refusée",
        heading="Demande refusée",
        paragraphs=["Le contrat reste inchangé."],
        details=[*_details(change), ("Motif du refus", reason), *message_detail("Message", message)],
        action=("Voir le dossier", absolute(dossier_url(Kind.CONTRACT_CHANGE, change.pk))),
    )


def contract_change_cancelled(change, comment: str, *, tell_advisor: bool = False):
    """A change withdrawn before its decision (or a renewal before its first day)."""
    send(
        to=structure_managers(change.structure_id),
        subject=f"{_kind(change)} du contrat de {change.advisor.full_name} : demande annulée",
        heading="Demande annulée",
        paragraphs=["La demande est annulée : le contrat reste inchangé."],
        details=[*_details(change), ("Raison", comment)],
        action=("Voir le dossier", absolute(dossier_url(Kind.CONTRACT_CHANGE, change.pk))),
    )
    if tell_advisor:
        send(
            to=advisor_address(change.advisor),
            subject="Le renouvellement de votre contrat est annulé",
            heading="Renouvellement annulé",
            name=change.advisor.first_name,
            paragraphs=[
                f"Le renouvellement de votre contrat avec « {change.structure.name} », annoncé à partir du "
                f"{date_text(change.new_start)}, est annulé. Votre contrat en cours reste inchangé."
            ],
            details=[("Raison", comment)],
        )


def advisor_contract_changed(change):
    """The advisor is told when her contract is prolonged, amended or renewed (scheduled, then started)."""
    if change.type == ContractChangeType.PROLONGATION:
        subject = "Votre contrat est prolongé"
        paragraphs = [
            f"Votre contrat avec « {change.structure.name} » est prolongé jusqu'au {date_text(change.new_end)}."
        ]
    elif change.type == ContractChangeType.AMENDMENT:
        subject = "Votre contrat est modifié"
        paragraphs = [f"Votre contrat avec « {change.structure.name} » est modifié."]
    elif change.status == RequestStatus.SCHEDULED:
        subject = "Votre contrat sera renouvelé"
        paragraphs = [
            f"Le renouvellement de votre contrat avec « {change.structure.name} » est validé : votre nouveau contrat "
            f"commencera le {date_text(change.new_start)}, le lendemain de la fin du contrat en cours."
        ]
    else:
        subject = "Votre nouveau contrat a commencé"
        paragraphs = [
            f"Votre nouveau contrat avec « {change.structure.name} » a commencé le {date_text(change.new_start)}. "
            "Votre Espace Coop et vos lieux d'activité restent les mêmes."
        ]
    details = [(label, value) for label, value in _details(change) if label not in ("Conseiller", "Structure")]
    send(
        to=advisor_address(change.advisor),
        subject=subject,
        heading=subject,
        name=change.advisor.first_name,
        paragraphs=paragraphs,
        details=[(label, value) for label, value in details if label != "Nature"],
    )


def contract_ended_at_term(contract):
    """A fixed-term contract reached its term without a renewal: the structure and the advisor are told."""
    advisor = contract.advisor
    send(
        to=structure_managers(contract.structure_id),
        subject=f"Contrat de {advisor.full_name} arrivé à son terme",
        heading="Contrat arrivé à son terme",
        paragraphs=[
            f"Le contrat ({contract.get_contract_type_display()}) de {advisor.full_name} a pris fin le "
            f"{date_text(contract.end)}, à son terme, sans prolongation ni renouvellement. Le poste est de nouveau "
            "disponible pour un recrutement."
        ],
    )
    send(
        to=advisor_address(advisor),
        subject="Votre contrat de conseiller numérique est arrivé à son terme",
        heading="Fin de contrat à son terme",
        name=advisor.first_name,
        paragraphs=[
            f"Votre contrat avec « {contract.structure.name} » a pris fin le {date_text(contract.end)}, à son terme. "
            "Votre accès à l'Espace Coop est fermé et vos lieux d'activité vous sont retirés.",
            "Merci pour votre engagement auprès des personnes éloignées du numérique.",
        ],
    )
