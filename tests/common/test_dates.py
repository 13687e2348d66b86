"""Issue 11 item 11 (dates): every date, period or list filter a user types is read by common.dates / common.forms.

Year 9999, year 0001, malformed values and a start after the end get a French message next to the field (never a
500) on every page, export and list that reads a period; a very long period is clamped with a visible notice.
"""

import inspect
from datetime import date, timedelta

import django_filters
import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from common import dates
from common.forms import BoundedDateField, BoundedDateFilter, BoundedPeriodMixin

TODAY = timezone.localdate()

# (persona fixture, URL name, URL kwargs, start parameter, end parameter, HTML page?)
ENDPOINTS = [
    ("advisor_user", "coop:statistics", {}, "start", "end", True),
    ("advisor_user", "coop:statistics_export", {"fmt": "csv"}, "start", "end", False),
    ("advisor_user", "coop:statistics_export", {"fmt": "xlsx"}, "start", "end", False),
    ("advisor_user", "coop:activity_list", {}, "start", "end", True),
    ("advisor_user", "coop:activity_export", {"fmt": "csv"}, "start", "end", False),
    ("coordinator_user", "coop:team_statistics", {}, "start", "end", True),
    ("coordinator_user", "coop:team_statistics_export", {"fmt": "csv"}, "start", "end", False),
    ("national_admin", "pilotage:dashboard", {}, "du", "au", True),
    ("national_admin", "pilotage:dashboard_export", {"fmt": "csv"}, "du", "au", False),
    ("national_admin", "pilotage:territorial", {}, "du", "au", False),
    ("national_admin", "pilotage:territorial_export", {}, "du", "au", False),
    ("national_admin", "pilotage:exports", {}, "du", "au", True),
    ("national_admin", "pilotage:export_list", {"kind": "activites"}, "du", "au", False),
    ("national_admin", "accounts:audit_log", {}, "start", "end", True),
    ("national_admin", "workflows:queue", {}, "created_after", "created_before", True),
    ("national_admin", "workflows:dossiers", {}, "created_after", "created_before", True),
]
WINDOW = "Choisissez une date entre le 1er janvier 2020 et le "
# (query for (start, end), French message expected on an HTML page)
BAD_PERIODS = [
    pytest.param(("9999-12-31", ""), WINDOW, id="start-year-9999"),
    pytest.param(("", "9999-12-31"), WINDOW, id="end-year-9999"),
    pytest.param(("0001-01-01", ""), WINDOW, id="start-year-0001"),
    pytest.param(("", "0001-01-01"), WINDOW, id="end-year-0001"),
    pytest.param(("2024-13-45", ""), dates.MALFORMED, id="malformed-month"),
    pytest.param(("", "demain"), dates.MALFORMED, id="malformed-word"),
    pytest.param(("31/02/2024", ""), dates.MALFORMED, id="february-31"),
    pytest.param(("2024-05-01", "2024-01-01"), dates.START_AFTER_END, id="start-after-end"),
]


def _url(name, kwargs):
    return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("persona, name, kwargs, start_param, end_param, html", ENDPOINTS)
@pytest.mark.parametrize("values, message", BAD_PERIODS)
def test_item11_every_period_endpoint_refuses_bad_dates_in_french(
    request, client, persona, name, kwargs, start_param, end_param, html, values, message
):
    client.force_login(request.getfixturevalue(persona))
    query = {param: value for param, value in zip((start_param, end_param), values, strict=True) if value}
    response = client.get(_url(name, kwargs), query)
    assert response.status_code in (200, 400), response.status_code
    if html:
        page = response.content.decode()
        assert escape(message) in page
        assert 'id="erreurs"' in page or "fr-error-text" in page
        for value in query.values():  # nothing typed is lost
            assert f'value="{escape(value)}"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona, name, start_param, end_param",
    [
        ("advisor_user", "coop:statistics", "start", "end"),
        ("advisor_user", "coop:activity_list", "start", "end"),
        ("coordinator_user", "coop:team_statistics", "start", "end"),
        ("national_admin", "pilotage:dashboard", "du", "au"),
        ("national_admin", "accounts:audit_log", "start", "end"),
        ("national_admin", "workflows:dossiers", "created_after", "created_before"),
    ],
)
def test_item11_a_very_long_period_is_clamped_with_a_visible_notice(
    request, client, persona, name, start_param, end_param
):
    client.force_login(request.getfixturevalue(persona))
    end = dates.latest(TODAY)
    response = client.get(reverse(name), {start_param: "2020-01-01", end_param: end.isoformat()})
    assert response.status_code == 200
    clamped = dates.add_years(end, -dates.MAX_PERIOD_YEARS)
    page = response.content.decode()
    assert "fr-alert--info" in page
    assert escape(f"La période demandée dépasse {dates.MAX_PERIOD_YEARS} ans") in page
    assert escape(dates.fr_date(clamped)) in page


@pytest.mark.django_db
def test_item11_the_clamped_period_is_the_one_counted(client, advisor_user):
    client.force_login(advisor_user)
    end = dates.latest(TODAY)
    response = client.get(reverse("coop:statistics"), {"start": "2020-01-01", "end": end.isoformat()})
    assert response.context["period"].start == dates.add_years(end, -dates.MAX_PERIOD_YEARS)
    assert response.context["period"].end == end


