"""Value lists of the recruitment parcours (labels from the real programme, see domain-cnum §2–§3)."""

from django.db import models

from directory.enums import ContractType  # noqa: F401  (the contract is the directory's; re-exported here)


class StructureApplicationStatus(models.TextChoices):
    UNCONFIRMED = "a_confirmer", "Adresse e-mail à confirmer"
    PREFECTURE_REVIEW = "avis_prefecture", "En attente de l'avis du préfet"
    HUB_VALIDATION = "validation_hub", "Examen par le hub"
    GRANTED = "validee", "Validée"
    REFUSED = "refusee", "Refus"
    DUPLICATE = "doublon", "Doublon"
    WITHDRAWN = "abandonnee", "Abandonnée"


OPEN_STRUCTURE_APPLICATION_STATUSES = [
    StructureApplicationStatus.UNCONFIRMED,
    StructureApplicationStatus.PREFECTURE_REVIEW,
    StructureApplicationStatus.HUB_VALIDATION,
]


class CandidateStatus(models.TextChoices):
    UNCONFIRMED = "a_confirmer", "Adresse e-mail à confirmer"
    AVAILABLE = "disponible", "Disponible"
    RECRUITED = "recrute", "Recruté"
    WITHDRAWN = "retiree", "Candidature retirée"
    ERASED = "effacee", "Candidature effacée"


OPEN_CANDIDATE_STATUSES = [CandidateStatus.UNCONFIRMED, CandidateStatus.AVAILABLE]


class Situation(models.TextChoices):
    JOB_SEEKER = "demandeur_emploi", "Demandeur d'emploi"
    EMPLOYED = "en_emploi", "En emploi"
    IN_TRAINING = "en_formation", "En formation"
    DIPLOMA = "diplome", "Diplômé dans le secteur de la médiation numérique (formation certifiante ou non)"


class MaxDistance(models.IntegerChoices):
    KM_5 = 5, "5 km"
    KM_10 = 10, "10 km"
    KM_15 = 15, "15 km"
    KM_20 = 20, "20 km"
    KM_40 = 40, "40 km"
    KM_100 = 100, "100 km"
    FRANCE = 2000, "France entière"


class RecruitmentStatus(models.TextChoices):
    PRESELECTED = "interessee", "Candidat présélectionné"
    PREFECTURE_REVIEW = "avis_prefecture", "Contrat proposé : avis du préfet"
    HUB_VALIDATION = "validation_hub", "Contrat proposé : validation du hub"
    TRAINING = "formation", "En formation"
    DEPLOYMENT = "prise_de_poste", "Prise de poste à enregistrer"
    ACTIVE = "finalisee", "Candidat recruté"
    REFUSED = "refusee", "Recrutement refusé"
    CANCELLED = "annulee", "Recrutement annulé"
    WITHDRAWN = "retiree", "Candidature retirée"
    ENDED = "finalisee_rupture", "Contrat rompu"


# Contract proposed and not yet active: these count against the structure's posts.
RECRUITMENT_IN_PROGRESS = [
    RecruitmentStatus.PREFECTURE_REVIEW,
    RecruitmentStatus.HUB_VALIDATION,
    RecruitmentStatus.TRAINING,
    RecruitmentStatus.DEPLOYMENT,
]
OPEN_RECRUITMENT_STATUSES = [RecruitmentStatus.PRESELECTED, *RECRUITMENT_IN_PROGRESS]
# A candidate engaged with one structure (preselected, under review, in training or in post) is offered to no other.
ENGAGED_RECRUITMENT_STATUSES = [*OPEN_RECRUITMENT_STATUSES, RecruitmentStatus.ACTIVE]


class RuptureMotive(models.TextChoices):
    DISMISSAL = "licenciement", "Licenciement"
    CDD_NOT_RENEWED = "non_reconduction_cdd", "Non-reconduction du CDD"
    RESIGNATION = "demission", "Démission"
    CDISATION = "cdisation", "CDIsation / titularisation de contrat"
    END_OF_FUNDING = "fin_subventionnement", "Fin de subventionnement"


class RuptureStatus(models.TextChoices):
    NOTIFIED = "nouvelle", "Nouvelle demande"
    INCOMPLETE = "en_attente_pieces", "En attente de pièces"
    SCHEDULED = "programmee", "Validée, effective à la date de fin"
    VALIDATED = "validee", "Rupture validée"
    CANCELLED = "annulee", "Annulée"


