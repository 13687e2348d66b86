"""Opening hours of a place ({weekday: {matin|apres_midi: ["HH:MM", "HH:MM"] or None}}) in words and in OSM format."""

from directory.enums import DayPart, Weekday

OSM_DAYS = {
    Weekday.MONDAY: "Mo",
    Weekday.TUESDAY: "Tu",
    Weekday.WEDNESDAY: "We",
    Weekday.THURSDAY: "Th",
    Weekday.FRIDAY: "Fr",
    Weekday.SATURDAY: "Sa",
    Weekday.SUNDAY: "Su",
}


def _spans(hours: dict, day: str) -> list[tuple[str, str]]:
    parts = (hours or {}).get(day) or {}
    return [tuple(parts[part]) for part in (DayPart.MORNING, DayPart.AFTERNOON) if parts.get(part)]


def _french_time(value: str) -> str:
    hour, minute = value.split(":")
    return f"{int(hour)} h {minute}" if minute != "00" else f"{int(hour)} h"


def opening_hours_lines(hours: dict) -> list[tuple[str, str]]:
    """(day, "9 h – 12 h 30 et 13 h 30 – 17 h 30") for each open day, Monday first."""
    lines = []
    for day in Weekday:
        spans = _spans(hours, day.value)
        if spans:
            lines.append((day.label, " et ".join(f"{_french_time(a)} – {_french_time(b)}" for a, b in spans)))
    return lines


def osm_opening_hours(hours: dict) -> str:
    """The OpenStreetMap opening_hours syntax used by the lieux de médiation numérique schema (Mo-Fr 09:00-12:30)."""
    groups: list[tuple[list[str], str]] = []
    for day in Weekday:
        spans = ",".join(f"{start}-{end}" for start, end in _spans(hours, day.value))
        if groups and groups[-1][1] == spans and spans:
            groups[-1][0].append(OSM_DAYS[day])
        else:
            groups.append(([OSM_DAYS[day]], spans))
    rules = []
    for days, spans in groups:
        if not spans:
            continue
        label = days[0] if len(days) == 1 else f"{days[0]}-{days[-1]}" if len(days) > 2 else ",".join(days)
        rules.append(f"{label} {spans}")
    return "; ".join(rules)
