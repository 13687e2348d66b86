"""Reconventionnement pages: the structure's request form, the dossier, the cancellation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from accounts import roles
from accounts.decorators import agent_required, role_required
from accounts.enums import Role
from common.forms import apply_errors
from directory import conventions
from workflows import scopes, services
from workflows.enums import Kind
from workflows.forms import RenewalCancelForm, RenewalRequestForm
from workflows.links import dossier_url
from workflows.services.renewals import OPEN_RENEWAL_STATUSES
from workflows.views.dossiers import render_dossier


@role_required(Role.STRUCTURE_MANAGER)
def renewal_request(request):
    """Ma structure › reconventionnement: ask to renew the convention in force (posts, advisors who continue)."""
    user = request.user
    structure = roles.active_membership(user).structure
    convention = services.renewable_convention(structure)
    current = convention or conventions.current_convention(structure)
    existing = scopes.visible_renewals(user).filter(convention=current).first() if current else None
    contracts = services.renewal_contracts(convention) if convention else None
    form = RenewalRequestForm(request.POST or None, contracts=contracts) if convention else None
    status = 200
    if request.method == "POST":
        if form is None:
            messages.error(request, "Votre structure n'a pas de convention à renouveler aujourd'hui.")
            status = 400
        elif form.is_valid():
            try:
                renewal = services.renewal_submit(
                    user=user,
                    posts_requested=form.cleaned_data["posts_requested"],
                    continuing_contracts=list(form.cleaned_data["continuing_contracts"]),
                    motivation=form.cleaned_data["motivation"],
                    request=request,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, "Votre demande de reconventionnement est enregistrée : la préfecture va donner son avis."
                )
                return redirect(dossier_url(Kind.RENEWAL, renewal.pk))
        if form is not None and form.errors:
            status = 400
    return render(
        request,
        "workflows/espace/renewal_request.html",
        {
            "form": form,
            "convention": convention,
            "current": current,
            "existing": existing,
            "contracts_count": contracts.count() if contracts is not None else 0,
        },
        status=status,
    )


@agent_required
def renewal(request, pk):
    return render_dossier(request, Kind.RENEWAL, pk)


@role_required(Role.STRUCTURE_MANAGER, Role.NATIONAL)
def renewal_cancel(request, pk):
    """Withdraw a reconventionnement not yet decided (reason required)."""
    renewal = get_object_or_404(scopes.visible_renewals(request.user).select_related("structure", "convention"), pk=pk)
    if renewal.status not in OPEN_RENEWAL_STATUSES:
        messages.warning(request, "Ce reconventionnement est déjà décidé ou annulé.")
        return redirect(dossier_url(Kind.RENEWAL, renewal.pk))
    form = RenewalCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.renewal_cancel(
                renewal=renewal, user=request.user, comment=form.cleaned_data["comment"], request=request
            )
        except services.AlreadyProcessed as error:
            messages.warning(request, str(error))
            return redirect(dossier_url(Kind.RENEWAL, renewal.pk))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "La demande de reconventionnement est annulée.")
            return redirect(dossier_url(Kind.RENEWAL, renewal.pk))
    return render(
        request,
        "workflows/espace/renewal_cancel.html",
        {"form": form, "renewal": renewal},
        status=400 if form.errors else 200,
    )
