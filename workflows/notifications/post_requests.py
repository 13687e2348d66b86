"""What the structure and the prefecture are told along an avenant (subjects from the real programme where they
exist: "demande de poste(s) supplémentaire(s)", "décision favorable", "décision défavorable")."""

from accounts.enums import Role
from directory.models import Structure
from workflows.enums import PostRequestType, PostReturnMotive
from workflows.links import absolute, dossier_url
from workflows.notifications.common import message_detail, send, structure_managers, territorial_agents


def _what(post_request) -> str:
    if post_request.type == PostRequestType.ADD:
        return f"demande de {post_request.posts_requested} poste(s) supplémentaire(s)"
    return f"rendu de {post_request.posts_requested} poste(s)"


def _details(post_request) -> list[tuple[str, str]]:
    details = [
        ("Structure", post_request.structure.name),
        ("Nature", post_request.get_type_display()),
        (
            "Postes demandés" if post_request.type == PostRequestType.ADD else "Postes rendus",
            str(post_request.posts_requested),
        ),
        ("Postes avant la demande", str(post_request.posts_before)),
    ]
    if post_request.type == PostRequestType.RETURN:
        motive = (
            post_request.return_motive_other
            if post_request.return_motive == PostReturnMotive.OTHER
            else post_request.get_return_motive_display()
        )
        details.append(("Motif", motive))
    return details


def _link(post_request) -> str:
    return absolute(dossier_url("avenant", post_request.pk))


def post_request_submitted(post_request):
    """The structure's receipt, and the prefecture (who gives the next opinion) told there is one to give."""
    send(
        to=structure_managers(post_request.structure_id),
        subject=f"Avenant : votre {_what(post_request)} est enregistrée"
        if post_request.type == PostRequestType.ADD
        else "Avenant : votre rendu de poste(s) est enregistré",
        heading="Votre avenant est enregistré",
        paragraphs=[
            "Votre demande est transmise à la préfecture pour avis, puis au hub territorial ou à l'équipe nationale "
            "pour décision. Vous serez informé de la décision par e-mail."
        ],
        details=_details(post_request),
        action=("Suivre la demande", _link(post_request)),
    )
    send(
        to=territorial_agents(Role.PREFECTURE, post_request.department_id),
        subject="Demande de poste(s) supplémentaire(s)"
        if post_request.type == PostRequestType.ADD
        else "Demande de rendu de poste(s)",
        heading="Un avenant attend votre avis",
        paragraphs=[f"« {post_request.structure.name} » dépose un avenant : {_what(post_request)}."],
        details=_details(post_request),
        action=("Donner votre avis", _link(post_request)),
    )


def post_request_reviewed(post_request, message: str):
    """The structure learns that the prefecture gave its opinion (never the opinion's internal note)."""
    send(
        to=structure_managers(post_request.structure_id),
        subject="Avenant : transmis pour décision",
        heading="Votre avenant passe à l'étape suivante",
        paragraphs=[
            "La préfecture a examiné votre avenant. Il est maintenant transmis au hub territorial ou à l'équipe "
            "nationale, qui décidera. Vous serez informé de la décision par e-mail."
        ],
        details=_details(post_request) + message_detail("Message de la préfecture", message),
        action=("Suivre la demande", _link(post_request)),
    )


def post_request_granted(post_request, message: str = ""):
    verb = "accordé(s)" if post_request.type == PostRequestType.ADD else "retiré(s) de votre convention"
    after = Structure.objects.values_list("posts_granted", flat=True).get(pk=post_request.structure_id)
    details = [*_details(post_request), ("Postes accordés", str(post_request.posts_granted))]
    send(
        to=structure_managers(post_request.structure_id),
        subject="Avenant à votre convention : décision favorable",
        heading="Votre avenant est accordé",
        paragraphs=[
            f"{post_request.posts_granted} poste(s) {verb} à compter d'aujourd'hui. Votre structure compte "
            f"désormais {after} poste(s)."
            + (
                " Vous pouvez recruter sur les postes ajoutés depuis votre espace (Recruter)."
                if post_request.type == PostRequestType.ADD
                else ""
            )
        ],
        details=details + message_detail("Message", message),
        action=("Voir le dossier", _link(post_request)),
    )
    send(
        to=territorial_agents(Role.PREFECTURE, post_request.department_id),
        subject="Avenant - décision favorable",
        heading="Avenant accordé",
        paragraphs=[f"L'avenant de « {post_request.structure.name} » ({_what(post_request)}) est accordé."],
        details=details,
        action=("Ouvrir le dossier", _link(post_request)),
    )


def post_request_refused(post_request, reason_label: str, message: str):
    send(
        to=structure_managers(post_request.structure_id),
        subject="Avenant à votre convention : décision défavorable",
        heading="Votre avenant n'est pas accordé",
        paragraphs=[
            "Après examen, votre avenant n'a pas été accordé : les postes de votre convention ne changent pas."
        ],
        details=[*_details(post_request), ("Motif", reason_label), *message_detail("Message", message)],
        action=("Voir le dossier", _link(post_request)),
    )
    send(
        to=territorial_agents(Role.PREFECTURE, post_request.department_id),
        subject="Avenant - décision défavorable",
        heading="Avenant refusé",
        paragraphs=[f"L'avenant de « {post_request.structure.name} » ({_what(post_request)}) est refusé."],
        details=[*_details(post_request), ("Motif", reason_label)],
        action=("Ouvrir le dossier", _link(post_request)),
    )


def post_request_sent_back(post_request, internal_note: str):
    send(
        to=territorial_agents(Role.PREFECTURE, post_request.department_id),
        subject=f"Avenant de « {post_request.structure.name} » : nouvel examen demandé",
        heading="Un nouvel avis vous est demandé",
        paragraphs=["Un nouvel examen de cet avenant est demandé avant la décision."],
        details=[*_details(post_request), ("Note interne", internal_note)],
        action=("Ouvrir le dossier", _link(post_request)),
    )


def post_request_cancelled(post_request):
    send(
        to=sorted(
            set(structure_managers(post_request.structure_id))
            | set(territorial_agents(Role.PREFECTURE, post_request.department_id))
        ),
        subject="Avenant annulé par la structure",
        heading="Avenant annulé",
        paragraphs=[f"« {post_request.structure.name} » a annulé son avenant ({_what(post_request)})."],
        details=_details(post_request),
        action=("Voir le dossier", _link(post_request)),
    )
