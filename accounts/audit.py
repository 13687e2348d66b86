"""The audit log viewer's filters and CSV export (national admins only)."""

from datetime import datetime, time, timedelta

from django import forms
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from accounts.enums import AuditAction
from common import exports as export_files
from common.forms import BoundedDateField, BoundedPeriodMixin


class AuditFilterForm(BoundedPeriodMixin, DsfrBaseForm):
    """Action, actor, date range and object: every field optional, each refusal in French next to its field."""

    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Toutes les actions"), *AuditAction.choices]
    )
    actor = forms.CharField(
        label="Auteur", required=False, max_length=254, help_text="Adresse e-mail ou partie de l'adresse"
    )
    start = BoundedDateField(label="Du", required=False, help_text="Format attendu : JJ/MM/AAAA")
    end = BoundedDateField(label="Au", required=False, help_text="Format attendu : JJ/MM/AAAA")
    target = forms.CharField(
        label="Objet",
        required=False,
        max_length=255,
        help_text="Nom de l'objet, type (ex. workflows.recruitment) ou identifiant",
    )

    def clean_start(self):
        value = self.cleaned_data["start"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("Choisissez une date de début passée ou aujourd'hui.")
        return value

    def filter(self, events):
        """The events matching the valid filters (an invalid form filters nothing: its errors are shown)."""
        if not self.is_bound or not self.is_valid():
            return events
        data = self.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["actor"].strip():
            events = events.filter(
                Q(actor__email__icontains=data["actor"].strip()) | Q(actor_label__icontains=data["actor"].strip())
            )
        if data["start"]:
            events = events.filter(created_at__gte=timezone.make_aware(datetime.combine(data["start"], time.min)))
        if data["end"]:
            end = timezone.make_aware(datetime.combine(data["end"] + timedelta(days=1), time.min))
            events = events.filter(created_at__lt=end)
        target = data["target"].strip()
        if target:
            events = events.filter(
                Q(target_label__icontains=target) | Q(target_type__iexact=target) | Q(target_id=target)
            )
        return events

    def as_details(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: str(value) for key, value in self.cleaned_data.items() if value}


COLUMNS = [
    ("Date", lambda e: timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S")),
    ("Auteur", lambda e: e.actor.email if e.actor else e.actor_label or "Plateforme"),
    ("Action", lambda e: e.get_action_display()),
    ("Type d'objet", lambda e: e.target_type),
    ("Identifiant", lambda e: e.target_id),
    ("Objet", lambda e: e.target_label),
    ("Adresse IP", lambda e: e.ip_address or ""),
    ("Navigateur", lambda e: e.user_agent),
    ("Détails", lambda e: "; ".join(f"{key}={value}" for key, value in e.details.items())),
]


def _table(events):
    yield [label for label, _ in COLUMNS]
    for event in events.iterator(chunk_size=1000):
        yield [value(event) for _, value in COLUMNS]


def csv_response(events) -> StreamingHttpResponse:
    """Stream the events as CSV (semicolons, UTF-8 with BOM for spreadsheets)."""
    response = export_files.csv_response(f"journal-audit-{timezone.localdate():%Y-%m-%d}", _table(events))
    response["Cache-Control"] = "private, no-store"
    return response
