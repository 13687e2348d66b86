"""Login, logout, password reset, invitations, role switch and user management (mounted at the root)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("connexion/mot-de-passe-oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "connexion/mot-de-passe-oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "connexion/mot-de-passe/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "connexion/mot-de-passe/modifie/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("invitation/<uidb64>/<token>/", views.invitation_accept, name="invitation_accept"),
    path("mon-espace/", views.home, name="home"),
    path("mon-compte/", views.account, name="account"),
    path("mon-compte/role/", views.switch_role, name="switch_role"),
    path("gestion/utilisateurs/", views.user_list, name="user_list"),
    path("gestion/utilisateurs/inviter/", views.user_invite, name="user_invite"),
    path("gestion/utilisateurs/<int:pk>/", views.user_detail, name="user_detail"),
    path(
        "gestion/utilisateurs/<int:pk>/roles/<int:membership_pk>/retirer/",
        views.membership_revoke,
        name="membership_revoke",
    ),
    path("gestion/journal/", views.audit_log, name="audit_log"),
]
