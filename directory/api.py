"""Project API (django-ninja): public places as open data, in the « lieux de médiation numérique » schema."""

import io
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from directory.opendata import (
    SCHEMA_URL,
    SCHEMA_VERSION,
    lieux_de_mediation_numerique,
    write_csv,
)

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


@router.get(
    "/lieux-mediation-numerique/",
    response=list[LieuMediationNumerique],
    exclude_none=True,
    summary="Lieux de médiation numérique (JSON)",
    description=DESCRIPTION,
)
def places_json(request, filters: Query[PlaceFilters]):
    return lieux_de_mediation_numerique(department=filters.departement, commune=filters.commune)


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
