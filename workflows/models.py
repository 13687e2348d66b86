"""Recruitment data: applications, recruitments, training, ruptures, the decision log and the open-task index.

Business data lives on these real tables (indexed, filterable, exportable); the Viewflow proxy processes
below only hold process state and link to their domain row through `process.artifact`.
"""

import os

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from viewflow import jsonstore
from viewflow.workflow.models import Process, Task

from common import storage
from directory.enums import StructureType
from directory.models import Structure
from directory.validators import validate_siret
from territories.utils import department_code_for_commune
from workflows.enums import (
    ENGAGED_RECRUITMENT_STATUSES,
    OPEN_CANDIDATE_STATUSES,
    OPEN_RECRUITMENT_STATUSES,
    OPEN_REQUEST_STATUSES,
    OPEN_RUPTURE_STATUSES,
    OPEN_STRUCTURE_APPLICATION_STATUSES,
    RECRUITMENT_IN_PROGRESS,
    AttachmentAudience,
    BulkAction,
    BulkOutcome,
    BulkStatus,
    CandidateStatus,
    ContractChangeType,
    ContractType,
    CoordinationType,
    Kind,
    MaxDistance,
    NotificationEvent,
    NotificationMode,
    Party,
    PostRequestType,
    PostReturnMotive,
    PrefectureOpinion,
    RecruitmentStatus,
    RefusalReason,
    RequestStatus,
    RuptureMotive,
    RuptureStatus,
    Side,
    Step,
    StructureApplicationStatus,
    Verdict,
)


def private_storage():
    """CVs' and attachments' storage: storages["private"] (a callable, so that migrations name no backend)."""
    return storage.private_storage


def cv_upload_to(instance, filename):
    return f"cv/{timezone.now():%Y/%m}/{instance.token_hint()}.pdf"


class StructureApplicationQuerySet(models.QuerySet):
    def open(self):
        """Applications still in their parcours (e-mail to confirm, prefecture review, hub validation)."""
        return self.filter(status__in=OPEN_STRUCTURE_APPLICATION_STATUSES)

    def siret_in_use(self, siret: str) -> str | None:
        """Why this SIRET cannot apply again (an open application or a structure uses it), or None."""
        if Structure.objects.filter(siret=siret).exists():
            return "structure"
        if self.open().filter(siret=siret).exists():
            return "application"
        return None


class StructureApplication(models.Model):
    """A host structure's application for advisor posts (public form "Accueillir un conseiller")."""

    siret = models.CharField("SIRET", max_length=14, validators=[validate_siret], db_index=True)
    name = models.CharField("dénomination", max_length=255)
    type = models.CharField("type de structure", max_length=20, choices=StructureType.choices)
    address = models.CharField("adresse", max_length=255)
    commune = models.ForeignKey("territories.Commune", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "territories.Department", on_delete=models.PROTECT, related_name="+", editable=False
    )
    contact_first_name = models.CharField("prénom du contact", max_length=100)
    contact_last_name = models.CharField("nom du contact", max_length=100)
    contact_function = models.CharField("fonction du contact", max_length=150)
    contact_email = models.EmailField("e-mail du contact")
    contact_phone = models.CharField("téléphone du contact", max_length=20)
    advisors_wanted = models.PositiveIntegerField("nombre de conseillers souhaités")
    start_date = models.DateField("date d'accueil souhaitée")
    candidate_identified = models.BooleanField("candidat déjà identifié", default=False)
    motivation = models.TextField("motivation", max_length=2500)
    engagement = models.BooleanField("engagements acceptés", default=False)
    status = models.CharField(
        "statut",
        max_length=20,
        choices=StructureApplicationStatus.choices,
        default=StructureApplicationStatus.UNCONFIRMED,
        db_index=True,
    )
    prefecture_opinion = models.CharField(
        "avis du préfet", max_length=20, choices=PrefectureOpinion.choices, blank=True
    )
    posts_granted = models.PositiveIntegerField("postes attribués", null=True, blank=True)
    refusal_reason = models.CharField("motif de refus", max_length=30, choices=RefusalReason.choices, blank=True)
    structure = models.ForeignKey(
        "directory.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="structure",
    )
    process = models.ForeignKey(Process, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    email_confirmed_at = models.DateTimeField("e-mail confirmé le", null=True, blank=True)
    decided_at = models.DateTimeField("décision le", null=True, blank=True)
    created_at = models.DateTimeField("déposée le", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = StructureApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "candidature de structure"
        verbose_name_plural = "candidatures de structures"
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=Q(status__in=OPEN_STRUCTURE_APPLICATION_STATUSES),
                name="unique_open_structure_application_siret",
            ),
            models.CheckConstraint(name="structure_application_wants_advisors", condition=Q(advisors_wanted__gte=1)),
            models.CheckConstraint(
                name="structure_application_granted_has_posts",
                condition=~Q(status=StructureApplicationStatus.GRANTED) | Q(posts_granted__gte=1),
            ),
        ]
        indexes = [models.Index(fields=["department", "status"], name="structapp_dept_status")]

    def __str__(self):
        return f"{self.name} ({self.siret})"

    def save(self, *args, **kwargs):
        self.department_id = department_code_for_commune(self.commune_id)
        super().save(*args, **kwargs)

    @property
    def contact_name(self) -> str:
        return f"{self.contact_first_name} {self.contact_last_name}".strip()


