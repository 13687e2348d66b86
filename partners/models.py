"""Partner tokens (who may call /api/partenaires/, on which territory, with which rights) and the log of every call."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from partners.enums import Right, ScopeLevel


class ApiTokenQuerySet(models.QuerySet):
    def revoked(self):
        return self.filter(revoked_at__isnull=False)

    def not_revoked(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A partner's access: a territory (national, one region or one department), rights, a rate limit and dates.

    Only the SHA-256 of the secret is stored (partners/keys.py); the secret is shown once, at creation."""

    name = models.CharField("nom", max_length=150)
    organisation = models.CharField("organisme", max_length=200)
    contact_email = models.EmailField("e-mail du contact technique")
    level = models.CharField("périmètre", max_length=20, choices=ScopeLevel.choices)
    region = models.ForeignKey(
        "territories.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="région",
    )
    department = models.ForeignKey(
        "territories.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )
    rights = models.JSONField("droits", default=list)
    rate_limit = models.PositiveIntegerField("requêtes par minute", default=60)
    valid_from = models.DateTimeField("valable à partir du", default=timezone.now)
    expires_at = models.DateTimeField("expire le")
    prefix = models.CharField("préfixe", max_length=8, unique=True)
    secret_hash = models.CharField("empreinte SHA-256 du secret", max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créé par",
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="révoqué par",
    )
    revocation_reason = models.TextField("motif de la révocation", blank=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "jeton d'API partenaire"
        verbose_name_plural = "jetons d'API partenaires"
        constraints = [
            models.CheckConstraint(
                name="api_token_territory_matches_level",
                condition=(
                    Q(level=ScopeLevel.NATIONAL, region__isnull=True, department__isnull=True)
                    | Q(level=ScopeLevel.REGION, region__isnull=False, department__isnull=True)
                    | Q(level=ScopeLevel.DEPARTMENT, region__isnull=True, department__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="api_token_expires_after_start", condition=Q(expires_at__gt=models.F("valid_from"))
            ),
            models.CheckConstraint(name="api_token_rate_limit_positive", condition=Q(rate_limit__gte=1)),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def territory_code(self) -> str:
        return self.region_id or self.department_id or ""

    @property
    def territory_label(self) -> str:
        """ "France entière", "Région Bretagne", "Département Paris (75)" (reads the territory: select_related it)."""
        if self.level == ScopeLevel.REGION:
            return f"Région {self.region}"
        if self.level == ScopeLevel.DEPARTMENT:
            return f"Département {self.department}"
        return "France entière"

    def get_rights_display(self) -> list[str]:
        labels = dict(Right.choices)
        return [labels[right] for right in Right.values if right in self.rights]

    def status(self, now=None) -> str:
        """One of "revoked", "expired", "scheduled" (valid from a future date) or "active"."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        if self.valid_from > now:
            return "scheduled"
        return "active"

    STATUS_LABELS = {"revoked": "Révoqué", "expired": "Expiré", "scheduled": "Pas encore valable", "active": "Actif"}

    @property
    def status_label(self) -> str:
        return self.STATUS_LABELS[self.status()]


class ApiCall(models.Model):
    """One call to /api/partenaires/, accepted or refused: written once, never updated (one INSERT per call).

    `token` is null when the token presented is unknown; `prefix` keeps what was tried (the public part only)."""

    token = models.ForeignKey(
        ApiToken, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls", verbose_name="jeton"
    )
    prefix = models.CharField("préfixe présenté", max_length=8, blank=True)
    method = models.CharField("méthode", max_length=10)
    path = models.CharField("chemin", max_length=255)
    query_string = models.CharField("paramètres", max_length=1000, blank=True)
    status = models.PositiveSmallIntegerField("statut HTTP")
    duration_ms = models.PositiveIntegerField("durée (ms)")
    client_ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    at = models.DateTimeField("date", default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "appel à l'API partenaires"
        verbose_name_plural = "appels à l'API partenaires"
        indexes = [
            models.Index(fields=["token", "at"], name="api_call_token_at"),
            models.Index(fields=["token", "status", "at"], name="api_call_token_status_at"),
            models.Index(fields=["at"], name="api_call_at"),
        ]

    def __str__(self):
        return f"{self.method} {self.path} {self.status}"
