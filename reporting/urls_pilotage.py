"""Tableau de pilotage (ARCHITECTURE §8: /pilotage/)."""

from django.urls import path

from reporting.views import capacity, coordination, monthly_summary, pilotage, pilotage_exports, tags

app_name = "pilotage"

urlpatterns = [
    path("", pilotage.dashboard, name="dashboard"),
    path("export.<str:fmt>", pilotage.dashboard_export, name="dashboard_export"),
    path("territoires/", pilotage.territorial_table, name="territorial"),
    path("territoires/export.csv", pilotage.territorial_export, name="territorial_export"),
    path("coordination/export.<str:fmt>", coordination.pilotage_coordination_export, name="coordination_export"),
    path("capacite/", capacity.capacity_view, name="capacity"),
    path("capacite/export.<str:fmt>", capacity.capacity_export, name="capacity_export"),
    path("etiquettes/", tags.pilotage_tag_list, name="tag_list"),
    path("etiquettes/nouvelle/", tags.pilotage_tag_create, name="tag_create"),
    path("etiquettes/<int:pk>/modifier/", tags.pilotage_tag_edit, name="tag_edit"),
    path("etiquettes/<int:pk>/archiver/", tags.pilotage_tag_archive, name="tag_archive"),
    path("etiquettes/<int:pk>/fusionner/", tags.pilotage_tag_merge, name="tag_merge"),
    path("exports/", pilotage_exports.export_page, name="exports"),
    path("exports/<str:kind>.csv", pilotage_exports.export_list, name="export_list"),
    path("exports/suivi/<uuid:pk>/", pilotage_exports.export_job, name="export_job"),
    path("exports/suivi/<uuid:pk>/telecharger/", pilotage_exports.export_download, name="export_download"),
    # Issue 15 part 4 — the structures' monthly summary: its setting, and the e-mail's unsubscribe link (no login)
    path("bilan-mensuel/", monthly_summary.monthly_summary, name="monthly_summary"),
    path(
        "bilan-mensuel/desabonnement/<str:token>/",
        monthly_summary.monthly_summary_unsubscribe,
        name="monthly_summary_unsubscribe",
    ),
]
