"""Saved views of the task lists: save the current filters under a name, list, rename and delete one's views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.decorators import agent_required
from common.forms import apply_errors
from common.http import post_only
from workflows import scopes
from workflows.filters import LISTS, saved_view_counts
from workflows.forms.saved_views import SavedViewForm, SavedViewRenameForm
from workflows.services import saved_views as services
from workflows.views.tasks import task_list_page

# Set by the side menu's tag: whether the user has saved views (see workflows.templatetags.saved_views).
SESSION_KEY = "lists_has_saved_views"


def saved_view_url(saved_view) -> str:
    """The list of a saved view with its filters and sort."""
    url = reverse(LISTS[saved_view.list_name][0]) if saved_view.list_name in LISTS else reverse("workflows:home")
    return f"{url}?{saved_view.query}" if saved_view.query else url


def _back_to_list(request):
    return redirect("workflows:saved_views")


def _back_to_view(request, pk):
    return redirect("workflows:saved_view", pk=pk)


@agent_required
@post_only(on_get=_back_to_list)
def saved_view_new(request):
    """Save the filters and sort of a list (posted by the list's "Enregistrer cette vue" form)."""
    form = SavedViewForm(request.POST)
    if form.is_valid():
        try:
            saved_view = services.saved_view_create(user=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, f"La vue « {saved_view.name} » est enregistrée : elle est dans le menu.")
            return redirect(saved_view_url(saved_view))
    list_name = request.POST.get("list_name")
    if list_name not in LISTS:
        list_name = "queue"
    data = QueryDict(request.POST.get("query", "")[:1000])
    return task_list_page(request, list_name, data=data, save_form=form, status=400)


@agent_required
def saved_views(request):
    """My saved views, with their live counts in my current scope."""
    views = list(scopes.visible_saved_views(request.user))
    counts = saved_view_counts(request.user, views)
    rows = [
        (view, LISTS.get(view.list_name, ("", "—", None))[1], counts.get(view.pk), saved_view_url(view))
        for view in views
    ]
    return render(
        request,
        "workflows/espace/saved_views.html",
        {"rows": rows, "page_title": "Mes vues enregistrées", "max_views": services.SAVED_VIEWS_MAX},
    )


@agent_required
@require_http_methods(["GET", "POST"])
def saved_view(request, pk):
    """Rename one of my saved views (its filters stay those it was saved with)."""
    view = get_object_or_404(scopes.visible_saved_views(request.user), pk=pk)
    form = SavedViewRenameForm(request.POST or None, initial={"name": view.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_view_rename(saved_view=view, user=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "La vue est renommée.")
            return redirect("workflows:saved_views")
    view.refresh_from_db(fields=["name"])
    return render(
        request,
        "workflows/espace/saved_view.html",
        {"view": view, "form": form, "url": saved_view_url(view), "page_title": f"Vue « {view.name} »"},
        status=400 if request.method == "POST" else 200,
    )


@agent_required
@post_only(on_get=_back_to_view)
def saved_view_delete(request, pk):
    """Delete one of my saved views."""
    view = get_object_or_404(scopes.visible_saved_views(request.user), pk=pk)
    services.saved_view_delete(saved_view=view, user=request.user, request=request)
    request.session.pop(SESSION_KEY, None)
    messages.success(request, f"La vue « {view.name} » est supprimée.")
    return redirect("workflows:saved_views")
