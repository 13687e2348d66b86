"""Project API (django-ninja): public places as open data, in the « lieux de médiation numérique » schema."""

import io

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from directory.opendata import SCHEMA_PACKAGE, lieux_de_mediation_numerique, write_csv

router = Router(tags=["Lieux de médiation numérique"])

DESCRIPTION = (
    "Les lieux d'activité publics des conseillers numériques en poste, au format du schéma national des lieux de "
    f"médiation numérique (champs vérifiés sur le paquet npm {SCHEMA_PACKAGE}). Les valeurs multiples sont séparées "
    "par « | » ; les champs vides sont omis. Coordonnées : centre de la commune quand le lieu n'en a pas "
    "(GeoNames, CC BY 4.0). Licence des données : Licence Ouverte 2.0."
)


class PlaceFilters(Schema):
    departement: str = Field("", pattern=r"^(|[0-9]{2}|2[AB]|97[0-9])$", description="Code du département, ex. 75")
    commune: str = Field("", pattern=r"^(|[0-9][0-9AB][0-9]{3})$", description="Code INSEE de la commune, ex. 75111")


class LieuMediationNumerique(Schema):
    """One place; optional fields are absent when unknown (as in the schema's reference implementation)."""

    id: str
    nom: str
    pivot: str = Field(description="SIRET de la structure, ou 00000000000000")
    services: str | None = None
    typologie: str | None = None
    structure_parente: str | None = None
    commune: str
    code_postal: str
    adresse: str
    code_insee: str | None = None
    complement_adresse: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    telephone: str | None = None
    courriels: str | None = None
    site_web: str | None = None
    presentation_resume: str | None = None
    presentation_detail: str | None = None
    publics_specifiquement_adresses: str | None = None
    prise_en_charge_specifique: str | None = None
    frais_a_charge: str | None = None
    itinerance: str | None = None
    modalites_acces: str | None = None
    modalites_accompagnement: str | None = None
    fiche_acces_libre: str | None = None
    dispositif_programmes_nationaux: str | None = None
    formations_labels: str | None = None
    autres_formations_labels: str | None = None
    horaires: str | None = Field(None, description="Format OpenStreetMap opening_hours")
    prise_rdv: str | None = None
    source: str | None = None
    date_maj: str = Field(description="Date de dernière mise à jour, AAAA-MM-JJ")


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