class AdvisorApplicationQuerySet(models.QuerySet):
    """Candidates, with the "engaged elsewhere" rule every list offered to structures applies."""

    def open(self):
        """Candidacies still in the pool or about to join it (e-mail to confirm, available)."""
        return self.filter(status__in=OPEN_CANDIDATE_STATUSES)

    def not_engaged(self, *, except_structure=None):
        """Candidates with no engaged recruitment (preselected, under review, in training or in post), except with
        `except_structure`, which still sees its own candidates."""
        engaged = Recruitment.objects.engaged().filter(candidate=models.OuterRef("pk"))
        if except_structure is not None:
            engaged = engaged.exclude(structure=except_structure)
        return self.exclude(models.Exists(engaged))


class AdvisorApplication(models.Model):
    """A candidate to become a conseiller numérique (public form "Devenir conseiller numérique")."""

    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    email = models.EmailField("adresse e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    commune = models.ForeignKey("territories.Commune", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "territories.Department", on_delete=models.PROTECT, related_name="+", editable=False
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    is_job_seeker = models.BooleanField("demandeur d'emploi", default=False)
    is_employed = models.BooleanField("en emploi", default=False)
    is_in_training = models.BooleanField("en formation", default=False)
    has_diploma = models.BooleanField("diplômé en médiation numérique", default=False)
    diploma_name = models.CharField("nom du diplôme", max_length=200, blank=True)
    has_experience = models.BooleanField("expérience en médiation numérique", default=False)
    available_from = models.DateField("disponible à partir du")
    max_distance_km = models.PositiveIntegerField("distance maximale", choices=MaxDistance.choices)
    motivation = models.TextField("motivation", max_length=2500)
    cv = models.FileField("CV", storage=private_storage, upload_to=cv_upload_to, blank=True, max_length=200)
    status = models.CharField(
        "statut", max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.UNCONFIRMED, db_index=True
    )
    advisor = models.ForeignKey(
        "directory.Advisor", on_delete=models.SET_NULL, null=True, blank=True, related_name="applications"
    )
    email_confirmed_at = models.DateTimeField("e-mail confirmé le", null=True, blank=True)
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)
    created_at = models.DateTimeField("inscrit le", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = AdvisorApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "candidature de conseiller"
        verbose_name_plural = "candidatures de conseillers"
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(status__in=OPEN_CANDIDATE_STATUSES),
                name="unique_open_candidate_email",
            ),
            models.CheckConstraint(
                name="candidate_diploma_named",
                condition=Q(has_diploma=False) | ~Q(diploma_name=""),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "latitude", "longitude"], name="candidate_pool_geo"),
            models.Index(fields=["department", "status"], name="candidate_dept_status"),
        ]

    def __str__(self):
        return self.full_name or f"Candidature effacée n° {self.pk}"

    def save(self, *args, **kwargs):
        self.department_id = department_code_for_commune(self.commune_id)
        super().save(*args, **kwargs)

    def token_hint(self) -> str:
        return f"{self.pk or 'n'}-{get_random_string(24)}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def engaged_recruitment(self):
        """The one recruitment engaging this candidate (see ENGAGED_RECRUITMENT_STATUSES), or None."""
        return self.recruitments.engaged().select_related("structure").first()

    @property
    def situations(self) -> list[str]:
        labels = []
        if self.is_job_seeker:
            labels.append("Demandeur d'emploi")
        if self.is_employed:
            labels.append("En emploi")
        if self.is_in_training:
            labels.append("En formation")
        if self.has_diploma:
            labels.append(f"Diplômé en médiation numérique ({self.diploma_name})")
        return labels


