"""The national team's pages for partner tokens (mounted at /gestion/partenaires/)."""

from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("", views.token_list, name="token_list"),
    path("nouveau/", views.token_create, name="token_create"),
    path("<int:pk>/", views.token_detail, name="token_detail"),
    path("<int:pk>/jeton/", views.token_secret, name="token_secret"),
    path("<int:pk>/revoquer/", views.token_revoke, name="token_revoke"),
]
