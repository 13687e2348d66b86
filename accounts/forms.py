"""DSFR forms for login, password management, invitations and role grants."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from dsfr.forms import DsfrBaseForm

from accounts.enums import INVITABLE_ROLES, Role
from accounts.models import Membership
from common.text import normalize_siret
from territories.models import Department, Region

# The scopes a membership points to in the apps above accounts (directory), read from its foreign keys so that
# accounts imports none of them.
Hub = Membership._meta.get_field("hub").related_model
Structure = Membership._meta.get_field("structure").related_model


class LoginForm(DsfrBaseForm, AuthenticationForm):
    """E-mail and password; errors stay generic so that they reveal nothing about accounts."""

    username = forms.EmailField(
        label="Adresse e-mail",
        help_text="Format attendu : nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


class ResetRequestForm(DsfrBaseForm, PasswordResetForm):
    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="Format attendu : nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        # Invited users who never set a password may use the reset link too.
        return get_user_model().objects.filter(email__iexact=email, is_active=True)


class NewPasswordForm(DsfrBaseForm, SetPasswordForm):
    """Choose a password (reset link or invitation)."""


class RoleScopeForm(DsfrBaseForm):
    """A role and the scope it needs: a department or region, a hub, or a structure."""

    role = forms.ChoiceField(label="Rôle", choices=[(role.value, role.label) for role in INVITABLE_ROLES])
    department = forms.ModelChoiceField(
        label="Département",
        queryset=Department.objects.all(),
        required=False,
        help_text="Pour un agent de préfecture départemental.",
    )
    region = forms.ModelChoiceField(
        label="Région",
        queryset=Region.objects.all(),
        required=False,
        help_text="Pour un agent de préfecture de région (à la place du département).",
    )
    hub = forms.ModelChoiceField(label="Hub", queryset=Hub.objects.all(), required=False)
    structure_siret = forms.CharField(
        label="SIRET de la structure",
        required=False,
        max_length=20,
        help_text="Pour un gestionnaire de structure. Format attendu : 14 chiffres.",
    )

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        department, region, hub = cleaned.get("department"), cleaned.get("region"), cleaned.get("hub")
        siret = normalize_siret(cleaned.get("structure_siret") or "")
        scope = {}
        if role == Role.PREFECTURE:
            if bool(department) == bool(region):
                self.add_error("department", "Choisissez un département ou une région (un seul des deux).")
            scope = {"department": department, "region": region}
        elif role == Role.HUB:
            if not hub:
                self.add_error("hub", "Choisissez le hub de cet agent.")
            scope = {"hub": hub}
        elif role == Role.STRUCTURE_MANAGER:
            structure = Structure.objects.filter(siret=siret).first() if siret else None
            if structure is None:
                self.add_error("structure_siret", "Aucune structure ne porte ce SIRET.")
            scope = {"structure": structure}
        cleaned["scope"] = {key: value for key, value in scope.items() if value is not None}
        return cleaned


class InviteForm(RoleScopeForm):
    """Invite a person by e-mail and give them a first role."""

    email = forms.EmailField(label="Adresse e-mail", help_text="Format attendu : nom@domaine.fr")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)

    field_order = ["email", "first_name", "last_name", "role", "department", "region", "hub", "structure_siret"]


class UserSearchForm(DsfrBaseForm):
    q = forms.CharField(label="Rechercher un utilisateur", required=False, max_length=100)
    role = forms.ChoiceField(label="Rôle", required=False, choices=[("", "Tous les rôles"), *Role.choices])