# A validated rupture dated in the future is still open: the advisor works until its date, and no second
# rupture may be notified meanwhile.
OPEN_RUPTURE_STATUSES = [RuptureStatus.NOTIFIED, RuptureStatus.INCOMPLETE, RuptureStatus.SCHEDULED]


class Kind(models.TextChoices):
    """The kinds of dossier handled in the espace agents (see workflows.kinds for what each one is)."""

    STRUCTURE = "structure", "Candidature de structure"
    RECRUITMENT = "recrutement", "Recrutement de conseiller"
    RUPTURE = "rupture", "Fin de contrat"
    CANDIDATE = "candidat", "Candidature de conseiller"
    POST_REQUEST = "avenant", "Avenant (ajout ou rendu de postes)"
    TRANSFER = "transfert", "Transfert de postes"
    RENEWAL = "reconventionnement", "Reconventionnement"
    CONTRACT_CHANGE = "modification_contrat", "Modification de contrat"
    COORDINATOR = "coordinateur", "Poste de coordinateur"


class Step(models.TextChoices):
    """Human steps of the parcours; each is one Viewflow `View` node."""

    STRUCTURE_PREFECTURE = "structure_avis_prefecture", "Avis du préfet sur une structure"
    STRUCTURE_HUB = "structure_validation_hub", "Validation d'une structure"
    RECRUITMENT_CONTRACT = "recrutement_contrat", "Proposition de contrat"
    RECRUITMENT_PREFECTURE = "recrutement_avis_prefecture", "Avis du préfet sur un recrutement"
    RECRUITMENT_HUB = "recrutement_validation_hub", "Validation d'un recrutement"
    RECRUITMENT_TRAINING = "recrutement_formation", "Formation"
    RECRUITMENT_DEPLOYMENT = "recrutement_prise_de_poste", "Prise de poste"
    RUPTURE_VALIDATION = "rupture_validation", "Validation d'une fin de contrat"
    RUPTURE_DOCUMENTS = "rupture_pieces", "Pièces manquantes d'une fin de contrat"
    POST_REQUEST_PREFECTURE = "avenant_avis_prefecture", "Avis du préfet sur un avenant"
    POST_REQUEST_DECISION = "avenant_decision", "Décision sur un avenant"
    TRANSFER_PREFECTURE = "transfert_avis_prefecture", "Avis du préfet sur un transfert de postes"
    TRANSFER_DECISION = "transfert_decision", "Décision sur un transfert de postes"
    RENEWAL_PREFECTURE = "reconventionnement_avis_prefecture", "Avis du préfet sur un reconventionnement"
    RENEWAL_DECISION = "reconventionnement_decision", "Validation d'un reconventionnement"
    CONTRACT_CHANGE_VALIDATION = "modification_contrat_validation", "Validation d'une modification de contrat"
    COORDINATOR_PREFECTURE = "coordinateur_avis_prefecture", "Avis du préfet sur un poste de coordinateur"
    COORDINATOR_DECISION = "coordinateur_decision", "Décision sur un poste de coordinateur"
    COORDINATOR_DESIGNATION = "coordinateur_designation", "Désignation du coordinateur"


