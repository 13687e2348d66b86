"""The deployed network: hubs, host structures, advisors and their activity places."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Sum
from django.utils import timezone

from directory.enums import (
    AccessType,
    AdvisorStatus,
    ContractEndReason,
    ContractStatus,
    ContractType,
    ConventionEventKind,
    ConventionStatus,
    CoordinatesPrecision,
    DayPart,
    Network,
    StructureStatus,
    StructureType,
    Weekday,
)
from directory.validators import validate_ridet, validate_siret
from territories.utils import department_code_for_commune


class Hub(models.Model):
    """A territorial hub of digital inclusion (17), covering a set of departments."""

    name = models.CharField("nom", max_length=120, unique=True)
    slug = models.SlugField(unique=True)
    departments = models.ManyToManyField("territories.Department", related_name="hubs", verbose_name="départements")
    email = models.EmailField("e-mail de contact", blank=True)
    website = models.URLField("site web", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "hub"

    def __str__(self):
        return self.name


class StructureQuerySet(models.QuerySet):
    def validated(self):
        return self.filter(status=StructureStatus.VALIDATED)

    def published(self, now=None):
        """Validated structures as the public sees them (open data, data·inclusion), from their validation date."""
        return self.validated().filter(Q(validated_at__isnull=True) | Q(validated_at__lte=now or timezone.now()))

    def in_departments(self, codes):
        return self.filter(department_id__in=codes)


class Structure(models.Model):
    """A host structure (town hall, department, association…) that employs advisors."""

    siret = models.CharField("SIRET", max_length=14, unique=True, null=True, blank=True, validators=[validate_siret])
    ridet = models.CharField("RIDET", max_length=10, unique=True, null=True, blank=True, validators=[validate_ridet])
    name = models.CharField("dénomination", max_length=255)
    type = models.CharField("type", max_length=20, choices=StructureType.choices)
    status = models.CharField(
        "statut", max_length=20, choices=StructureStatus.choices, default=StructureStatus.CREATED, db_index=True
    )
    address = models.CharField("adresse", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="structures", verbose_name="commune"
    )
    # Denormalised from the commune so every territorial scope is one indexed filter.
    department = models.ForeignKey(
        "territories.Department", on_delete=models.PROTECT, related_name="structures", editable=False
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    contact_first_name = models.CharField("prénom du contact", max_length=100, blank=True)
    contact_last_name = models.CharField("nom du contact", max_length=100, blank=True)
    contact_function = models.CharField("fonction du contact", max_length=150, blank=True)
    contact_email = models.EmailField("e-mail du contact", blank=True)
    contact_phone = models.CharField("téléphone du contact", max_length=20, blank=True)
    network = models.CharField("grand réseau", max_length=30, choices=Network.choices, blank=True)
    france_services_label = models.BooleanField("labellisée France Services", default=False)
    aidants_connect_label = models.BooleanField("habilitée Aidants Connect", default=False)
    qpv = models.BooleanField("en quartier prioritaire (QPV)", default=False)
    zrr = models.BooleanField("en zone de revitalisation rurale (ZRR)", default=False)
    posts_granted = models.PositiveIntegerField("postes attribués", default=0)
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = StructureQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "structure"
        indexes = [models.Index(fields=["department", "status"], name="structure_dept_status")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.department_id = department_code_for_commune(self.commune_id)
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.type != StructureType.PRIVATE

    @property
    def contact_name(self) -> str:
        return f"{self.contact_first_name} {self.contact_last_name}".strip()


class AdvisorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=AdvisorStatus.ACTIVE)


class Advisor(models.Model):
    """A conseiller numérique employed by a structure (coordinators are advisors with a team)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advisor",
        verbose_name="compte",
    )
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    email = models.EmailField("e-mail personnel", blank=True)
    phone = models.CharField("téléphone personnel", max_length=20, blank=True)
    professional_email = models.EmailField("e-mail professionnel", blank=True)
    professional_phone = models.CharField("téléphone professionnel", max_length=20, blank=True)
    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, null=True, blank=True, related_name="advisors", verbose_name="structure"
    )
    status = models.CharField(
        "statut", max_length=20, choices=AdvisorStatus.choices, default=AdvisorStatus.ACTIVE, db_index=True
    )
    started_at = models.DateField("prise de poste", null=True, blank=True)
    ended_at = models.DateField("fin de contrat", null=True, blank=True)
    training_start = models.DateField("début de formation", null=True, blank=True)
    training_end = models.DateField("fin de formation", null=True, blank=True)
    certified = models.BooleanField("certifié", default=False)
    is_coordinator = models.BooleanField("coordinateur", default=False)
    coordinated_advisors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="coordinators", verbose_name="conseillers coordonnés"
    )
    coordination_departments = models.ManyToManyField(
        "territories.Department", blank=True, related_name="coordinators", verbose_name="départements coordonnés"
    )
    line_manager_name = models.CharField("nom du supérieur hiérarchique", max_length=150, blank=True)
    line_manager_function = models.CharField("fonction du supérieur hiérarchique", max_length=150, blank=True)
    line_manager_email = models.EmailField("e-mail du supérieur hiérarchique", blank=True)
    line_manager_phone = models.CharField("téléphone du supérieur hiérarchique", max_length=20, blank=True)
    show_on_map = models.BooleanField("visible sur la carte publique", default=True)
    created_at = models.DateTimeField("créé le", default=timezone.now)
    # For the partners' change feed (`updated_since`); a bulk `.update()` does not touch it.
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = AdvisorQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "conseiller"

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def public_name(self) -> str:
        """The name shown on the public map, only when the advisor agreed to it."""
        return self.full_name if self.show_on_map else "Conseiller numérique"


