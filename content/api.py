"""Project API (django-ninja): the resource library (filters, search, facets) and its taxonomies. Read-only.

Only live resources outside private sections; documents of restricted collections never appear.
"""

from datetime import date, datetime
from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from content import selectors
from content.documents import document_api_representation
from content.enums import ResourceType
from content.models import Public, Thematique
from content.selectors import ResourceFilters

router = Router(tags=["Ressources"])

ResourceTypeValue = Literal["guide", "fiche", "outil", "video", "formation"]
MAX_LIMIT = 50
MAX_ID = 2**63 - 1


class UnknownFilterValue(Exception):
    """A filter names a thématique, public or tag that does not exist: the API answers 422."""

    def __init__(self, param: str, value: str, allowed: list[str]):
        self.param, self.value, self.allowed = param, value, allowed
        labels = {"thematique": "Thématique", "public": "Public", "tag": "Mot-clé"}
        super().__init__(
            f"{labels[param]} inconnu(e) : « {value} ». Valeurs possibles : {', '.join(allowed) or 'aucune'}."
        )


class TaxonomyOut(Schema):
    slug: str
    name: str


class TaxonomyDetailOut(TaxonomyOut):
    description: str


class DocumentOut(Schema):
    id: int
    title: str
    url: str = Field(description="Adresse de téléchargement")
    file_extension: str
    file_size: int | None = Field(None, description="Taille en octets")


class ResourceOut(Schema):
    id: int
    title: str
    slug: str
    url: str = Field(description="Adresse de la page de la ressource")
    resource_type: ResourceTypeValue
    resource_type_label: str
    summary: str
    thematiques: list[TaxonomyOut]
    publics: list[TaxonomyOut]
    tags: list[str]
    document: DocumentOut | None = Field(None, description="Le document à télécharger, s'il y en a un")
    external_url: str = Field(description="Le lien externe, s'il n'y a pas de document")
    duration: str
    last_updated: date | None
    first_published_at: datetime | None
    last_published_at: datetime | None


class ResourceDetailOut(ResourceOut):
    body: list[dict] = Field(description="Contenu (StreamField) : liste de blocs {type, value, id}")


class ResourceListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ResourceOut]


class FacetValueOut(Schema):
    slug: str
    name: str
    count: int
    selected: bool


class FacetsOut(Schema):
    count: int = Field(description="Nombre de ressources correspondant à tous les filtres")
    types: list[FacetValueOut]
    thematiques: list[FacetValueOut]
    publics: list[FacetValueOut]
    tags: list[FacetValueOut]


class ResourceQuery(Schema):
    q: str = Field("", max_length=200, description="Recherche plein texte (tous les mots)")
    type: ResourceTypeValue | None = Field(None, description="Type de ressource")
    thematique: list[str] = Field(
        default_factory=list,
        description="Thématique(s) : paramètre répétable ou valeurs séparées par des virgules (OU)",
    )
    public: str = Field("", max_length=100, description="Public cible")
    tag: str = Field("", max_length=100, description="Mot-clé")


class Pagination(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"Nombre de résultats (au plus {MAX_LIMIT})")
    offset: int = Field(0, ge=0, description="Rang du premier résultat")


def _filters(query: ResourceQuery) -> ResourceFilters:
    """Validated filters; an unknown thématique, public or tag raises UnknownFilterValue."""
    choices = selectors.resource_filter_choices()
    thematiques = tuple(value for raw in query.thematique for value in raw.split(",") if value)
    checks = [("thematique", value, choices.thematiques) for value in thematiques]
    checks += [("public", query.public, choices.publics), ("tag", query.tag, choices.tags)]
    for param, value, known in checks:
        if value and value not in dict(known):
            raise UnknownFilterValue(param, value, [slug for slug, _ in known])
    return ResourceFilters(
        q=" ".join(query.q.replace("\x00", " ").split()),
        type=query.type or "",
        thematiques=thematiques,
        public=query.public,
        tag=query.tag,
    )


def _resource(request, resource) -> dict:
    return {
        "id": resource.pk,
        "title": resource.title,
        "slug": resource.slug,
        "url": resource.get_full_url(request),
        "resource_type": resource.resource_type,
        "resource_type_label": ResourceType(resource.resource_type).label,
        "summary": resource.summary,
        "thematiques": list(resource.thematiques.all()),
        "publics": list(resource.publics.all()),
        "tags": sorted(tag.name for tag in resource.tags.all()),
        "document": document_api_representation(resource.document) if resource.document_id else None,
        "external_url": resource.external_url,
        "duration": resource.duration,
        "last_updated": resource.last_updated,
        "first_published_at": resource.first_published_at,
        "last_published_at": resource.last_published_at,
    }


@router.get("/ressources/", response=ResourceListOut, summary="Rechercher des ressources")
def resource_list(request, query: Query[ResourceQuery], pagination: Query[Pagination]):
    """Ressources publiées, filtrées, paginées : par pertinence avec `q`, sinon "
    "des plus récentes aux plus anciennes."""
    ids = selectors.ResourceSearch(_filters(query)).ids
    window = ids[pagination.offset : pagination.offset + pagination.limit]
    return {
        "count": len(ids),
        "limit": pagination.limit,
        "offset": pagination.offset,
        "items": [_resource(request, resource) for resource in selectors.resources_in_order(window)],
    }


@router.get("/ressources/facettes/", response=FacetsOut, summary="Compter les ressources par filtre")
def resource_facets(request, query: Query[ResourceQuery]):
    """Pour chaque valeur de filtre, le nombre de ressources obtenues en la choisissant (autres filtres appliqués)."""
    search = selectors.ResourceSearch(_filters(query))
    return {"count": len(search.ids), **search.facets()}


@router.get("/ressources/{resource_id}/", response=ResourceDetailOut, summary="Lire une ressource")
def resource_detail(request, resource_id: int):
    """Une ressource publiée, avec son contenu détaillé."""
    if not 0 < resource_id <= MAX_ID:
        raise Http404  # SQLite cannot even compare an id beyond 64 bits (OverflowError)
    resource = get_object_or_404(
        selectors.public_resources().select_related("document").prefetch_related("thematiques", "publics", "tags"),
        pk=resource_id,
    )
    return {**_resource(request, resource), "body": resource.body.stream_block.get_api_representation(resource.body)}


@router.get("/thematiques/", response=list[TaxonomyDetailOut], summary="Lister les thématiques")
def thematique_list(request):
    return Thematique.objects.all()


@router.get("/publics/", response=list[TaxonomyDetailOut], summary="Lister les publics cibles")
def public_list(request):
    return Public.objects.all()
