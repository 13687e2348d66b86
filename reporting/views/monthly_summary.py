"""The monthly summary's setting (/pilotage/bilan-mensuel/) and its one-click unsubscribe link from the e-mail."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from accounts.decorators import role_required
from accounts.enums import Role
from accounts.models import Membership
from accounts.roles import active_membership
from reporting.forms import MonthlySummarySettingForm
from reporting.models import MonthlySummaryLog, MonthlySummarySetting
from reporting.monthly_summary import month_label, read_unsubscribe_token
from reporting.services.summaries import monthly_summary_setting_update

structure_manager_required = role_required(Role.STRUCTURE_MANAGER)


def _enabled(structure_id: int) -> bool:
    setting = MonthlySummarySetting.objects.filter(structure_id=structure_id).first()
    return setting.enabled if setting else True


@structure_manager_required
def monthly_summary(request):
    """Whether my structure's managers receive the monthly summary, and the last ones sent."""
    structure = active_membership(request.user).structure
    form = MonthlySummarySettingForm(
        request.POST if request.method == "POST" else None, initial={"enabled": _enabled(structure.pk)}
    )
    if request.method == "POST" and form.is_valid():
        enabled = form.cleaned_data["enabled"]
        monthly_summary_setting_update(user=request.user, structure_id=structure.pk, enabled=enabled)
        messages.success(
            request,
            "Le bilan mensuel sera envoyé aux gestionnaires de la structure."
            if enabled
            else "Le bilan mensuel ne sera plus envoyé aux gestionnaires de la structure.",
        )
        return redirect("pilotage:monthly_summary")
    logs = [
        (month_label(log.month), log)
        for log in MonthlySummaryLog.objects.filter(structure=structure).order_by("-month")[:12]
    ]
    return render(
        request,
        "reporting/pilotage/monthly_summary.html",
        {
            "title": "Bilan mensuel",
            "breadcrumb": [("Tableau de pilotage", reverse("pilotage:dashboard")), ("Bilan mensuel", "")],
            "structure": structure,
            "form": form,
            "logs": logs,
        },
    )


def _manager_of(token: str):
    """(structure, user) of a valid unsubscribe link whose user still manages the structure; else 404."""
    read = read_unsubscribe_token(token)
    if read is None:
        raise Http404("Lien de désinscription inconnu.")
    structure_id, user_id = read
    membership = (
        Membership.objects.active()
        .filter(role=Role.STRUCTURE_MANAGER, structure_id=structure_id, user_id=user_id, user__is_active=True)
        .select_related("structure")
        .first()
    )
    if membership is None:
        raise Http404("Ce lien n'est plus valable.")
    return membership.structure, get_user_model().objects.get(pk=user_id)


def monthly_summary_unsubscribe(request, token):
    """The e-mail's unsubscribe link: a GET only asks (mail scanners follow links), the POST applies."""
    structure, user = _manager_of(token)
    done = False
    if request.method == "POST":
        monthly_summary_setting_update(user=user, structure_id=structure.pk, enabled=False)
        done = True
    response = render(
        request,
        "reporting/pilotage/monthly_summary_unsubscribe.html",
        {
            "title": "Ne plus recevoir le bilan mensuel",
            "structure": structure,
            "done": done,
            "enabled": _enabled(structure.pk),
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    patch_cache_control(response, private=True, no_store=True)
    return response
