"""« Partager mes statistiques »: my read-only links (create, list, revoke)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.decorators import coop_required
from common.forms import apply_errors
from reporting import scopes
from reporting.forms import StatisticsShareForm
from reporting.services.shares import MAX_ACTIVE_SHARES, share_token, statistics_share_create, statistics_share_revoke
from reporting.views.common import coop_breadcrumb


def share_url(share) -> str:
    """The public address of a share link, as sent to its recipient."""
    return settings.SITE_URL + reverse("shared_statistics", kwargs={"token": share_token(share)})


def _breadcrumb(*items):
    return coop_breadcrumb(("Mes statistiques", reverse("coop:statistics")), *items)


@coop_required
def share_list(request):
    """My share links (active first) and the form that creates one."""
    form = StatisticsShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            share = statistics_share_create(user=request.user, label=form.cleaned_data["label"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Le lien de partage est créé : copiez-le ci-dessous pour l'envoyer.")
            return redirect(f"{reverse('coop:statistics_shares')}#partage-{share.pk}")
    shares = list(scopes.visible_statistics_shares(request.user).order_by("revoked_at", "-created_at"))
    for share in shares:
        share.url = share_url(share) if share.is_active else ""
    return render(
        request,
        "reporting/coop/statistics_shares.html",
        {
            "title": "Partager mes statistiques",
            "form": form,
            "shares": shares,
            "max_active": MAX_ACTIVE_SHARES,
            "breadcrumb": _breadcrumb(("Partager mes statistiques", "")),
            "section": "statistiques",
        },
        status=400 if form.errors else 200,
    )


@coop_required
def share_revoke(request, pk):
    """Confirm (GET), then revoke (POST) one of my links: whoever has it can no longer open it."""
    share = get_object_or_404(scopes.visible_statistics_shares(request.user), pk=pk)
    if request.method == "POST":
        statistics_share_revoke(user=request.user, share_id=share.pk)
        messages.success(request, "Le lien est révoqué : il n'ouvre plus vos statistiques.")
        return redirect("coop:statistics_shares")
    return render(
        request,
        "reporting/coop/statistics_share_revoke.html",
        {
            "title": "Révoquer un lien de partage",
            "share": share,
            "breadcrumb": _breadcrumb(
                ("Partager mes statistiques", reverse("coop:statistics_shares")), ("Révoquer un lien", "")
            ),
            "section": "statistiques",
        },
    )
