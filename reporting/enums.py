"""Value lists of the activity reports (CRA), with the labels of La Coop de la médiation numérique.

Values and labels follow research/domain-coop.md §2.3 (the current best practice); the order of each list
is the order shown in forms and statistics.
"""

from django.db import models


class ActivityKind(models.TextChoices):
    INDIVIDUAL = "individuel", "Accompagnement individuel"
    COLLECTIVE = "collectif", "Atelier collectif"


class PlaceType(models.TextChoices):
    ACTIVITY_PLACE = "lieu_activite", "Lieu d'activité"
    OTHER = "autre", "Autre lieu"
    HOME = "domicile", "À domicile"
    REMOTE = "a_distance", "À distance"


class Theme(models.TextChoices):
    """The 19 thématiques of digital mediation (multi-valued, at least one)."""

    DIAGNOSTIC = "diagnostic_numerique", "Diagnostic numérique"
    DEVICE_HANDLING = "prendre_en_main_du_materiel", "Prendre en main du matériel"
    MAINTENANCE = "maintenance_de_materiel", "Maintenance de matériel"
    CONTENT = "gere_ses_contenus_numeriques", "Gérer ses contenus numériques"
    BROWSING = "navigation_sur_internet", "Navigation sur internet"
    EMAIL = "email", "E-mail"
    OFFICE = "bureautique", "Bureautique"
    SOCIAL_NETWORKS = "reseaux_sociaux", "Réseaux sociaux communication"
    HEALTH = "sante", "Santé"
    BANKING = "banque_et_achats_en_ligne", "Banque et achats en ligne"
    BUSINESS = "entrepreneuriat", "Accompagner un professionnel"
    EMPLOYMENT = "insertion_professionnelle", "Insertion professionnelle"
    SECURITY = "securite_numerique", "Prévention en sécurité numérique"
    PARENTING = "parentalite", "Parentalité"
    SCHOOL = "scolarite_et_numerique", "Scolarité et numérique"
    CREATION = "creer_avec_le_numerique", "Créer avec le numérique"
    CULTURE = "culture_numerique", "Culture numérique"
    AI = "intelligence_artificielle", "Intelligence artificielle (IA)"
    ADMINISTRATIVE = "aide_aux_demarches_administratives", "Aide aux démarches administratives"


THEME_HINTS = {
    Theme.DIAGNOSTIC: "Évaluation des compétences numériques (ex. : ABC Diag de Pix)",
    Theme.DEVICE_HANDLING: "Ordinateur, tablette, smartphone, périphériques (wifi, clé USB, imprimante…)",
    Theme.MAINTENANCE: "Maintenance de niveau 1, installation, mises à jour",
    Theme.CONTENT: "Organiser, stocker et retrouver ses fichiers et données",
    Theme.BROWSING: "Faire une recherche, se connecter, remplir un formulaire",
    Theme.EMAIL: "Créer une boîte mail, envoyer et recevoir des messages et documents",
    Theme.OFFICE: "Traitement de texte, tableur, gestion de documents",
    Theme.SOCIAL_NETWORKS: "Garder le lien, messageries, visioconférence",
    Theme.HEALTH: "Ameli, Mon Espace Santé, prise de rendez-vous (Doctolib…)",
    Theme.BANKING: "Application bancaire, achat en ligne, budget",
    Theme.BUSINESS: "Créer son entreprise, communication et outils professionnels",
    Theme.EMPLOYMENT: "France Travail, Mon Compte Formation, CV, recherche d'emploi",
    Theme.SECURITY: "Se connecter sans risque, protéger ses données, repérer les fraudes",
    Theme.PARENTING: "Suivi scolaire, logiciels éducatifs, protection des enfants",
    Theme.SCHOOL: "Accompagner un groupe scolaire ou un enfant sur un outil numérique",
    Theme.CREATION: "Photos, vidéos, illustrations, fablab, impression 3D, code",
    Theme.CULTURE: "Usages responsables, éducation aux médias, logiciels libres",
    Theme.AI: "Comprendre et utiliser de façon critique les outils d'IA",
    Theme.ADMINISTRATIVE: "Trouver la bonne plateforme, utiliser CAF, impôts, FranceConnect…",
}


class Procedure(models.TextChoices):
    """The 11 démarches administratives, only with the thématique « Aide aux démarches administratives »."""

    PAPERS = "papiers_elections_citoyennete", "Papiers - Élections - Citoyenneté"
    FAMILY = "famille_scolarite", "Famille - Scolarité"
    SOCIAL = "social_sante", "Social - Santé"
    WORK = "travail_formation", "Travail - Formation - Entreprise"
    HOUSING = "logement", "Logement"
    TRANSPORT = "transports_mobilite", "Transports - Mobilité"
    MONEY = "argent_impots", "Argent - Impôts"
    JUSTICE = "justice", "Justice"
    FOREIGNERS = "etrangers_europe", "Étrangers - Europe"
    LEISURE = "loisirs_sports_culture", "Loisirs - Sports - Culture"
    ASSOCIATIONS = "associations", "Associations"


