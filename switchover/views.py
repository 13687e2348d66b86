"""Inviting the advisors imported from the existing system (national team)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.decorators import national_required
from common.http import post_only
from directory.models import Advisor
from switchover import invitations
from switchover.forms import DepartmentFilterForm

# A click invites at most this many (the e-mails are queued; the command has no limit).
WEB_BATCH = 500


def _filtered(request):
    form = DepartmentFilterForm(request.GET or None)
    department = form.cleaned_data["departement"] if form.is_valid() else None
    advisors = invitations.imported_advisors_to_invite()
    if department is not None:
        advisors = advisors.filter(structure__department=department)
    return form, department, advisors


def _list_url(department) -> str:
    url = reverse("switchover:advisors_to_invite")
    return f"{url}?{urlencode({'departement': department.pk})}" if department is not None else url


@national_required
def advisors_to_invite(request):
    """The imported advisors at work who have no account yet, by department, each with its invitation button."""
    form, department, advisors = _filtered(request)
    page = Paginator(advisors, 50).get_page(request.GET.get("page"))
    without_email = invitations.imported_advisors_without_email()
    if department is not None:
        without_email = without_email.filter(structure__department=department)
    context = {
        "form": form,
        "department": department,
        "page": page,
        "without_email": without_email.count(),
        "web_batch": WEB_BATCH,
        "query": urlencode({"departement": department.pk}) if department is not None else "",
    }
    return render(request, "switchover/advisors_to_invite.html", context)


def _confirm_all(request):
    _, department, advisors = _filtered(request)
    count = advisors.count()
    context = {"department": department, "count": count, "batch": min(count, WEB_BATCH), "web_batch": WEB_BATCH}
    return render(request, "switchover/advisors_invite_all.html", context)


@national_required
@post_only(on_get=_confirm_all)
def advisors_invite_all(request):
    """Invite (up to WEB_BATCH) imported advisors without an account, after the confirmation page."""
    form = DepartmentFilterForm(request.POST)
    department = form.cleaned_data["departement"] if form.is_valid() else None
    batch = invitations.advisors_invite_imported(
        user=request.user, limit=WEB_BATCH, department=department, request=request
    )
    invited = len(batch.invited)
    if invited:
        messages.success(
            request, f"{invited} conseiller{'s' if invited > 1 else ''} invité{'s' if invited > 1 else ''}."
        )
    else:
        messages.info(request, "Aucun conseiller à inviter.")
    for advisor, reason in batch.refused:
        messages.error(request, f"{advisor.full_name} : {reason}")
    return redirect(_list_url(department))


def _to_list(request, pk):
    return redirect("switchover:advisors_to_invite")


@national_required
@post_only(on_get=_to_list)
def advisor_invite(request, pk):
    """Invite one imported advisor."""
    advisor = get_object_or_404(Advisor, pk=pk)
    try:
        account = invitations.advisor_invite(user=request.user, advisor=advisor, request=request)
    except ValidationError as error:
        messages.error(request, f"{advisor.full_name} : {' '.join(error.messages)}")
    else:
        messages.success(request, f"Invitation envoyée à {advisor.full_name} ({account.email}).")
    form = DepartmentFilterForm(request.POST)
    return redirect(_list_url(form.cleaned_data["departement"] if form.is_valid() else None))
