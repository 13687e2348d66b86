"""Project API: our structures and services in the data·inclusion standard (schema v1.0.8), paginated, with a change
feed (`updated_since`) and the ids that left each list (`…/suppressions/`).

The enumerations of the response schemas are read from the vendored JSON Schemas, so the OpenAPI documents exactly
the values of the standard (and a value outside it could never be sent).
"""

import json
from datetime import datetime
from pathlib import Path
from typing import Literal

from ninja import Field, Query, Router, Schema

from common.api_lists import ListParams, PageOut, page_of
from directory import changefeed, datainclusion

SCHEMAS = Path(__file__).resolve().parent / "data" / "schemas" / "data-inclusion"
_DEFS = {
    **json.loads((SCHEMAS / "structure.json").read_text(encoding="utf-8"))["$defs"],
    **json.loads((SCHEMAS / "service.json").read_text(encoding="utf-8"))["$defs"],
}


def _enum(name: str):
    return Literal[tuple(_DEFS[name]["enum"])]


ReseauPorteur = _enum("ReseauPorteur")
Thematique = _enum("Thematique")
TypeService = _enum("TypeService")
Frais = _enum("Frais")
Public = _enum("Public")
ModeAccueil = _enum("ModeAccueil")
ModeMobilisation = _enum("ModeMobilisation")
PersonneMobilisatrice = _enum("PersonneMobilisatrice")

router = Router(tags=["data·inclusion"])

INTRO = (
    "Au format du standard data·inclusion (GIP Plateforme de l'inclusion, schéma v1.0.8 : "
    "https://github.com/gip-inclusion/data-inclusion-schema), chaque champ du schéma présent, null quand il n'est "
    "pas connu. Source : « conseiller-numerique ». Licence des données : Licence Ouverte 2.0. Synchronisation : "
    "`updated_since` puis les liens `next` ; les identifiants sortis de la liste sont dans `…/suppressions/`."
)


class DIStructure(Schema):
    """A structure of the data·inclusion standard."""

    source: str
    id: str
    nom: str
    date_maj: str = Field(description="Date de dernière modification, AAAA-MM-JJ")
    description: str | None
    lien_source: str | None
    siret: str | None
    commune: str | None
    code_postal: str | None
    code_insee: str | None
    adresse: str | None
    complement_adresse: str | None
    longitude: float | None
    latitude: float | None
    telephone: str | None
    courriel: str | None
    site_web: str | None
    horaires_accueil: str | None
    accessibilite_lieu: str | None
    reseaux_porteurs: list[ReseauPorteur] | None


class DIService(Schema):
    """A service of the data·inclusion standard: the programme's accompaniment at one public place."""

    source: str
    structure_id: str
    id: str
    nom: str
    description: str
    lien_source: str | None
    date_maj: str = Field(description="Date de dernière modification, AAAA-MM-JJ")
    type: TypeService | None
    thematiques: list[Thematique] | None
    frais: Frais | None
    frais_precisions: str | None
    publics: list[Public] | None
    publics_precisions: str | None
    conditions_acces: str | None
    commune: str | None
    code_postal: str | None
    code_insee: str | None
    adresse: str | None
    complement_adresse: str | None
    longitude: float | None
    latitude: float | None
    telephone: str | None = Field(description="Au format international (+33…)")
    courriel: str | None
    contact_nom_prenom: str | None
    horaires_accueil: str | None = Field(description="Format OpenStreetMap opening_hours")
    modes_accueil: list[ModeAccueil] | None
    zone_eligibilite: list[str] | None
    modes_mobilisation: list[ModeMobilisation] | None
    lien_mobilisation: str | None
    mobilisable_par: list[PersonneMobilisatrice] | None
    mobilisation_precisions: str | None
    volume_horaire_hebdomadaire: float | None
    nombre_semaines: int | None


class Removal(Schema):
    id: str = Field(description="Identifiant data·inclusion de l'élément sorti de la liste")
    supprime_le: datetime


class DIStructuresPage(PageOut):
    items: list[DIStructure]


class DIServicesPage(PageOut):
    items: list[DIService]


class RemovalsPage(PageOut):
    items: list[Removal]


@router.get(
    "/data-inclusion/structures/",
    response=DIStructuresPage,
    summary="Structures (data·inclusion)",
    description="Les structures validées qui accueillent des conseillers numériques. " + INTRO,
)
def datainclusion_structures(request, params: Query[ListParams]):
    structures = datainclusion.published_structures().order_by("pk")
    return page_of(request, structures, params, datainclusion.structure_record, changed_field="di_changed_at")


@router.get(
    "/data-inclusion/services/",
    response=DIServicesPage,
    summary="Services (data·inclusion)",
    description=(
        "L'accompagnement au numérique dans chaque lieu public où un conseiller numérique est en poste, rattaché à "
        "sa structure (`structure_id`). " + INTRO
    ),
)
def datainclusion_services(request, params: Query[ListParams]):
    services = datainclusion.published_services().order_by("pk")
    return page_of(request, services, params, datainclusion.service_record, changed_field="changed_at")


def _removals(request, params: ListParams, feed: str, prefix: str) -> dict:
    removals = changefeed.removals_since(feed, None)
    return page_of(
        request, removals, params, lambda row: datainclusion.removal_record(row, prefix), changed_field="removed_at"
    )


@router.get(
    "/data-inclusion/structures/suppressions/",
    response=RemovalsPage,
    summary="Structures retirées (data·inclusion)",
    description="Les structures sorties de la liste (plus validées), avec la date de leur sortie.",
)
def datainclusion_structure_removals(request, params: Query[ListParams]):
    return _removals(request, params, "structures", datainclusion.STRUCTURE_PREFIX)


@router.get(
    "/data-inclusion/services/suppressions/",
    response=RemovalsPage,
    summary="Services retirés (data·inclusion)",
    description=(
        "Les services sortis de la liste (lieu retiré, rendu privé ou sans conseiller en poste), avec la date de "
        "leur sortie."
    ),
)
def datainclusion_service_removals(request, params: Query[ListParams]):
    return _removals(request, params, "lieux", datainclusion.SERVICE_PREFIX)