PROCEDURE_HINTS = {
    Procedure.PAPERS: "État civil, passeport, carte d'identité, élections (ANTS)",
    Procedure.FAMILY: "Allocations familiales, naissance, mariage, scolarité (CAF, EduConnect)",
    Procedure.SOCIAL: "Carte Vitale, chômage, handicap, RSA (ameli.fr, MSA)",
    Procedure.WORK: "Contrat, concours, retraite (France Travail, info-retraite.fr)",
    Procedure.HOUSING: "Aides au logement, logement social, fin de bail",
    Procedure.TRANSPORT: "Carte grise, permis de conduire, infractions (ANTS, ANTAI)",
    Procedure.MONEY: "Impôts, crédit, assurance, surendettement (impots.gouv.fr)",
    Procedure.JUSTICE: "Casier judiciaire, plainte, aide juridictionnelle",
    Procedure.FOREIGNERS: "Titre de séjour, attestation d'accueil, regroupement familial",
    Procedure.LEISURE: "Animaux, permis bateau ou de chasser, tourisme",
    Procedure.ASSOCIATIONS: "Statuts, fonctionnement, financement",
}


class Material(models.TextChoices):
    COMPUTER = "ordinateur", "Ordinateur"
    PHONE = "telephone", "Téléphone"
    TABLET = "tablette", "Tablette"
    OTHER = "autre", "Autre"
    NONE = "aucun", "Pas de matériel"


class Autonomy(models.TextChoices):
    GUIDED = "entierement_accompagne", "Avec guidage"
    PARTLY = "partiellement_autonome", "Autonome avec guidage en cas de besoin"
    AUTONOMOUS = "autonome", "Autonome"


class RedirectionStructure(models.TextChoices):
    ADMINISTRATION = "administration", "Administration (mairie, préfecture…)"
    MEDIATION = "mediation_numerique", "Autre structure de médiation numérique"
    OPERATOR = "operateur_ou_organisme_en_charge", "Opérateur ou organisme en charge de la démarche administrative"
    SOCIAL = "aide_sociale", "Structure d'aide sociale (maison des solidarités, centre social…)"
    EMPLOYMENT = (
        "insertion_professionnelle",
        "Structure d'insertion professionnelle (France Travail, mission locale, chambre de commerce…)",
    )
    FRANCE_SERVICES = (
        "aide_aux_demarches_administratives",
        "Structure d'aide aux démarches administratives (France Services…)",
    )
    OTHER = "autre", "Autre"


class WorkshopLevel(models.TextChoices):
    BEGINNER = "debutant", "Débutant"
    INTERMEDIATE = "intermediaire", "Intermédiaire"
    ADVANCED = "avance", "Avancé"


class Gender(models.TextChoices):
    MALE = "masculin", "Masculin"
    FEMALE = "feminin", "Féminin"
    UNKNOWN = "non_communique", "Non communiqué"


class AgeBand(models.TextChoices):
    UNDER_12 = "moins_de_douze", "Moins de 12 ans"
    FROM_12 = "douze_dix_huit", "12 - 17 ans"
    FROM_18 = "dix_huit_vingt_quatre", "18 - 24 ans"
    FROM_25 = "vingt_cinq_trente_neuf", "25 - 39 ans"
    FROM_40 = "quarante_cinquante_neuf", "40 - 59 ans"
    FROM_60 = "soixante_soixante_neuf", "60 - 69 ans"
    FROM_70 = "soixante_dix_plus", "70 ans et plus"
    UNKNOWN = "non_communique", "Non communiqué"


class SocialStatus(models.TextChoices):
    STUDENT = "scolarise", "Scolarisé(e)"
    JOB_SEEKER = "sans_emploi", "Sans emploi"
    EMPLOYED = "en_emploi", "En emploi"
    RETIRED = "retraite", "Retraité(e)"
    UNKNOWN = "non_communique", "Non communiqué ou hétérogène"


class DurationBucket(models.TextChoices):
    """Statistics buckets of durations, half-open intervals of minutes: [0, 30), [30, 60), [60, 120), [120, ∞)."""

    UNDER_30 = "moins_30", "Moins de 30 min"
    FROM_30 = "30_60", "30 min à 1 h"
    FROM_60 = "60_120", "1 h à 2 h"
    FROM_120 = "plus_120", "2 h et plus"


DURATION_BUCKET_BOUNDS = {
    DurationBucket.UNDER_30: (0, 30),
    DurationBucket.FROM_30: (30, 60),
    DurationBucket.FROM_60: (60, 120),
    DurationBucket.FROM_120: (120, None),
}


