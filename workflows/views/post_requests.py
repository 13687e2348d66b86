"""The avenant's pages (request, dossier, cancellation) and the structure manager's "Ma structure" page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts import roles
from accounts.decorators import agent_required, role_required
from accounts.enums import Role
from common.forms import apply_errors
from common.http import post_only
from directory import conventions
from directory.models import Structure
from workflows import scopes, selectors, services
from workflows.enums import Kind, PostRequestType
from workflows.forms import ManagerInviteForm, PostRequestForm, StructureContactForm
from workflows.links import dossier_url
from workflows.models import PostRequest
from workflows.services.my_structure import CONTACT_FIELDS, structure_managers_of
from workflows.services.post_requests import OPEN_POST_REQUEST_STATUSES, post_request_summary
from workflows.views.dossiers import render_dossier


def _structure(user) -> Structure:
    return Structure.objects.select_related("commune", "department").get(pk=roles.active_membership(user).structure_id)


# --- The avenant --------------------------------------------------------------------------------------------------


@agent_required
def post_request(request, pk):
    """The avenant's dossier: the request, the posts today, the decision form when the user may act, the timeline."""
    return render_dossier(request, Kind.POST_REQUEST, pk)


def _blocking_reason(structure) -> str:
    """Why this structure cannot file an avenant now ("" when it can)."""
    if conventions.convention_in_force(structure) is None:
        return "Votre structure n'a pas de convention en cours : aucun avenant n'est possible."
    if PostRequest.objects.filter(structure=structure, status__in=OPEN_POST_REQUEST_STATUSES).exists():
        return "Un avenant est déjà en cours pour votre structure : attendez sa décision ou annulez-le."
    return ""


