"""Project API (django-ninja): public places as open data, in the « lieux de médiation numérique » schema.

The JSON list is paginated and follows the change feed (directory/changefeed.py): a place's change date is the
latest of its own, its structure's (the row shows the structure's name, SIRET, labels; `date_maj` says the same) and
its (re)entry into the published set; the places that left it are listed by /lieux-mediation-numerique/suppressions/.
`Last-Modified` is the latest change of the whole feed (not of the filtered page): a place moving out of a
department's list changes that list without a date of its own inside it. The CSV stays the whole file.
"""

import io
from datetime import datetime
from typing import Literal

from django.db.models import F, Max
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpResponse
from django.utils.http import http_date
from ninja import Field, Query, Router, Schema

from common.api_lists import ListParams, PageOut, page_of
from directory import changefeed
from directory.models import Publication
from directory.opendata import (
    SCHEMA_URL,
    SCHEMA_VERSION,
    lieu_row,
    lieux_de_mediation_numerique,
    write_csv,
)
from directory.selectors import located_public_places

router = Router(tags=["Lieux de médiation numérique"])

DESCRIPTION = (
    "Les lieux d'activité publics des conseillers numériques en poste, au format du schéma national des lieux de "
    f"médiation numérique {SCHEMA_VERSION} ({SCHEMA_URL}) : mêmes colonnes, dans le même ordre, mêmes types, motifs "
    "et listes de valeurs. Les valeurs multiples sont séparées par « | » ; les champs vides sont omis en JSON. "
    "Téléphones au format international (+33…, +590…). Coordonnées : géocodage de l'adresse, coordonnées saisies, "
    "ou centre de la commune (GeoNames, CC BY 4.0) ; le JSON précise lequel dans « precision_coordonnees », "
    "champ propre à ce service, absent du schéma et du CSV. Licence des données : Licence Ouverte 2.0."
)


class PlaceFilters(Schema):
    departement: str = Field("", pattern=r"^(|[0-9]{2}|2[AB]|97[0-9])$", description="Code du département, ex. 75")
    commune: str = Field("", pattern=r"^(|[0-9][0-9AB][0-9]{3})$", description="Code INSEE de la commune, ex. 75111")


class LieuMediationNumerique(Schema):
    """One place, fields in the order of the schema v1.0.2; optional fields are absent when unknown."""

    id: str = Field(description="Identifiant unique du lieu dans ce service")
    pivot: str = Field(
        pattern=r"^[a-zA-Z0-9]{9,14}$", description="SIRET de la structure (ou RIDET), sinon 00000000000000"
    )
    nom: str
    commune: str
    code_postal: str = Field(pattern=r"^\d{5}$")
    code_insee: str | None = Field(None, pattern=r"^([013-9]\d|2[AB1-9])\d{3}$")
    adresse: str
    complement_adresse: str | None = None
    latitude: float | None = Field(None, description="WGS84")
    longitude: float | None = Field(None, description="WGS84")
    typologie: str | None = Field(None, description="Codes de typologie data·inclusion, ex. MUNI")
    telephone: str | None = Field(
        None,
        pattern=r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$",
        description="Format international, ex. +33180059880",
    )
    courriels: str | None = None
    site_web: str | None = None
    horaires: str | None = Field(None, description="Format OpenStreetMap opening_hours")
    presentation_resume: str | None = Field(None, max_length=280)
    presentation_detail: str | None = None
    source: str | None = None
    itinerance: str | None = Field(None, description="Itinérant ou Fixe")
    structure_parente: str | None = None
    date_maj: str = Field(description="Date de dernière mise à jour, AAAA-MM-JJ")
    services: str | None = None
    publics_specifiquement_adresses: str | None = None
    prise_en_charge_specifique: str | None = None
    frais_a_charge: str | None = None
    dispositif_programmes_nationaux: str | None = None
    formations_labels: str | None = None
    autres_formations_labels: str | None = None
    modalites_acces: str | None = None
    modalites_accompagnement: str | None = None
    fiche_acces_libre: str | None = None
    prise_rdv: str | None = None
    precision_coordonnees: Literal["adresse", "rue", "commune", "saisie"] | None = Field(
        None,
        description=(
            "Extension de ce service, absente du schéma national et du CSV : « adresse » (adresse géocodée au "
            "numéro), « rue » (voie ou lieu-dit géocodé), « commune » (centre de la commune), « saisie » "
            "(coordonnées saisies par le conseiller)"
        ),
    )