class Verdict(models.TextChoices):
    """What a line of the decision log says happened."""

    SUBMITTED = "depot", "Dépôt"
    CONFIRMED = "confirmation", "Adresse e-mail confirmée"
    FAVORABLE = "favorable", "Avis favorable"
    UNFAVORABLE = "defavorable", "Avis défavorable"
    GRANTED = "attribution", "Postes attribués"
    REFUSED = "refus", "Refus"
    SENT_BACK = "renvoi", "Renvoyé au préfet"
    DUPLICATE = "doublon", "Doublon"
    PRESELECTED = "preselection", "Présélection"
    PROPOSED = "proposition", "Contrat proposé"
    VALIDATED = "validation", "Validé"
    TRAINED = "formation", "Formation enregistrée"
    DEPLOYED = "prise_de_poste", "Prise de poste"
    NOTIFIED = "notification", "Fin de contrat notifiée"
    DOCUMENTS_REQUESTED = "pieces_demandees", "Pièces demandées"
    DOCUMENTS_PROVIDED = "pieces_fournies", "Pièces fournies"
    ENDED = "fin_effective", "Fin de contrat effective"
    CANCELLED = "annulation", "Annulation"
    WITHDRAWN = "retrait", "Retrait du candidat"
    ERASED = "effacement", "Données effacées"
    ANONYMISED = "anonymisation", "Anonymisée après 2 ans d'inactivité"
    TAKEN = "prise_en_charge", "Prise en charge"
    RELEASED = "liberation", "Tâche libérée"
    REMINDED = "rappel", "Rappel avant échéance"
    ESCALATED = "escalade", "Échéance dépassée"
    APPLIED = "application", "Appliqué à sa date"
    DESIGNATED = "designation", "Coordinateur désigné"
    ASSIGNED = "attribution_agent", "Dossier confié à un agent"
    CORRECTION_REQUESTED = "correction_demandee", "Correction demandée au demandeur"
    CORRECTION_ANSWERED = "correction_repondue", "Réponse du demandeur à la correction"
    # Switch-over (issue 16): a COSELEC's "examen complémentaire", and the line that closes an imported history.
    FURTHER_REVIEW = "examen_complementaire", "Examen complémentaire"
    IMPORTED = "reprise", "Historique repris de l'ancien système"


class PrefectureOpinion(models.TextChoices):
    FAVORABLE = "favorable", "Avis favorable"
    UNFAVORABLE = "defavorable", "Avis défavorable"


class StructureHubDecision(models.TextChoices):
    GRANT = "attribuer", "Attribuer des postes"
    REFUSE = "refuser", "Refuser la candidature"
    SEND_BACK = "renvoyer", "Renvoyer au préfet pour un nouvel examen"
    DUPLICATE = "doublon", "Classer comme doublon"


class RecruitmentHubDecision(models.TextChoices):
    VALIDATE = "valider", "Valider le recrutement"
    REFUSE = "refuser", "Refuser le recrutement"
    SEND_BACK = "renvoyer", "Renvoyer au préfet pour un nouvel examen"


class RuptureDecision(models.TextChoices):
    VALIDATE = "valider", "Valider la fin de contrat"
    REQUEST_DOCUMENTS = "pieces", "Demander des pièces manquantes"


class RefusalReason(models.TextChoices):
    """Reasons offered to reviewers who refuse (the free text completes them)."""

    NOT_ELIGIBLE = "non_eligible", "La structure ne remplit pas les conditions d'éligibilité"
    NO_NEED = "besoin_non_justifie", "Le besoin n'est pas justifié sur le territoire"
    INSUFFICIENT_MEANS = "moyens_insuffisants", "Les moyens d'accueil (encadrement, équipement) sont insuffisants"
    NO_POST = "pas_de_poste", "Aucun poste disponible sur le territoire"
    INCOMPLETE = "dossier_incomplet", "Le dossier est incomplet"
    PROFILE = "profil", "Le profil ne correspond pas aux missions"
    CONTRACT = "contrat", "Les conditions du contrat ne sont pas conformes"
    OTHER = "autre", "Autre motif (précisé dans le message)"


class TrainingImportOutcome(models.TextChoices):
    UPDATED = "mis_a_jour", "Mis à jour"
    ERROR = "erreur", "Erreur"
    SKIPPED = "ignore", "Ignoré"


class PostRequestType(models.TextChoices):
    """An avenant asks for more posts or gives posts back (demandesCoselec.type of the real programme)."""

    ADD = "ajout", "Ajout de postes"
    RETURN = "rendu", "Rendu de postes"


class PostReturnMotive(models.TextChoices):
    """The official motifs of a "rendu de poste" (structures.schemas.ts validCreationAvenant)."""

    NO_NEED = "besoin_non_justifie", "Le besoin n'est pas ou plus justifié"
    RECRUITMENT_DIFFICULTIES = "difficultes_recrutement", "Ma structure rencontre des difficultés de recrutement"
    NO_FUNDS = "capacites_financieres", "Ma structure n'a pas ou plus les capacités financières nécessaires"
    UNCERTAIN = (
        "visibilite",
        ("Je ne sais pas encore si je souhaite me reconventionner car je manque de visibilité sur les prochains mois"),
    )
    END_OF_FUNDING = "fin_subventionnement", "Fin de subventionnement"
    OTHER = "autre", "Autre motif (précisé)"


