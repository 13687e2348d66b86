"""Project API (django-ninja): the resource library (filters, search, facets) and its taxonomies. Read-only.

Only live resources outside private sections; documents of restricted collections never appear.

Change feed: `updated_since` on the resources reads their last publication, or the later move or lifted restriction
of a section above them that may have brought them back (content.selectors.resources_with_change_date); those that
left (unpublished, deleted, made private, moved under a private section) are listed by /ressources/suppressions/,
read from Wagtail's page log. The thématiques and publics have no dates: they are ~10 items each, read whole (their
ETag says whether they changed), and `updated_since` there answers a 422 that says so rather than being ignored.
"""

from datetime import date, datetime
from functools import partial
from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from common.api_errors import InvalidParameter
from common.api_lists import ListParams, PageOut, aware, page_of
from content import selectors
from content.documents import document_api_representation
from content.enums import ResourceType
from content.models import Public, Thematique
from content.selectors import ResourceFilters

router = Router(tags=["Ressources"])

ResourceTypeValue = Literal["guide", "fiche", "outil", "video", "formation"]
MAX_LIMIT = 50
MAX_ID = 2**63 - 1


class UnknownFilterValue(InvalidParameter):
    """A filter names a thématique, public or tag that does not exist: the API answers 422."""

    def __init__(self, param: str, value: str, allowed: list[str]):
        self.value, self.allowed = value, allowed
        labels = {"thematique": "Thématique", "public": "Public", "tag": "Mot-clé"}
        super().__init__(
            param,
            f"{labels[param]} inconnu(e) : « {value} ». Valeurs possibles : {', '.join(allowed) or 'aucune'}.",
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


class ResourceListOut(PageOut):
    items: list[ResourceOut]


class TaxonomyListOut(PageOut):
    items: list[TaxonomyDetailOut]


class ResourceRemovalOut(Schema):
    id: int = Field(description="Identifiant de la ressource (celui de /api/ressources/)")
    supprime_le: datetime = Field(description="Date de sortie de la publication")


class ResourceRemovalListOut(PageOut):
    items: list[ResourceRemovalOut]


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


class Pagination(ListParams):
    """The shared list parameters; a resource card is heavy, so a page holds at most 50 of them."""

    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"Nombre de résultats par page (au plus {MAX_LIMIT})")


class TaxonomyPagination(Schema):
    limit: int = ListParams.model_fields["limit"]
    offset: int = ListParams.model_fields["offset"]


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
    """Ressources publiées, filtrées, paginées : par pertinence avec `q`, sinon des plus récentes aux plus anciennes ;
    avec `updated_since`, celles modifiées depuis, de la plus ancienne modification à la plus récente."""
    ids = selectors.ResourceSearch(_filters(query)).ids
    if pagination.updated_since is not None:
        changed = selectors.resources_with_change_date(selectors.public_resources().filter(pk__in=ids))
        changed = changed.select_related("document").prefetch_related("thematiques", "publics", "tags")
        return page_of(request, changed, pagination, partial(_resource, request), changed_field="changed_at")
    envelope = page_of(request, ids, pagination)
    envelope["items"] = [_resource(request, resource) for resource in selectors.resources_in_order(envelope["items"])]
    return envelope


@router.get("/ressources/facettes/", response=FacetsOut, summary="Compter les ressources par filtre")
def resource_facets(request, query: Query[ResourceQuery]):
    """Pour chaque valeur de filtre, le nombre de ressources obtenues en la choisissant (autres filtres appliqués)."""
    search = selectors.ResourceSearch(_filters(query))
    return {"count": len(search.ids), **search.facets()}


@router.get(
    "/ressources/suppressions/",
    response=ResourceRemovalListOut,
    summary="Ressources sorties de la publication",
)
def resource_removals(request, pagination: Query[ListParams]):
    """Les ressources qui ne sont plus publiques (dépubliées, supprimées, rendues privées, déplacées dans une rubrique
    privée) et la date de leur sortie ; avec `updated_since`, celles sorties depuis. Une ressource republiée depuis
    n'y figure plus : elle revient dans /api/ressources/?updated_since=…"""
    removals = selectors.resource_removals(aware(pagination.updated_since))
    # The dates are filtered above; the pages are offsets into that list (new removals only ever come last).
    envelope = page_of(request, removals, pagination.model_copy(update={"updated_since": None, "apres_id": None}))
    envelope["items"] = [{"id": item["id"], "supprime_le": item["removed_at"]} for item in envelope["items"]]
    return envelope


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


def _whole_list(request) -> None:
    if "updated_since" in request.GET:
        raise InvalidParameter(
            "updated_since",
            "« updated_since » n'est pas proposé sur cette liste courte : relisez-la en entier "
            "(son en-tête ETag, renvoyé dans If-None-Match, dit si elle a changé).",
        )


@router.get("/thematiques/", response=TaxonomyListOut, summary="Lister les thématiques")
def thematique_list(request, pagination: Query[TaxonomyPagination]):
    """Toutes les thématiques, par ordre alphabétique (liste courte : pas de `updated_since`)."""
    _whole_list(request)
    return page_of(request, Thematique.objects.all(), ListParams(limit=pagination.limit, offset=pagination.offset))


@router.get("/publics/", response=TaxonomyListOut, summary="Lister les publics cibles")
def public_list(request, pagination: Query[TaxonomyPagination]):
    """Tous les publics cibles, par ordre alphabétique (liste courte : pas de `updated_since`)."""
    _whole_list(request)
    return page_of(request, Public.objects.all(), ListParams(limit=pagination.limit, offset=pagination.offset))
