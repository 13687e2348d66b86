"""What the structure, the prefecture, the national team and the coordinator are told along a coordinator post
request. Internal notes and the prefecture's rank never reach the structure."""

from accounts.enums import Role
from workflows.links import absolute, dossier_url
from workflows.notifications.common import (
    advisor_address,
    message_detail,
    national_admins,
    send,
    structure_managers,
    territorial_agents,
)


def _link(coordinator_request) -> str:
    return absolute(dossier_url("coordinateur", coordinator_request.pk))


def _details(coordinator_request) -> list[tuple[str, str]]:
    return [
        ("Structure", coordinator_request.structure.name),
        ("Missions", coordinator_request.get_coordination_type_display()),
        ("Territoire à couvrir", coordinator_request.territory),
    ]


def coordinator_request_submitted(coordinator_request):
    send(
        to=structure_managers(coordinator_request.structure_id),
        subject="Votre demande de poste de coordinateur est enregistrée",
        heading="Demande enregistrée",
        paragraphs=[
            "Votre demande de poste de conseiller numérique coordinateur est transmise à la préfecture de votre "
            "département, qui donne son avis ; l'équipe nationale décide ensuite."
        ],
        details=_details(coordinator_request),
        action=("Suivre la demande", _link(coordinator_request)),
    )
    send(
        to=territorial_agents(Role.PREFECTURE, coordinator_request.department_id),
        subject="Nouvelle demande de poste de coordinateur",
        heading="Une demande de poste de coordinateur attend votre avis",
        paragraphs=[
            f"« {coordinator_request.structure.name} » demande un poste de coordinateur. Donnez votre avis et "
            "classez-la parmi les demandes de votre département."
        ],
        details=_details(coordinator_request),
        action=("Donner votre avis", _link(coordinator_request)),
    )


def coordinator_request_reviewed(coordinator_request, message_to_applicant: str = ""):
    send(
        to=structure_managers(coordinator_request.structure_id),
        subject="Demande de poste de coordinateur : avis du préfet rendu",
        heading="La préfecture a donné son avis",
        paragraphs=["Votre demande de poste de coordinateur passe à l'équipe nationale, qui décide."],
        details=message_detail("Message de la préfecture", message_to_applicant),
        action=("Suivre la demande", _link(coordinator_request)),
    )
    send(
        to=national_admins(),
        subject="Demande de poste de coordinateur à décider",
        heading="Une demande de poste de coordinateur attend votre décision",
        paragraphs=[
            f"La préfecture a rendu son avis ({coordinator_request.get_prefecture_opinion_display().lower()}) sur la "
            f"demande de « {coordinator_request.structure.name} », classée "
            f"{coordinator_request.prefecture_rank} dans son département."
        ],
        details=_details(coordinator_request),
        action=("Décider", _link(coordinator_request)),
    )


def coordinator_request_granted(coordinator_request, message_to_applicant: str = ""):
    send(
        to=structure_managers(coordinator_request.structure_id),
        subject="Votre demande de poste de coordinateur est acceptée",
        heading="Poste de coordinateur accordé",
        paragraphs=[
            "Un poste de conseiller numérique coordinateur est ajouté à votre convention. Désignez maintenant votre "
            "coordinateur : un conseiller en poste, ou un recrutement en cours."
        ],
        details=message_detail("Message de l'équipe nationale", message_to_applicant),
        action=("Désigner le coordinateur", _link(coordinator_request)),
    )
    send(
        to=territorial_agents(Role.PREFECTURE, coordinator_request.department_id),
        subject="Demande de poste de coordinateur : poste accordé",
        heading="Poste de coordinateur accordé",
        paragraphs=[
            f"L'équipe nationale a accordé un poste de coordinateur à « {coordinator_request.structure.name} »."
        ],
        action=("Voir le dossier", _link(coordinator_request)),
    )


def coordinator_request_refused(coordinator_request, reason: str, message_to_applicant: str = ""):
    send(
        to=structure_managers(coordinator_request.structure_id),
        subject="Votre demande de poste de coordinateur n'est pas retenue",
        heading="Demande non retenue",
        paragraphs=["L'équipe nationale n'a pas retenu votre demande de poste de coordinateur."],
        details=[("Motif", reason), *message_detail("Message de l'équipe nationale", message_to_applicant)],
        action=("Voir la demande", _link(coordinator_request)),
    )
    send(
        to=territorial_agents(Role.PREFECTURE, coordinator_request.department_id),
        subject="Demande de poste de coordinateur : refusée",
        heading="Demande de poste de coordinateur refusée",
        paragraphs=[f"La demande de « {coordinator_request.structure.name} » est refusée par l'équipe nationale."],
        details=[("Motif", reason)],
        action=("Voir le dossier", _link(coordinator_request)),
    )


def coordinator_request_sent_back(coordinator_request):
    send(
        to=territorial_agents(Role.PREFECTURE, coordinator_request.department_id),
        subject="Demande de poste de coordinateur : nouvel examen demandé",
        heading="L'équipe nationale vous renvoie une demande",
        paragraphs=[
            f"La demande de « {coordinator_request.structure.name} » vous est renvoyée : la note interne de "
            "l'équipe nationale, dans le dossier, dit ce qui doit être réexaminé."
        ],
        action=("Réexaminer la demande", _link(coordinator_request)),
    )


def coordinator_designated(coordinator_request):
    coordinator = coordinator_request.coordinator
    who = (
        coordinator.full_name
        if coordinator is not None
        else f"{coordinator_request.recruitment.candidate} (à sa prise de poste)"
    )
    send(
        to=sorted(
            set(national_admins()) | set(territorial_agents(Role.PREFECTURE, coordinator_request.department_id))
        ),
        subject="Poste de coordinateur : coordinateur désigné",
        heading="Coordinateur désigné",
        paragraphs=[f"« {coordinator_request.structure.name} » a désigné son coordinateur : {who}."],
        action=("Voir le dossier", _link(coordinator_request)),
    )
    if coordinator is not None:
        send(
            to=advisor_address(coordinator),
            subject="Vous êtes conseiller numérique coordinateur",
            heading="Vous êtes coordinateur",
            name=coordinator.first_name,
            paragraphs=[
                f"« {coordinator_request.structure.name} » vous a désigné coordinateur. Votre rôle de coordinateur "
                "est ouvert dans votre espace : vous y suivez l'activité de votre équipe, que votre structure compose."
            ],
        )
