"""The Espace Coop (/coop/): activity reports, statistics, places, tools, profile and the coordinator's team."""

from django.urls import path, re_path

from reporting.views import activities, home, places, profile, statistics, tags, team

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
    # Issue 15 part 2 — coordinators' activities (/coop/activites/coordination/…)
    # Issue 15 part 3 — tags (/coop/etiquettes/…)
    path("etiquettes/", tags.coop_tag_list, name="tag_list"),
    path("etiquettes/nouvelle/", tags.coop_tag_create, name="tag_create"),
    path("etiquettes/<int:pk>/modifier/", tags.coop_tag_edit, name="tag_edit"),
    path("etiquettes/<int:pk>/archiver/", tags.coop_tag_archive, name="tag_archive"),
    path("etiquettes/<int:pk>/fusionner/", tags.coop_tag_merge, name="tag_merge"),
    # Issue 15 part 4 — print, PDF, share links and the monthly summary setting (/coop/statistiques/…)
]
