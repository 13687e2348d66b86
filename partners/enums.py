"""Value lists of partner tokens."""

from django.db import models


class ScopeLevel(models.TextChoices):
    NATIONAL = "national", "National"
    REGION = "region", "Région"
    DEPARTMENT = "departement", "Département"


class Right(models.TextChoices):
    """What a token may read; each right opens one family of endpoints under /api/partenaires/."""

    STATISTICS = "statistiques", "Statistiques agrégées"
    PLACES = "lieux", "Lieux"
    STRUCTURES = "structures", "Structures"
    ADVISORS = "conseillers", "Annuaire des conseillers"
