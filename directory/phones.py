"""Phone numbers in the international form the national schemas want (+33…, +590…), and readable for people.

Design note. The parsing, the validity check and the display grouping come from `phonenumbers` (the Python port of
Google's libphonenumber, updated with every numbering-plan change) rather than hand rules: it knows which ranges
exist in each French territory and how each one is written, and rejects numbers that are only the right length
(a typo into an unallocated range). What it cannot know is which territory a number typed in the national form
belongs to: overseas departments share France's national prefix 0, so « 0590 12 34 56 » parsed as French is an
invalid +33 number. Routing is therefore ours, from the number's own prefix (ARCEP's plan: 0590/0690/0691
Guadeloupe and Saint-Martin/Saint-Barthélemy, 0594/0694 Guyane, 0262/0263/0692/0693 La Réunion, 0269/0639
Mayotte, 0596/0696/0697 Martinique) and, for the short numbers of the collectivities outside the plan
(Saint-Pierre-et-Miquelon, Wallis-et-Futuna, Polynésie française, Nouvelle-Calédonie), from the place's department
code. Mayotte is +262 (the lieux schema also lists +269, which is the Comoros). Stored values are E.164
(« +33123456789 »); people read the national grouping (« 01 23 45 67 89 », « 0590 12 34 56 ») or, outside
France's plan, the international one (« +687 12 34 56 »).
"""

import re

import phonenumbers

# The prefixes the lieux schema v1.0.2 accepts (its `telephone` pattern), as country calling codes.
SCHEMA_COUNTRY_CODES = frozenset({33, 590, 594, 262, 596, 269, 687, 689, 508, 681})
SCHEMA_PATTERN = re.compile(r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$")
# Countries whose numbers people dial with a leading 0 from anywhere in France: shown in the national form.
NATIONAL_DISPLAY_CODES = frozenset({33, 590, 594, 262, 596})

PREFIX_REGIONS = {
    "0590": "GP",
    "0690": "GP",
    "0691": "GP",
    "0594": "GF",
    "0694": "GF",
    "0262": "RE",
    "0263": "RE",
    "0692": "RE",
    "0693": "RE",
    "0269": "YT",
    "0639": "YT",
    "0596": "MQ",
    "0696": "MQ",
    "0697": "MQ",
}
DEPARTMENT_REGIONS = {
    "971": "GP",
    "972": "MQ",
    "973": "GF",
    "974": "RE",
    "975": "PM",
    "976": "YT",
    "977": "BL",
    "978": "MF",
    "986": "WF",
    "987": "PF",
    "988": "NC",
}
_SEPARATORS = re.compile(r"[\s.\-/()\u00a0\u202f]")
_TRUNK_ZERO = re.compile(r"\(0\)")


def _compact(raw: str) -> str:
    text = _TRUNK_ZERO.sub("", raw or "")
    compact = _SEPARATORS.sub("", text)
    return "+" + compact[2:] if compact.startswith("00") else compact


def parse_phone(raw: str, department_code: str = "") -> phonenumbers.PhoneNumber | None:
    """The number meant by what was typed (any country when written with +), or None when it is not a valid one."""
    compact = _compact(raw)
    if not compact or not re.fullmatch(r"\+?\d{4,15}", compact):
        return None
    if compact.startswith("+"):
        region = None
    elif len(compact) == 10 and compact.startswith("0"):
        region = PREFIX_REGIONS.get(compact[:4], "FR")
    else:
        # Only the collectivities outside France's plan write numbers without a leading 0 (6 or 8 digits).
        region = DEPARTMENT_REGIONS.get(department_code)
        if region is None:
            return None
    try:
        number = phonenumbers.parse(compact, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def e164_phone(raw: str, department_code: str = "") -> str:
    """Any valid number in E.164 (« +33123456789 », « +32… »), or "" when it is not one."""
    number = parse_phone(raw, department_code)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if number else ""


def international_phone(raw: str, department_code: str = "") -> str:
    """The number as the lieux schema wants it (+33XXXXXXXXX, overseas prefixes), or "" when it cannot be."""
    number = parse_phone(raw, department_code)
    if number is None or number.country_code not in SCHEMA_COUNTRY_CODES:
        return ""
    value = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return value if SCHEMA_PATTERN.match(value) else ""


def display_phone(value: str) -> str:
    """A stored number as people read it (« 01 23 45 67 89 », « +687 12 34 56 »); what cannot be read, as stored."""
    number = parse_phone(value or "")
    if number is None:
        return value or ""
    if number.country_code in NATIONAL_DISPLAY_CODES:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_href(value: str) -> str:
    """The tel: link of a stored number (E.164 works from any phone), or "" when it cannot be dialled."""
    number = e164_phone(value or "")
    return f"tel:{number}" if number else ""
