"""What the applicants and the people around them are told along the structure application, candidacy and
recruitment parcours (French subjects: the real programme's where they exist)."""

from django.urls import reverse

from accounts.enums import Role
from workflows import tokens
from workflows.links import absolute, dossier_url
from workflows.notifications.common import (
    candidate_manage_url,
    date_text,
    message_detail,
    send,
    structure_managers,
    territorial_agents,
)


def structure_application_received(application):
    confirm = absolute(
        reverse("candidature:structure_confirm", args=[tokens.make_token(tokens.CONFIRM_STRUCTURE, application.pk)])
    )
    send(
        to=application.contact_email,
        subject="Confirmation de l'enregistrement de votre candidature",
        heading="Confirmez votre candidature",
        name=application.contact_first_name,
        paragraphs=[
            f"Nous avons bien reçu la candidature de « {application.name} » pour accueillir "
            f"{application.advisors_wanted} conseiller(s) numérique(s).",
            "Pour qu'elle soit transmise à la préfecture, confirmez votre adresse e-mail en ouvrant le lien "
            "ci-dessous. Il est valable 7 jours.",
        ],
        action=("Confirmer ma candidature", confirm),
        notes=["Si vous n'êtes pas à l'origine de cette candidature, ignorez ce message : rien ne sera transmis."],
    )


def structure_application_confirmed(application):
    manage = absolute(
        reverse("candidature:structure_manage", args=[tokens.make_token(tokens.MANAGE_STRUCTURE, application.pk)])
    )
    send(
        to=application.contact_email,
        subject="Votre candidature est transmise à la préfecture",
        heading="Votre candidature est enregistrée",
        name=application.contact_first_name,
        paragraphs=[
            "Votre adresse e-mail est confirmée : votre candidature est transmise au préfet de votre département, "
            "qui donnera son avis, puis au hub territorial, qui décidera de l'attribution des postes.",
            "Vous recevrez un mail d'activation de votre espace structure lorsque votre candidature aura été validée.",
        ],
        action=("Suivre ou retirer ma candidature", manage),
    )


def candidate_received(candidate):
    confirm = absolute(
        reverse("candidature:candidate_confirm", args=[tokens.make_token(tokens.CONFIRM_CANDIDATE, candidate.pk)])
    )
    send(
        to=candidate.email,
        subject="Confirmation de votre adresse e-mail",
        heading="Confirmez votre adresse e-mail",
        name=candidate.first_name,
        paragraphs=[
            "Merci pour votre candidature pour devenir conseiller numérique.",
            "Pour la rendre visible des structures qui recrutent, confirmez votre adresse e-mail en ouvrant le lien "
            "ci-dessous. Il est valable 7 jours.",
        ],
        action=("Confirmer mon adresse e-mail", confirm),
        notes=["Si vous n'êtes pas à l'origine de cette candidature, ignorez ce message : elle ne sera pas publiée."],
        candidate=candidate,
    )


def candidate_confirmed(candidate):
    send(
        to=candidate.email,
        subject="Votre candidature est active",
        heading="Votre candidature est active",
        name=candidate.first_name,
        paragraphs=[
            "Votre email a été confirmé et votre inscription est maintenant active. Vous serez contacté par mail "
            "ou par téléphone si une structure est intéressée par votre profil.",
            "Vous pouvez à tout moment retirer votre candidature ou effacer vos données avec le lien ci-dessous.",
        ],
        action=("Retirer ou effacer ma candidature", candidate_manage_url(candidate)),
        candidate=candidate,
    )


def structure_application_reviewed(application, message: str):
    """The structure learns that the prefecture gave its opinion and that the hub decides next (the opinion and the
    internal note stay between agents)."""
    send(
        to=application.contact_email,
        subject="Votre candidature est transmise au hub territorial",
        heading="Votre candidature passe à l'étape suivante",
        name=application.contact_first_name,
        paragraphs=[
            f"La préfecture a examiné la candidature de « {application.name} ». Elle est maintenant transmise au hub "
            "territorial, qui décidera de l'attribution des postes. Vous serez informé de sa décision par e-mail."
        ],
        details=message_detail("Message de la préfecture", message),
    )


def structure_application_sent_back(application, internal_note: str):
    send(
        to=territorial_agents(Role.PREFECTURE, application.department_id),
        subject=f"Candidature de « {application.name} » : nouvel examen demandé",
        heading="Un nouvel avis vous est demandé",
        paragraphs=[f"Le hub demande un nouvel examen de la candidature de « {application.name} »."],
        details=[("Note interne du hub", internal_note)],
        action=("Ouvrir le dossier", absolute(dossier_url("structure", application.pk))),
    )


