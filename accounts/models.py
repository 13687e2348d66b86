"""Users (e-mail login), their memberships (role + territorial scope) and the audit trail."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.enums import AuditAction, Role
from accounts.identity import normalize_login


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=normalize_login(email), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=normalize_login(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address (or through ProConnect)."""

    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("accès à l'administration Django", default=False)
    date_joined = models.DateTimeField("date de création", default=timezone.now)
    # Set when the inactivity notice is e-mailed; cleared at the next login (deactivate_inactive_accounts).
    inactivity_notified_at = models.DateTimeField("prévenu de l'inactivité le", null=True, blank=True)
    active_membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="rôle actif",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = "utilisateur"

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def with_scope(self):
        return self.select_related("department", "region", "hub", "structure", "advisor")


class Membership(models.Model):
    """A role held by a user over a scope: a department or region, a hub, a structure, an advisor, or national."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    department = models.ForeignKey(
        "territories.Department", on_delete=models.PROTECT, null=True, blank=True, verbose_name="département"
    )
    region = models.ForeignKey(
        "territories.Region", on_delete=models.PROTECT, null=True, blank=True, verbose_name="région"
    )
    hub = models.ForeignKey("directory.Hub", on_delete=models.PROTECT, null=True, blank=True, verbose_name="hub")
    structure = models.ForeignKey(
        "directory.Structure", on_delete=models.PROTECT, null=True, blank=True, verbose_name="structure"
    )
    advisor = models.ForeignKey(
        "directory.Advisor", on_delete=models.PROTECT, null=True, blank=True, verbose_name="conseiller"
    )
    granted_at = models.DateTimeField("attribué le", default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="attribué par",
    )
    revoked_at = models.DateTimeField("retiré le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="retiré par",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["granted_at"]
        verbose_name = "rôle"
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(
                        role=Role.PREFECTURE,
                        hub__isnull=True,
                        structure__isnull=True,
                        advisor__isnull=True,
                    )
                    & (
                        Q(department__isnull=False, region__isnull=True)
                        | Q(department__isnull=True, region__isnull=False)
                    )
                )
                | Q(
                    role=Role.HUB,
                    hub__isnull=False,
                    department__isnull=True,
                    region__isnull=True,
                    structure__isnull=True,
                    advisor__isnull=True,
                )
                | Q(
                    role=Role.STRUCTURE_MANAGER,
                    structure__isnull=False,
                    department__isnull=True,
                    region__isnull=True,
                    hub__isnull=True,
                    advisor__isnull=True,
                )
                | Q(
                    role__in=[Role.ADVISOR, Role.COORDINATOR],
                    advisor__isnull=False,
                    department__isnull=True,
                    region__isnull=True,
                    hub__isnull=True,
                    structure__isnull=True,
                )
                | Q(
                    role__in=[Role.NATIONAL, Role.EDITOR, Role.MODERATOR],
                    advisor__isnull=True,
                    department__isnull=True,
                    region__isnull=True,
                    hub__isnull=True,
                    structure__isnull=True,
                ),
            ),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"], name="membership_user_active")]

    def __str__(self):
        scope = self.scope_label
        return f"{self.get_role_display()} — {scope}" if scope else self.get_role_display()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def scope_label(self) -> str:
        """The scope in words, as shown in the header's role switch."""
        if self.department_id:
            return str(self.department)
        if self.region_id:
            return f"Région {self.region}"
        if self.hub_id:
            return str(self.hub)
        if self.structure_id:
            return str(self.structure)
        if self.role == Role.NATIONAL:
            return "National"
        return ""


class AuditEventQuerySet(models.QuerySet):
    """Bulk rewrites are refused like single ones (PostgreSQL also refuses them with a trigger)."""

    def update(self, **kwargs):
        raise ValueError("Le journal d'audit ne peut pas être modifié.")

    def delete(self):
        raise ValueError("Le journal d'audit ne peut pas être modifié.")

    def purge_older_than(self, cutoff) -> int:
        """Delete events past their retention period (the only deletion allowed, also by the trigger)."""
        return models.QuerySet.delete(self.filter(created_at__lt=cutoff))[0]


class AuditEvent(models.Model):
    """An append-only record of a sensitive action: who, when, what, from where."""

    created_at = models.DateTimeField("date", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    # Kept as written at the time: the log still says who acted after the account is deleted.
    actor_label = models.CharField("auteur (au moment de l'action)", max_length=255, blank=True)
    action = models.CharField("action", max_length=40, choices=AuditAction.choices)
    target_type = models.CharField("type d'objet", max_length=60, blank=True)
    target_id = models.CharField("identifiant", max_length=40, blank=True)
    target_label = models.CharField("objet", max_length=255, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=255, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "événement d'audit"
        verbose_name_plural = "journal d'audit"
        indexes = [
            models.Index(fields=["action", "created_at"], name="audit_action_date"),
            models.Index(fields=["actor", "created_at"], name="audit_actor_date"),
        ]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.target_label}"

    def save(self, *args, **kwargs):
        # Append-only: an existing event is never rewritten.
        if not self._state.adding:
            raise ValueError("Le journal d'audit ne peut pas être modifié.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Le journal d'audit ne peut pas être modifié.")
