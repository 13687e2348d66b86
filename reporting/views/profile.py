"""Espace Coop: « Mon profil » (professional contact, line manager, visibility on the public map)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import coop_required
from directory import services
from directory.forms import ProfileForm
from directory.scopes import visible_contracts
from reporting.views.common import coop_breadcrumb


@coop_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """My professional contact, my line manager, whether my name shows on the public map, and my contracts."""
    advisor = request.advisor
    form = ProfileForm(request.POST or None, instance=advisor)
    if request.method == "POST" and form.is_valid():
        services.advisor_profile_update(advisor=advisor, values=form.cleaned_data)
        messages.success(request, "Profil enregistré.")
        return redirect("coop:profile")
    return render(
        request,
        "reporting/coop/profile.html",
        {
            "title": "Mon profil",
            "form": form,
            "advisor": advisor,
            "breadcrumb": coop_breadcrumb(("Mon profil", "")),
            "section": "profil",
            "contracts": visible_contracts(request.user)
            .filter(advisor=advisor)
            .select_related("structure")
            .order_by("start", "pk"),
        },
    )
