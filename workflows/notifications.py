"""Who is told what at each step: recipients, French subjects (the real programme's where they exist) and links.

Every message goes through accounts.emails.send_templated_email: text + HTML, queued after commit.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import formats

from accounts.emails import send_templated_email
from accounts.enums import Role
from accounts.models import Membership
from workflows import tokens
from workflows.enums import Step
from workflows.links import absolute, dossier_url

TEMPLATE = "workflows/notification"
PREFECTURE_STEPS = {Step.STRUCTURE_PREFECTURE, Step.RECRUITMENT_PREFECTURE}
HUB_STEPS = {Step.STRUCTURE_HUB, Step.RECRUITMENT_HUB, Step.RECRUITMENT_TRAINING, Step.RUPTURE_VALIDATION}


def send(
    *,
    to,
    subject: str,
    heading: str,
    paragraphs: list[str],
    name: str = "",
    details=None,
    action=None,
    notes=None,
    candidate=None,
):
    """One notification e-mail; `action` is (label, absolute url). A candidate's e-mails end with the link to
    their personal data (see, download, erase)."""
    action_label, action_url = action if action else ("", "")
    send_templated_email(
        to=to,
        subject=subject,
        template=TEMPLATE,
        context={
            "heading": heading,
            "name": name,
            "paragraphs": paragraphs,
            "details": details or [],
            "action_label": action_label,
            "action_url": action_url,
            "notes": notes or [],
            "privacy_url": candidate_manage_url(candidate) if candidate is not None else "",
        },
    )


def _date(value) -> str:
    return formats.date_format(value, "j F Y") if value else "—"


def _message(label: str, message: str) -> list[tuple[str, str]]:
    """The applicant's message as an e-mail detail line (none when empty). Never pass an internal note here."""
    return [(label, message)] if message.strip() else []


# --- Recipients ---------------------------------------------------------------------------------------------------


def territorial_agents(role: str, department_code: str) -> list[str]:
    """E-mails of the active agents of a role whose territory covers a department."""
    memberships = Membership.objects.active().filter(role=role, user__is_active=True)
    if role == Role.PREFECTURE:
        memberships = memberships.filter(Q(department_id=department_code) | Q(region__departments=department_code))
    elif role == Role.HUB:
        memberships = memberships.filter(hub__departments=department_code)
    return sorted(set(memberships.values_list("user__email", flat=True)))


def national_admins() -> list[str]:
    return sorted(
        set(
            Membership.objects.active()
            .filter(role=Role.NATIONAL, user__is_active=True)
            .values_list("user__email", flat=True)
        )
    )


def structure_managers(structure_id) -> list[str]:
    if structure_id is None:
        return []
    memberships = Membership.objects.active().filter(
        role=Role.STRUCTURE_MANAGER, structure_id=structure_id, user__is_active=True
    )
    return sorted(set(memberships.values_list("user__email", flat=True)))


def people_in_charge(work_item) -> list[str]:
    """Who should act on a task: its owner if someone took it, otherwise every agent who may."""
    if work_item.owner_id:
        return [work_item.owner.email]
    if work_item.step in PREFECTURE_STEPS:
        return territorial_agents(Role.PREFECTURE, work_item.department_id)
    if work_item.step in HUB_STEPS:
        return territorial_agents(Role.HUB, work_item.department_id) or national_admins()
    return structure_managers(work_item.structure_id)


# --- Public applications ------------------------------------------------------------------------------------------


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


def candidate_manage_url(candidate) -> str:
    return absolute(
        reverse("candidature:candidate_manage", args=[tokens.make_token(tokens.MANAGE_CANDIDATE, candidate.pk)])
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


# --- Structure applications ---------------------------------------------------------------------------------------


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
        details=_message("Message de la préfecture", message),
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
        details=details + _message("Message du hub", message),
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
        details=[("Motif", reason_label), *_message("Message du hub", message)],
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


# --- Recruitments -------------------------------------------------------------------------------------------------


def _recruitment_details(recruitment):
    details = [("Candidat", recruitment.candidate.full_name), ("Structure", recruitment.structure.name)]
    if recruitment.contract_type:
        details += [
            ("Contrat", recruitment.get_contract_type_display()),
            ("Début", _date(recruitment.contract_start)),
            ("Fin", _date(recruitment.contract_end) if recruitment.contract_end else "—"),
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
            details=[("Motif", reason_label), *_message("Message", message)],
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
            details=_recruitment_details(recruitment) + _message("Message de la préfecture", message),
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
            details=_recruitment_details(recruitment) + _message("Message du hub", message),
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
            ("Formation", f"du {_date(training.session_start)} au {_date(training.session_end)}"),
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
            f"(à partir du {_date(recruitment.started_at)}).",
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
        details=_message("Message de la structure", message),
        candidate=recruitment.candidate,
    )


# --- Ruptures -----------------------------------------------------------------------------------------------------


def rupture_notified(rupture):
    details = [
        ("Conseiller", rupture.advisor.full_name),
        ("Structure", rupture.structure.name),
        ("Date de fin", _date(rupture.end_date)),
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
            f"La fin de contrat de {rupture.advisor.full_name} au {_date(rupture.end_date)} "
            f"({rupture.get_motive_display()}) est validée. "
            + (
                "Le poste est de nouveau disponible pour un recrutement."
                if rupture.applied_at
                else "Elle prendra effet à cette date : le poste sera alors de nouveau disponible."
            )
        ],
    )


