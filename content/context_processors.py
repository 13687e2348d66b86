"""The site identity (header, footer) for every template, read from the cache rather than the database."""

from django.utils.functional import SimpleLazyObject

from content.models import SiteIdentity


def site_identity(request):
    return {"site_identity": SimpleLazyObject(SiteIdentity.current)}
