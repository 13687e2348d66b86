"""The partner API (/api/partenaires/): aggregated statistics, places, structures and the advisors' public directory,
each restricted to the token's territory and right.

Design:
- Authentication, rate limit and audit: partners/auth.py and partners/middleware.py. Errors are raised (401, 403,
  404, 422, 429) and shaped into the project's one JSON error by config/api.py.
- Statistics read the dashboards' engine (`reporting.selectors.activity_statistics`, `territorial.network_totals`,
  `territorial.drill_down`) with the same Scope and Period as the pilotage dashboard of that territory: a partner and
  the prefecture read the same numbers. Periods are bounded as the dashboards bound them (common/dates.py): each
  date between 1 January 2020 and five years from today, at most ten years long (a longer one is clamped, and the
  answer says so in `avertissement`).
- A territory asked for outside the token's answers 404, like an object outside a user's scope.
- Lists use the API's one envelope and change feed (common/api_lists.py, directory/changefeed.py): with
  `updated_since` they are ordered by (change date, id) and `next` is a cursor; `…/suppressions/` lists what left
  the published set (deleted, made private, no longer validated, consent withdrawn…) in the token's territory.
- Only public data: places as the public map shows them, validated structures without their contact person, and
  advisors who agreed to be named on the public map (« Trouver un conseiller »), with their public places.
"""

from datetime import date, datetime
from typing import Literal

from django.db.models import F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from common import dates
from common.api_lists import ListParams, PageOut, page_of
from directory import changefeed
from directory import scopes as directory_scopes
from directory.models import PlaceAssignment
from directory.opendata import coordinates_precision
from directory.opening_hours import osm_opening_hours
from directory.phones import international_phone
from partners.auth import PartnerBearer, PartnerRateLimit, require
from partners.enums import Right, ScopeLevel
from reporting import territorial
from reporting.counters import BASE_COUNTERS, GROUPS
from reporting.scopes import Scope
from reporting.selectors import Filters, Period, activity_statistics
from territories.models import Department, Region

router = Router(auth=PartnerBearer(), throttle=PartnerRateLimit(), tags=["Partenaires"])

AUTH_NOTE = (
    " Authentification : en-tête `Authorization: Bearer <jeton>` (jeton remis par l'équipe nationale). Les données "
    "sont limitées au territoire du jeton."
)


# --- Territory of a token ------------------------------------------------------------------------------------------


def territory_filter(token, department_field: str) -> Q:
    """The rows of the token's territory, `department_field` naming the rows' department (e.g. "department")."""
    if token.level == ScopeLevel.DEPARTMENT:
        return Q(**{f"{department_field}_id": token.department_id})
    if token.level == ScopeLevel.REGION:
        return Q(**{f"{department_field}__region_id": token.region_id})
    return Q()


def territory_departments(token):
    """The department codes of the token's territory, None for the whole country."""
    if token.level == ScopeLevel.DEPARTMENT:
        return [token.department_id]
    if token.level == ScopeLevel.REGION:
        return list(Department.objects.filter(region_id=token.region_id).values_list("code", flat=True))
    return None


# --- Statistics -----------------------------------------------------------------------------------------------------

NIVEAUX = {"national": ScopeLevel.NATIONAL, "region": ScopeLevel.REGION, "departement": ScopeLevel.DEPARTMENT}
INDICATOR_KEYS = {
    "activities": "activites",
    "accompaniments": "accompagnements",
    "individual": "accompagnements_individuels",
    "workshops": "ateliers",
    "workshop_participants": "participants_ateliers",
    "already_accompanied": "personnes_deja_accompagnees",
    "minutes": "minutes_accompagnement",
    "redirections": "personnes_reorientees",
}
GROUP_KEYS = {
    "theme": "thematiques",
    "procedure": "demarches",
    "material": "materiel",
    "place_type": "types_lieu",
    "duration": "durees",
    "gender": "genres",
    "age": "tranches_age",
    "status": "statuts",
    "autonomy": "autonomie",
    "redirection": "reorientations",
    "level": "niveaux_ateliers",
}
DEFAULT_MONTHS = 12


class StatisticsParams(Schema):
    debut: date | None = Field(
        None, description="Premier jour de la période (AAAA-MM-JJ) ; par défaut, début des 12 derniers mois"
    )
    fin: date | None = Field(
        None, description="Dernier jour de la période (AAAA-MM-JJ), inclus ; par défaut, aujourd'hui"
    )
    niveau: Literal["national", "region", "departement"] | None = Field(
        None, description="Niveau du territoire ; par défaut, le territoire du jeton"
    )
    code: str | None = Field(
        None,
        pattern=r"^[0-9A-Za-z]{2,3}$",
        description="Code INSEE de la région (ex. 11) ou du département (ex. 75, 2A, 971), dans le territoire "
        "du jeton",
    )
    detail: bool = Field(
        False,
        description="Ajouter la ventilation par territoire enfant : régions (national), départements (région), "
        "structures d'accueil (département)",
    )