def duration_bucket(minutes: int) -> str:
    """The statistics bucket of a duration in minutes."""
    for bucket, (low, high) in DURATION_BUCKET_BOUNDS.items():
        if minutes >= low and (high is None or minutes < high):
            return bucket.value
    return DurationBucket.UNDER_30.value


DURATION_PRESETS = [15, 30, 45, 60, 90, 120]


class ReminderThreshold(models.IntegerChoices):
    """Days without any activity report after which an advisor is reminded."""

    FIRST = 30, "Aucun compte-rendu depuis 30 jours"
    SECOND = 45, "Aucun compte-rendu depuis 45 jours"


class ToolCategory(models.TextChoices):
    APPOINTMENTS = "rendez-vous", "Prise de rendez-vous"
    MANDATE = "mandat", "Démarches pour le compte d'autrui"
    SKILLS = "competences", "Compétences numériques"
    RESOURCES = "ressources", "Ressources"
    MAP = "cartographie", "Cartographie"
    OTHER = "autre", "Autre"


class ReportingStatus(models.TextChoices):
    """Where an advisor stands with activity reports (Mon équipe, reminders)."""

    ACTIVE = "actif", "Actif"
    SILENT_30 = "30_jours", "30 jours sans compte-rendu"
    SILENT_45 = "45_jours", "45 jours sans compte-rendu"
    ENDED = "termine", "Contrat terminé"


class ExportKind(models.TextChoices):
    """The lists the pilotage exports (one row per item)."""

    ACTIVITIES = "activites", "Comptes-rendus d'activité"
    ADVISORS = "conseillers", "Conseillers"
    STRUCTURES = "structures", "Structures"


class ExportStatus(models.TextChoices):
    PENDING = "attente", "En attente"
    RUNNING = "en_cours", "En cours"
    DONE = "pret", "Prêt"
    FAILED = "echec", "Échec"


# Espace Coop v2 (research/domain-coop.md §2.7, §2.8, §3, §4.4)


class TagScope(models.TextChoices):
    """Who a tag belongs to, hence who may use it: its author, a department's actors, or everyone."""

    PERSONAL = "personnel", "Personnel"
    DEPARTMENT = "departemental", "Départemental"
    NATIONAL = "national", "National"


class CoordinationKind(models.TextChoices):
    ANIMATION = "animation", "Animation"
    EVENT = "evenement", "Événement"
    PARTNERSHIP = "partenariat", "Partenariat"


class TerritorialLevel(models.TextChoices):
    COMMUNAL = "communal", "Communal"
    INTERCOMMUNAL = "intercommunal", "Intercommunal"
    DEPARTMENTAL = "departemental", "Départemental"
    REGIONAL = "regional", "Régional"
    NATIONAL = "national", "National"


class AnimationType(models.TextChoices):
    ASSEMBLY = "assemblee", "Assemblée"
    COMMITTEE = "comite", "Comité technique / de pilotage"
    WORKING_GROUP = "groupe_de_travail", "Groupe de travail"
    EXCHANGE = "echange", "Échange"
    COORDINATION_MEETING = "reunion_coordination", "Réunion de coordination"
    WEBINAR = "webinaire", "Webinaire"
    OTHER = "autre", "Autre"


class Initiative(models.TextChoices):
    MINE = "initiative", "Intervention à mon initiative"
    REQUEST = "demande", "Réponse à un besoin"


class AnimationTheme(models.TextChoices):
    PRACTICES = "partage", "Partage de bonnes pratiques"
    NETWORK = "reseau", "Maillage territorial"
    SUPPORT = "soutien", "Soutien technique ou organisationnel"
    CAREER = "professionnel", "Parcours professionnel"
    HR = "rh", "Aide au recrutement, convention, fin de contrat"
    OTHER = "autre", "Autre"


class EventType(models.TextChoices):
    PUBLIC = "grand_public", "Événement grand public"
    NATIONAL = "national", "Événement national (NEC, ANCTour…)"
    INCLUSION = "inclusion_numerique", "Événement de l'inclusion numérique"
    NEC_LOCAL = "nec_local", "NEC local"
    OTHER = "autre", "Autre"


class Organiser(models.TextChoices):
    MY_STRUCTURE = "ma_structure", "Ma structure"
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    DEPARTMENT = "departement", "Département"
    REGION = "region", "Région"
    ASSOCIATION = "association", "Association"
    COMPANY = "entreprise", "Entreprise"
    HUB = "hub", "Hub"
    STATE = "etat", "Services de l'État"
    GROUPING = "groupement", "Groupement"
    OTHER = "autre", "Autre"


class PartnershipNature(models.TextChoices):
    USER_JOURNEY = "parcours_usager", "Parcours usager"
    GRANT = "subvention", "Subvention"
    DEPARTMENTAL_COORDINATION = "coordination_departementale", "Coordination départementale"
    ELECTED_MEETING = "rdv_elu", "Rendez-vous avec un élu"
    OTHER = "autre", "Autre"
