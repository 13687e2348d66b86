"""Tag pages: « Mes étiquettes » in the Espace Coop (advisors, coordinators) and « Étiquettes » in the pilotage
(prefecture agents, national team). One implementation; a Space says which layout, URLs and counts a page uses.

A tag outside what the user may manage answers 404 on every change page.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.decorators import coop_required, role_required
from accounts.enums import Role
from reporting import scopes
from reporting.aggregation import SCOPE_COLUMNS
from reporting.enums import TagScope
from reporting.forms_tags import TagCreateForm, TagMergeForm, TagRenameForm
from reporting.services import tags as services
from reporting.views.common import coop_breadcrumb

tag_manager_required = role_required(Role.PREFECTURE, Role.NATIONAL)


@dataclass(frozen=True)
class Space:
    """Where a tag page lives: the Coop (my tags) or the pilotage (the territory's shared tags)."""

    namespace: str
    base_template: str
    title: str

    def url(self, name: str, *args) -> str:
        return reverse(f"{self.namespace}:{name}", args=args)

    def breadcrumb(self, *items) -> list[tuple[str, str]]:
        list_item = (self.title, self.url("tag_list"))
        if self.namespace == "coop":
            return coop_breadcrumb(list_item, *items) if items else coop_breadcrumb((self.title, ""))
        root = ("Tableau de pilotage", reverse("pilotage:dashboard"))
        return [root, list_item, *items] if items else [root, (self.title, "")]


COOP = Space("coop", "reporting/coop/base.html", "Mes étiquettes")
PILOTAGE = Space("pilotage", "reporting/pilotage/_layout.html", "Étiquettes")


def _page(request, space: Space, template: str, context: dict, *, status: int = 200):
    context.update(space=space, base_template=space.base_template, section="etiquettes")
    return render(request, template, context, status=status)


def _live_uses(prefix: str = "activity_links__activity__") -> Q:
    return Q(**{f"{prefix}deleted_at__isnull": True})


# Lists


def _coop_list(request) -> dict:
    """My personal tags (uses on my reports) and the shared tags I may use (uses on my reports)."""
    mine = Q(activity_links__activity__advisor=request.advisor) & _live_uses()
    tags = scopes.visible_tags(request.user).annotate(uses=Count("activity_links", filter=mine))
    tags = list(tags.order_by("name", "pk"))
    return {
        "personal": [tag for tag in tags if tag.scope == TagScope.PERSONAL],
        "shared": [tag for tag in tags if tag.scope != TagScope.PERSONAL],
        "uses_label": "Mes activités",
    }


def _pilotage_list(request) -> dict:
    """The departmental and national tags of the user's territory, with their uses within that territory."""
    scope = scopes.statistics_scope(request.user)
    within = _live_uses()
    if scope.level in SCOPE_COLUMNS:
        column = SCOPE_COLUMNS[scope.level][1]
        within &= Q(**{f"activity_links__activity__{column}__in": list(scope.ids)})
    tags = scopes.visible_tags(request.user).exclude(scope=TagScope.PERSONAL)
    tags = list(tags.annotate(uses=Count("activity_links", filter=within)).order_by("scope", "department", "name"))
    return {"personal": [], "shared": tags, "uses_label": "Activités du territoire"}


def _list(request, space: Space):
    context = _coop_list(request) if space is COOP else _pilotage_list(request)
    context.update(
        title=space.title,
        manageable=set(scopes.manageable_tags(request.user).values_list("pk", flat=True)),
        can_create=bool(services.creatable_scopes(request.user)),
        breadcrumb=space.breadcrumb(),
    )
    return _page(request, space, "reporting/tags/list.html", context)


# Changes


def _create(request, space: Space):
    if not services.creatable_scopes(request.user):
        raise PermissionDenied
    form = TagCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tag = services.tag_create(
                user=request.user,
                name=data["name"],
                scope=data["scope"],
                department=data["department"],
                description=data["description"],
            )
        except ValidationError as error:
            form.add_error("name", error)
        except PermissionDenied as error:
            form.add_error("scope", str(error))
        else:
            messages.success(request, f"Étiquette « {tag.name} » créée.")
            return redirect(space.url("tag_list"))
    title = "Créer une étiquette"
    context = {"title": title, "form": form, "breadcrumb": space.breadcrumb((title, ""))}
    return _page(request, space, "reporting/tags/create.html", context, status=400 if form.errors else 200)


def _edit(request, space: Space, pk: int):
    tag = get_object_or_404(scopes.manageable_tags(request.user), pk=pk)
    form = TagRenameForm(request.POST or None, initial={"name": tag.name, "description": tag.description})
    if request.method == "POST" and form.is_valid():
        try:
            services.tag_rename(
                tag=tag,
                user=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, "Étiquette modifiée : les activités qui la portent affichent son nouveau nom.")
            return redirect(space.url("tag_list"))
    title = f"Modifier l'étiquette « {tag.name} »"
    context = {"title": title, "tag": tag, "form": form, "breadcrumb": space.breadcrumb(("Modifier", ""))}
    return _page(request, space, "reporting/tags/edit.html", context, status=400 if form.errors else 200)


def _archive(request, space: Space, pk: int):
    tag = get_object_or_404(scopes.manageable_tags(request.user), pk=pk)
    if request.method == "POST":
        services.tag_archive(tag=tag, user=request.user)
        messages.success(
            request,
            f"Étiquette « {tag.name} » archivée : elle n'est plus proposée, les activités passées la gardent.",
        )
        return redirect(space.url("tag_list"))
    uses = tag.activity_links.filter(activity__deleted_at__isnull=True).count()
    title = f"Archiver l'étiquette « {tag.name} »"
    context = {"title": title, "tag": tag, "uses": uses, "breadcrumb": space.breadcrumb(("Archiver", ""))}
    return _page(request, space, "reporting/tags/archive.html", context)


def _merge(request, space: Space, pk: int):
    manageable = scopes.manageable_tags(request.user)
    source = get_object_or_404(manageable, pk=pk)
    form = TagMergeForm(request.POST or None, source=source, manageable=manageable)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            moved = services.tag_merge(source=source, target=target, user=request.user)
        except ValidationError as error:
            form.add_error("target", error)
        else:
            messages.success(
                request,
                f"« {source.name} » fusionnée dans « {target.name} » : {moved} activité{'s' if moved > 1 else ''} "
                "déplacée(s).",
            )
            return redirect(space.url("tag_list"))
    title = f"Fusionner l'étiquette « {source.name} »"
    context = {"title": title, "tag": source, "form": form, "breadcrumb": space.breadcrumb(("Fusionner", ""))}
    return _page(request, space, "reporting/tags/merge.html", context, status=400 if form.errors else 200)


# The views of each space


@coop_required
def coop_tag_list(request):
    """My personal tags and the shared tags I may use, with how many of my activities carry each."""
    return _list(request, COOP)


@coop_required
@require_http_methods(["GET", "POST"])
def coop_tag_create(request):
    return _create(request, COOP)


@coop_required
@require_http_methods(["GET", "POST"])
def coop_tag_edit(request, pk):
    return _edit(request, COOP, pk)


@coop_required
@require_http_methods(["GET", "POST"])
def coop_tag_archive(request, pk):
    return _archive(request, COOP, pk)


@coop_required
@require_http_methods(["GET", "POST"])
def coop_tag_merge(request, pk):
    return _merge(request, COOP, pk)


@tag_manager_required
def pilotage_tag_list(request):
    """The departmental and national tags of my territory, with their uses within it."""
    return _list(request, PILOTAGE)


@tag_manager_required
@require_http_methods(["GET", "POST"])
def pilotage_tag_create(request):
    return _create(request, PILOTAGE)


@tag_manager_required
@require_http_methods(["GET", "POST"])
def pilotage_tag_edit(request, pk):
    return _edit(request, PILOTAGE, pk)


@tag_manager_required
@require_http_methods(["GET", "POST"])
def pilotage_tag_archive(request, pk):
    return _archive(request, PILOTAGE, pk)


@tag_manager_required
@require_http_methods(["GET", "POST"])
def pilotage_tag_merge(request, pk):
    return _merge(request, PILOTAGE, pk)
