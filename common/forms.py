"""Form fields and helpers shared by every app: bounded dates and periods, one-line text, service errors."""

from datetime import date, datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from common import dates, text


class BoundedDateField(forms.DateField):
    """A date typed as JJ/MM/AAAA or AAAA-MM-JJ, refused in French outside the window of common.dates."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # No "max": it moves with today, and field widgets are built once per process.
        attrs.setdefault("min", dates.EARLIEST.isoformat())
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value.date() if isinstance(value, datetime) else value
        try:
            return dates.parse_date(str(value))
        except dates.DateInputError as error:
            if error.message == dates.MALFORMED:
                raise forms.ValidationError(dates.MALFORMED, code="invalid") from None
            raise forms.ValidationError(error.message, code="out_of_window") from None

    def validate(self, value):
        super().validate(value)
        if value is not None:
            try:
                dates.check_date(value)
            except dates.DateInputError as error:
                raise forms.ValidationError(error.message, code="out_of_window") from None


class BoundedPeriodMixin:
    """For a form with two bounded dates: end on or after start, and a very long period clamped with a notice.

    `period_fields` names the (start, end) fields; after validation `period_notice` holds the notice ("" if none)
    and cleaned_data holds the clamped start.
    """

    period_fields = ("start", "end")
    period_notice = ""

    def clean(self):
        cleaned = super().clean()
        start_name, end_name = self.period_fields
        start, end = cleaned.get(start_name), cleaned.get(end_name)
        if start and end:
            try:
                period = dates.bound_period(start, end)
            except dates.DateInputError as error:
                self.add_error(end_name, error.message)
            else:
                cleaned[start_name] = period.start
                self.period_notice = period.notice
        return cleaned


class BoundedDateFilter(django_filters.DateFilter):
    """A django-filter date filter reading its value through BoundedDateField."""

    field_class = BoundedDateField


class SingleLineCharField(forms.CharField):
    """A one-line text (a name): line breaks and tabs become a space, other control characters are refused."""

    default_error_messages = {
        "control_characters": "Ce champ contient des caractères invisibles non autorisés : retirez-les.",
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        return " ".join("".join(" " if char in text.LINE_BREAKS else char for char in value).split())

    def validate(self, value):
        super().validate(value)
        if text.has_control_characters(value):
            raise forms.ValidationError(self.error_messages["control_characters"], code="control_characters")


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the matching fields (or at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
