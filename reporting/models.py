"""Activity reports (CRA), their rollups, reminder bookkeeping and the tools listed in the Espace Coop."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from common.dsfr_css import shipped_icons
from common.links import validate_link
from directory.enums import StructureType
from reporting.counters import BREAKDOWN_FIELDS, COUNTER_NAMES, GROUPS, MATERIAL_BITS, PROCEDURE_BITS, THEME_BITS
from reporting.counters import from_mask as _from_mask
from reporting.enums import (
    ActivityKind,
    AgeBand,
    AnimationType,
    Autonomy,
    CoordinationKind,
    EventType,
    ExportKind,
    ExportStatus,
    Gender,
    Initiative,
    Material,
    PlaceType,
    Procedure,
    RedirectionStructure,
    ReminderThreshold,
    SocialStatus,
    TagScope,
    TerritorialLevel,
    Theme,
    ToolCategory,
    WorkshopLevel,
)


class ActivityQuerySet(models.QuerySet):
    def current(self):
        """Reports that were not deleted."""
        return self.filter(deleted_at__isnull=True)

    def between(self, start, end):
        return self.filter(date__gte=start, date__lte=end)

    def with_theme(self, theme: str):
        return self.filter(GreaterThan(F("themes").bitand(THEME_BITS[theme]), 0))


def _sum_equals_participants(group: str) -> Q:
    columns = GROUPS[group].columns
    total = F(columns[0])
    for column in columns[1:]:
        total = total + F(column)
    return Q(participants=total)


class Activity(models.Model):
    """One activity report (compte rendu d'activité): an individual accompaniment or a workshop, anonymous counts only.

    The scope keys (structure at the time of the report, its department, region and type) are copied on the report so
    that every scope is one indexed filter and a later change of employer does not move past statistics.
    """

    # No index of its own: the unique (advisor, idempotency_token) index leads with it and serves every lookup.
    advisor = models.ForeignKey(
        "directory.Advisor",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name="conseiller",
        db_index=False,
    )
    structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="structure employeuse",
    )
    department = models.ForeignKey(
        "territories.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey("territories.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    structure_type = models.CharField("type de structure", max_length=20, choices=StructureType.choices, blank=True)
    kind = models.CharField("type d'activité", max_length=20, choices=ActivityKind.choices)
    date = models.DateField("date")
    duration = models.PositiveSmallIntegerField("durée (minutes)")
    place_type = models.CharField("type de lieu", max_length=20, choices=PlaceType.choices)
    place = models.ForeignKey(
        "directory.Place",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="lieu d'activité",
    )
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    themes = models.PositiveIntegerField("thématiques", default=0)
    procedures = models.PositiveIntegerField("démarches administratives", default=0)
    materials = models.PositiveIntegerField("matériel utilisé", default=0)
    autonomy = models.CharField("autonomie", max_length=30, choices=Autonomy.choices, blank=True)
    redirected = models.BooleanField("réorientée", null=True, blank=True)
    redirection_structure = models.CharField(
        "structure de réorientation", max_length=40, choices=RedirectionStructure.choices, blank=True
    )
    title = models.CharField("titre de l'atelier", max_length=200, blank=True)
    level = models.CharField("niveau de l'atelier", max_length=20, choices=WorkshopLevel.choices, blank=True)
    participants = models.PositiveSmallIntegerField("participants", default=1)
    already_accompanied = models.PositiveSmallIntegerField("déjà accompagnés", default=0)
    notes = models.TextField("notes privées", blank=True)
    idempotency_token = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField("enregistrée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    deleted_at = models.DateTimeField("supprimée le", null=True, blank=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = "activité"
        constraints = [
            models.UniqueConstraint(fields=["advisor", "idempotency_token"], name="activity_unique_submission"),
            models.CheckConstraint(name="activity_positive_duration", condition=Q(duration__gt=0)),
            models.CheckConstraint(name="activity_has_participants", condition=Q(participants__gte=1)),
            models.CheckConstraint(
                name="activity_individual_is_one_person",
                condition=~Q(kind=ActivityKind.INDIVIDUAL) | Q(participants=1),
            ),
            models.CheckConstraint(
                name="activity_already_within_participants", condition=Q(already_accompanied__lte=F("participants"))
            ),
            models.CheckConstraint(name="activity_gender_sum", condition=_sum_equals_participants("gender")),
            models.CheckConstraint(name="activity_age_sum", condition=_sum_equals_participants("age")),
            models.CheckConstraint(name="activity_status_sum", condition=_sum_equals_participants("status")),
        ]
        indexes = [
            models.Index(
                fields=["advisor", "-date"], name="activity_advisor_date", condition=Q(deleted_at__isnull=True)
            ),
            models.Index(
                fields=["advisor", "created_at"], name="activity_advisor_created", condition=Q(deleted_at__isnull=True)
            ),
            models.Index(
                fields=["structure", "date"], name="activity_structure_date", condition=Q(deleted_at__isnull=True)
            ),
            models.Index(
                fields=["department", "date"], name="activity_department_date", condition=Q(deleted_at__isnull=True)
            ),
            models.Index(fields=["date"], name="activity_date", condition=Q(deleted_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.date:%d/%m/%Y}"

    @property
    def is_individual(self) -> bool:
        return self.kind == ActivityKind.INDIVIDUAL

    @property
    def theme_values(self) -> list[str]:
        return _from_mask(self.themes, THEME_BITS)

    @property
    def procedure_values(self) -> list[str]:
        return _from_mask(self.procedures, PROCEDURE_BITS)

    @property
    def material_values(self) -> list[str]:
        return _from_mask(self.materials, MATERIAL_BITS)

    @property
    def theme_labels(self) -> list[str]:
        return [Theme(value).label for value in self.theme_values]

    @property
    def procedure_labels(self) -> list[str]:
        return [Procedure(value).label for value in self.procedure_values]

    @property
    def material_labels(self) -> list[str]:
        return [Material(value).label for value in self.material_values]

    @property
    def breakdown_display(self) -> list[tuple[str, str]]:
        """[(question, "3 Féminin, 2 Masculin")] of the people accompanied, known answers only."""
        lines = []
        for group, title in (("gender", "Genre"), ("age", "Tranches d'âge"), ("status", "Statut")):
            enum = GROUPS[group].enum
            known = [(count, enum(value).label) for value, count in self.breakdown(group).items() if count]
            if self.is_individual:
                lines.append((title, known[0][1] if known else "Non communiqué"))
            else:
                described = ", ".join(f"{count} {label.lower()}" for count, label in known)
                lines.append((title, described or "Non communiqué"))
        return lines

    def breakdown(self, group: str) -> dict[str, int]:
        """{value: count} of one breakdown group (gender, age, status) of the people accompanied."""
        return {value: getattr(self, GROUPS[group].column(value)) for value in GROUPS[group].enum.values}


for _column in BREAKDOWN_FIELDS:
    Activity.add_to_class(_column, models.PositiveSmallIntegerField(default=0))


class RollupLevel(models.IntegerChoices):
    """The aggregation levels of ActivityRollup (see reporting/rollups.py for the design and row counts)."""

    ADVISOR_MONTH = 1, "Conseiller × mois"
    DEPARTMENT_MONTH = 2, "Département × mois"
    NATIONAL_MONTH = 3, "National × mois"
    NATIONAL_DAY = 4, "National × jour"
    DEPARTMENT_TOTAL = 5, "Département × mois, tous types"


class ActivityRollup(models.Model):
    """Counters of the activity reports summed per level, period and key; kept in step by every write.

    Key columns that a level does not use hold a neutral value (0 or ""), so that one unique constraint serves the
    UPSERT of every level on SQLite and PostgreSQL alike.
    """

    level = models.PositiveSmallIntegerField(choices=RollupLevel.choices)
    period = models.DateField(help_text="Premier jour du mois, ou le jour pour le niveau journalier.")
    advisor_id = models.IntegerField(default=0)
    structure_id = models.IntegerField(default=0)
    department = models.CharField(max_length=3, blank=True, default="")
    region = models.CharField(max_length=3, blank=True, default="")
    structure_type = models.CharField(max_length=20, blank=True, default="")
    place_id = models.IntegerField(default=0)
    commune = models.CharField(max_length=5, blank=True, default="")
    kind = models.CharField(max_length=20)
    place_type = models.CharField(max_length=20)
    theme = models.PositiveSmallIntegerField(default=0, help_text="0 : toutes les thématiques ; n : la n-ième.")

    class Meta:
        verbose_name = "agrégat d'activité"
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "level",
                    "period",
                    "advisor_id",
                    "structure_id",
                    "department",
                    "region",
                    "structure_type",
                    "place_id",
                    "commune",
                    "kind",
                    "place_type",
                    "theme",
                ],
                name="rollup_unique_key",
            )
        ]
        indexes = [
            models.Index(fields=["level", "advisor_id", "period"], name="rollup_advisor"),
            models.Index(fields=["level", "structure_id", "period"], name="rollup_structure"),
            models.Index(fields=["level", "department", "period"], name="rollup_department"),
            models.Index(fields=["level", "region", "period"], name="rollup_region"),
            # National reads (all departments, one thématique or all) skip the other theme rows.
            models.Index(fields=["level", "theme", "period"], name="rollup_theme"),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.period:%Y-%m-%d}"


for _column in COUNTER_NAMES:
    ActivityRollup.add_to_class(_column, models.IntegerField(default=0))


class ReminderLog(models.Model):
    """One reminder e-mailed for one period of silence, so that each threshold is sent once (idempotent cron job)."""

    advisor = models.ForeignKey("directory.Advisor", on_delete=models.CASCADE, related_name="activity_reminders")
    threshold = models.PositiveSmallIntegerField("seuil", choices=ReminderThreshold.choices)
    silence_start = models.DateField("sans compte-rendu depuis le")
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)
    recipients = models.JSONField("destinataires", default=list)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "relance d'activité"
        verbose_name_plural = "relances d'activité"
        constraints = [
            models.UniqueConstraint(fields=["advisor", "threshold", "silence_start"], name="reminder_once_per_silence")
        ]

    def __str__(self):
        return f"{self.advisor} — {self.get_threshold_display()}"


def validate_tool_url(value: str) -> None:
    """Kept for migration 0001 of this app; the rule lives in common/links.py."""
    validate_link(value)


class Tool(models.Model):
    """A tool of the programme shown in « Mes outils », managed by editors in the CMS (Wagtail snippet)."""

    title = models.CharField("nom", max_length=120)
    description = models.TextField("description", max_length=600)
    url = models.CharField(
        "adresse",
        max_length=300,
        validators=[validate_link],
        help_text="Adresse complète (https://…) ou chemin d'une page du site (/ressources/).",
    )
    category = models.CharField("catégorie", max_length=20, choices=ToolCategory.choices, default=ToolCategory.OTHER)
    icon = models.CharField(
        "icône",
        max_length=60,
        blank=True,
        help_text="Classe d'icône du système de design de l'État, ex. : fr-icon-calendar-line.",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)
    is_active = models.BooleanField("affiché", default=True)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = "outil"

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        # The site ships only the icons its sources name (common/dsfr_css.py): another one would show nothing.
        if self.icon and self.icon not in shipped_icons():
            raise ValidationError(
                {
                    "icon": "Cette icône n'est pas livrée par le site. Icônes disponibles : "
                    + ", ".join(sorted(shipped_icons()))
                }
            )

    @property
    def is_external(self) -> bool:
        return self.url.startswith(("http://", "https://"))


class ExportJob(models.Model):
    """A large pilotage export built by a background task; its file lives outside public media, for its requester,
    until it expires."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="export_jobs", verbose_name="demandé par"
    )
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="+", verbose_name="rôle du demandeur"
    )
    kind = models.CharField("export", max_length=20, choices=ExportKind.choices)
    query = models.TextField("filtres (paramètres de l'adresse)", blank=True)
    status = models.CharField("état", max_length=20, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    rows_total = models.PositiveIntegerField("lignes prévues", default=0)
    rows_done = models.PositiveIntegerField("lignes écrites", default=0)
    file_name = models.CharField("fichier", max_length=200, blank=True)
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    expires_at = models.DateTimeField("expire le")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "export différé"
        verbose_name_plural = "exports différés"

    def __str__(self):
        return f"{self.get_kind_display()} du {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, 100 * self.rows_done // self.rows_total) if self.rows_total else 0


# Espace Coop v2: followed beneficiaries, tags, coordinators' activities, shared statistics, monthly summaries.


class BeneficiaryQuerySet(models.QuerySet):
    def followed(self):
        """Beneficiaries still followed: neither erased, anonymised after the retention period, nor merged away."""
        return self.filter(anonymised_at__isnull=True, merged_into__isnull=True)


class Beneficiary(models.Model):
    """A person an advisor follows over time, private to that advisor (never shown to anyone else by name).

    Her genre, tranche d'âge and statut describe her in the statistics of every report she is linked to, exactly
    as an anonymous person's answers do; erasure and anonymisation keep them so that the statistics survive.
    """

    advisor = models.ForeignKey(
        "directory.Advisor", on_delete=models.PROTECT, related_name="beneficiaries", verbose_name="conseiller"
    )
    first_name = models.CharField("prénom", max_length=100, blank=True)
    last_name = models.CharField("nom", max_length=100, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("adresse e-mail", blank=True)
    birth_year = models.PositiveSmallIntegerField("année de naissance", null=True, blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune de résidence",
    )
    gender = models.CharField("genre", max_length=20, choices=Gender.choices, default=Gender.UNKNOWN)
    age_band = models.CharField("tranche d'âge", max_length=30, choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    status = models.CharField("statut", max_length=20, choices=SocialStatus.choices, default=SocialStatus.UNKNOWN)
    notes = models.TextField("notes (visibles de vous seul)", blank=True)
    informed_at = models.DateTimeField("informée du suivi le", null=True, blank=True)
    imported_at = models.DateTimeField("importée le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", default=timezone.now)
    last_activity_on = models.DateField("dernier accompagnement le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="fusionnée dans"
    )

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = "bénéficiaire suivi"
        verbose_name_plural = "bénéficiaires suivis"
        indexes = [
            models.Index(
                fields=["advisor", "last_name", "first_name"],
                name="beneficiary_advisor_name",
                condition=Q(anonymised_at__isnull=True),
            ),
            models.Index(fields=["updated_at"], name="beneficiary_retention", condition=Q(anonymised_at__isnull=True)),
        ]

    def __str__(self):
        if self.anonymised_at:
            return "Personne anonymisée"
        return f"{self.first_name} {self.last_name}".strip() or "Personne sans nom"


class ActivityBeneficiary(models.Model):
    """A followed person accompanied in one report (one per individual report, several per workshop).

    The link remembers what it added to the report's breakdown counts (genre, tranche d'âge, statut, déjà
    accompagnée): the report's anonymous part is its counts minus its links' contributions, so a change to the person
    moves exactly her own contribution.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="followed_links")
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="activity_links")
    gender = models.CharField("genre compté", max_length=20, choices=Gender.choices, default=Gender.UNKNOWN)
    age_band = models.CharField(
        "tranche d'âge comptée", max_length=30, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    status = models.CharField(
        "statut compté", max_length=20, choices=SocialStatus.choices, default=SocialStatus.UNKNOWN
    )
    already_accompanied = models.BooleanField("comptée déjà accompagnée", default=False)

    class Meta:
        verbose_name = "accompagnement d'une personne suivie"
        constraints = [
            models.UniqueConstraint(fields=["activity", "beneficiary"], name="activity_beneficiary_once"),
        ]
        indexes = [models.Index(fields=["beneficiary", "activity"], name="activity_beneficiary_reverse")]

    def __str__(self):
        return f"{self.beneficiary_id} × {self.activity_id}"


Activity.add_to_class(
    "beneficiaries",
    models.ManyToManyField(
        Beneficiary,
        through=ActivityBeneficiary,
        related_name="activities",
        blank=True,
        verbose_name="personnes suivies",
    ),
)


class Tag(models.Model):
    """A label put on reports: personal (its author's), departmental (a department's actors) or national."""

    name = models.CharField("nom", max_length=60)
    scope = models.CharField("portée", max_length=20, choices=TagScope.choices)
    owner = models.ForeignKey(
        "directory.Advisor",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tags",
        verbose_name="conseiller (étiquette personnelle)",
    )
    department = models.ForeignKey(
        "territories.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département (étiquette départementale)",
    )
    description = models.CharField("description", max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="créée par"
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    archived_at = models.DateTimeField("archivée le", null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "étiquette"
        constraints = [
            models.CheckConstraint(
                name="tag_scope_keys",
                condition=(
                    Q(scope=TagScope.PERSONAL, owner__isnull=False, department__isnull=True)
                    | Q(scope=TagScope.DEPARTMENT, owner__isnull=True, department__isnull=False)
                    | Q(scope=TagScope.NATIONAL, owner__isnull=True, department__isnull=True)
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["scope", "owner"], name="tag_owner"),
            models.Index(fields=["scope", "department"], name="tag_department"),
        ]

    def __str__(self):
        return self.name


class ActivityTag(models.Model):
    """A tag put on one report."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="activity_links")

    class Meta:
        verbose_name = "étiquette d'une activité"
        constraints = [models.UniqueConstraint(fields=["activity", "tag"], name="activity_tag_once")]
        indexes = [models.Index(fields=["tag", "activity"], name="activity_tag_reverse")]

    def __str__(self):
        return f"{self.tag_id} × {self.activity_id}"


Activity.add_to_class(
    "tags",
    models.ManyToManyField(Tag, through=ActivityTag, related_name="activities", blank=True, verbose_name="étiquettes"),
)


class CoordinationActivityQuerySet(models.QuerySet):
    def current(self):
        return self.filter(deleted_at__isnull=True)


class CoordinationActivity(models.Model):
    """A coordinator's own activity (animation, événement, partenariat), with La Coop's fields for each type.

    Like a report, it carries the scope keys of the coordinator's structure at the time it was recorded.
    Multi-valued answers are lists of enum values (JSON), counted in Python: a coordinator records a few a week.
    """

    coordinator = models.ForeignKey(
        "directory.Advisor",
        on_delete=models.PROTECT,
        related_name="coordination_activities",
        verbose_name="coordinateur",
    )
    structure = models.ForeignKey(
        "directory.Structure", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        "territories.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    region = models.ForeignKey("territories.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField("type", max_length=20, choices=CoordinationKind.choices)
    date = models.DateField("date")
    duration = models.PositiveSmallIntegerField("durée (minutes)", null=True, blank=True)
    name = models.CharField("nom", max_length=200, blank=True)
    territorial_level = models.CharField(
        "échelon territorial", max_length=20, choices=TerritorialLevel.choices, blank=True
    )
    notes = models.TextField("notes privées", blank=True)
    # Animation
    advisors_count = models.PositiveSmallIntegerField("médiateurs", default=0)
    structures_count = models.PositiveSmallIntegerField("structures", default=0)
    other_actors_count = models.PositiveSmallIntegerField("autres acteurs", default=0)
    animation_type = models.CharField("type d'animation", max_length=30, choices=AnimationType.choices, blank=True)
    animation_type_other = models.CharField("autre type d'animation", max_length=200, blank=True)
    initiative = models.CharField("initiative", max_length=20, choices=Initiative.choices, blank=True)
    animation_themes = models.JSONField("thématiques d'animation", default=list, blank=True)
    animation_theme_other = models.CharField("autre thématique", max_length=200, blank=True)
    # Événement
    participants = models.PositiveIntegerField("participants", default=0)
    event_type = models.CharField("type d'événement", max_length=30, choices=EventType.choices, blank=True)
    event_type_other = models.CharField("autre type d'événement", max_length=200, blank=True)
    organisers = models.JSONField("organisé par", default=list, blank=True)
    organiser_other = models.CharField("autre organisateur", max_length=200, blank=True)
    # Partenariat
    partnership_natures = models.JSONField("nature du partenariat", default=list, blank=True)
    partnership_nature_other = models.CharField("autre nature", max_length=200, blank=True)
    partner_structures = models.JSONField("structures partenaires", default=list, blank=True)

    tags = models.ManyToManyField(Tag, blank=True, related_name="coordination_activities", verbose_name="étiquettes")
    idempotency_token = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField("enregistrée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    deleted_at = models.DateTimeField("supprimée le", null=True, blank=True)

    objects = CoordinationActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = "activité de coordination"
        verbose_name_plural = "activités de coordination"
        constraints = [
            models.UniqueConstraint(
                fields=["coordinator", "idempotency_token"], name="coordination_activity_unique_submission"
            ),
        ]
        indexes = [
            models.Index(
                fields=["coordinator", "-date"],
                name="coordination_coordinator_date",
                condition=Q(deleted_at__isnull=True),
            ),
            models.Index(
                fields=["department", "date"],
                name="coordination_department_date",
                condition=Q(deleted_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.date:%d/%m/%Y}"


class StatisticsShare(models.Model):
    """A read-only link to an advisor's statistics (no names), revocable; the link carries a signed form of its id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    advisor = models.ForeignKey(
        "directory.Advisor", on_delete=models.CASCADE, related_name="statistics_shares", verbose_name="conseiller"
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="créé par"
    )
    label = models.CharField("destinataire (pour vous)", max_length=100, blank=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    last_viewed_at = models.DateTimeField("dernière consultation", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "partage de statistiques"
        verbose_name_plural = "partages de statistiques"

    def __str__(self):
        return f"Partage du {timezone.localtime(self.created_at):%d/%m/%Y}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class MonthlySummarySetting(models.Model):
    """A structure's choice about the monthly summary of its advisors' activity (sent unless it opted out)."""

    structure = models.OneToOneField(
        "directory.Structure", on_delete=models.CASCADE, related_name="monthly_summary_setting"
    )
    enabled = models.BooleanField("recevoir le bilan mensuel", default=True)
    changed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="modifié par"
    )
    changed_at = models.DateTimeField("modifié le", default=timezone.now)

    class Meta:
        verbose_name = "réglage du bilan mensuel"
        verbose_name_plural = "réglages du bilan mensuel"

    def __str__(self):
        return f"Bilan mensuel de {self.structure_id} : {'oui' if self.enabled else 'non'}"


class MonthlySummaryLog(models.Model):
    """One monthly summary sent to a structure, so that each month is sent once (idempotent scheduled job)."""

    structure = models.ForeignKey("directory.Structure", on_delete=models.CASCADE, related_name="+")
    month = models.DateField("mois", help_text="Premier jour du mois résumé.")
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)
    recipients = models.JSONField("destinataires", default=list)

    class Meta:
        ordering = ["-month"]
        verbose_name = "bilan mensuel envoyé"
        verbose_name_plural = "bilans mensuels envoyés"
        constraints = [models.UniqueConstraint(fields=["structure", "month"], name="monthly_summary_once")]

    def __str__(self):
        return f"Bilan {self.month:%m/%Y} de {self.structure_id}"
