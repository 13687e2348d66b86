"""The design system's icons at the addresses browsers and phones ask for without reading the page's <head>."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON_DIR = "dsfr/dist/favicon/"
# Root address → file of the DSFR favicon set (the same files the base template links through {% dsfr_favicon %}).
ROOT_ICONS = {
    "favicon.ico": "favicon.ico",
    "favicon.svg": "favicon.svg",
    "apple-touch-icon.png": "apple-touch-icon.png",
    "apple-touch-icon-precomposed.png": "apple-touch-icon.png",
    "manifest.webmanifest": "manifest.webmanifest",
}


def icon_redirect(filename: str):
    """A view sending the root address to the versioned static file (resolved per request: the manifest may change)."""

    @require_safe
    @cache_control(max_age=86400, public=True)
    def view(request):
        return HttpResponsePermanentRedirect(static(FAVICON_DIR + filename))

    return view


urlpatterns = [path(address, icon_redirect(filename)) for address, filename in ROOT_ICONS.items()]