def default_opening_hours() -> dict:
    return {day.value: {part.value: None for part in DayPart} for day in Weekday}


def validate_opening_hours(value) -> None:
    """Opening hours: {weekday: {matin|apres_midi: ["HH:MM", "HH:MM"] or null}}."""
    if not isinstance(value, dict):
        raise ValidationError("Horaires invalides.")
    for day, parts in value.items():
        if day not in Weekday.values or not isinstance(parts, dict):
            raise ValidationError("Jour inconnu dans les horaires : %(day)s.", params={"day": day})
        for part, span in parts.items():
            if part not in DayPart.values:
                raise ValidationError("Demi-journée inconnue : %(part)s.", params={"part": part})
            if span is None:
                continue
            if not (isinstance(span, list) and len(span) == 2 and all(isinstance(t, str) for t in span)):
                raise ValidationError("Horaires invalides pour %(day)s.", params={"day": day})
            if span[0] >= span[1]:
                raise ValidationError(
                    "Pour %(day)s, l'heure d'ouverture doit précéder l'heure de fermeture.", params={"day": day}
                )


def validate_access_types(value) -> None:
    if not isinstance(value, list) or any(item not in AccessType.values for item in value):
        raise ValidationError("Type d'accès inconnu.")


class PlaceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True, removed_at__isnull=True)

    def current(self):
        return self.filter(removed_at__isnull=True)


