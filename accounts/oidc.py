"""ProConnect login (OpenID Connect through mozilla-django-oidc): only invited accounts, matched by e-mail."""

from urllib.parse import urlencode

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.backends import EmailBackend


class ProConnectBackend(OIDCAuthenticationBackend):
    """Match the ProConnect identity to an existing, active account by e-mail; never create accounts."""

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def verify_claims(self, claims):
        return bool(claims.get("email")) and super().verify_claims(claims)

    def create_user(self, claims):
        # Accounts come from invitations and recruitment flows; an unknown agent gets the login page back.
        return None

    def update_user(self, user, claims):
        changed = []
        if not user.first_name and claims.get("given_name"):
            user.first_name = claims["given_name"][:150]
            changed.append("first_name")
        if not user.last_name and claims.get("usual_name"):
            user.last_name = claims["usual_name"][:150]
            changed.append("last_name")
        if changed:
            user.save(update_fields=changed)
        return user

    def get_user(self, user_id):
        return EmailBackend().get_user(user_id)


def provider_logout_url(request) -> str:
    """ProConnect's end-session URL, so that logging out here also ends the ProConnect session."""
    params = {"post_logout_redirect_uri": f"{settings.SITE_URL}/", "state": request.session.get("oidc_state", "")}
    id_token = request.session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(params)}"
