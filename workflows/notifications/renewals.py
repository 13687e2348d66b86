"""What the structure, the prefecture and the advisors are told along a reconventionnement (the national team reads
its task list)."""

from django.urls import reverse

from accounts.enums import Role
from workflows.enums import Kind
from workflows.links import absolute, dossier_url
from workflows.notifications.common import (
    advisor_address,
    date_text,
    message_detail,
    send,
    structure_managers,
    territorial_agents,
)


def structure_recipients(structure) -> list[str]:
    """The structure's managers and its contact e-mail."""
    return sorted(set(structure_managers(structure.pk)) | ({structure.contact_email} - {""}))


def _dossier(renewal):
    return absolute(dossier_url(Kind.RENEWAL, renewal.pk))


def _request_details(renewal) -> list[tuple[str, str]]:
    return [
        ("Structure", renewal.structure.name),
        ("Convention actuelle", f"{renewal.convention.number}, jusqu'au {date_text(renewal.convention.end)}"),
        ("Postes demandés", str(renewal.posts_requested)),
        ("Conseillers qui poursuivent", str(renewal.continuing_contracts.count())),
    ]


def renewal_notice(convention) -> list[str]:
    """The reminder before the end of a convention; returns its recipients."""
    to = structure_recipients(convention.structure)
    send(
        to=to,
        subject=f"Votre convention se termine le {date_text(convention.end)} : demandez votre reconventionnement",
        heading="Votre convention arrive à son terme",
        paragraphs=[
            f"La convention {convention.number} de « {convention.structure.name} » avec l'État se termine le "
            f"{date_text(convention.end)}.",
            "Pour continuer, demandez votre reconventionnement avant cette date : le nombre de postes souhaités pour "
            "la prochaine période et les conseillers qui poursuivent. La préfecture donne son avis, puis l'équipe "
            "nationale décide.",
            "Sans reconventionnement, vos postes prennent fin à cette date : les contrats de vos conseillers "
            "rattachés à la convention se terminent le même jour et leur accès à l'Espace Coop est fermé.",
        ],
        action=("Demander le reconventionnement", absolute(reverse("workflows:renewal_request"))),
    )
    return to


def renewal_submitted(renewal):
    details = _request_details(renewal)
    send(
        to=structure_recipients(renewal.structure),
        subject="Votre demande de reconventionnement est enregistrée",
        heading="Demande de reconventionnement enregistrée",
        paragraphs=["Votre demande est transmise à la préfecture pour avis, puis à l'équipe nationale pour décision."],
        details=details,
        action=("Suivre la demande", _dossier(renewal)),
    )
    send(
        to=territorial_agents(Role.PREFECTURE, renewal.department_id),
        subject=f"Reconventionnement de {renewal.structure.name} : avis du préfet attendu",
        heading="Un reconventionnement attend votre avis",
        paragraphs=[f"« {renewal.structure.name} » demande le renouvellement de sa convention."],
        details=details,
        action=("Donner l'avis", _dossier(renewal)),
    )


def renewal_reviewed(renewal, message: str = ""):
    send(
        to=structure_recipients(renewal.structure),
        subject="Reconventionnement : avis de la préfecture rendu",
        heading="Votre demande passe à l'équipe nationale",
        paragraphs=[
            "La préfecture a donné son avis ; l'équipe nationale décide maintenant de votre reconventionnement."
        ],
        details=message_detail("Message de la préfecture", message),
        action=("Suivre la demande", _dossier(renewal)),
    )


def renewal_granted(renewal, message: str = ""):
    new = renewal.new_convention
    leaving = renewal.convention.contracts.active().exclude(pk__in=renewal.continuing_contracts.values("pk"))
    paragraphs = [
        f"Votre reconventionnement est accordé : {renewal.posts_granted} poste(s) pour la convention {new.number}, "
        f"du {date_text(new.start)} au {date_text(new.end)}.",
        "Les conseillers qui poursuivent y sont rattachés le premier jour de la nouvelle convention.",
    ]
    if leaving.exists():
        paragraphs.append(
            f"Les autres contrats rattachés à la convention actuelle ({leaving.count()}) prennent fin le "
            f"{date_text(renewal.convention.end)}, avec elle."
        )
    send(
        to=structure_recipients(renewal.structure),
        subject="Votre reconventionnement est accordé",
        heading="Reconventionnement accordé",
        paragraphs=paragraphs,
        details=message_detail("Message de l'équipe nationale", message),
        action=("Voir la demande", _dossier(renewal)),
    )


