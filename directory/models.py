"""The deployed network: hubs, host structures, advisors and their activity places."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from directory.enums import AccessType, AdvisorStatus, DayPart, Network, StructureStatus, StructureType, Weekday
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