class TerritoryOut(Schema):
    niveau: str = Field(description="national, region ou departement")
    code: str | None
    nom: str


class PeriodOut(Schema):
    debut: date
    fin: date


class IndicatorsOut(Schema):
    activites: int = Field(description=BASE_COUNTERS["activities"])
    accompagnements: int = Field(description=f"{BASE_COUNTERS['accompaniments']} (un atelier de 10 personnes = 10)")
    accompagnements_individuels: int = Field(description=BASE_COUNTERS["individual"])
    ateliers: int = Field(description=BASE_COUNTERS["workshops"])
    participants_ateliers: int = Field(description=BASE_COUNTERS["workshop_participants"])
    personnes_deja_accompagnees: int = Field(description=BASE_COUNTERS["already_accompanied"])
    minutes_accompagnement: int = Field(description=BASE_COUNTERS["minutes"])
    personnes_reorientees: int = Field(description=BASE_COUNTERS["redirections"])


class ShareOut(Schema):
    valeur: str
    libelle: str
    nombre: int


class DistributionOut(Schema):
    cle: str
    titre: str
    valeurs: list[ShareOut]


class MonthOut(Schema):
    mois: str = Field(description="AAAA-MM")
    accompagnements: int
    activites: int


class NetworkOut(Schema):
    postes_attribues: int
    conseillers_recrutes: int
    conseillers_en_poste: int
    conseillers_actifs_30_jours: int = Field(description="Conseillers en poste ayant un compte-rendu depuis 30 jours")
    taux_activation: int | None = Field(description="Part (%) des conseillers en poste actifs ; null sans conseiller")


class ChildOut(Schema):
    niveau: str = Field(description="region, departement ou structure")
    code: str
    nom: str
    activites: int
    accompagnements: int


class StatisticsOut(Schema):
    territoire: TerritoryOut
    periode: PeriodOut
    avertissement: str | None = Field(description="Période ramenée à 10 ans, le cas échéant")
    indicateurs: IndicatorsOut
    repartitions: list[DistributionOut]
    mois: list[MonthOut]
    reseau: NetworkOut
    detail: list[ChildOut] | None = Field(description="Avec `detail=true` seulement")


def _invalid(field: str, message: str):
    return ValidationError([{"loc": ["query", field], "msg": message, "type": "value_error"}])


def _checked(field: str, value: date | None) -> date | None:
    if value is None:
        return None
    try:
        return dates.check_date(value)
    except dates.DateInputError as error:
        raise _invalid(field, error.message) from None


def statistics_period(debut: date | None, fin: date | None, today: date | None = None) -> tuple[Period, str]:
    """The period asked for, read as the pilotage dashboard reads its « du » and « au »; and the clamping notice."""
    today = today or timezone.localdate()
    default = Period.last_months(DEFAULT_MONTHS, today)
    start = _checked("debut", debut) or default.start
    end = _checked("fin", fin) or max(default.end, start)
    try:
        bounded = dates.bound_period(start, end)
    except dates.DateInputError as error:
        raise _invalid("fin", error.message) from None
    return Period(bounded.start, bounded.end), bounded.notice


def statistics_scope(token, niveau: str | None, code: str | None) -> tuple[Scope, TerritoryOut]:
    """The Scope of the territory asked for (the token's own by default); 404 outside the token's territory."""
    level = NIVEAUX[niveau] if niveau else token.level
    if niveau and level != ScopeLevel.NATIONAL and not code:
        raise _invalid("code", "Indiquez le code de la région ou du département (« code »).")
    if not niveau:
        code = token.territory_code
    if level == ScopeLevel.NATIONAL:
        if token.level != ScopeLevel.NATIONAL:
            raise Http404("Territoire hors du périmètre de ce jeton.")
        return Scope.national(), TerritoryOut(niveau="national", code=None, nom="France entière")
    if level == ScopeLevel.REGION:
        region = Region.objects.filter(code=code.upper()).first()
        if region is None or token.level == ScopeLevel.DEPARTMENT:
            raise Http404("Territoire inconnu ou hors du périmètre de ce jeton.")
        if token.level == ScopeLevel.REGION and region.code != token.region_id:
            raise Http404("Territoire inconnu ou hors du périmètre de ce jeton.")
        return Scope.regions([region.code]), TerritoryOut(niveau="region", code=region.code, nom=region.name)
    department = Department.objects.filter(code=code.upper()).first()
    if department is None:
        raise Http404("Territoire inconnu ou hors du périmètre de ce jeton.")
    if (token.level == ScopeLevel.REGION and department.region_id != token.region_id) or (
        token.level == ScopeLevel.DEPARTMENT and department.code != token.department_id
    ):
        raise Http404("Territoire inconnu ou hors du périmètre de ce jeton.")
    return Scope.departments([department.code]), TerritoryOut(
        niveau="departement", code=department.code, nom=department.name
    )