def renewal_refused(renewal, reason: str, message: str = ""):
    send(
        to=structure_recipients(renewal.structure),
        subject="Votre demande de reconventionnement est refusée",
        heading="Reconventionnement refusé",
        paragraphs=[
            f"Votre demande de reconventionnement n'est pas retenue. Votre convention {renewal.convention.number} se "
            f"termine le {date_text(renewal.convention.end)} : vos postes prennent fin à cette date, et les contrats "
            "de vos conseillers rattachés à la convention avec eux."
        ],
        details=[("Motif", reason), *message_detail("Message de l'équipe nationale", message)],
        action=("Voir la demande", _dossier(renewal)),
    )


def renewal_sent_back(renewal, internal_note: str):
    send(
        to=territorial_agents(Role.PREFECTURE, renewal.department_id),
        subject=f"Reconventionnement de {renewal.structure.name} : nouvel avis demandé",
        heading="L'équipe nationale demande un nouvel avis",
        paragraphs=[f"Le reconventionnement de « {renewal.structure.name} » vous est renvoyé pour un nouvel examen."],
        details=[("Note de l'équipe nationale", internal_note)],
        action=("Donner l'avis", _dossier(renewal)),
    )


def renewal_cancelled(renewal, comment: str):
    send(
        to=sorted(
            set(structure_recipients(renewal.structure))
            | set(territorial_agents(Role.PREFECTURE, renewal.department_id))
        ),
        subject=f"Reconventionnement de {renewal.structure.name} : demande annulée",
        heading="Demande de reconventionnement annulée",
        paragraphs=[
            f"La demande est annulée. Sans reconventionnement, la convention {renewal.convention.number} se termine "
            f"le {date_text(renewal.convention.end)} avec ses postes et les contrats qui y sont rattachés."
        ],
        details=[("Raison", comment)],
        action=("Voir la demande", _dossier(renewal)),
    )


def renewal_started(renewal):
    new = renewal.new_convention
    send(
        to=structure_recipients(renewal.structure),
        subject=f"Votre nouvelle convention {new.number} est en vigueur",
        heading="Nouvelle convention en vigueur",
        paragraphs=[
            f"Depuis le {date_text(new.start)}, votre convention {new.number} vous accorde {renewal.posts_granted} "
            f"poste(s) jusqu'au {date_text(new.end)}. Les conseillers qui poursuivent y sont rattachés."
        ],
        action=("Voir la demande", _dossier(renewal)),
    )


def renewal_leavers_ended(renewal, contracts):
    _contracts_ended(renewal.structure, renewal.convention, contracts)


def convention_ended(convention, contracts):
    send(
        to=structure_recipients(convention.structure),
        subject=f"Votre convention {convention.number} est terminée",
        heading="Convention terminée",
        paragraphs=[
            f"Votre convention n'a pas été renouvelée : elle a pris fin le {date_text(convention.end)}, avec ses "
            f"postes. {len(contracts)} contrat(s) de conseiller numérique rattaché(s) se sont terminés à cette date.",
        ],
        details=[("Conseiller", contract.advisor.full_name) for contract in contracts],
    )
    for contract in contracts:
        advisor_convention_ended(contract.advisor, convention)


def _contracts_ended(structure, convention, contracts):
    send(
        to=structure_recipients(structure),
        subject="Fin des contrats non poursuivis après votre reconventionnement",
        heading="Contrats non poursuivis terminés",
        paragraphs=[
            f"Les contrats non poursuivis dans votre nouvelle convention se sont terminés le "
            f"{date_text(convention.end)}, avec la convention {convention.number}."
        ],
        details=[("Conseiller", contract.advisor.full_name) for contract in contracts],
    )
    for contract in contracts:
        advisor_convention_ended(contract.advisor, convention)


def advisor_convention_ended(advisor, convention):
    send(
        to=advisor_address(advisor),
        subject="Votre contrat de conseiller numérique est terminé",
        heading="Fin de contrat effective",
        name=advisor.first_name,
        paragraphs=[
            f"La convention de « {convention.structure.name} » avec l'État a pris fin le {date_text(convention.end)} "
            "sans que votre contrat y soit poursuivi : votre contrat s'est terminé à cette date. Votre accès à "
            "l'Espace Coop est fermé et vos lieux d'activité vous sont retirés.",
            "Merci pour votre engagement auprès des personnes éloignées du numérique.",
        ],
    )


def advisor_renewal_not_continuing(renewal, contract):
    send(
        to=advisor_address(contract.advisor),
        subject=f"Votre contrat prendra fin le {date_text(renewal.convention.end)}",
        heading="Votre contrat n'est pas poursuivi",
        name=contract.advisor.first_name,
        paragraphs=[
            f"« {renewal.structure.name} » renouvelle sa convention avec l'État, sans y poursuivre votre contrat : "
            f"il prendra fin le {date_text(renewal.convention.end)}, avec la convention actuelle.",
            "Jusqu'à cette date, vous gardez votre rôle de conseiller numérique et votre Espace Coop : pensez à "
            "enregistrer vos derniers comptes-rendus d'activité.",
        ],
    )
