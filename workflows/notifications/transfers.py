"""What the two structures, the receiving prefecture, the national team and the advisor are told along a transfer of
posts."""

from accounts.enums import Role
from workflows.links import absolute, dossier_url
from workflows.notifications.common import (
    advisor_address,
    date_text,
    message_detail,
    national_admins,
    send,
    structure_managers,
    territorial_agents,
)


def _details(transfer):
    details = [
        ("Structure qui cède", f"{transfer.from_structure.name} ({transfer.from_department_id})"),
        ("Structure qui reçoit", f"{transfer.structure.name} ({transfer.department_id})"),
        ("Postes transférés", str(transfer.posts)),
        ("Date d'effet", date_text(transfer.effective_on)),
    ]
    if transfer.advisor_id:
        details.append(("Conseiller transféré avec son poste", transfer.advisor.full_name))
    return details


def _link(transfer, label):
    return (label, absolute(dossier_url("transfert", transfer.pk)))


def _both_structures(transfer) -> list[str]:
    return sorted(set(structure_managers(transfer.from_structure_id) + structure_managers(transfer.structure_id)))


def transfer_started(transfer):
    """The receiving prefecture is asked for its opinion, or the national team decides at once."""
    if transfer.ask_prefecture:
        send(
            to=territorial_agents(Role.PREFECTURE, transfer.department_id),
            subject="Transfert de postes : votre avis est demandé",
            heading="Un transfert de postes attend votre avis",
            paragraphs=[
                f"L'équipe nationale propose de transférer {transfer.posts} poste(s) vers "
                f"« {transfer.structure.name} », dans votre département. "
                "Donnez votre avis : l'équipe nationale décidera ensuite."
            ],
            details=_details(transfer) + [("Motif", transfer.motivation)],
            action=_link(transfer, "Donner mon avis"),
        )
    else:
        send(
            to=national_admins(),
            subject="Transfert de postes à confirmer",
            heading="Un transfert de postes attend la décision nationale",
            paragraphs=["Le transfert est enregistré sans avis du préfet : il attend votre décision."],
            details=_details(transfer),
            action=_link(transfer, "Décider"),
        )


def transfer_reviewed(transfer):
    send(
        to=national_admins(),
        subject="Transfert de postes : avis du préfet rendu",
        heading="Un transfert de postes attend la décision nationale",
        paragraphs=[f"Le préfet a rendu son avis ({transfer.get_prefecture_opinion_display().lower()})."],
        details=_details(transfer),
        action=_link(transfer, "Décider"),
    )


def transfer_confirmed(transfer, message: str = ""):
    applied = transfer.applied_at is not None
    send(
        to=_both_structures(transfer),
        subject="Transfert de postes confirmé",
        heading="Le transfert de postes est confirmé",
        paragraphs=[
            "Le transfert est effectif : les postes de vos conventions sont à jour."
            if applied
            else f"Il prendra effet le {date_text(transfer.effective_on)} : les postes de vos conventions changeront "
            "à cette date."
        ],
        details=_details(transfer) + message_detail("Message de l'équipe nationale", message),
        action=_link(transfer, "Voir le transfert"),
    )
    if transfer.advisor_id and not applied:
        send(
            to=advisor_address(transfer.advisor),
            subject="Votre contrat se poursuit chez un nouvel employeur",
            heading="Votre poste est transféré",
            paragraphs=[
                f"À partir du {date_text(transfer.effective_on)}, votre contrat se poursuit avec "
                f"« {transfer.structure.name} », aux mêmes conditions. Vous gardez votre compte et votre Espace Coop."
            ],
        )


def transfer_applied(transfer):
    """The transfer took effect (at once or by the daily command): both structures and the advisor are told."""
    send(
        to=_both_structures(transfer),
        subject="Transfert de postes effectif",
        heading="Le transfert de postes est effectif",
        paragraphs=[
            f"Depuis le {date_text(transfer.effective_on)}, les postes transférés sont comptés à la structure qui "
            "reçoit."
        ],
        details=_details(transfer),
        action=_link(transfer, "Voir le transfert"),
    )
    if transfer.advisor_id:
        send(
            to=advisor_address(transfer.advisor),
            subject="Votre contrat se poursuit chez un nouvel employeur",
            heading="Votre poste est transféré",
            paragraphs=[
                f"Depuis le {date_text(transfer.effective_on)}, votre contrat se poursuit avec "
                f"« {transfer.structure.name} », aux mêmes conditions. Vous gardez votre compte et votre Espace "
                "Coop ; vos lieux d'activité sont à renseigner avec votre nouvelle structure."
            ],
        )


def transfer_refused(transfer, reason: str, message: str = ""):
    send(
        to=_both_structures(transfer),
        subject="Transfert de postes refusé",
        heading="Le transfert de postes n'est pas confirmé",
        paragraphs=["L'équipe nationale n'a pas confirmé le transfert : vos postes ne changent pas."],
        details=_details(transfer) + [("Motif", reason)] + message_detail("Message de l'équipe nationale", message),
        action=_link(transfer, "Voir le transfert"),
    )


def transfer_sent_back(transfer, internal_note: str):
    send(
        to=territorial_agents(Role.PREFECTURE, transfer.department_id),
        subject="Transfert de postes : nouvel avis demandé",
        heading="L'équipe nationale vous renvoie un transfert",
        paragraphs=["Un nouvel examen est demandé avant la décision nationale."],
        details=_details(transfer) + [("Note interne de l'équipe nationale", internal_note)],
        action=_link(transfer, "Donner mon avis"),
    )


def transfer_cancelled(transfer, comment: str):
    send(
        to=_both_structures(transfer),
        subject="Transfert de postes annulé",
        heading="Le transfert de postes est annulé",
        paragraphs=["L'équipe nationale a annulé ce transfert : vos postes ne changent pas."],
        details=_details(transfer) + [("Raison", comment)],
        action=_link(transfer, "Voir le transfert"),
    )