def structure_application_granted(application, message: str = ""):
    details = [("Postes attribués", str(application.posts_granted)), ("Structure", application.name)]
    send(
        to=application.contact_email,
        subject="Réponse à candidature : recrutement de Conseiller(s) numérique(s)",
        heading="Votre candidature est validée",
        name=application.contact_first_name,
        paragraphs=[
            f"Bonne nouvelle : {application.posts_granted} poste(s) de conseiller numérique sont attribués à votre "
            "structure.",
            "Vous allez recevoir un second e-mail pour créer votre compte sur votre espace structure : vous pourrez y "
            "rechercher des candidats, les présélectionner et proposer un contrat.",
        ],
        details=details + message_detail("Message du hub", message),
    )
    send(
        to=territorial_agents(Role.PREFECTURE, application.department_id),
        subject="Candidature au poste de conseiller numérique - attribution de poste",
        heading="Attribution de poste",
        paragraphs=[f"Des postes ont été attribués à « {application.name} » (SIRET {application.siret})."],
        details=details,
        action=("Ouvrir le dossier", absolute(dossier_url("structure", application.pk))),
    )


def structure_application_refused(application, reason_label: str, message: str, duplicate=False):
    paragraphs = (
        ["Votre candidature a été classée comme doublon d'une candidature existante de votre structure."]
        if duplicate
        else ["Après examen, votre candidature n'a pas été retenue."]
    )
    send(
        to=application.contact_email,
        subject="Candidature au poste de conseiller numérique - votre candidature a été examinée",
        heading="Votre candidature a été examinée",
        name=application.contact_first_name,
        paragraphs=paragraphs,
        details=[("Motif", reason_label), *message_detail("Message du hub", message)],
    )
    send(
        to=territorial_agents(Role.PREFECTURE, application.department_id),
        subject="Candidature au poste de conseiller numérique - décision défavorable",
        heading="Décision défavorable",
        paragraphs=[f"La candidature de « {application.name} » (SIRET {application.siret}) n'a pas été retenue."],
        details=[("Motif", reason_label)],
        action=("Ouvrir le dossier", absolute(dossier_url("structure", application.pk))),
    )


def structure_application_withdrawn(application):
    send(
        to=application.contact_email,
        subject="Votre candidature a été retirée",
        heading="Candidature retirée",
        name=application.contact_first_name,
        paragraphs=[f"La candidature de « {application.name} » est retirée : elle ne sera pas examinée."],
    )


def _recruitment_details(recruitment):
    details = [("Candidat", recruitment.candidate.full_name), ("Structure", recruitment.structure.name)]
    if recruitment.contract_type:
        details += [
            ("Contrat", recruitment.get_contract_type_display()),
            ("Début", date_text(recruitment.contract_start)),
            ("Fin", date_text(recruitment.contract_end) if recruitment.contract_end else "—"),
        ]
    return details


def candidate_preselected(recruitment):
    candidate = recruitment.candidate
    send(
        to=candidate.email,
        subject="Une structure a présélectionné votre candidature",
        heading="Une structure s'intéresse à votre profil",
        name=candidate.first_name,
        paragraphs=[
            f"« {recruitment.structure.name} » ({recruitment.structure.commune.name}) a présélectionné votre "
            "candidature au poste de conseiller numérique. La structure va vous contacter.",
        ],
        action=("Retirer ma candidature", candidate_manage_url(candidate)),
        candidate=candidate,
    )


def contract_proposed(recruitment):
    candidate = recruitment.candidate
    send(
        to=candidate.email,
        subject="Un contrat de conseiller numérique vous est proposé",
        heading="Proposition de contrat",
        name=candidate.first_name,
        paragraphs=[
            f"« {recruitment.structure.name} » propose de vous recruter. La proposition est maintenant examinée "
            "par la préfecture puis par le hub territorial ; vous serez informé de la décision.",
        ],
        details=_recruitment_details(recruitment),
        candidate=candidate,
    )


def _candidate_and_structure(recruitment):
    """The two audiences of news about a recruitment: the candidate (greeted by name) and the structure's managers."""
    return (
        ([recruitment.candidate.email], recruitment.candidate.first_name, recruitment.candidate),
        (structure_managers(recruitment.structure_id), "", None),
    )