CHILDREN = {Scope.NATIONAL: ("region", "region"), Scope.REGIONS: ("department", "departement")}


@router.get(
    "/statistiques/",
    response=StatisticsOut,
    summary="Statistiques agrégées d'un territoire sur une période",
    description=(
        "Les indicateurs du tableau de pilotage (même moteur de calcul, mêmes chiffres) pour le territoire du jeton "
        "ou une région ou un département de ce territoire : activités et accompagnements, répartitions (thématiques, "
        "démarches, matériel, lieux, durées, publics), série mensuelle, réseau (postes, conseillers). Aucune donnée "
        "personnelle. Droit requis : « statistiques agrégées »." + AUTH_NOTE
    ),
)
def statistics(request, params: Query[StatisticsParams]):
    token = require(request, Right.STATISTICS)
    period, notice = statistics_period(params.debut, params.fin)
    scope, territory = statistics_scope(token, params.niveau, params.code)
    result = activity_statistics(scope, period, Filters())
    network = territorial.network_totals(scope, Filters())
    detail = None
    if params.detail:
        by, niveau = CHILDREN.get(scope.level, ("structure", "structure"))
        detail = [
            {
                "niveau": niveau,
                "code": row.key,
                "nom": row.label,
                "activites": row.activities,
                "accompagnements": row.accompaniments,
            }
            for row in territorial.drill_down(scope, period, Filters(), by)
        ]
    totals = result.totals
    return {
        "territoire": territory,
        "periode": {"debut": period.start, "fin": period.end},
        "avertissement": notice or None,
        "indicateurs": {key: totals[name] for name, key in INDICATOR_KEYS.items()},
        "repartitions": [
            {
                "cle": GROUP_KEYS[name],
                "titre": group.title,
                "valeurs": [
                    {"valeur": value, "libelle": str(label), "nombre": totals[group.column(value)]}
                    for value, label in group.enum.choices
                ],
            }
            for name, group in GROUPS.items()
        ],
        "mois": [
            {"mois": f"{month:%Y-%m}", "accompagnements": accompaniments, "activites": activities}
            for month, accompaniments, activities in result.months
        ],
        "reseau": {
            "postes_attribues": network.posts_granted,
            "conseillers_recrutes": network.recruited,
            "conseillers_en_poste": network.active,
            "conseillers_actifs_30_jours": network.activated,
            "taux_activation": network.activation_rate,
        },
        "detail": detail,
    }


# --- Lists ----------------------------------------------------------------------------------------------------------


def _page(request, feed: str, queryset, params: ListParams, serialize) -> dict:
    """One page of a published list: by id, or with `updated_since` by (change date, id) from the change feed."""
    if params.updated_since is not None:
        return page_of(request, changefeed.changed(feed, queryset), params, serialize, changed_field="changed_at")
    return page_of(request, queryset.order_by("pk"), params, serialize)


def _changed_at(item) -> datetime:
    return getattr(item, "changed_at", None) or item.updated_at


class RemovalOut(Schema):
    id: int = Field(description="Identifiant de l'objet sorti de la liste")
    supprime_le: datetime = Field(description="Date à laquelle la plateforme a constaté sa sortie")


class RemovalsPage(PageOut):
    items: list[RemovalOut]


def _removals(request, feed: str, params: ListParams) -> dict:
    token = request.auth
    removals = changefeed.removals_since(feed, None, departments=territory_departments(token))
    return page_of(
        request,
        removals,
        params,
        lambda row: {"id": row.object_id, "supprime_le": row.removed_at},
        changed_field="removed_at",
    )


REMOVALS_DESCRIPTION = (
    "Les objets sortis de la liste depuis `updated_since` (supprimés, rendus privés, plus publiés…), du plus ancien "
    "au plus récent, dans le territoire du jeton : à retirer de la copie du partenaire. Un objet revenu depuis "
    "réapparaît dans la liste, avec une date de modification nouvelle."
)


