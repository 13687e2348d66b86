"""« Mes bénéficiaires »: the people an advisor follows, private to her (another advisor's answer 404)."""

import re

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.decorators import coop_required
from common import exports as export_files
from reporting import scopes
from reporting.beneficiary_duplicates import FIELD_LABELS, PAIRS_SHOWN, duplicate_pairs
from reporting.beneficiary_rules import format_phone, normalise_phone
from reporting.folding import Folded
from reporting.forms_beneficiaries import BeneficiaryForm, BeneficiarySearchForm
from reporting.models import ActivityBeneficiary
from reporting.services import beneficiaries as services
from reporting.views.common import coop_breadcrumb
from territories.utils import normalize_search

PAGE_SIZE = 20
HISTORY_PAGE_SIZE = 20
_PHONE_QUERY = re.compile(r"[0-9+][0-9 .\-]*")
SORT_ORDERS = {
    "nom": ("last_name", "first_name", "pk"),
    "dernier": (F("last_accompaniment").desc(nulls_last=True), "last_name", "first_name", "pk"),
    "nombre": ("-accompaniments", "last_name", "first_name", "pk"),
}


def breadcrumb(*items):
    return coop_breadcrumb(("Mes bénéficiaires", reverse("coop:beneficiary_list")), *items)


def _detail_crumb(beneficiary, page):
    return breadcrumb((str(beneficiary), reverse("coop:beneficiary_detail", args=[beneficiary.pk])), page)


def _page(request, template, context, status=200):
    return render(request, f"reporting/coop/{template}", {"section": "beneficiaires", **context}, status=status)


def mine(request):
    """The people I follow (erased and merged records are gone: they answer 404)."""
    return scopes.visible_beneficiaries(request.user)


def with_counts(beneficiaries):
    """Each person with her number of accompaniments and the date of the last one (two subqueries, no join)."""
    links = ActivityBeneficiary.objects.filter(beneficiary=OuterRef("pk"), activity__deleted_at__isnull=True)
    count = links.order_by().values("beneficiary").annotate(total=Count("pk")).values("total")
    last = links.order_by("-activity__date").values("activity__date")[:1]
    return beneficiaries.annotate(
        accompaniments=Coalesce(Subquery(count), Value(0)), last_accompaniment=Subquery(last)
    )


def search(beneficiaries, text: str):
    """Every word must match a name, the e-mail or the commune (accents and case ignored); a number the phone."""
    text = text.strip()
    if not text:
        return beneficiaries
    if _PHONE_QUERY.fullmatch(text) and sum(char.isdigit() for char in text) >= 2:
        return beneficiaries.filter(phone__contains=normalise_phone(text))
    beneficiaries = beneficiaries.annotate(
        folded_last=Folded("last_name"), folded_first=Folded("first_name"), folded_email=Folded("email")
    )
    for word in normalize_search(text).split():
        beneficiaries = beneficiaries.filter(
            Q(folded_last__contains=word)
            | Q(folded_first__contains=word)
            | Q(folded_email__contains=word)
            | Q(commune__search_name__contains=word)
        )
    return beneficiaries


@coop_required
def beneficiary_list(request):
    """My followed people: search, sort by name, last accompaniment or number of accompaniments; 20 per page."""
    form = BeneficiarySearchForm(request.GET or None)
    beneficiaries = with_counts(search(mine(request), form.query)).select_related("commune")
    page = Paginator(beneficiaries.order_by(*SORT_ORDERS[form.sort]), PAGE_SIZE).get_page(request.GET.get("page"))
    for beneficiary in page:
        beneficiary.phone_display = format_phone(beneficiary.phone)
    return _page(
        request,
        "beneficiary_list.html",
        {
            "title": "Mes bénéficiaires",
            "form": form,
            "page": page,
            "searching": bool(form.query),
            "breadcrumb": coop_breadcrumb(("Mes bénéficiaires", "")),
        },
    )


