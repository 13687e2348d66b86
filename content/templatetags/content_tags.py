"""Template helpers of the public site."""

from django import template
from wagtail.models import Page, Site

from common.links import is_safe_link as _is_safe_link
from content.documents import is_public_document as _is_public_document
from content.models import NewsPage, ResourcePage
from content.selectors import public_resources
from content.selectors import related_resources as _related_resources

register = template.Library()

# The site's own applications, listed in the site map next to the Wagtail pages.
APPLICATION_LINKS = [
    ("Trouver un conseiller numérique", "/trouver-un-conseiller/"),
    ("Devenir conseiller numérique", "/candidature/conseiller/"),
    ("Accueillir un conseiller numérique", "/candidature/structure/"),
    ("Statistiques publiques", "/statistiques/"),
    ("Données ouvertes", "/open-data/"),
    ("Documentation de l'API", "/api/docs"),
    ("Se connecter", "/connexion/"),
]
SITE_TREE_DEPTH = 4


@register.filter
def is_public_document(document) -> bool:
    return _is_public_document(document)


@register.filter
def is_safe_link(url) -> bool:
    """Links saved before common/links.py existed are checked again when shown: an unsafe one is not a link."""
    return _is_safe_link(url)


@register.filter
def file_size(size) -> str:
    """A file size as the DSFR writes it next to a download link: « 61,9 ko », « 2,3 Mo »."""
    if not size:
        return ""
    for unit, factor in (("Go", 10**9), ("Mo", 10**6), ("ko", 10**3)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".", ",")
    return f"{size} octets"


@register.inclusion_tag("content/includes/site_tree.html", takes_context=True)
def site_tree(context):
    """The published, public pages under the home page (two levels), then the applications."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"tree": [], "applications": APPLICATION_LINKS}
    home = site.root_page
    pages = (
        Page.objects.live()
        .public()
        .descendant_of(home)
        .filter(depth__lte=home.depth + SITE_TREE_DEPTH - 2)
        # Resources and news are reached from their lists, which the tree shows.
        .not_type(ResourcePage, NewsPage)
        .specific()
        .order_by("path")
    )
    tree, children = [], {}
    for page in pages:
        if getattr(page, "exclude_from_sitemap", False):
            continue
        node = {"title": page.title, "url": page.get_url(request), "children": []}
        children[page.path] = node["children"]
        parent = children.get(page.path[: -Page.steplen])
        (parent if parent is not None and page.depth > home.depth + 1 else tree).append(node)
    return {"tree": tree, "applications": APPLICATION_LINKS}


@register.inclusion_tag("content/includes/latest_resources.html")
def latest_resources(limit: int = 4, heading: str = "h3"):
    """The newest public resources of the library as DSFR cards (used by the Espace Coop's « Mes outils »)."""
    resources = public_resources().prefetch_related("thematiques").order_by("-first_published_at", "-pk")[:limit]
    return {"resources": list(resources), "heading": heading}


@register.simple_tag
def related_resources(resource, limit=3):
    """Other public resources sharing a thématique with this one (for a resource page, preview included)."""
    return _related_resources(resource, limit=limit)
