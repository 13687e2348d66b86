"""Bookkeeping of the switch-over imports: runs (for resuming), external ids (for idempotency), rejected rows."""

from django.db import models
from django.utils import timezone


class RunStatus(models.TextChoices):
    RUNNING = "running", "En cours (ou interrompue)"
    DONE = "done", "Terminée"


class ImportRun(models.Model):
    """One import of one export file; an unfinished run of the same file is resumed after its last committed line."""

    collection = models.CharField("collection", max_length=40)
    source_name = models.CharField("fichier", max_length=255)
    fingerprint = models.CharField("empreinte du fichier", max_length=64)
    status = models.CharField("état", max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING)
    last_line = models.PositiveBigIntegerField("dernière ligne enregistrée", default=0)
    lines_read = models.PositiveBigIntegerField("lignes lues", default=0)
    imported = models.PositiveBigIntegerField("importées", default=0)
    existing = models.PositiveBigIntegerField("déjà importées", default=0)
    rejected = models.PositiveBigIntegerField("rejetées", default=0)
    skipped = models.PositiveBigIntegerField("écartées (hors reprise)", default=0)
    resumed = models.PositiveSmallIntegerField("reprises après interruption", default=0)
    started_at = models.DateTimeField("commencée le", default=timezone.now)
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)

    class Meta:
        verbose_name = "import"
        indexes = [models.Index(fields=["collection", "fingerprint", "status"], name="importrun_resume")]

    def __str__(self):
        return f"{self.collection} — {self.source_name} ({self.get_status_display()})"


class LegacyRecord(models.Model):
    """A document of the existing system and what it became here; `raw` keeps the fields no column holds.

    `target_id` is the primary key of the row created here (Structure, Advisor, Contract, Place…, see the
    collection's importer). Activity reports are not listed here (millions of rows): their external id is in
    ImportedActivity.
    """

    collection = models.CharField("collection", max_length=40)
    external_id = models.CharField("identifiant d'origine (ObjectId)", max_length=24)
    legacy_number = models.BigIntegerField("numéro d'origine (idPG)", null=True, blank=True)
    target_id = models.BigIntegerField("identifiant ici", null=True, blank=True)
    raw = models.JSONField("champs non repris en colonnes", default=dict, blank=True)
    run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    imported_at = models.DateTimeField("importé le", default=timezone.now)

    class Meta:
        verbose_name = "enregistrement repris"
        constraints = [
            models.UniqueConstraint(fields=["collection", "external_id"], name="legacyrecord_unique_external_id")
        ]
        indexes = [models.Index(fields=["collection", "target_id"], name="legacyrecord_target")]

    def __str__(self):
        return f"{self.collection}/{self.external_id}"


class ImportedActivity(models.Model):
    """The origin of an imported activity report (`cras` document) and its fields no column holds."""

    activity = models.OneToOneField(
        "reporting.Activity", on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name="compte rendu"
    )
    external_id = models.CharField("identifiant d'origine (ObjectId)", max_length=24, unique=True)
    raw = models.JSONField("champs non repris en colonnes", null=True, blank=True)

    class Meta:
        verbose_name = "compte rendu repris"

    def __str__(self):
        return f"cras/{self.external_id}"


class Rejection(models.Model):
    """A row of an export file that was not imported, with its line number and the reason, in French."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rejections")
    line = models.PositiveBigIntegerField("ligne")
    external_id = models.CharField("identifiant d'origine", max_length=64, blank=True)
    reason = models.CharField("motif", max_length=255)

    class Meta:
        ordering = ["run", "line", "pk"]
        verbose_name = "ligne rejetée"

    def __str__(self):
        return f"ligne {self.line} : {self.reason}"