@coop_required
@require_http_methods(["GET", "POST"])
def beneficiary_create(request):
    """A new followed person, after the advisor confirms she informed her."""
    form = BeneficiaryForm(request.POST or None, consent=True)
    if request.method == "POST" and form.is_valid():
        beneficiary = services.beneficiary_create(
            advisor=request.advisor, values=form.values(), informed=form.cleaned_data["informed"]
        )
        messages.success(request, f"Fiche de {beneficiary} enregistrée.")
        return redirect("coop:beneficiary_detail", pk=beneficiary.pk)
    return _page(
        request,
        "beneficiary_form.html",
        {
            "title": "Suivre une nouvelle personne",
            "form": form,
            "retention_months": settings.BENEFICIARY_RETENTION_MONTHS,
            "breadcrumb": breadcrumb(("Nouvelle personne", "")),
        },
    )


@coop_required
@require_http_methods(["GET", "POST"])
def beneficiary_edit(request, pk):
    beneficiary = get_object_or_404(mine(request).select_related("commune"), pk=pk)
    form = BeneficiaryForm(request.POST or None, initial=BeneficiaryForm.initial_from(beneficiary))
    if request.method == "POST" and form.is_valid():
        services.beneficiary_update(beneficiary=beneficiary, actor=request.user, values=form.values())
        messages.success(request, "Fiche enregistrée.")
        return redirect("coop:beneficiary_detail", pk=beneficiary.pk)
    return _page(
        request,
        "beneficiary_form.html",
        {
            "title": f"Modifier la fiche de {beneficiary}",
            "form": form,
            "beneficiary": beneficiary,
            "breadcrumb": _detail_crumb(beneficiary, ("Modifier", "")),
        },
    )


def history(request, beneficiary):
    """Her reports (mine, not deleted), newest first."""
    return (
        scopes.own_activities(request.user)
        .filter(followed_links__beneficiary=beneficiary)
        .select_related("place", "commune")
        .order_by("-date", "-created_at")
    )


