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