class StructureRef(Schema):
    id: int
    nom: str
    siret: str | None


class PlaceOut(Schema):
    id: int
    nom: str
    adresse: str
    code_postal: str
    commune: str
    code_insee: str
    departement: str
    latitude: float | None
    longitude: float | None
    precision_coordonnees: Literal["adresse", "rue", "commune", "saisie"] | None = Field(
        description=(
            "Origine des coordonnées : « adresse » (adresse géocodée au numéro), « rue » (voie géocodée), "
            "« commune » (centre de la commune), « saisie » (saisies par le conseiller)"
        )
    )
    structure: StructureRef | None
    telephone: str | None = Field(description="Au format international, ex. +33123456789")
    courriel: str | None
    site_web: str | None
    modalites_acces: list[str] = Field(description="libre, rdv (sur rendez-vous) ou prive (pas d'accueil du public)")
    itinerant: bool
    horaires: dict = Field(
        description="Par jour (lundi…dimanche) : matin et apres_midi, [ouverture, fermeture] ou null"
    )
    horaires_osm: str | None = Field(description="Les mêmes horaires au format OpenStreetMap opening_hours")
    conseillers: list[str] = Field(description="Conseillers en poste ayant accepté d'être nommés sur la carte")
    autres_conseillers: int = Field(description="Nombre des autres conseillers en poste (non nommés)")
    modifie_le: datetime


class PlacesPage(PageOut):
    items: list[PlaceOut]


def _place(place) -> dict:
    structure = place.structure
    named = [a.advisor.public_name for a in place.public_assignments if a.advisor.show_on_map]
    return {
        "id": place.pk,
        "nom": place.name,
        "adresse": place.address,
        "code_postal": place.postal_code or place.commune.main_postal_code,
        "commune": place.commune.name,
        "code_insee": place.commune_id,
        "departement": place.department_id,
        "latitude": place.lat,
        "longitude": place.lon,
        "precision_coordonnees": coordinates_precision(place) or None,
        "structure": (
            {"id": structure.pk, "nom": structure.name, "siret": structure.siret} if structure is not None else None
        ),
        "telephone": international_phone(place.phone, place.department_id) or None,
        "courriel": place.email or None,
        "site_web": place.website or None,
        "modalites_acces": list(place.access_types),
        "itinerant": place.itinerant,
        "horaires": place.opening_hours,
        "horaires_osm": osm_opening_hours(place.opening_hours) or None,
        "conseillers": named,
        "autres_conseillers": len(place.public_assignments) - len(named),
        "modifie_le": _changed_at(place),
    }


def _places(token):
    assignments = (
        directory_scopes.public_place_assignments()
        .select_related("advisor")
        .order_by("-is_principal", "advisor__last_name", "advisor__first_name")
    )
    return (
        directory_scopes.public_places()
        .filter(territory_filter(token, "department"))
        .annotate(
            lat=Coalesce(F("latitude"), F("commune__latitude")),
            lon=Coalesce(F("longitude"), F("commune__longitude")),
        )
        .select_related("commune", "structure")
        .prefetch_related(Prefetch("assignments", queryset=assignments, to_attr="public_assignments"))
    )


@router.get(
    "/lieux/",
    response=PlacesPage,
    summary="Lieux d'activité publics du territoire",
    description=(
        "Les lieux où les conseillers numériques en poste reçoivent le public, tels que la carte « Trouver un "
        "conseiller » les montre, avec leurs horaires, modalités d'accès et conseillers nommés. Droit requis : "
        "« lieux »." + AUTH_NOTE
    ),
)
def places(request, params: Query[ListParams]):
    token = require(request, Right.PLACES)
    return _page(request, "lieux", _places(token), params, _place)


@router.get(
    "/lieux/suppressions/",
    response=RemovalsPage,
    summary="Lieux sortis de la liste",
    description=REMOVALS_DESCRIPTION + " Droit requis : « lieux »." + AUTH_NOTE,
)
def places_removed(request, params: Query[ListParams]):
    require(request, Right.PLACES)
    return _removals(request, "lieux", params)


class StructureOut(Schema):
    id: int
    nom: str
    siret: str | None
    ridet: str | None
    type: str = Field(description="commune, departement, region, epci, collectivite, gip ou privee")
    type_libelle: str
    publique: bool
    adresse: str
    code_postal: str
    commune: str
    code_insee: str
    departement: str
    region: str
    latitude: float | None
    longitude: float | None
    grand_reseau: str | None
    france_services: bool
    aidants_connect: bool
    qpv: bool
    zrr: bool
    postes_attribues: int
    validee_le: date | None
    modifie_le: datetime