class TestParser:
    """Issue 11 item 11: the one parser and its window."""

    @pytest.mark.parametrize("value", ["2020-01-01", "01/01/2020", TODAY.isoformat(), TODAY.strftime("%d/%m/%Y")])
    def test_item11_it_reads_both_formats_inside_the_window(self, value):
        assert dates.EARLIEST <= dates.parse_date(value) <= TODAY

    @pytest.mark.parametrize(
        "value", ["9999-12-31", "0001-01-01", "2019-12-31", dates.add_years(TODAY, 6).isoformat()]
    )
    def test_item11_it_refuses_dates_outside_the_window(self, value):
        with pytest.raises(dates.DateInputError) as error:
            dates.parse_date(value)
        assert error.value.message.startswith(WINDOW)

    @pytest.mark.parametrize("value", ["", "2024-1-5", "2024-02-30", "abcdefghij", "2024-05-01T00:00", "١٢/٠٥/٢٠٢٤"])
    def test_item11_it_refuses_malformed_values(self, value):
        with pytest.raises(dates.DateInputError) as error:
            dates.parse_date(value)
        assert error.value.message == dates.MALFORMED

    def test_item11_the_window_moves_with_today_and_a_date_takes_effect_on_its_day(self):
        later = date(2031, 2, 1)
        assert dates.parse_date("2036-02-01", today=later) == date(2036, 2, 1)
        with pytest.raises(dates.DateInputError):
            dates.parse_date("2036-02-01", today=later - timedelta(days=1))

    def test_item11_the_last_day_of_the_window_from_a_29_february(self):
        assert dates.latest(date(2028, 2, 29)) == date(2033, 2, 28)

    def test_item11_a_period_of_at_most_the_maximum_is_kept(self):
        period = dates.bound_period(date(2021, 3, 4), date(2031, 3, 4))
        assert (period.start, period.end, period.notice) == (date(2021, 3, 4), date(2031, 3, 4), "")

    def test_item11_a_longer_period_keeps_its_end_and_says_so(self):
        period = dates.bound_period(date(2020, 1, 1), date(2031, 3, 4))
        assert (period.start, period.end) == (date(2021, 3, 4), date(2031, 3, 4))
        assert period.notice == (
            "La période demandée dépasse 10 ans : elle a été ramenée à la période du 4 mars 2021 au 4 mars 2031."
        )

    def test_item11_start_after_end_is_refused(self):
        with pytest.raises(dates.DateInputError) as error:
            dates.bound_period(date(2024, 5, 2), date(2024, 5, 1))
        assert error.value.message == dates.START_AFTER_END


class PeriodForm(BoundedPeriodMixin, forms.Form):
    start = BoundedDateField(required=False)
    end = BoundedDateField(required=False)


class TestFields:
    """Issue 11 item 11: the form field and the period mixin."""

    def test_item11_the_field_refuses_year_9999_next_to_itself_and_keeps_the_input(self):
        form = PeriodForm({"start": "9999-12-31", "end": ""})
        assert not form.is_valid()
        assert form.errors["start"][0].startswith(WINDOW)
        assert form["start"].value() == "9999-12-31"

    def test_item11_the_field_accepts_a_date_object_as_initial_data(self):
        assert BoundedDateField().clean(date(2024, 5, 1)) == date(2024, 5, 1)
        with pytest.raises(forms.ValidationError):
            BoundedDateField().clean(date(1, 1, 1))

    def test_item11_the_mixin_reports_start_after_end_on_the_end_field(self):
        form = PeriodForm({"start": "2024-05-02", "end": "2024-05-01"})
        assert not form.is_valid()
        assert form.errors == {"end": [dates.START_AFTER_END]}

    def test_item11_the_mixin_clamps_and_exposes_the_notice(self):
        form = PeriodForm({"start": "2020-01-01", "end": "2031-03-04"})
        assert form.is_valid()
        assert form.cleaned_data["start"] == date(2021, 3, 4)
        assert "ramenée" in form.period_notice

    def test_item11_the_date_input_offers_the_earliest_day(self):
        assert BoundedDateField().widget.attrs["min"] == "2020-01-01"


def _project_classes():
    from accounts import audit
    from accounts import forms as account_forms
    from content import forms as content_forms
    from directory import forms as directory_forms
    from reporting import filters as reporting_filters
    from reporting import forms as reporting_forms
    from workflows import filters as workflow_filters
    from workflows.forms import decisions as workflow_decision_forms
    from workflows.forms import fields as workflow_form_fields
    from workflows.forms import public as workflow_public_forms
    from workflows.forms import structure as workflow_structure_forms

    modules = [
        audit,
        account_forms,
        content_forms,
        directory_forms,
        reporting_filters,
        reporting_forms,
        workflow_filters,
        workflow_decision_forms,
        workflow_form_fields,
        workflow_public_forms,
        workflow_structure_forms,
    ]
    for module in modules:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                yield cls


def test_item11_no_form_or_filter_reads_a_date_without_the_bounded_field():
    """The class-wide guard: a new DateField or DateFilter in a form or filter fails here."""
    unbounded = []
    for cls in _project_classes():
        fields = getattr(cls, "base_fields", None) or {}
        filters = getattr(cls, "base_filters", None) or {}
        unbounded += [
            f"{cls.__name__}.{name}"
            for name, field in fields.items()
            if isinstance(field, forms.DateField) and not isinstance(field, BoundedDateField)
        ]
        unbounded += [
            f"{cls.__name__}.{name}"
            for name, field in filters.items()
            if isinstance(field, django_filters.DateFilter) and not isinstance(field, BoundedDateFilter)
        ]
    assert unbounded == []