class Place(models.Model):
    """A lieu d'activité where advisors receive the public (or an itinerant stop)."""

    name = models.CharField("nom du lieu", max_length=200)
    address = models.CharField("adresse", max_length=255)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, related_name="places", verbose_name="commune"
    )
    department = models.ForeignKey(
        "territories.Department", on_delete=models.PROTECT, related_name="places", editable=False
    )
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    coordinates_precision = models.CharField(
        "précision des coordonnées",
        max_length=10,
        choices=CoordinatesPrecision.choices,
        default=CoordinatesPrecision.COMMUNE,
    )
    geocoded_at = models.DateTimeField("géocodé le", null=True, blank=True)
    structure = models.ForeignKey(
        Structure, on_delete=models.SET_NULL, null=True, blank=True, related_name="places", verbose_name="structure"
    )
    opening_hours = models.JSONField("horaires", default=default_opening_hours, validators=[validate_opening_hours])
    access_types = models.JSONField("types d'accès", default=list, blank=True, validators=[validate_access_types])
    itinerant = models.BooleanField("itinérant", default=False)
    is_public = models.BooleanField("visible sur la carte publique", default=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("e-mail", blank=True)
    website = models.URLField("site web", blank=True)
    advisors = models.ManyToManyField(
        Advisor, through="PlaceAssignment", related_name="places", verbose_name="conseillers"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    removed_at = models.DateTimeField("retiré le", null=True, blank=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "lieu d'activité"
        verbose_name_plural = "lieux d'activité"
        indexes = [
            models.Index(fields=["department", "is_public"], name="place_dept_public"),
            models.Index(fields=["latitude", "longitude"], name="place_coordinates"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.department_id = department_code_for_commune(self.commune_id)
        super().save(*args, **kwargs)

    def get_access_types_display(self) -> list[str]:
        return [AccessType(value).label for value in self.access_types if value in AccessType.values]


class PlaceAssignment(models.Model):
    """An advisor working at a place; exactly one of an advisor's places may be the principal one."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="assignments")
    advisor = models.ForeignKey(Advisor, on_delete=models.CASCADE, related_name="place_assignments")
    is_principal = models.BooleanField("lieu principal", default=False)

    class Meta:
        verbose_name = "affectation à un lieu"
        constraints = [
            models.UniqueConstraint(fields=["place", "advisor"], name="unique_place_advisor"),
            models.UniqueConstraint(
                fields=["advisor"], condition=Q(is_principal=True), name="one_principal_place_per_advisor"
            ),
        ]

    def __str__(self):
        return f"{self.advisor} @ {self.place}"


class ConventionQuerySet(models.QuerySet):
    def in_force(self, on):
        """Conventions covering the date `on` (start ≤ on ≤ end)."""
        return self.filter(start__lte=on, end__gte=on)

    def ending_between(self, first, last):
        """Conventions whose period ends between the two dates (included) and that were not renewed."""
        return self.filter(end__range=(first, last)).exclude(status=ConventionStatus.RENEWED)


class Convention(models.Model):
    """A structure's convention with the State for a period: its posts change only through dated events.

    The posts granted on a date are the sum of the events' deltas dated on or before it, within the period
    (`ConventionEvent.objects.posts_on`); `Structure.posts_granted` caches today's value of the convention in
    force, kept by `directory.conventions`.
    """

    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="conventions", verbose_name="structure"
    )
    number = models.CharField("numéro", max_length=30, unique=True)
    phase = models.PositiveSmallIntegerField("phase", default=1)
    start = models.DateField("début")
    end = models.DateField("fin")
    status = models.CharField(
        "statut", max_length=30, choices=ConventionStatus.choices, default=ConventionStatus.ACTIVE, db_index=True
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name="convention renouvelée",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)

    objects = ConventionQuerySet.as_manager()

    class Meta:
        ordering = ["structure", "start"]
        verbose_name = "convention"
        constraints = [models.CheckConstraint(name="convention_end_after_start", condition=Q(end__gt=F("start")))]
        indexes = [
            models.Index(fields=["structure", "start", "end"], name="convention_structure_period"),
            models.Index(fields=["end", "status"], name="convention_end_status"),
        ]

    def __str__(self):
        return f"Convention {self.number}"

    def posts_on(self, on) -> int:
        """The posts this convention grants on the date `on` (0 outside its period)."""
        if not self.start <= on <= self.end:
            return 0
        return ConventionEvent.objects.filter(convention=self).posts_on(on)


class ConventionEventQuerySet(models.QuerySet):
    def posts_on(self, on) -> int:
        """The sum of the deltas of these events dated on or before `on` (one aggregate query)."""
        total = self.filter(effective_on__lte=on).aggregate(total=Sum("delta"))["total"]
        return total or 0


class ConventionEvent(models.Model):
    """One dated change of a convention's posts (append-only): grant, avenant, transfer, coordinator post."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="events", verbose_name="convention"
    )
    kind = models.CharField("nature", max_length=30, choices=ConventionEventKind.choices)
    effective_on = models.DateField("date d'effet")
    delta = models.IntegerField("postes (+/−)")
    is_coordinator_post = models.BooleanField("poste de coordinateur", default=False)
    reference = models.CharField("dossier à l'origine", max_length=60, blank=True)
    comment = models.CharField("précision", max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("enregistré le", default=timezone.now)

    objects = ConventionEventQuerySet.as_manager()

    class Meta:
        ordering = ["effective_on", "pk"]
        verbose_name = "événement de convention"
        verbose_name_plural = "événements de convention"
        indexes = [models.Index(fields=["convention", "effective_on"], name="convention_event_date")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.delta:+d}) au {self.effective_on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        # Append-only: a convention's history is never rewritten, a correction is a new event.
        if not self._state.adding:
            raise ValueError("L'historique d'une convention ne peut pas être modifié.")
        super().save(*args, **kwargs)


class ContractQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ContractStatus.ACTIVE)

    def held_on(self, on):
        """Contracts running on the date `on` (started, not ended before it): the posts they hold."""
        return self.filter(start__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))

    def ending_between(self, first, last):
        """Active fixed-term contracts whose end date falls between the two dates (included)."""
        return self.active().filter(end__range=(first, last))

    def due_at_term(self, today):
        """Active fixed-term contracts whose end date has passed: they end at their term (no rupture)."""
        return self.active().filter(end__lt=today)


class Contract(models.Model):
    """One employment contract of an advisor with a host structure: the advisor's contract history.

    A recruitment's deployment opens the first one; a renewal, a transfer or a reconventionnement opens the next
    one (`follows`); a rupture, the term or the end of the convention closes it (`ended_on`, `end_reason`).
    """

    advisor = models.ForeignKey(Advisor, on_delete=models.PROTECT, related_name="contracts", verbose_name="conseiller")
    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="contracts", verbose_name="employeur"
    )
    convention = models.ForeignKey(
        Convention,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name="convention",
    )
    contract_type = models.CharField("type de contrat", max_length=30, choices=ContractType.choices)
    start = models.DateField("début")
    end = models.DateField("fin prévue", null=True, blank=True)
    salary = models.PositiveIntegerField("salaire brut mensuel (€)", null=True, blank=True)
    weekly_hours = models.DecimalField("durée hebdomadaire (heures)", max_digits=4, decimal_places=1, default=35)
    is_coordinator_post = models.BooleanField("poste de coordinateur", default=False)
    status = models.CharField(
        "statut", max_length=20, choices=ContractStatus.choices, default=ContractStatus.ACTIVE, db_index=True
    )
    ended_on = models.DateField("terminé le", null=True, blank=True)
    end_reason = models.CharField("motif de fin", max_length=30, choices=ContractEndReason.choices, blank=True)
    follows = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_by",
        verbose_name="contrat précédent",
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["advisor", "start", "pk"]
        verbose_name = "contrat"
        constraints = [
            models.UniqueConstraint(
                fields=["advisor"], condition=Q(status=ContractStatus.ACTIVE), name="one_active_contract_per_advisor"
            ),
            models.CheckConstraint(
                name="contract_cdi_has_no_end", condition=~Q(contract_type=ContractType.CDI) | Q(end__isnull=True)
            ),
            models.CheckConstraint(
                name="contract_end_after_start", condition=Q(end__isnull=True) | Q(end__gt=F("start"))
            ),
            models.CheckConstraint(
                name="contract_ended_has_date",
                condition=~Q(status=ContractStatus.ENDED) | Q(ended_on__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["structure", "status"], name="contract_structure_status"),
            models.Index(fields=["status", "end"], name="contract_status_end"),
        ]

    def __str__(self):
        return f"{self.get_contract_type_display()} de {self.advisor} chez {self.structure}"


class Publication(models.Model):
    """An object of a published feed (open data, partner API) and when it entered or left it: the change feed's
    memory, so that `updated_since` sees an object coming back and `…/suppressions/` sees one leaving
    (directory/changefeed.py keeps it in step with the feed's queryset)."""

    feed = models.CharField("flux", max_length=20)
    object_id = models.PositiveBigIntegerField("identifiant")
    department = models.CharField("département", max_length=3, blank=True)
    # Null for the objects found by a feed's first synchronisation: they changed when their own date says.
    entered_at = models.DateTimeField("entré dans le flux le", null=True, blank=True)
    removed_at = models.DateTimeField("sorti du flux le", null=True, blank=True)

    class Meta:
        verbose_name = "publication"
        constraints = [models.UniqueConstraint(fields=["feed", "object_id"], name="publication_feed_object")]
        indexes = [models.Index(fields=["feed", "removed_at"], name="publication_feed_removed")]

    def __str__(self):
        return f"{self.feed} {self.object_id}"