class LieuListOut(PageOut):
    items: list[LieuMediationNumerique]


class PlaceRemovalFilters(Schema):
    departement: str = PlaceFilters.model_fields["departement"]


class LieuRemovalOut(Schema):
    id: str = Field(description="Identifiant du lieu, tel que dans la liste (`id`)")
    supprime_le: datetime = Field(description="Date de sortie des données publiées")


class LieuRemovalListOut(PageOut):
    items: list[LieuRemovalOut]


# The `id` of a place in the schema's rows (directory.opendata.lieu_row), for the removals that have no row any more.
PLACE_ID = "conseiller-numerique-lieu-{}"


def _places_changed(places):
    """The places annotated with `row_changed_at`: the change feed's date, or their structure's if later."""
    return changefeed.changed("lieux", places).annotate(
        row_changed_at=Greatest(F("changed_at"), Coalesce(F("structure__updated_at"), F("changed_at")))
    )


def _feed_last_modified(published) -> datetime | None:
    """The latest change of the published places (annotated by _places_changed), removals included."""
    dates = [
        published.aggregate(latest=Max("row_changed_at"))["latest"],
        Publication.objects.filter(feed="lieux").aggregate(latest=Max("removed_at"))["latest"],
    ]
    dates = [moment for moment in dates if moment is not None]
    return max(dates) if dates else None


@router.get(
    "/lieux-mediation-numerique/",
    response=LieuListOut,
    # Absent optional fields stay absent (the schema's rows); the envelope's null next/previous stay.
    exclude_unset=True,
    summary="Lieux de médiation numérique (JSON)",
    description=DESCRIPTION
    + " Liste paginée (`limit` jusqu'à 500) ; avec `updated_since`, les lieux modifiés depuis (le lieu, sa structure"
    " ou son retour dans les données publiées) ; les lieux sortis : /api/lieux-mediation-numerique/suppressions/.",
)
def places_json(request, response: HttpResponse, filters: Query[PlaceFilters], pagination: Query[ListParams]):
    published = _places_changed(located_public_places())
    places = published.order_by("pk")
    if filters.departement:
        places = places.filter(department_id=filters.departement)
    if filters.commune:
        places = places.filter(commune_id=filters.commune)
    last_modified = _feed_last_modified(published)
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return page_of(request, places, pagination, lieu_row, changed_field="row_changed_at")


@router.get(
    "/lieux-mediation-numerique/suppressions/",
    response=LieuRemovalListOut,
    summary="Lieux sortis des données publiées",
)
def place_removals(request, filters: Query[PlaceRemovalFilters], pagination: Query[ListParams]):
    """Les lieux qui ne sont plus publiés (supprimés, rendus privés, sans conseiller en poste…) et la date de leur
    sortie ; avec `updated_since`, ceux sortis depuis. Un lieu revenu depuis n'y figure plus : il revient dans la
    liste avec `updated_since`."""
    departments = [filters.departement] if filters.departement else None
    removals = changefeed.removals_since("lieux", None, departments=departments)
    return page_of(
        request,
        removals,
        pagination,
        lambda removal: {"id": PLACE_ID.format(removal.object_id), "supprime_le": removal.removed_at},
        changed_field="removed_at",
    )


@router.get(
    "/lieux-mediation-numerique.csv",
    summary="Lieux de médiation numérique (CSV)",
    description=DESCRIPTION + " CSV séparé par des virgules, encodé en UTF-8, une colonne par champ du schéma.",
    openapi_extra={"responses": {200: {"description": "Fichier CSV", "content": {"text/csv": {}}}}},
)
def places_csv(request, filters: Query[PlaceFilters]):
    buffer = io.StringIO()
    write_csv(lieux_de_mediation_numerique(department=filters.departement, commune=filters.commune), buffer)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lieux-de-mediation-numerique-conseiller-numerique.csv"'
    return response