@coop_required
def beneficiary_detail(request, pk):
    """Her record and her history, with the accompaniment, edit, export and erase actions."""
    beneficiary = get_object_or_404(with_counts(mine(request)).select_related("commune"), pk=pk)
    page = Paginator(history(request, beneficiary), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return _page(
        request,
        "beneficiary_detail.html",
        {
            "title": str(beneficiary),
            "beneficiary": beneficiary,
            "phone": format_phone(beneficiary.phone),
            "page": page,
            "record_url": f"{reverse('coop:activity_create')}?type=individuel&beneficiaire={beneficiary.pk}",
            "breadcrumb": breadcrumb((str(beneficiary), "")),
        },
    )


@coop_required
@require_http_methods(["GET", "POST"])
def beneficiary_erase(request, pk):
    """Confirm (GET) then erase (POST) her personal data, on her request; her anonymous answers stay counted."""
    beneficiary = get_object_or_404(with_counts(mine(request)), pk=pk)
    if request.method == "POST":
        services.beneficiary_erase(beneficiary=beneficiary, actor=request.user, request=request)
        messages.success(request, "Les données personnelles de la personne ont été effacées.")
        return redirect("coop:beneficiary_list")
    return _page(
        request,
        "beneficiary_erase.html",
        {
            "title": f"Effacer les données de {beneficiary}",
            "beneficiary": beneficiary,
            "breadcrumb": _detail_crumb(beneficiary, ("Effacer", "")),
        },
    )


def record_rows(beneficiary):
    """Her record as (field, value) rows, the header first."""
    return [
        ("Champ", "Valeur"),
        ("Nom", beneficiary.last_name),
        ("Prénom", beneficiary.first_name),
        ("Téléphone", format_phone(beneficiary.phone)),
        ("E-mail", beneficiary.email),
        ("Année de naissance", beneficiary.birth_year),
        ("Commune de résidence", beneficiary.commune.name if beneficiary.commune else ""),
        ("Code INSEE de la commune", beneficiary.commune_id or ""),
        ("Genre", beneficiary.get_gender_display()),
        ("Tranche d'âge", beneficiary.get_age_band_display()),
        ("Statut", beneficiary.get_status_display()),
        ("Notes", beneficiary.notes),
        ("Informée du suivi le", beneficiary.informed_at),
        ("Importée le", beneficiary.imported_at),
        ("Fiche créée le", beneficiary.created_at),
        ("Fiche modifiée le", beneficiary.updated_at),
    ]


def history_rows(activities):
    """Her accompaniments (without the reports' notes, which may concern other people), the header first."""
    yield ("Date", "Type", "Durée (minutes)", "Thématiques", "Lieu", "Commune")
    for activity in activities:
        yield (
            activity.date,
            activity.get_kind_display(),
            activity.duration,
            ", ".join(activity.theme_labels),
            activity.place.name if activity.place else activity.get_place_type_display(),
            activity.commune.name if activity.commune else "",
        )


@coop_required
def beneficiary_export(request, pk, fmt):
    """Right of access: her record and her history, as CSV (one file, two blocks) or XLSX (two sheets)."""
    beneficiary = get_object_or_404(mine(request).select_related("commune"), pk=pk)
    services.beneficiary_export(beneficiary=beneficiary, actor=request.user, fmt=fmt, request=request)
    activities = history(request, beneficiary).order_by("date", "created_at")
    name = f"donnees_personne_suivie_{beneficiary.pk}_{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        rows = [*record_rows(beneficiary), (), ("Accompagnements",), *history_rows(activities)]
        return export_files.csv_response(name, rows)
    return export_files.xlsx_response(
        name, [("Fiche", record_rows(beneficiary), 1), ("Accompagnements", history_rows(activities), 1)]
    )


@coop_required
def beneficiary_duplicates(request):
    """Likely duplicate pairs among my followed people (La Coop's score ≥ 2), to compare and merge."""
    pairs = duplicate_pairs(mine(request))
    shown = pairs[:PAIRS_SHOWN]
    people = mine(request).select_related("commune").in_bulk({pk for pair in shown for pk in pair[:2]})
    rows = [
        (people[a], people[b], [FIELD_LABELS[name] for name in shared])
        for a, b, shared in shown
        if a in people and b in people
    ]
    return _page(
        request,
        "beneficiary_duplicates.html",
        {
            "title": "Doublons possibles",
            "rows": rows,
            "total": len(pairs),
            "shown": PAIRS_SHOWN,
            "breadcrumb": breadcrumb(("Doublons possibles", "")),
        },
    )


@coop_required
@require_http_methods(["GET", "POST"])
def beneficiary_merge(request, pk, other):
    """Compare two of my records, choose the one to keep, confirm: the other is merged into it."""
    people = mine(request).select_related("commune")
    first = get_object_or_404(with_counts(people), pk=pk)
    second = get_object_or_404(with_counts(people), pk=other)
    if first.pk == second.pk:
        return redirect("coop:beneficiary_detail", pk=first.pk)
    error = ""
    if request.method == "POST":
        kept = {str(first.pk): (first, second), str(second.pk): (second, first)}.get(request.POST.get("garder", ""))
        if kept:
            target, source = kept
            services.beneficiary_merge(source=source, target=target, actor=request.user, request=request)
            messages.success(request, f"Les deux fiches sont fusionnées : la fiche de {target} est gardée.")
            return redirect("coop:beneficiary_detail", pk=target.pk)
        error = "Choisissez la fiche à garder."
    for person in (first, second):
        person.phone_display = format_phone(person.phone)
    return _page(
        request,
        "beneficiary_merge.html",
        {
            "title": "Fusionner deux fiches",
            "first": first,
            "second": second,
            "pair": [first, second],
            "error": error,
            "breadcrumb": breadcrumb(
                ("Doublons possibles", reverse("coop:beneficiary_duplicates")), ("Fusionner", "")
            ),
        },
        status=400 if error else 200,
    )
