"""URL map (ARCHITECTURE §8). Wagtail's catch-all comes last.

An app with one mount declares it in `<app>/urls.py`; an app with several, one `<app>/urls_<mount>.py` per mount."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from config.api import api as ninja_api
from content import views as content_views
from content.wagtail_api import api_router as wagtail_api_router
from reporting.views import public as public_statistics
from reporting.views import shared as shared_statistics

urlpatterns = [
    path("", include("config.favicons")),
    path("", include("accounts.urls")),
    path("territoires/", include("territories.urls")),
    path("annuaire/", include("directory.urls")),
    path("coop/", include("reporting.urls_coop")),
    path("pilotage/", include("reporting.urls_pilotage")),
    path("django-admin/", admin.site.urls),
    re_path(r"^cms/(?P<chooser>.+)/chosen/(?P<pk>[^/]*[^\d/][^/]*)/$", content_views.chooser_item_not_found),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("candidature/", include("workflows.urls_candidature")),
    path("espace/", include("workflows.urls_espace")),
    # The switch-over's pages (national team): inviting the advisors imported from the existing system.
    path("gestion/reprise/", include("switchover.urls")),
    # Partner API tokens (national team): creation, once-only display, calls log, revocation.
    path("gestion/partenaires/", include("partners.urls")),
]

urlpatterns += [
    path("trouver-un-conseiller/", content_views.find_advisor, name="find_advisor"),
    path("statistiques/", public_statistics.public_statistics, name="public_statistics"),
    path("statistiques/partage/<str:token>/", shared_statistics.shared_statistics, name="shared_statistics"),
    path("open-data/", public_statistics.open_data, name="open_data"),
    path("open-data/structures.csv", public_statistics.open_data_structures, name="open_data_structures"),
    path("open-data/structures.xlsx", public_statistics.open_data_structures_xlsx, name="open_data_structures_xlsx"),
    path(
        "open-data/structures.schema.json",
        public_statistics.open_data_structures_schema,
        name="open_data_structures_schema",
    ),
    path("api/v2/", wagtail_api_router.urls),
    path("api/", ninja_api.urls),
    path("sitemap.xml", sitemap, name="sitemap"),
]

if settings.PROCONNECT_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

urlpatterns.append(path("", include(wagtail_urls)))

# Error pages that offer the switch to another of the user's roles when that role opens the page.
handler403 = "accounts.errors.permission_denied"
handler404 = "accounts.errors.page_not_found"
