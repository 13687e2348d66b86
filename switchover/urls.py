"""The switch-over's pages for the national team (mounted at /gestion/reprise/)."""

from django.urls import path

from switchover import views

app_name = "switchover"

urlpatterns = [
    path("conseillers/", views.advisors_to_invite, name="advisors_to_invite"),
    path("conseillers/inviter/", views.advisors_invite_all, name="advisors_invite_all"),
    path("conseillers/<int:pk>/inviter/", views.advisor_invite, name="advisor_invite"),
]
