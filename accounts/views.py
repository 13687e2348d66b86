"""Login, password reset, invitations, role switch, and the national admins' user management."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode

from accounts import audit, roles, services
from accounts.audit import AuditFilterForm
from accounts.decorators import national_required
from accounts.enums import AuditAction, Role
from accounts.forms import InviteForm, LoginForm, NewPasswordForm, ResetRequestForm, RoleScopeForm, UserSearchForm
from accounts.identity import normalize_login
from accounts.models import AuditEvent, Membership
from accounts.services import audit_record
from accounts.tokens import invitation_token_generator
from common import throttle
from common.client_address import client_ip
from common.forms import apply_errors
from common.http import post_only

User = get_user_model()

# Where each role lands after login; spaces that do not exist yet fall back to the account page.
ROLE_HOMES = {
    Role.ADVISOR: "coop:home",
    Role.COORDINATOR: "coop:home",
    Role.STRUCTURE_MANAGER: "workflows:home",
    Role.PREFECTURE: "workflows:home",
    Role.HUB: "workflows:home",
    Role.NATIONAL: "reporting:dashboard",
    Role.EDITOR: "wagtailadmin_home",
    Role.MODERATOR: "wagtailadmin_home",
}


def role_home_url(role: str | None) -> str:
    """The landing page of a role, or the account page when that space is not installed."""
    try:
        return reverse(ROLE_HOMES[role])
    except (KeyError, NoReverseMatch):
        return reverse("accounts:account")


class LogoutView(auth_views.LogoutView):
    """Logging out is a POST (the header's button); a GET (a reloaded or typed address) goes to the home page,
    whose header holds that button, instead of a blank 405."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return redirect("/")


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"
    subject_template_name = "emails/accounts/password_reset_subject.txt"
    email_template_name = "emails/accounts/password_reset.txt"
    html_email_template_name = "emails/accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Counted whether or not the account exists, so the answer reveals nothing about accounts.
        limits = [
            throttle.Limit(
                "reset-account", normalize_login(form.cleaned_data["email"]), settings.PASSWORD_RESET_LIMIT_PER_HOUR
            ),
            throttle.Limit(
                "reset-ip", client_ip(self.request) or "unknown", settings.PASSWORD_RESET_IP_LIMIT_PER_HOUR
            ),
        ]
        wait = throttle.retry_after(*limits)
        if wait:
            form.add_error(None, f"Trop de demandes de réinitialisation. {throttle.wait_message(wait)}")
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(wait)
            return response
        throttle.consume(*limits)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@login_required
def home(request):
    """After login: go to the space of the active role."""
    return redirect(role_home_url(roles.active_role(request.user)))


@login_required
def account(request):
    """My account: identity, roles held (active one marked) and links to each space."""
    memberships = (
        request.user.memberships.with_scope().select_related("granted_by").order_by("revoked_at", "granted_at")
    )
    return render(
        request,
        "accounts/account.html",
        {"memberships": memberships, "role_home_url": role_home_url(roles.active_role(request.user))},
    )


def _to_account(request):
    return redirect("accounts:account")


@login_required
@post_only(on_get=_to_account)
def switch_role(request):
    """Switch the active role from the header, then go to that role's space (or back where the user was)."""
    try:
        membership = services.role_switch(
            user=request.user, membership_id=int(request.POST.get("membership", 0)), request=request
        )
    except (ValueError, ValidationError):
        messages.error(request, "Ce rôle n'est pas disponible.")
        return redirect("accounts:account")
    messages.success(request, f"Vous travaillez maintenant en tant que : {membership}.")
    # From a 403/404 page that found this role opens the page: go back to it.
    back = request.POST.get("retour", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(back)
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        # Staying on a page of the previous scope could show a 404: only a role's landing page is safe.
        if next_url == reverse("accounts:account"):
            return HttpResponseRedirect(next_url)
    return redirect(role_home_url(membership.role))


def invitation_accept(request, uidb64, token):
    """Choose a password from the invitation link (one-time, expiring)."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not invitation_token_generator.check_token(user, token):
        return render(request, "accounts/invitation_invalid.html", status=400)
    if not user.is_active:
        return render(request, "accounts/invitation_invalid.html", {"disabled": True}, status=400)
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_accept(user=user, password=form.cleaned_data["new_password1"], request=request)
        login(request, user, backend="accounts.backends.EmailBackend")
        messages.success(request, "Votre mot de passe est enregistré. Bienvenue !")
        return redirect("accounts:home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invited_user": user})


@national_required
def user_list(request):
    """Every account, searchable by name or e-mail and filterable by role."""
    form = UserSearchForm(request.GET or None)
    users = User.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.active().with_scope(), to_attr="active_memberships")
    ).order_by("last_name", "first_name", "email")
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            users = users.filter(
                Q(email__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
            )
        if form.cleaned_data["role"]:
            users = users.filter(
                memberships__role=form.cleaned_data["role"], memberships__revoked_at__isnull=True
            ).distinct()
    page = Paginator(users, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"form": form, "page": page})


@national_required
def user_invite(request):
    """Invite a prefecture or hub agent, a structure manager, an editor or another national admin."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, _ = services.user_invite(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                invited_by=request.user,
                request=request,
                **data["scope"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if user.is_active:
                messages.success(request, f"Invitation envoyée à {user.email}.")
            else:
                messages.warning(
                    request,
                    f"Le compte {user.email} est désactivé : le rôle est attribué mais aucune invitation n'a été "
                    "envoyée. Réactivez le compte pour qu'il puisse s'en servir.",
                )
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_invite.html", {"form": form})


@national_required
def user_detail(request, pk):
    """One account: its roles (active and withdrawn, with who and when) and a form to grant another."""
    managed_user = get_object_or_404(User, pk=pk)
    form = RoleScopeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_grant(
                user=managed_user,
                role=form.cleaned_data["role"],
                granted_by=request.user,
                request=request,
                **form.cleaned_data["scope"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Rôle attribué.")
            return redirect("accounts:user_detail", pk=managed_user.pk)
    memberships = managed_user.memberships.with_scope().select_related("granted_by", "revoked_by")
    return render(
        request,
        "accounts/user_detail.html",
        {"managed_user": managed_user, "memberships": memberships, "form": form},
    )


def _to_user_detail(request, pk, membership_pk):
    membership = get_object_or_404(Membership.objects.filter(user_id=pk), pk=membership_pk)
    return redirect("accounts:user_detail", pk=membership.user_id)


@national_required
@post_only(on_get=_to_user_detail)
def membership_revoke(request, pk, membership_pk):
    """Withdraw one role of a user."""
    membership = get_object_or_404(Membership.objects.filter(user_id=pk), pk=membership_pk)
    try:
        services.membership_revoke(membership=membership, revoked_by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Rôle retiré.")
    return redirect("accounts:user_detail", pk=pk)


@national_required
def audit_log(request):
    """The append-only journal of sensitive actions, newest first, filtered; `?format=csv` exports it (audited)."""
    filters = {key: value for key, value in request.GET.items() if key not in ("page", "format")}
    form = AuditFilterForm(filters or None)
    events = form.filter(AuditEvent.objects.select_related("actor").order_by("-created_at", "-pk"))
    status = 400 if form.errors else 200
    if request.GET.get("format") == "csv" and not form.errors:
        audit_record(
            actor=request.user, action=AuditAction.AUDIT_LOG_EXPORTED, details=form.as_details(), request=request
        )
        return audit.csv_response(events)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    export_query = request.GET.copy()
    export_query.pop("page", None)
    export_query["format"] = "csv"
    return render(
        request,
        "accounts/audit_log.html",
        {"page": page, "form": form, "export_query": export_query.urlencode()},
        status=status,
    )
