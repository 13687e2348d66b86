"""The national team's pages for partner tokens (/gestion/partenaires/): list, create, show once, detail, revoke.

The secret of a new token crosses the session once: the creation POST stores it and redirects (a reload never creates
a second token); the next page shows it, removes it from the session and is sent with `Cache-Control: no-store`
(never kept by the browser or a proxy on a shared computer); it never appears in a URL or a log. Past
SECRET_DISPLAY_SECONDS, or on a second visit, the page says the secret can no longer be shown.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

from accounts.decorators import national_required
from common.forms import apply_errors
from common.http import post_only
from partners import services
from partners.forms import ApiTokenForm, CallFilterForm, RevokeForm
from partners.models import ApiToken

SECRET_SESSION_KEY = "partners:new-token"
SECRET_DISPLAY_SECONDS = 15 * 60
TOKENS_PER_PAGE = 50
CALLS_PER_PAGE = 50


def _tokens():
    return ApiToken.objects.select_related("region", "department")


@national_required
def token_list(request):
    """Every partner token, newest first, with its territory, rights, prefix, last use and status."""
    page = Paginator(_tokens().order_by("-created_at", "-pk"), TOKENS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "partners/token_list.html", {"page": page, "now": timezone.now()})


@national_required
def token_create(request):
    """Create a token; on success its secret is shown once, on the next page."""
    form = ApiTokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.api_token_create(user=request.user, request=request, **form.token_fields())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                request.session[SECRET_SESSION_KEY] = {
                    "token": created.token.pk,
                    "secret": created.secret,
                    "at": timezone.now().timestamp(),
                }
                return redirect("partners:token_secret", pk=created.token.pk)
        status = 400
    return render(request, "partners/token_create.html", {"form": form}, status=status)


@national_required
def token_secret(request, pk):
    """The secret of the token just created, once; never cached."""
    token = get_object_or_404(_tokens(), pk=pk)
    pending = request.session.get(SECRET_SESSION_KEY)
    secret = None
    if pending and pending.get("token") == token.pk:
        del request.session[SECRET_SESSION_KEY]
        if timezone.now().timestamp() - pending.get("at", 0) <= SECRET_DISPLAY_SECONDS:
            secret = pending["secret"]
    response = render(
        request,
        "partners/token_secret.html",
        {"token": token, "secret": secret, "api_url": f"{settings.SITE_URL}/api/partenaires/"},
    )
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    response["Referrer-Policy"] = "no-referrer"
    return response


@national_required
def token_detail(request, pk):
    """A token: who, what, until when, and its calls log (newest first, filtered by status)."""
    token = get_object_or_404(_tokens().select_related("created_by", "revoked_by"), pk=pk)
    form = CallFilterForm(request.GET or None)
    calls = form.filter(token.calls.order_by("-at", "-pk"))
    page = Paginator(calls, CALLS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "token": token,
        "form": form,
        "page": page,
        "api_url": f"{settings.SITE_URL}/api/partenaires/",
    }
    return render(request, "partners/token_detail.html", context, status=400 if form.errors else 200)


def _revoke_page(request, pk, form=None, status=200):
    token = get_object_or_404(_tokens(), pk=pk)
    if token.revoked_at is not None:
        messages.info(request, "Ce jeton est déjà révoqué.")
        return redirect("partners:token_detail", pk=token.pk)
    return render(request, "partners/token_revoke.html", {"token": token, "form": form or RevokeForm()}, status=status)


@national_required
@post_only(on_get=_revoke_page)
def token_revoke(request, pk):
    """Revoke a token now (reason required); the partner's next call answers 401."""
    token = get_object_or_404(_tokens(), pk=pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.api_token_revoke(
                user=request.user, token=token, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Le jeton « {token.name} » est révoqué : il est refusé dès maintenant.")
            return redirect("partners:token_detail", pk=token.pk)
    return _revoke_page(request, pk, form=form, status=400)
