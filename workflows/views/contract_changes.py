"""Contract changes: the structure's request form (from « Mes conseillers »), the dossier page, the withdrawal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import agent_required, role_required
from accounts.enums import Role
from common.forms import apply_errors
from common.http import post_only
from directory import conventions
from directory import scopes as directory_scopes
from directory.enums import AdvisorStatus
from workflows import scopes, services
from workflows.enums import OPEN_REQUEST_STATUSES, Kind
from workflows.forms import ContractChangeCancelForm, ContractChangeRequestForm
from workflows.links import dossier_url
from workflows.views.dossiers import render_dossier


@require_http_methods(["GET", "POST"])
@role_required(Role.STRUCTURE_MANAGER)
def contract_change_request(request, advisor_pk):
    """Ask to prolong, renew or amend the contract in progress of one of my advisors."""
    advisor = get_object_or_404(
        directory_scopes.visible_advisors(request.user).filter(status=AdvisorStatus.ACTIVE), pk=advisor_pk
    )
    contract = conventions.active_contract(advisor)
    open_change = (
        scopes.visible_contract_changes(request.user)
        .filter(contract=contract, status__in=OPEN_REQUEST_STATUSES)
        .first()
        if contract
        else None
    )
    form = ContractChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.contract_change_request(
                advisor=advisor, user=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "La demande est enregistrée : elle sera validée par le hub ou l'ANCT.")
            return redirect(dossier_url(Kind.CONTRACT_CHANGE, change.pk))
    return render(
        request,
        "workflows/espace/contract_change_request.html",
        {"form": form, "advisor": advisor, "contract": contract, "open_change": open_change},
        status=400 if form.errors else 200,
    )


@agent_required
def contract_change(request, pk):
    """The dossier of a contract change."""
    return render_dossier(request, Kind.CONTRACT_CHANGE, pk)


def _to_dossier(request, pk):
    change = get_object_or_404(scopes.visible_contract_changes(request.user), pk=pk)
    return redirect(dossier_url(Kind.CONTRACT_CHANGE, change.pk))


@role_required(Role.STRUCTURE_MANAGER, Role.NATIONAL)
@post_only(on_get=_to_dossier)
def contract_change_cancel(request, pk):
    """Withdraw a change not decided yet (or a renewal not started yet); errors show on the dossier."""
    change = get_object_or_404(scopes.visible_contract_changes(request.user), pk=pk)
    form = ContractChangeCancelForm(request.POST)
    if form.is_valid():
        try:
            services.contract_change_cancel(
                change=change, user=request.user, comment=form.cleaned_data["comment"], request=request
            )
        except services.AlreadyProcessed as error:
            messages.warning(request, str(error))
            return redirect(dossier_url(Kind.CONTRACT_CHANGE, pk))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "La demande est annulée : le contrat reste inchangé.")
            return redirect(dossier_url(Kind.CONTRACT_CHANGE, pk))
    return render_dossier(request, Kind.CONTRACT_CHANGE, pk, cancel_form=form, status=400)
