"""The Espace Coop (/coop/): activity reports, statistics, places, tools, profile and the coordinator's team."""

from django.urls import path, re_path

from reporting.views import (
    activities,
    beneficiaries,
    beneficiary_import,
    coordination,
    home,
    people,
    places,
    profile,
    shares,
    statistics,
    statistics_print,
    tags,
    team,
)

app_name = "coop"
EXPORT = r"export\.(?P<fmt>csv|xlsx)$"

urlpatterns = [
    path("", home.home, name="home"),
    path("activites/", activities.activity_list, name="activity_list"),
    path("activites/nouvelle/", activities.activity_create, name="activity_create"),
    re_path(rf"^activites/{EXPORT}", activities.activity_export, name="activity_export"),
    path("activites/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("activites/<int:pk>/modifier/", activities.activity_edit, name="activity_edit"),
    path("activites/<int:pk>/dupliquer/", activities.activity_duplicate, name="activity_duplicate"),
    path("activites/<int:pk>/supprimer/", activities.activity_delete, name="activity_delete"),
    path("statistiques/", statistics.my_statistics, name="statistics"),
    re_path(rf"^statistiques/{EXPORT}", statistics.my_statistics_export, name="statistics_export"),
    path("lieux/", places.place_list, name="place_list"),
    path("lieux/nouveau/", places.place_create, name="place_create"),
    path("lieux/rejoindre/", places.place_join, name="place_join"),
    path("lieux/<int:pk>/modifier/", places.place_edit, name="place_edit"),
    path("lieux/<int:pk>/retirer/", places.place_remove, name="place_remove"),
    path("lieux/<int:pk>/principal/", places.place_principal, name="place_principal"),
    path("outils/", home.tools, name="tools"),
    path("profil/", profile.profile, name="profile"),
    path("equipe/", team.team, name="team"),
    path("equipe/statistiques/", team.team_statistics, name="team_statistics"),
    re_path(rf"^equipe/statistiques/{EXPORT}", team.team_statistics_export, name="team_statistics_export"),
    re_path(rf"^equipe/{EXPORT}", team.team_export, name="team_export"),
    # Issue 15 part 1 — followed beneficiaries (/coop/beneficiaires/…)
    path("beneficiaires/recherche.json", people.beneficiary_search, name="beneficiary_search"),
    path("beneficiaires/", beneficiaries.beneficiary_list, name="beneficiary_list"),
    path("beneficiaires/nouveau/", beneficiaries.beneficiary_create, name="beneficiary_create"),
    path("beneficiaires/doublons/", beneficiaries.beneficiary_duplicates, name="beneficiary_duplicates"),
    path("beneficiaires/fusionner/<int:pk>/<int:other>/", beneficiaries.beneficiary_merge, name="beneficiary_merge"),
    path("beneficiaires/importer/", beneficiary_import.beneficiary_import, name="beneficiary_import"),
    path(
        "beneficiaires/importer/modele.csv",
        beneficiary_import.beneficiary_import_template,
        name="beneficiary_import_template",
    ),
    path(
        "beneficiaires/importer/analyse/",
        beneficiary_import.beneficiary_import_analysis,
        name="beneficiary_import_analysis",
    ),
    path(
        "beneficiaires/importer/confirmer/",
        beneficiary_import.beneficiary_import_confirm,
        name="beneficiary_import_confirm",
    ),
    path("beneficiaires/<int:pk>/", beneficiaries.beneficiary_detail, name="beneficiary_detail"),
    path("beneficiaires/<int:pk>/modifier/", beneficiaries.beneficiary_edit, name="beneficiary_edit"),
    path("beneficiaires/<int:pk>/effacer/", beneficiaries.beneficiary_erase, name="beneficiary_erase"),
    re_path(rf"^beneficiaires/(?P<pk>[0-9]+)/{EXPORT}", beneficiaries.beneficiary_export, name="beneficiary_export"),
    # Issue 15 part 2 — coordinators' activities (/coop/activites/coordination/…)
    path("activites/coordination/", coordination.coordination_list, name="coordination_list"),
    path("activites/coordination/nouvelle/", coordination.coordination_create, name="coordination_create"),
    path(
        "activites/coordination/statistiques/",
        coordination.coordination_statistics,
        name="coordination_statistics",
    ),
    re_path(rf"^activites/coordination/{EXPORT}", coordination.coordination_export, name="coordination_export"),
    path("activites/coordination/<int:pk>/", coordination.coordination_detail, name="coordination_detail"),
    path("activites/coordination/<int:pk>/modifier/", coordination.coordination_edit, name="coordination_edit"),
    path(
        "activites/coordination/<int:pk>/dupliquer/",
        coordination.coordination_duplicate,
        name="coordination_duplicate",
    ),
    path(
        "activites/coordination/<int:pk>/supprimer/",
        coordination.coordination_delete,
        name="coordination_delete",
    ),
    # Issue 15 part 3 — tags (/coop/etiquettes/…)
    path("etiquettes/", tags.coop_tag_list, name="tag_list"),
    path("etiquettes/nouvelle/", tags.coop_tag_create, name="tag_create"),
    path("etiquettes/<int:pk>/modifier/", tags.coop_tag_edit, name="tag_edit"),
    path("etiquettes/<int:pk>/archiver/", tags.coop_tag_archive, name="tag_archive"),
    path("etiquettes/<int:pk>/fusionner/", tags.coop_tag_merge, name="tag_merge"),
    # Issue 15 part 4 — print, PDF, share links and the monthly summary setting (/coop/statistiques/…)
    path("statistiques/imprimer/", statistics_print.my_statistics_print, name="statistics_print"),
    path("statistiques/export.pdf", statistics_print.my_statistics_pdf, name="statistics_pdf"),
    path("statistiques/partages/", shares.share_list, name="statistics_shares"),
    path("statistiques/partages/<uuid:pk>/revoquer/", shares.share_revoke, name="statistics_share_revoke"),
]