class RequestStatus(models.TextChoices):
    """Where a request of the programme's life after recruitment stands (avenant, transfer, renewal, contract
    change, coordinator post)."""

    PREFECTURE_REVIEW = "avis_prefecture", "En attente de l'avis du préfet"
    DECISION = "decision", "En attente de décision"
    DESIGNATION = "designation", "Coordinateur à désigner"
    GRANTED = "validee", "Validée"
    SCHEDULED = "programmee", "Validée, effective à sa date"
    REFUSED = "refusee", "Refusée"
    CANCELLED = "annulee", "Annulée"


OPEN_REQUEST_STATUSES = [
    RequestStatus.PREFECTURE_REVIEW,
    RequestStatus.DECISION,
    RequestStatus.DESIGNATION,
    RequestStatus.SCHEDULED,
]


class RequestDecision(models.TextChoices):
    """The decision on a request (grant possibly fewer posts than asked, refuse, or send back to the prefecture)."""

    GRANT = "accorder", "Accorder"
    REFUSE = "refuser", "Refuser"
    SEND_BACK = "renvoyer", "Renvoyer au préfet pour un nouvel examen"


class ContractChangeType(models.TextChoices):
    """What a structure asks to change in an advisor's contract."""

    PROLONGATION = "prolongation", "Prolongation du contrat (nouvelle date de fin)"
    RENEWAL = "renouvellement", "Renouvellement du contrat (nouveau contrat à la suite)"
    AMENDMENT = "modification", "Modification des dates, de la durée hebdomadaire ou du salaire"


class CoordinationType(models.TextChoices):
    """The coordinator's missions (coordinateurTypeContrat of the real programme)."""

    COORDINATION_ONLY = "FT", "Effectuera uniquement des missions de coordination"
    COORDINATION_AND_PUBLIC = "PT", "Accompagnera également des publics"


# --- Instruction at volume (issue 14) -----------------------------------------------------------------------------


class Party(models.TextChoices):
    """Who, on the applicant's side, reads a dossier's thread (a recruitment has two: the structure, the candidate)."""

    STRUCTURE = "structure", "Structure"
    CANDIDATE = "candidat", "Candidat"


class Side(models.TextChoices):
    """Which side wrote a message of a thread."""

    AGENT = "agent", "Agent"
    APPLICANT = "demandeur", "Demandeur"


class AttachmentAudience(models.TextChoices):
    """Who may open an attachment, besides the agents of the dossier's territory."""

    AGENTS = "agents", "Agents seulement"
    STRUCTURE = "structure", "Agents et structure"
    CANDIDATE = "candidat", "Agents et candidat"


class NotificationEvent(models.TextChoices):
    """The kinds of event an agent is told about, each by e-mail at once or in the daily digest."""

    NEW_TASK = "nouvelle_tache", "Nouveau dossier à traiter dans mon territoire"
    ASSIGNED = "dossier_confie", "Un dossier m'est confié"
    APPLICANT_MESSAGE = "message_demandeur", "Le demandeur a écrit sur un dossier que je suis"
    CORRECTION_ANSWERED = "correction_repondue", "Le demandeur a répondu à une demande de correction"
    BULK_FINISHED = "traitement_groupe", "Un traitement groupé que j'ai lancé est terminé"


class NotificationMode(models.TextChoices):
    IMMEDIATE = "immediat", "E-mail immédiat"
    DIGEST = "synthese", "Synthèse quotidienne"


class BulkAction(models.TextChoices):
    """What one bulk action does to each selected dossier."""

    DECIDE = "decision", "Décision"
    ASSIGN = "attribution", "Attribution à un agent"
    LABEL = "etiquette", "Étiquette"


class BulkStatus(models.TextChoices):
    PENDING = "attente", "En attente"
    RUNNING = "en_cours", "En cours"
    DONE = "termine", "Terminé"


class BulkOutcome(models.TextChoices):
    """What happened to one dossier of a bulk action."""

    PENDING = "attente", "À traiter"
    DONE = "fait", "Fait"
    FAILED = "echec", "Non traité"