class RecruitmentQuerySet(models.QuerySet):
    def in_progress(self):
        """Contract proposed and not yet active: these count against the structure's posts."""
        return self.filter(status__in=RECRUITMENT_IN_PROGRESS)

    def open(self):
        """Preselected or in progress: a recruitment that may still be cancelled."""
        return self.filter(status__in=OPEN_RECRUITMENT_STATUSES)

    def engaged(self):
        """Open or active: the candidate is offered to no other structure."""
        return self.filter(status__in=ENGAGED_RECRUITMENT_STATUSES)


class Recruitment(models.Model):
    """A structure × candidate pairing and its contract, from preselection to an active advisor."""

    structure = models.ForeignKey(
        "directory.Structure", on_delete=models.PROTECT, related_name="recruitments", verbose_name="structure"
    )
    candidate = models.ForeignKey(
        AdvisorApplication, on_delete=models.PROTECT, related_name="recruitments", verbose_name="candidat"
    )
    department = models.ForeignKey(
        "territories.Department", on_delete=models.PROTECT, related_name="+", editable=False
    )
    status = models.CharField(
        "statut",
        max_length=20,
        choices=RecruitmentStatus.choices,
        default=RecruitmentStatus.PRESELECTED,
        db_index=True,
    )
    distance_km = models.FloatField("distance (km)", null=True, blank=True)
    contract_type = models.CharField("type de contrat", max_length=30, choices=ContractType.choices, blank=True)
    contract_start = models.DateField("début du contrat", null=True, blank=True)
    contract_end = models.DateField("fin du contrat", null=True, blank=True)
    salary = models.PositiveIntegerField("salaire brut mensuel (€)", null=True, blank=True)
    is_coordinator_post = models.BooleanField("poste de coordinateur", default=False)
    proposed_at = models.DateTimeField("contrat proposé le", null=True, blank=True)
    started_at = models.DateField("prise de poste", null=True, blank=True)
    refusal_reason = models.CharField("motif de refus", max_length=30, choices=RefusalReason.choices, blank=True)
    advisor = models.OneToOneField(
        "directory.Advisor", on_delete=models.SET_NULL, null=True, blank=True, related_name="recruitment"
    )
    contract = models.OneToOneField(
        "directory.Contract",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recruitment",
        verbose_name="contrat ouvert à la prise de poste",
    )
    preselected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    process = models.ForeignKey(Process, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("présélectionné le", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = RecruitmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "recrutement"
        constraints = [
            # Also covers "one open recruitment per structure and candidate" (the constraint it replaced).
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(status__in=ENGAGED_RECRUITMENT_STATUSES),
                name="unique_engaged_recruitment_per_candidate",
            ),
            models.CheckConstraint(
                name="recruitment_cdi_has_no_end",
                condition=~Q(contract_type=ContractType.CDI) | Q(contract_end__isnull=True),
            ),
            models.CheckConstraint(
                name="recruitment_end_after_start",
                condition=Q(contract_end__isnull=True)
                | Q(contract_start__isnull=True)
                | Q(contract_end__gt=models.F("contract_start")),
            ),
        ]
        indexes = [models.Index(fields=["structure", "status"], name="recruitment_structure_status")]

    def __str__(self):
        return f"{self.candidate} — {self.structure}"

    def save(self, *args, **kwargs):
        self.department_id = self.structure.department_id
        super().save(*args, **kwargs)


class Training(models.Model):
    """The initial training of a recruited advisor: session dates, completion, certification."""

    recruitment = models.OneToOneField(Recruitment, on_delete=models.CASCADE, related_name="training")
    session_start = models.DateField("début de la formation")
    session_end = models.DateField("fin de la formation")
    completed = models.BooleanField("formation terminée", default=False)
    certified = models.BooleanField("certifié", default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField("enregistrée le", default=timezone.now)

    class Meta:
        verbose_name = "formation"
        constraints = [
            models.CheckConstraint(
                name="training_end_after_start", condition=Q(session_end__gte=models.F("session_start"))
            ),
            models.CheckConstraint(
                name="training_certified_if_completed", condition=Q(certified=False) | Q(completed=True)
            ),
        ]

    def __str__(self):
        return f"Formation de {self.recruitment.candidate}"


class RuptureQuerySet(models.QuerySet):
    def open(self):
        """Notified, waiting for documents, or validated with a future date: the advisor is still in post."""
        return self.filter(status__in=OPEN_RUPTURE_STATUSES)

    def due(self, now):
        """Validated ruptures whose end date has come (Paris date of `now`) and that are not applied yet."""
        return self.filter(
            status=RuptureStatus.SCHEDULED, applied_at__isnull=True, end_date__lte=timezone.localdate(now)
        )


class Rupture(models.Model):
    """An end of contract notified by the structure, validated by the hub or the national team."""

    advisor = models.ForeignKey(
        "directory.Advisor", on_delete=models.PROTECT, related_name="ruptures", verbose_name="conseiller"
    )
    structure = models.ForeignKey(
        "directory.Structure", on_delete=models.PROTECT, related_name="ruptures", verbose_name="structure"
    )
    recruitment = models.ForeignKey(
        Recruitment, on_delete=models.SET_NULL, null=True, blank=True, related_name="ruptures"
    )
    department = models.ForeignKey(
        "territories.Department", on_delete=models.PROTECT, related_name="+", editable=False
    )
    end_date = models.DateField("date de fin de contrat")
    motive = models.CharField("motif", max_length=30, choices=RuptureMotive.choices)
    comment = models.TextField("précisions", max_length=1000, blank=True)
    documents_request = models.TextField("pièces demandées", max_length=1000, blank=True)
    documents_answer = models.TextField("réponse de la structure", max_length=1000, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=RuptureStatus.choices, default=RuptureStatus.NOTIFIED, db_index=True
    )
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    applied_at = models.DateTimeField("appliquée le", null=True, blank=True)
    process = models.ForeignKey(Process, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("notifiée le", default=timezone.now, db_index=True)

    objects = RuptureQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "fin de contrat"
        verbose_name_plural = "fins de contrat"
        constraints = [
            models.UniqueConstraint(
                fields=["advisor"], condition=Q(status__in=OPEN_RUPTURE_STATUSES), name="unique_open_rupture"
            ),
        ]

    def __str__(self):
        return f"Fin de contrat de {self.advisor}"

    def save(self, *args, **kwargs):
        self.department_id = self.structure.department_id
        super().save(*args, **kwargs)


class RequestQuerySet(models.QuerySet):
    def open(self):
        """Requests still in their parcours (or validated with a date to come)."""
        return self.filter(status__in=OPEN_REQUEST_STATUSES)


class ProgrammeRequest(models.Model):
    """What the requests of the programme's life after recruitment share: the structure they concern (its
    department routes the tasks), where they stand, the prefecture's opinion and the process."""

    structure = models.ForeignKey(
        "directory.Structure", on_delete=models.PROTECT, related_name="+", verbose_name="structure"
    )
    department = models.ForeignKey(
        "territories.Department", on_delete=models.PROTECT, related_name="+", editable=False
    )
    status = models.CharField(
        "statut", max_length=20, choices=RequestStatus.choices, default=RequestStatus.PREFECTURE_REVIEW, db_index=True
    )
    prefecture_opinion = models.CharField(
        "avis du préfet", max_length=20, choices=PrefectureOpinion.choices, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    process = models.ForeignKey(Process, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("déposée le", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def save(self, *args, **kwargs):
        self.department_id = self.department_for_routing()
        super().save(*args, **kwargs)

    def department_for_routing(self) -> str:
        """The department whose prefecture and hub handle the request."""
        return Structure.objects.filter(pk=self.structure_id).values_list("department_id", flat=True).get()


class PostRequest(ProgrammeRequest):
    """An avenant: a structure asks for more posts or gives posts back (demandesCoselec of the real programme)."""

    convention = models.ForeignKey(
        "directory.Convention", on_delete=models.PROTECT, related_name="post_requests", verbose_name="convention"
    )
    type = models.CharField("nature", max_length=10, choices=PostRequestType.choices)
    posts_requested = models.PositiveIntegerField("postes demandés ou rendus")
    posts_granted = models.PositiveIntegerField("postes accordés", null=True, blank=True)
    posts_before = models.PositiveIntegerField("postes avant la demande")
    motivation = models.TextField("motivation", max_length=2500, blank=True)
    return_motive = models.CharField("motif du rendu", max_length=30, choices=PostReturnMotive.choices, blank=True)
    return_motive_other = models.CharField("autre motif", max_length=300, blank=True)

    class Meta(ProgrammeRequest.Meta):
        verbose_name = "avenant"
        constraints = [
            models.CheckConstraint(name="post_request_asks_posts", condition=Q(posts_requested__gte=1)),
            models.CheckConstraint(
                name="post_request_grants_at_most_asked",
                condition=Q(posts_granted__isnull=True) | Q(posts_granted__lte=models.F("posts_requested")),
            ),
        ]
        indexes = [models.Index(fields=["department", "status"], name="postrequest_dept_status")]

    def __str__(self):
        return f"{self.get_type_display()} ({self.posts_requested}) — {self.structure}"


class PostTransfer(ProgrammeRequest):
    """Posts moved by the national team from one structure (`from_structure`) to another (`structure`, which
    routes the optional prefecture opinion), with or without the advisor who holds one of them."""

    from_structure = models.ForeignKey(
        "directory.Structure", on_delete=models.PROTECT, related_name="+", verbose_name="structure qui cède"
    )
    from_department = models.ForeignKey(
        "territories.Department", on_delete=models.PROTECT, related_name="+", editable=False
    )
    posts = models.PositiveIntegerField("postes transférés")
    advisor = models.ForeignKey(
        "directory.Advisor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transfers",
        verbose_name="conseiller transféré avec son poste",
    )
    effective_on = models.DateField("date d'effet")
    ask_prefecture = models.BooleanField("avis du préfet du département d'accueil demandé", default=False)
    motivation = models.TextField("motif du transfert", max_length=2500)
    applied_at = models.DateTimeField("appliqué le", null=True, blank=True)

    class Meta(ProgrammeRequest.Meta):
        verbose_name = "transfert de postes"
        verbose_name_plural = "transferts de postes"
        constraints = [
            models.CheckConstraint(name="transfer_moves_posts", condition=Q(posts__gte=1)),
            models.CheckConstraint(
                name="transfer_between_two_structures", condition=~Q(from_structure=models.F("structure"))
            ),
        ]

    def __str__(self):
        return f"Transfert de {self.posts} poste(s) de {self.from_structure} à {self.structure}"

    def save(self, *args, **kwargs):
        self.from_department_id = (
            Structure.objects.filter(pk=self.from_structure_id).values_list("department_id", flat=True).get()
        )
        super().save(*args, **kwargs)


class RenewalRequest(ProgrammeRequest):
    """A reconventionnement: before its convention ends, the structure asks for the next period."""

    convention = models.OneToOneField(
        "directory.Convention", on_delete=models.PROTECT, related_name="renewal_request", verbose_name="convention"
    )
    posts_requested = models.PositiveIntegerField("postes demandés")
    posts_granted = models.PositiveIntegerField("postes accordés", null=True, blank=True)
    continuing_contracts = models.ManyToManyField(
        "directory.Contract", blank=True, related_name="renewal_requests", verbose_name="contrats poursuivis"
    )
    motivation = models.TextField("motivation", max_length=2500)
    new_convention = models.OneToOneField(
        "directory.Convention",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewed_by",
        verbose_name="nouvelle convention",
    )

    class Meta(ProgrammeRequest.Meta):
        verbose_name = "reconventionnement"
        constraints = [
            models.CheckConstraint(name="renewal_asks_posts", condition=Q(posts_requested__gte=1)),
            models.CheckConstraint(
                name="renewal_grants_at_most_asked",
                condition=Q(posts_granted__isnull=True) | Q(posts_granted__lte=models.F("posts_requested")),
            ),
        ]

    def __str__(self):
        return f"Reconventionnement de {self.structure}"


class ContractChange(ProgrammeRequest):
    """A structure asks to prolong, renew or amend an advisor's contract; the hub validates."""

    contract = models.ForeignKey(
        "directory.Contract", on_delete=models.PROTECT, related_name="changes", verbose_name="contrat"
    )
    advisor = models.ForeignKey(
        "directory.Advisor", on_delete=models.PROTECT, related_name="contract_changes", verbose_name="conseiller"
    )
    type = models.CharField("nature", max_length=20, choices=ContractChangeType.choices)
    new_contract_type = models.CharField(
        "nouveau type de contrat", max_length=30, choices=ContractType.choices, blank=True
    )
    new_start = models.DateField("nouvelle date de début", null=True, blank=True)
    new_end = models.DateField("nouvelle date de fin", null=True, blank=True)
    new_weekly_hours = models.DecimalField(
        "nouvelle durée hebdomadaire", max_digits=4, decimal_places=1, null=True, blank=True
    )
    new_salary = models.PositiveIntegerField("nouveau salaire brut mensuel (€)", null=True, blank=True)
    motivation = models.TextField("motif", max_length=1000)
    new_contract = models.OneToOneField(
        "directory.Contract",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_by_change",
        verbose_name="contrat qui en résulte",
    )

    class Meta(ProgrammeRequest.Meta):
        verbose_name = "modification de contrat"
        verbose_name_plural = "modifications de contrat"
        constraints = [
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(status__in=[RequestStatus.PREFECTURE_REVIEW, RequestStatus.DECISION]),
                name="one_open_change_per_contract",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.advisor}"


class CoordinatorRequest(ProgrammeRequest):
    """A structure applies for a coordinator post; on approval it designates the coordinator and her team."""

    coordination_type = models.CharField("missions", max_length=2, choices=CoordinationType.choices)
    territory = models.CharField("territoire à couvrir", max_length=500)
    covered_departments = models.ManyToManyField(
        "territories.Department", blank=True, related_name="+", verbose_name="départements couverts"
    )
    motivation = models.TextField("motivation", max_length=2500)
    prefecture_rank = models.PositiveIntegerField("rang donné par le préfet", null=True, blank=True)
    convention = models.ForeignKey(
        "directory.Convention",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinator_requests",
        verbose_name="convention",
    )
    coordinator = models.ForeignKey(
        "directory.Advisor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinator_requests",
        verbose_name="coordinateur désigné",
    )
    recruitment = models.ForeignKey(
        "Recruitment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinator_requests",
        verbose_name="recrutement du coordinateur",
    )

    class Meta(ProgrammeRequest.Meta):
        verbose_name = "demande de poste de coordinateur"
        verbose_name_plural = "demandes de postes de coordinateur"

    def __str__(self):
        return f"Poste de coordinateur — {self.structure}"


class Decision(models.Model):
    """One line of the append-only decision log: who, with which role, when, at which step, what and why."""

    kind = models.CharField("type de dossier", max_length=20, choices=Kind.choices)
    subject_id = models.PositiveBigIntegerField("dossier")
    process = models.ForeignKey(Process, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    step = models.CharField("étape", max_length=40, choices=Step.choices, blank=True)
    verdict = models.CharField("décision", max_length=30, choices=Verdict.choices)
    reason = models.CharField("motif", max_length=200, blank=True)
    # Two audiences, never mixed (issue 11 item 3): see workflows/audiences.py.
    internal_note = models.TextField(
        "note interne", blank=True, help_text="Lue seulement par les agents : préfecture, hub, équipe nationale."
    )
    message_to_applicant = models.TextField(
        "message au demandeur",
        blank=True,
        help_text="Lu aussi par le demandeur : la structure et, pour un recrutement, le candidat.",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    actor_label = models.CharField("auteur (au moment de la décision)", max_length=255, blank=True)
    actor_role = models.CharField("rôle", max_length=255, blank=True)
    created_at = models.DateTimeField("date", default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "décision"
        indexes = [models.Index(fields=["kind", "subject_id", "created_at"], name="decision_subject")]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.get_verdict_display()}"

    def save(self, *args, **kwargs):
        # Append-only: the decision log is never rewritten.
        if not self._state.adding:
            raise ValueError("Le journal des décisions ne peut pas être modifié.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Le journal des décisions ne peut pas être modifié.")


class WorkItemQuerySet(models.QuerySet):
    def open(self):
        """Tasks still waiting for a decision."""
        return self.filter(is_open=True)

    def of_candidate(self, candidate):
        """The tasks of a candidate's recruitments (their titles and search text carry the candidate's name)."""
        return self.filter(
            kind=Kind.RECRUITMENT, subject_id__in=Recruitment.objects.filter(candidate=candidate).values("pk")
        )


class WorkItem(models.Model):
    """The open-task index of the espace agents: one row per human Viewflow task, with what the lists filter on.

    Written in the same transaction as the task (node `onCreate`) and closed by the services, so that
    "À traiter" and "Mes dossiers" are indexed reads whose cost does not depend on the number of processes.
    """

    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="work_item")
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("type de dossier", max_length=20, choices=Kind.choices)
    subject_id = models.PositiveBigIntegerField("dossier")
    step = models.CharField("étape", max_length=40, choices=Step.choices)
    department = models.ForeignKey("territories.Department", on_delete=models.PROTECT, related_name="+")
    structure = models.ForeignKey(
        "directory.Structure", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField("dossier", max_length=255)
    search_text = models.CharField(max_length=400, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    due_at = models.DateTimeField("échéance")
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField("échéance dépassée le", null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # What the lists filter and sort on besides the step (issue 14), copied from the dossier when the task opens.
    prefecture_opinion = models.CharField(
        "avis du préfet", max_length=20, choices=PrefectureOpinion.choices, blank=True
    )
    structure_type = models.CharField("type de structure", max_length=20, choices=StructureType.choices, blank=True)
    posts_requested = models.PositiveIntegerField("postes demandés", null=True, blank=True)
    # A correction request pauses the deadline: `due_at` moves by the pause's length when the applicant answers.
    paused_at = models.DateTimeField("en attente du demandeur depuis", null=True, blank=True)
    applicant_activity_at = models.DateTimeField("dernier message du demandeur", null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = WorkItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = "tâche"
        indexes = [
            models.Index(fields=["is_open", "step", "department", "due_at"], name="workitem_queue"),
            models.Index(fields=["is_open", "owner", "due_at"], name="workitem_inbox"),
            models.Index(fields=["is_open", "structure", "due_at"], name="workitem_structure"),
            models.Index(fields=["kind", "subject_id"], name="workitem_subject"),
            models.Index(fields=["is_open", "created_at"], name="workitem_new"),
        ]

    def __str__(self):
        return f"{self.get_step_display()} — {self.title}"

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at < timezone.now()


class StructureApplicationProcess(Process):
    """Process state of a structure application (the application itself is `process.artifact`)."""

    prefecture_favorable = jsonstore.BooleanField(default=False)
    hub_decision = jsonstore.CharField(max_length=20, blank=True)

    class Meta:
        proxy = True
        verbose_name = "parcours de candidature de structure"
        permissions = [
            ("review_prefecture", "Donner l'avis du préfet"),
            ("validate_hub", "Valider au niveau du hub"),
            ("record_training", "Enregistrer la formation"),
            ("manage_recruitment", "Recruter pour sa structure"),
            ("validate_rupture", "Valider une fin de contrat"),
            ("decide_national", "Décider au niveau national (reconventionnement, transfert, coordinateur)"),
        ]


class RecruitmentProcess(Process):
    """Process state of a recruitment (the recruitment itself is `process.artifact`)."""

    prefecture_favorable = jsonstore.BooleanField(default=False)
    hub_decision = jsonstore.CharField(max_length=20, blank=True)

    class Meta:
        proxy = True
        verbose_name = "parcours de recrutement"


class RuptureProcess(Process):
    """Process state of an end of contract (the rupture itself is `process.artifact`)."""

    decision = jsonstore.CharField(max_length=20, blank=True)

    class Meta:
        proxy = True
        verbose_name = "parcours de fin de contrat"


class PostRequestProcess(Process):
    """Process state of an avenant (the request itself is `process.artifact`)."""

    decision = jsonstore.CharField(max_length=20, blank=True)

    class Meta:
        proxy = True
        verbose_name = "parcours d'avenant"


class TransferProcess(Process):
    """Process state of a transfer of posts."""

    ask_prefecture = jsonstore.BooleanField(default=False)
    decision = jsonstore.CharField(max_length=20, blank=True)

    class Meta:
        proxy = True
        verbose_name = "parcours de transfert de postes"


class RenewalProcess(Process):
    """Process state of a reconventionnement."""

    decision = jsonstore.CharField(max_length=20, blank=True)

    class Meta:
        proxy = True
        verbose_name = "parcours de reconventionnement"


class ContractChangeProcess(Process):
    """Process state of a contract change."""

    decision = jsonstore.CharField(max_length=20, blank=True)

    class Meta:
        proxy = True
        verbose_name = "parcours de modification de contrat"


class CoordinatorProcess(Process):
    """Process state of a coordinator post request."""

    decision = jsonstore.CharField(max_length=20, blank=True)

    class Meta:
        proxy = True
        verbose_name = "parcours de poste de coordinateur"


# --- Instruction at volume (issue 14) -----------------------------------------------------------------------------


class SavedView(models.Model):
    """A named filter set of one agent's task list, listed in the side menu with its live count."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    list_name = models.CharField("liste", max_length=20)
    name = models.CharField("nom de la vue", max_length=60)
    query = models.CharField("filtres", max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "vue enregistrée"
        constraints = [models.UniqueConstraint(fields=["user", "list_name", "name"], name="savedview_unique_name")]

    def __str__(self):
        return self.name


class ListVisit(models.Model):
    """When an agent last opened a task list: rows created since are marked "nouveau"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    list_name = models.CharField(max_length=20)
    visited_at = models.DateTimeField()
    previous_visit_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "list_name"], name="listvisit_unique")]

    def __str__(self):
        return f"{self.list_name} {self.visited_at:%d/%m/%Y %H:%M}"


class Label(models.Model):
    """A label a team of agents puts on dossiers, read by agents only (`team`: the key of the role and scope)."""

    team = models.CharField("équipe", max_length=60)
    name = models.CharField("étiquette", max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "étiquette"
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="label_unique_name")]

    def __str__(self):
        return self.name


class DossierLabel(models.Model):
    """A label on one dossier."""

    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="dossiers")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject_id = models.PositiveBigIntegerField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["label", "kind", "subject_id"], name="dossierlabel_unique"),
        ]
        indexes = [models.Index(fields=["kind", "subject_id"], name="dossierlabel_subject")]

    def __str__(self):
        return f"{self.label} — {self.kind} {self.subject_id}"


class Annotation(models.Model):
    """A private note of an agent on a dossier: read by the agents only, never by the applicant."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject_id = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_label = models.CharField(max_length=255, blank=True)
    body = models.TextField("annotation", max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "annotation"
        indexes = [models.Index(fields=["kind", "subject_id", "created_at"], name="annotation_subject")]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.author_label}"


class Message(models.Model):
    """One message of a dossier's thread between the agents and one party of the applicant's side."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject_id = models.PositiveBigIntegerField()
    party = models.CharField("destinataire", max_length=20, choices=Party.choices)
    side = models.CharField("écrit par", max_length=20, choices=Side.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_label = models.CharField(max_length=255, blank=True)
    body = models.TextField("message", max_length=5000)
    is_correction_request = models.BooleanField("demande de correction", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "message"
        indexes = [models.Index(fields=["kind", "subject_id", "party", "created_at"], name="message_thread")]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.get_side_display()} → {self.get_party_display()}"


class CorrectionRequest(models.Model):
    """An agent asked the applicant to correct or complete a dossier: the step's deadline is paused until she
    answers."""

    work_item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject_id = models.PositiveBigIntegerField()
    party = models.CharField(max_length=20, choices=Party.choices)
    request = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="correction")
    answer = models.OneToOneField(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="answered_correction"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = "demande de correction"
        constraints = [
            models.UniqueConstraint(
                fields=["work_item"], condition=Q(answered_at__isnull=True), name="correction_one_open_per_task"
            )
        ]
        indexes = [models.Index(fields=["kind", "subject_id"], name="correction_subject")]

    def __str__(self):
        return f"Correction demandée le {self.requested_at:%d/%m/%Y}"


def attachment_upload_to(instance, filename):
    return f"pieces/{timezone.now():%Y/%m}/{get_random_string(24)}{os.path.splitext(filename)[1].lower()[:6]}"


class Attachment(models.Model):
    """A PDF or image joined to a dossier (with a message, or as a pièce of a step): private storage, served by
    scoped views only, purged with the dossier."""

    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject_id = models.PositiveBigIntegerField()
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    audience = models.CharField("visible par", max_length=20, choices=AttachmentAudience.choices)
    file = models.FileField(storage=private_storage, upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField("nom du fichier", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_by_label = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "pièce jointe"
        indexes = [models.Index(fields=["kind", "subject_id"], name="attachment_subject")]

    def __str__(self):
        return self.original_name


class NotificationPreference(models.Model):
    """How an agent wants to hear of one kind of event (no row: the default of the event)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=30, choices=NotificationEvent.choices)
    mode = models.CharField(max_length=20, choices=NotificationMode.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notificationpref_unique")]

    def __str__(self):
        return f"{self.get_event_display()} : {self.get_mode_display()}"


class PendingNotification(models.Model):
    """An event kept for an agent's daily digest (sent and then deleted by `send_digests`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=30, choices=NotificationEvent.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    title = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["user", "created_at"], name="pendingnotif_user")]

    def __str__(self):
        return self.title


class BulkJob(models.Model):
    """One bulk action on selected dossiers, run in the background: each dossier is handled under its own lock and
    recorded as its own decision; the job keeps every dossier's outcome."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey("accounts.Membership", on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=20, choices=BulkAction.choices)
    step = models.CharField(max_length=40, choices=Step.choices, blank=True)
    params = models.JSONField(default=dict)
    summary = models.CharField("résumé", max_length=500)
    status = models.CharField(max_length=20, choices=BulkStatus.choices, default=BulkStatus.PENDING)
    total = models.PositiveIntegerField(default=0)
    done_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "traitement groupé"

    def __str__(self):
        return self.summary


class BulkJobItem(models.Model):
    """One dossier of a bulk action and what happened to it."""

    job = models.ForeignKey(BulkJob, on_delete=models.CASCADE, related_name="items")
    work_item = models.ForeignKey(WorkItem, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=255)
    outcome = models.CharField(max_length=20, choices=BulkOutcome.choices, default=BulkOutcome.PENDING)
    message = models.CharField(max_length=300, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["job", "outcome"], name="bulkitem_outcome")]

    def __str__(self):
        return f"{self.title} : {self.get_outcome_display()}"
