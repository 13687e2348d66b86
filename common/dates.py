"""The one bounded reader of dates and periods typed by users (forms, filters, query strings).

Every date a user types must fall in a sane window: from the programme start (1 January 2020) to
FUTURE_YEARS years after today. Outside it the input is refused with a French message (a year 9999 would
otherwise overflow date arithmetic into a 500, and a year 0001 scans years of nothing). A valid but very long
period (more than MAX_PERIOD_YEARS years) is clamped to its last MAX_PERIOD_YEARS years, with a notice.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

EARLIEST = date(2020, 1, 1)
FUTURE_YEARS = 5
MAX_PERIOD_YEARS = 10
INPUT_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
MAX_INPUT_LENGTH = 10

MALFORMED = "Saisissez une date valide."
START_AFTER_END = "La date de fin doit être postérieure ou égale à la date de début."


class DateInputError(ValueError):
    """A date typed by a user that cannot be used; `message` is the French text shown next to the field."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def add_years(day: date, years: int) -> date:
    """The same day `years` years later (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def latest(today: date | None = None) -> date:
    """The last date a user may type: FUTURE_YEARS years after today."""
    return add_years(today or timezone.localdate(), FUTURE_YEARS)


MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()


def fr_date(day: date) -> str:
    """1 January 2020 → "1er janvier 2020" (no locale needed)."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def out_of_window_message(today: date | None = None) -> str:
    return f"Choisissez une date entre le {fr_date(EARLIEST)} et le {fr_date(latest(today))}."


def check_date(day: date, *, today: date | None = None) -> date:
    """The date itself if it falls in the window, else DateInputError."""
    if not EARLIEST <= day <= latest(today):
        raise DateInputError(out_of_window_message(today))
    return day


def parse_date(value: str, *, today: date | None = None) -> date:
    """A date typed as AAAA-MM-JJ (HTML date input) or JJ/MM/AAAA, inside the window; DateInputError otherwise."""
    text = (value or "").strip()
    if len(text) != MAX_INPUT_LENGTH:
        raise DateInputError(MALFORMED)
    for pattern in INPUT_FORMATS:
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return check_date(day, today=today)
    raise DateInputError(MALFORMED)


@dataclass(frozen=True)
class BoundedPeriod:
    """A period as it will be used, and the notice to show when it was clamped ("" otherwise)."""

    start: date
    end: date
    notice: str = ""


def bound_period(start: date, end: date) -> BoundedPeriod:
    """Clamp a period (start <= end, both checked) to its last MAX_PERIOD_YEARS years, saying so."""
    if start > end:
        raise DateInputError(START_AFTER_END)
    earliest_start = add_years(end, -MAX_PERIOD_YEARS)
    if start >= earliest_start:
        return BoundedPeriod(start, end)
    return BoundedPeriod(
        earliest_start,
        end,
        f"La période demandée dépasse {MAX_PERIOD_YEARS} ans : elle a été ramenée à la période du "
        f"{fr_date(earliest_start)} au {fr_date(end)}.",
    )
