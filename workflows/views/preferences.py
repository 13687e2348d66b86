"""The agent's notification preferences page (« Mes notifications »)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from common.forms import apply_errors
from workflows.audiences import INTERNAL_NOTE_READERS
from workflows.forms.preferences import NotificationPreferencesForm
from workflows.services.preferences import notification_events, notification_modes, notification_preferences_save


@require_http_methods(["GET", "POST"])
@role_required(*sorted(INTERNAL_NOTE_READERS))
def preferences(request):
    """For each kind of event: an e-mail at once or the daily digest."""
    user = request.user
    events = notification_events(user)
    modes = notification_modes(user)
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" else None,
        events=events,
        initial={event: modes[event] for event in events},
    )
    if request.method == "POST" and form.is_valid():
        try:
            notification_preferences_save(user=user, modes=form.cleaned_data, request=request)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Vos préférences de notification sont enregistrées.")
            return redirect("workflows:preferences")
    return render(
        request,
        "workflows/espace/preferences.html",
        {"page_title": "Mes notifications", "form": form},
        status=400 if form.errors else 200,
    )
