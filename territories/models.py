"""French administrative geography from the official geographic code (COG)."""

from django.db import models


class Region(models.Model):
    """A region (18: 13 in metropolitan France, 5 overseas)."""

    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = "région"

    def __str__(self):
        return self.name


class Department(models.Model):
    """A department (101), attached to its region."""

    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments", verbose_name="région")

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self):
        return f"{self.name} ({self.code})"


class Commune(models.Model):
    """A commune with its postal codes, population and centre point (for distances)."""

    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=150)
    # Lower-case, accent-free name, so that prefix search is accent-insensitive on every database.
    search_name = models.CharField(max_length=150, db_index=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes", verbose_name="département"
    )
    postal_codes = models.JSONField("codes postaux", default=list)
    population = models.PositiveIntegerField("population", default=0)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "commune"

    def __str__(self):
        return f"{self.name} ({self.department_id})"

    @property
    def main_postal_code(self) -> str:
        return self.postal_codes[0] if self.postal_codes else ""


class PostalCode(models.Model):
    """One postal code of a commune (a commune may have several, a code may cover several communes)."""

    code = models.CharField("code postal", max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_code_rows")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "commune"], name="unique_postal_code_commune")]
        verbose_name = "code postal"

    def __str__(self):
        return f"{self.code} {self.commune.name}"
