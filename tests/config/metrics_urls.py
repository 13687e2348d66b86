"""The project's URLs with /metriques/ mounted, as config.urls does when PROMETHEUS_METRICS is on."""

from django.urls import path

from config import urls as project_urls
from config.metrics import metrics_view

urlpatterns = [path("metriques/", metrics_view, name="metrics"), *project_urls.urlpatterns]
