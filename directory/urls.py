"""The public directory of structures and advisors (/annuaire/)."""

from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("structures/", views.structure_list, name="structure_list"),
    path("structures.json", views.structure_list_json, name="structure_list_json"),
    path("structures/<int:pk>/", views.structure_detail, name="structure_detail"),
    path("structures/<int:pk>.json", views.structure_json, name="structure_json"),
    path("conseillers/", views.advisor_list, name="advisor_list"),
    path("conseillers/<int:pk>/", views.advisor_detail, name="advisor_detail"),
]