def recruitment_refused(recruitment, reason_label: str, message: str):
    for to, name, candidate in _candidate_and_structure(recruitment):
        send(
            to=to,
            subject="Recrutement de conseiller numérique - décision défavorable",
            heading="Le recrutement n'est pas validé",
            name=name,
            paragraphs=[
                f"Le recrutement de {recruitment.candidate.full_name} par « {recruitment.structure.name} » "
                "n'a pas été validé."
            ],
            details=[("Motif", reason_label), *message_detail("Message", message)],
            candidate=candidate,
        )


def recruitment_prefecture_favorable(recruitment, message: str):
    """The structure and the candidate learn that the recruitment goes on to the hub's validation."""
    for to, name, candidate in _candidate_and_structure(recruitment):
        send(
            to=to,
            subject="Recrutement de conseiller numérique : transmis au hub territorial",
            heading="Le recrutement passe à l'étape suivante",
            name=name,
            paragraphs=[
                f"La préfecture a donné un avis favorable au recrutement de {recruitment.candidate.full_name} par "
                f"« {recruitment.structure.name} ». Le hub territorial va maintenant le valider."
            ],
            details=_recruitment_details(recruitment) + message_detail("Message de la préfecture", message),
            candidate=candidate,
        )


def recruitment_sent_back(recruitment, internal_note: str):
    send(
        to=territorial_agents(Role.PREFECTURE, recruitment.department_id),
        subject=f"Recrutement de {recruitment.candidate.full_name} : nouvel examen demandé",
        heading="Un nouvel avis vous est demandé",
        paragraphs=["Le hub demande un nouvel examen de ce recrutement."],
        details=[*_recruitment_details(recruitment), ("Note interne du hub", internal_note)],
        action=("Ouvrir le dossier", absolute(dossier_url("recrutement", recruitment.pk))),
    )


def recruitment_validated(recruitment, message: str = ""):
    for to, name, candidate in _candidate_and_structure(recruitment):
        send(
            to=to,
            subject="Recrutement validé : entrée en formation",
            heading="Le recrutement est validé",
            name=name,
            paragraphs=[
                f"Le recrutement de {recruitment.candidate.full_name} par « {recruitment.structure.name} » "
                "est validé. Prochaine étape : la formation initiale des conseillers numériques."
            ],
            details=_recruitment_details(recruitment) + message_detail("Message du hub", message),
            candidate=candidate,
        )


def training_recorded(recruitment):
    training = recruitment.training
    send(
        to=structure_managers(recruitment.structure_id),
        subject=f"Formation terminée : {recruitment.candidate.full_name}",
        heading="Formation terminée",
        paragraphs=[
            f"La formation de {recruitment.candidate.full_name} est enregistrée. Il vous reste à enregistrer sa prise "
            "de poste (date et lieu d'activité principal) pour créer son compte de conseiller numérique."
        ],
        details=[
            ("Formation", f"du {date_text(training.session_start)} au {date_text(training.session_end)}"),
            ("Certification", "obtenue" if training.certified else "non obtenue"),
        ],
        action=("Enregistrer la prise de poste", absolute(dossier_url("recrutement", recruitment.pk))),
    )


def advisor_welcome(recruitment):
    send(
        to=recruitment.candidate.email,
        subject="Bienvenue parmi les Conseillers Numériques",
        heading="Bienvenue parmi les Conseillers Numériques",
        name=recruitment.candidate.first_name,
        paragraphs=[
            f"Votre prise de poste chez « {recruitment.structure.name} » est enregistrée "
            f"(à partir du {date_text(recruitment.started_at)}).",
            "Vous recevez dans un autre e-mail le lien pour créer le mot de passe de votre compte : "
            "vous y enregistrerez vos accompagnements dans l'Espace Coop.",
        ],
        candidate=recruitment.candidate,
    )


def recruitment_cancelled(recruitment, message: str, by_candidate=False):
    if by_candidate:
        send(
            to=structure_managers(recruitment.structure_id),
            subject=f"{recruitment.candidate.full_name} a retiré sa candidature",
            heading="Candidature retirée",
            paragraphs=[
                f"{recruitment.candidate.full_name} a retiré sa candidature : le recrutement est arrêté "
                "et le poste reste disponible."
            ],
        )
        return
    send(
        to=recruitment.candidate.email,
        subject="Recrutement annulé",
        heading="Recrutement annulé",
        name=recruitment.candidate.first_name,
        paragraphs=[f"« {recruitment.structure.name} » a annulé votre recrutement. Votre candidature reste active."],
        details=message_detail("Message de la structure", message),
        candidate=recruitment.candidate,
    )
