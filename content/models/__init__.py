"""Wagtail models of the public site: pages, taxonomies (snippets) and site settings."""

from content.models.listings import HomeFeaturedResource, HomePage, NewsIndexPage, ResourceIndexPage
from content.models.pages import BasePage, NewsPage, StandardPage
from content.models.resources import ResourcePage, ResourceTag
from content.models.site_settings import SiteIdentity
from content.models.taxonomies import Public, Thematique

__all__ = [
    "BasePage",
    "HomeFeaturedResource",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "Public",
    "ResourceIndexPage",
    "ResourcePage",
    "ResourceTag",
    "SiteIdentity",
    "StandardPage",
    "Thematique",
]
