"""What the structure, the validators and the advisor herself are told along an end of contract."""

from accounts.enums import Role
from workflows.links import absolute, dossier_url
from workflows.notifications.common import (
    advisor_address,
    date_text,
    national_admins,
    send,
    structure_managers,
    territorial_agents,
)


def rupture_notified(rupture):
    details = [
        ("Conseiller", rupture.advisor.full_name),
        ("Structure", rupture.structure.name),
        ("Date de fin", date_text(rupture.end_date)),
        ("Motif", rupture.get_motive_display()),
    ]
    send(
        to=structure_managers(rupture.structure_id),
        subject=f"Fin de contrat de {rupture.advisor.full_name} : demande enregistrée",
        heading="Votre demande est enregistrée",
        paragraphs=["La fin de contrat est transmise pour validation au hub territorial ou à l'équipe nationale."],
        details=details,
        action=("Suivre la demande", absolute(dossier_url("rupture", rupture.pk))),
    )
    send(
        to=territorial_agents(Role.HUB, rupture.department_id) or national_admins(),
        subject="Nouvelle demande de rupture de contrat",
        heading="Une fin de contrat est à valider",
        paragraphs=[f"« {rupture.structure.name} » notifie la fin du contrat de {rupture.advisor.full_name}."],
        details=details,
        action=("Traiter la demande", absolute(dossier_url("rupture", rupture.pk))),
    )


def rupture_documents_provided(rupture):
    send(
        to=territorial_agents(Role.HUB, rupture.department_id) or national_admins(),
        subject=f"Fin de contrat de {rupture.advisor.full_name} : pièces transmises",
        heading="Pièces transmises",
        paragraphs=[f"« {rupture.structure.name} » a répondu à votre demande de pièces."],
        details=[("Réponse", rupture.documents_answer)],
        action=("Valider la fin de contrat", absolute(dossier_url("rupture", rupture.pk))),
    )


def rupture_documents_requested(rupture):
    send(
        to=structure_managers(rupture.structure_id),
        subject="Demande de rupture de contrat : pièces manquantes",
        heading="Des pièces sont demandées",
        paragraphs=[f"Pour valider la fin de contrat de {rupture.advisor.full_name}, des pièces sont demandées."],
        details=[("Pièces demandées", rupture.documents_request)],
        action=("Répondre", absolute(dossier_url("rupture", rupture.pk))),
    )


def rupture_validated(rupture):
    send(
        to=structure_managers(rupture.structure_id),
        subject="Demande de rupture de contrat avec votre CnFS",
        heading="Fin de contrat validée",
        paragraphs=[
            f"La fin de contrat de {rupture.advisor.full_name} au {date_text(rupture.end_date)} "
            f"({rupture.get_motive_display()}) est validée. "
            + (
                "Le poste est de nouveau disponible pour un recrutement."
                if rupture.applied_at
                else "Elle prendra effet à cette date : le poste sera alors de nouveau disponible."
            )
        ],
    )


def advisor_contract_ending_notified(rupture):
    send(
        to=advisor_address(rupture.advisor),
        subject="Votre structure a notifié la fin de votre contrat",
        heading="Fin de contrat notifiée",
        name=rupture.advisor.first_name,
        paragraphs=[
            f"« {rupture.structure.name} » a notifié la fin de votre contrat au {date_text(rupture.end_date)} "
            f"({rupture.get_motive_display()}). Elle doit encore être validée par le hub territorial ou l'équipe "
            "nationale.",
            "Rien ne change pour vous d'ici là : votre Espace Coop reste ouvert.",
        ],
    )


def advisor_contract_ending_scheduled(rupture):
    send(
        to=advisor_address(rupture.advisor),
        subject=f"Votre fin de contrat au {date_text(rupture.end_date)} est validée",
        heading="Fin de contrat validée",
        name=rupture.advisor.first_name,
        paragraphs=[
            f"La fin de votre contrat avec « {rupture.structure.name} » est validée. Elle prendra effet le "
            f"{date_text(rupture.end_date)}.",
            "Jusqu'à cette date, vous gardez votre rôle de conseiller numérique et votre Espace Coop : pensez à "
            "enregistrer vos derniers comptes-rendus d'activité.",
        ],
    )


def advisor_contract_ended(rupture):
    send(
        to=advisor_address(rupture.advisor),
        subject="Votre contrat de conseiller numérique est terminé",
        heading="Fin de contrat effective",
        name=rupture.advisor.first_name,
        paragraphs=[
            f"Votre contrat avec « {rupture.structure.name} » a pris fin le {date_text(rupture.end_date)}. Votre "
            "accès à l'Espace Coop est fermé et vos lieux d'activité vous sont retirés.",
            "Merci pour votre engagement auprès des personnes éloignées du numérique.",
        ],
    )


def advisor_contract_ending_cancelled(rupture, comment: str):
    send(
        to=advisor_address(rupture.advisor),
        subject="La fin de votre contrat est annulée",
        heading="Fin de contrat annulée",
        name=rupture.advisor.first_name,
        paragraphs=[
            f"La fin de votre contrat avec « {rupture.structure.name} », prévue le {date_text(rupture.end_date)}, "
            "est annulée. Vous restez en poste."
        ],
        details=[("Raison", comment)],
    )
    send(
        to=sorted(
            set(structure_managers(rupture.structure_id))
            | set(territorial_agents(Role.HUB, rupture.department_id) or national_admins())
        ),
        subject=f"Fin de contrat de {rupture.advisor.full_name} : annulée",
        heading="Fin de contrat annulée",
        paragraphs=[f"La fin de contrat de {rupture.advisor.full_name} au {date_text(rupture.end_date)} est annulée."],
        details=[("Raison", comment)],
        action=("Voir le dossier", absolute(dossier_url("rupture", rupture.pk))),
    )
