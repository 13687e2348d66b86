"""Transfers of posts: the national team's start form, the list of the user's scope and the dossier page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from accounts import roles
from accounts.decorators import agent_required, role_required
from accounts.enums import Role
from common.forms import apply_errors
from common.http import post_only
from common.pagination import BoundedPaginator
from workflows import scopes, services
from workflows.enums import Kind
from workflows.forms import TransferCancelForm, TransferForm
from workflows.links import dossier_url
from workflows.views.dossiers import render_dossier

PAGE_SIZE = 25


@role_required(Role.NATIONAL)
def transfer_new(request):
    """The national team starts a transfer of posts (errors next to their field, nothing typed lost)."""
    initial = {"from_structure": request.GET.get("de", ""), "structure": request.GET.get("vers", "")}
    form = TransferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = services.transfer_start(
                user=request.user,
                from_structure=data["from_structure"],
                structure=data["structure"],
                posts=data["posts"],
                advisor=data["advisor"],
                effective_on=data["effective_on"],
                ask_prefecture=data["ask_prefecture"],
                motivation=data["motivation"],
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            next_step = (
                "le préfet du département d'accueil donne son avis."
                if transfer.ask_prefecture
                else "il attend votre décision."
            )
            messages.success(request, f"Le transfert est enregistré : {next_step}")
            return redirect(dossier_url(Kind.TRANSFER, transfer.pk))
    return render(
        request,
        "workflows/espace/transfer_new.html",
        {"form": form, "page_title": "Nouveau transfert de postes"},
        status=400 if form.errors else 200,
    )


@agent_required
def transfer_list(request):
    """The transfers of my scope (to or from my structure or territory), newest first."""
    transfers = (
        scopes.visible_transfers(request.user).select_related("structure", "from_structure", "advisor").order_by("-pk")
    )
    page = BoundedPaginator(transfers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workflows/espace/transfer_list.html",
        {"page": page, "page_title": "Transferts de postes", "is_national": roles.is_national(request.user)},
    )


@agent_required
def transfer(request, pk):
    return render_dossier(request, Kind.TRANSFER, pk)


def _to_transfer(request, pk):
    transfer = get_object_or_404(scopes.visible_transfers(request.user), pk=pk)
    return redirect(dossier_url(Kind.TRANSFER, transfer.pk))


@role_required(Role.NATIONAL)
@post_only(on_get=_to_transfer)
def transfer_cancel(request, pk):
    """The national team withdraws a transfer not yet applied; errors show on the dossier."""
    transfer = get_object_or_404(scopes.visible_transfers(request.user), pk=pk)
    form = TransferCancelForm(request.POST)
    if form.is_valid():
        try:
            services.transfer_cancel(
                transfer=transfer, user=request.user, comment=form.cleaned_data["comment"], request=request
            )
        except services.AlreadyProcessed as error:
            messages.warning(request, str(error))
            return redirect(dossier_url(Kind.TRANSFER, pk))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Le transfert est annulé : les postes ne changent pas.")
            return redirect(dossier_url(Kind.TRANSFER, pk))
    return render_dossier(request, Kind.TRANSFER, pk, cancel_form=form, status=400)
