"""Value lists of the public site and its resource library."""

from django.db import models


class ResourceType(models.TextChoices):
    GUIDE = "guide", "Guide"
    FICHE = "fiche", "Fiche pratique"
    OUTIL = "outil", "Outil"
    VIDEO = "video", "Vidéo"
    FORMATION = "formation", "Formation"


class AccessibilityStatus(models.TextChoices):
    """RGAA conformance status, shown in the footer (« Accessibilité : … »)."""

    FULL = "totale", "totalement conforme"
    PARTIAL = "partielle", "partiellement conforme"
    NONE = "non", "non conforme"


class NoticeLevel(models.TextChoices):
    """Kinds of the DSFR « bandeau d'information importante »."""

    INFO = "info", "Information"
    WARNING = "warning", "Avertissement"
    ALERT = "alert", "Alerte"


class HeadingLevel(models.TextChoices):
    H2 = "h2", "Titre de section (niveau 2)"
    H3 = "h3", "Sous-titre (niveau 3)"