# --- The advisor's own end of contract ----------------------------------------------------------------------------


def advisor_address(advisor) -> list[str]:
    """Where to tell an advisor about her contract: her account's e-mail, else her professional or personal one."""
    email = (advisor.user.email if advisor.user_id else "") or advisor.professional_email or advisor.email
    return [email] if email else []


def advisor_contract_ending_notified(rupture):
    send(
        to=advisor_address(rupture.advisor),
        subject="Votre structure a notifié la fin de votre contrat",
        heading="Fin de contrat notifiée",
        name=rupture.advisor.first_name,
        paragraphs=[
            f"« {rupture.structure.name} » a notifié la fin de votre contrat au {_date(rupture.end_date)} "
            f"({rupture.get_motive_display()}). Elle doit encore être validée par le hub territorial ou l'équipe "
            "nationale.",
            "Rien ne change pour vous d'ici là : votre Espace Coop reste ouvert.",
        ],
    )


def advisor_contract_ending_scheduled(rupture):
    send(
        to=advisor_address(rupture.advisor),
        subject=f"Votre fin de contrat au {_date(rupture.end_date)} est validée",
        heading="Fin de contrat validée",
        name=rupture.advisor.first_name,
        paragraphs=[
            f"La fin de votre contrat avec « {rupture.structure.name} » est validée. Elle prendra effet le "
            f"{_date(rupture.end_date)}.",
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
            f"Votre contrat avec « {rupture.structure.name} » a pris fin le {_date(rupture.end_date)}. Votre "
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
            f"La fin de votre contrat avec « {rupture.structure.name} », prévue le {_date(rupture.end_date)}, "
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
        paragraphs=[f"La fin de contrat de {rupture.advisor.full_name} au {_date(rupture.end_date)} est annulée."],
        details=[("Raison", comment)],
        action=("Voir le dossier", absolute(dossier_url("rupture", rupture.pk))),
    )


# --- Deadlines and digests ----------------------------------------------------------------------------------------


def task_reminder(work_item):
    send(
        to=people_in_charge(work_item),
        subject=f"Rappel : « {work_item.get_step_display()} » arrive à échéance",
        heading="Une demande arrive à échéance",
        paragraphs=[
            f"La demande « {work_item.title} » attend une décision avant le {_date(work_item.due_at)} "
            f"({settings.WORKFLOW_REMINDER_DAYS_BEFORE} jours)."
        ],
        action=("Traiter la demande", absolute(dossier_url(work_item.kind, work_item.subject_id))),
    )


def task_escalated(work_item):
    send(
        to=sorted(set(people_in_charge(work_item)) | set(national_admins())),
        subject=f"Demande en retard : {work_item.title}",
        heading="Échéance dépassée",
        paragraphs=[
            f"La demande « {work_item.title} » ({work_item.get_step_display()}) n'a pas été traitée avant "
            f"son échéance du {_date(work_item.due_at)}. L'équipe nationale en est informée et peut la traiter."
        ],
        action=("Ouvrir le dossier", absolute(dossier_url(work_item.kind, work_item.subject_id))),
    )


def digest(user, items, total: int):
    if total == 1 and items[0].kind == "structure":
        subject = "Nouvelle candidature au poste de conseiller numérique"  # the real programme's subject
    elif total == 1:
        subject = "1 nouvelle demande à traiter"
    else:
        subject = f"{total} nouvelles demandes à traiter"
    send(
        to=user.email,
        subject=subject,
        heading="Nouvelles demandes à traiter",
        name=user.first_name,
        paragraphs=[f"{total} nouvelle(s) demande(s) de votre territoire attendent une décision depuis hier."],
        details=[(item.get_step_display(), f"{item.title} (échéance {_date(item.due_at)})") for item in items],
        action=("Voir les demandes à traiter", absolute(reverse("workflows:queue"))),
    )
