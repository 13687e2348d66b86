"""Value lists of the network directory (from the real programme, see ARCHITECTURE §5)."""

from django.db import models


class StructureType(models.TextChoices):
    COMMUNE = "commune", "Commune"
    DEPARTMENT = "departement", "Département"
    REGION = "region", "Région"
    EPCI = "epci", "Établissement public de coopération intercommunale"
    SPECIAL_STATUS = "collectivite", "Collectivité à statut particulier"
    GIP = "gip", "GIP"
    PRIVATE = "privee", "Structure privée (association, entreprise de l'ESS, fondation)"


PUBLIC_STRUCTURE_TYPES = [t for t in StructureType if t != StructureType.PRIVATE]


class StructureStatus(models.TextChoices):
    CREATED = "creee", "Non traitée"
    VALIDATED = "validee", "Validée"
    REFUSED = "refusee", "Refusée"
    ABANDONED = "abandonnee", "Abandonnée"
    CANCELLED = "annulee", "Annulée"
    DUPLICATE = "doublon", "Doublon"


class Network(models.TextChoices):
    """The grands réseaux that host advisors."""

    CROIX_ROUGE = "croix-rouge", "Croix-Rouge"
    GROUPE_SOS = "groupe-sos", "Groupe SOS"
    EMMAUS_CONNECT = "emmaus-connect", "Emmaüs Connect"
    LA_POSTE = "la-poste", "La Poste"
    UNAF = "unaf", "UNAF"
    LIGUE_ENSEIGNEMENT = "ligue-enseignement", "La Ligue de l'enseignement"
    FAMILLES_RURALES = "familles-rurales", "Familles rurales"
    FACE = "face", "FACE"
    PIMMS = "pimms", "PIMMS"
    APF = "apf-handicap", "APF Handicap"
    UNIJ = "unij", "UNIJ"
    MJC = "mjc", "Confédération des MJC"
    REGIE_QUARTIER = "regie-quartier", "Régie de quartier"
    CHAMBRES_AGRICULTURE = "chambres-agriculture", "Chambres d'agriculture"


class AdvisorStatus(models.TextChoices):
    ACTIVE = "actif", "En activité"
    ENDED = "termine", "Contrat terminé"


class AccessType(models.TextChoices):
    FREE = "libre", "Accès libre"
    APPOINTMENT = "rdv", "Sur rendez-vous"
    NO_PUBLIC = "prive", "La structure n'accueille pas de public"


class Weekday(models.TextChoices):
    MONDAY = "lundi", "Lundi"
    TUESDAY = "mardi", "Mardi"
    WEDNESDAY = "mercredi", "Mercredi"
    THURSDAY = "jeudi", "Jeudi"
    FRIDAY = "vendredi", "Vendredi"
    SATURDAY = "samedi", "Samedi"
    SUNDAY = "dimanche", "Dimanche"


class DayPart(models.TextChoices):
    MORNING = "matin", "Matin"
    AFTERNOON = "apres_midi", "Après-midi"


class ConventionStatus(models.TextChoices):
    """Where a structure's convention with the State stands (conventionnement.statut of the real programme)."""

    ACTIVE = "en_cours", "En cours"
    RENEWAL_REQUESTED = "reconventionnement_demande", "Reconventionnement demandé"
    RENEWED = "reconventionnee", "Reconventionnée"
    ENDED = "terminee", "Terminée"


class ConventionEventKind(models.TextChoices):
    """What changed the posts of a convention, on its date (the real programme's coselec / demandesCoselec)."""

    GRANT = "attribution", "Attribution initiale"
    POSTS_ADDED = "avenant_ajout", "Avenant : ajout de postes"
    POSTS_RETURNED = "avenant_rendu", "Avenant : rendu de postes"
    TRANSFER_IN = "transfert_entrant", "Transfert de postes reçu"
    TRANSFER_OUT = "transfert_sortant", "Transfert de postes cédé"
    COORDINATOR_POST = "poste_coordinateur", "Poste de coordinateur"
    RENEWAL = "reconventionnement", "Reconventionnement"
    ENDED = "fin", "Fin de la convention"


class ContractType(models.TextChoices):
    CDI = "cdi", "CDI"
    CDD = "cdd", "CDD"
    PEC = "pec", "PEC (parcours emploi compétences)"
    PUBLIC_PROJECT = "contrat_projet_public", "Contrat de projet public"


# Contracts with a term (every type but the CDI): they end on their end date unless prolonged.
FIXED_TERM_CONTRACT_TYPES = [ContractType.CDD, ContractType.PEC, ContractType.PUBLIC_PROJECT]


class ContractStatus(models.TextChoices):
    ACTIVE = "en_cours", "En cours"
    ENDED = "termine", "Terminé"


class ContractEndReason(models.TextChoices):
    """Why a contract ended (shown in the advisor's contract history)."""

    RUPTURE = "rupture", "Rupture"
    TERM = "echeance", "Arrivé à échéance"
    RENEWED = "renouvele", "Renouvelé (nouveau contrat)"
    TRANSFERRED = "transfere", "Poursuivi chez un nouvel employeur (transfert)"
    CONVENTION_ENDED = "fin_convention", "Fin de la convention de la structure"


class CoordinatesPrecision(models.TextChoices):
    """How a place's latitude and longitude were obtained (the public map and the open data say it)."""

    ADDRESS = "adresse", "Adresse géocodée (numéro dans la voie)"
    STREET = "rue", "Voie ou lieu-dit géocodé"
    COMMUNE = "commune", "Centre de la commune"
    TYPED = "saisie", "Saisies par le conseiller"