class StructuresPage(PageOut):
    items: list[StructureOut]


def _structure(structure) -> dict:
    return {
        "id": structure.pk,
        "nom": structure.name,
        "siret": structure.siret or None,
        "ridet": structure.ridet or None,
        "type": structure.type,
        "type_libelle": structure.get_type_display(),
        "publique": structure.is_public,
        "adresse": structure.address,
        "code_postal": structure.postal_code,
        "commune": structure.commune.name,
        "code_insee": structure.commune_id,
        "departement": structure.department_id,
        "region": structure.department.region_id,
        "latitude": structure.latitude,
        "longitude": structure.longitude,
        "grand_reseau": structure.get_network_display() or None,
        "france_services": structure.france_services_label,
        "aidants_connect": structure.aidants_connect_label,
        "qpv": structure.qpv,
        "zrr": structure.zrr,
        "postes_attribues": structure.posts_granted,
        "validee_le": timezone.localdate(structure.validated_at) if structure.validated_at else None,
        "modifie_le": _changed_at(structure),
    }


@router.get(
    "/structures/",
    response=StructuresPage,
    summary="Structures d'accueil validées du territoire",
    description=(
        "Les structures d'accueil validées (champs publics seulement : ni contact ni données de convention). Droit "
        "requis : « structures »." + AUTH_NOTE
    ),
)
def structures(request, params: Query[ListParams]):
    token = require(request, Right.STRUCTURES)
    queryset = (
        changefeed.FEEDS["structures"]
        .published()
        .filter(territory_filter(token, "department"))
        .select_related("commune", "department")
    )
    return _page(request, "structures", queryset, params, _structure)


@router.get(
    "/structures/suppressions/",
    response=RemovalsPage,
    summary="Structures sorties de la liste",
    description=REMOVALS_DESCRIPTION + " Droit requis : « structures »." + AUTH_NOTE,
)
def structures_removed(request, params: Query[ListParams]):
    require(request, Right.STRUCTURES)
    return _removals(request, "structures", params)


class AdvisorPlaceOut(Schema):
    id: int
    nom: str
    commune: str
    principal: bool


class AdvisorOut(Schema):
    id: int
    nom: str = Field(description="Prénom et nom, tels que la carte publique les affiche")
    structure: StructureRef | None
    lieux: list[AdvisorPlaceOut] = Field(description="Ses lieux d'activité publics, le principal d'abord")
    modifie_le: datetime


class AdvisorsPage(PageOut):
    items: list[AdvisorOut]


def _advisor(advisor) -> dict:
    structure = advisor.structure
    return {
        "id": advisor.pk,
        "nom": advisor.public_name,
        "structure": (
            {"id": structure.pk, "nom": structure.name, "siret": structure.siret} if structure is not None else None
        ),
        "lieux": [
            {
                "id": assignment.place_id,
                "nom": assignment.place.name,
                "commune": assignment.place.commune.name,
                "principal": assignment.is_principal,
            }
            for assignment in advisor.public_assignments
        ],
        "modifie_le": _changed_at(advisor),
    }


@router.get(
    "/conseillers/",
    response=AdvisorsPage,
    summary="Annuaire public des conseillers du territoire",
    description=(
        "Les conseillers en poste qui ont accepté d'être nommés sur la carte « Trouver un conseiller », avec leur "
        "structure et leurs lieux publics : rien d'autre (ni contact, ni contrat). Un conseiller qui retire son "
        "accord sort de la liste (voir `suppressions`). Droit requis : « annuaire des conseillers »." + AUTH_NOTE
    ),
)
def advisors(request, params: Query[ListParams]):
    token = require(request, Right.ADVISORS)
    public_places = (
        PlaceAssignment.objects.filter(place__in=directory_scopes.public_places())
        .select_related("place__commune")
        .order_by("-is_principal", "place__name")
    )
    queryset = (
        changefeed.FEEDS["conseillers"]
        .published()
        .filter(territory_filter(token, "structure__department"))
        .select_related("structure")
        .prefetch_related(Prefetch("place_assignments", queryset=public_places, to_attr="public_assignments"))
    )
    return _page(request, "conseillers", queryset, params, _advisor)


@router.get(
    "/conseillers/suppressions/",
    response=RemovalsPage,
    summary="Conseillers sortis de l'annuaire",
    description=REMOVALS_DESCRIPTION + " Droit requis : « annuaire des conseillers »." + AUTH_NOTE,
)
def advisors_removed(request, params: Query[ListParams]):
    require(request, Right.ADVISORS)
    return _removals(request, "conseillers", params)