@require_http_methods(["GET", "POST"])
@role_required(Role.STRUCTURE_MANAGER)
def post_request_new(request):
    """Ask for more posts or give vacant posts back."""
    structure = _structure(request.user)
    form = PostRequestForm(request.POST or None, initial={"type": request.GET.get("type", PostRequestType.ADD)})
    if request.method == "POST" and form.is_valid():
        try:
            post_request = services.post_request_submit(user=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Votre avenant est enregistré : la préfecture va donner son avis.")
            return redirect(dossier_url(Kind.POST_REQUEST, post_request.pk))
    free = selectors.free_posts(structure)
    return render(
        request,
        "workflows/espace/post_request_new.html",
        {
            "page_title": "Demander ou rendre des postes",
            "form": form,
            "structure": structure,
            "returnable": max(free, 0),
            "held": structure.posts_granted - free,
            "blocking_reason": _blocking_reason(structure),
        },
        status=400 if form.errors else 200,
    )


def _to_post_request(request, pk):
    post_request = get_object_or_404(scopes.visible_post_requests(request.user), pk=pk)
    return redirect(dossier_url(Kind.POST_REQUEST, post_request.pk))


@role_required(Role.STRUCTURE_MANAGER)
@post_only(on_get=_to_post_request)
def post_request_cancel(request, pk):
    """The structure withdraws its avenant while it is open."""
    post_request = get_object_or_404(scopes.visible_post_requests(request.user), pk=pk)
    try:
        services.post_request_cancel(post_request=post_request, user=request.user, request=request)
    except services.AlreadyProcessed as error:
        messages.warning(request, str(error))
    else:
        messages.success(request, "Votre avenant est annulé.")
    return redirect(dossier_url(Kind.POST_REQUEST, pk))


# --- Ma structure -------------------------------------------------------------------------------------------------


def _contact_initial(structure) -> dict:
    return {
        "address": structure.address,
        "commune_query": structure.commune.name,
        "commune_code": structure.commune_id,
        "contact_first_name": structure.contact_first_name,
        "contact_last_name": structure.contact_last_name,
        "contact_function": structure.contact_function,
        "contact_email": structure.contact_email,
        "contact_phone": structure.contact_phone,
    }


def _link(kind, pk) -> str:
    """The dossier page of a request, or "" while its page is not built (the other parcours land separately)."""
    try:
        return dossier_url(kind, pk)
    except NoReverseMatch:
        return ""


def _pending_requests(user) -> list[dict]:
    """Every open request of the manager's structure, of every kind (one query per kind), oldest first."""
    now = timezone.now()
    rows = []
    sources = [
        (Kind.POST_REQUEST, scopes.visible_post_requests(user), (), post_request_summary),
        (Kind.RENEWAL, scopes.visible_renewals(user), ("convention",), lambda r: f"Convention {r.convention.number}"),
        (
            Kind.CONTRACT_CHANGE,
            scopes.visible_contract_changes(user),
            ("advisor",),
            lambda r: f"{r.get_type_display()} — {r.advisor}",
        ),
        (Kind.COORDINATOR, scopes.visible_coordinator_requests(user), (), lambda r: r.get_coordination_type_display()),
        (
            Kind.TRANSFER,
            scopes.visible_transfers(user),
            ("structure", "from_structure"),
            lambda r: f"{r.posts} poste(s) de {r.from_structure} à {r.structure}",
        ),
    ]
    for kind, queryset, related, summary in sources:
        for row in queryset.open().select_related(*related).order_by("created_at"):
            rows.append(
                {
                    "kind": Kind(kind).label,
                    "summary": summary(row),
                    "status": row.get_status_display(),
                    "created_at": row.created_at,
                    "age_days": (now - row.created_at).days,
                    "url": _link(kind, row.pk),
                }
            )
    rows.sort(key=lambda row: row["created_at"])
    return rows


def _render_my_structure(request, *, contact_form=None, invite_form=None, status=200):
    user = request.user
    structure = _structure(user)
    convention = conventions.current_convention(structure)
    free = selectors.free_posts(structure)
    return render(
        request,
        "workflows/espace/my_structure.html",
        {
            "page_title": "Ma structure",
            "structure": structure,
            "convention": convention,
            "events": list(convention.events.order_by("effective_on", "pk")) if convention else [],
            "posts_granted": structure.posts_granted,
            "posts_held": structure.posts_granted - free,
            "posts_vacant": max(free, 0),
            "managers": structure_managers_of(structure),
            "pending": _pending_requests(user),
            "blocking_reason": _blocking_reason(structure),
            "contact_form": contact_form or StructureContactForm(initial=_contact_initial(structure)),
            "invite_form": invite_form or ManagerInviteForm(prefix="invite"),
        },
        status=status,
    )


@role_required(Role.STRUCTURE_MANAGER)
def my_structure(request):
    """Ma structure: contact and address, co-managers, the convention and its posts, the pending requests."""
    return _render_my_structure(request)


@role_required(Role.STRUCTURE_MANAGER)
@post_only(on_get=lambda request: redirect("workflows:my_structure"))
def my_structure_contact(request):
    """Save the structure's contact and address; errors show next to the fields, nothing typed is lost."""
    form = StructureContactForm(request.POST)
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in CONTACT_FIELDS}
        values["commune"] = form.cleaned_data["commune"]
        try:
            services.structure_contact_update(user=request.user, values=values, request=request)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Les coordonnées de votre structure sont enregistrées.")
            return redirect("workflows:my_structure")
    return _render_my_structure(request, contact_form=form, status=400)


@role_required(Role.STRUCTURE_MANAGER)
@post_only(on_get=lambda request: redirect("workflows:my_structure"))
def my_structure_invite(request):
    """Invite a co-manager of the structure."""
    form = ManagerInviteForm(request.POST, prefix="invite")
    if form.is_valid():
        try:
            services.structure_manager_invite(user=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Une invitation est envoyée à {form.cleaned_data['email']}.")
            return redirect("workflows:my_structure")
    return _render_my_structure(request, invite_form=form, status=400)
