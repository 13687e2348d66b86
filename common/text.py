"""Text hygiene for what users type: one-line names, and e-mail headers and bodies free of control characters."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

# Characters that break a line (or a header) when they reach an e-mail: they become one space in a one-line value.
LINE_BREAKS = frozenset("\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# Invisible characters that are fine inside a name: the zero-width joiner of emoji sequences, soft hyphen.
ALLOWED_FORMAT = frozenset("\u00ad\u200c\u200d")
_NAMED_ADDRESS = re.compile(r"(?P<name>.*)<(?P<email>[^<>]*)>")


def is_control(char: str) -> bool:
    """A C0/C1 control, a line or paragraph separator, or an invisible format character such as a bidi override."""
    if char in ALLOWED_FORMAT:
        return False
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


def has_control_characters(value: str) -> bool:
    return any(is_control(char) for char in value or "")


def single_line(value: str) -> str:
    """One line: line breaks and tabs become one space, other control characters disappear, spaces collapse."""
    cleaned = "".join(" " if char in LINE_BREAKS else "" if is_control(char) else char for char in value or "")
    return " ".join(cleaned.split())


def multi_line(value: str) -> str:
    """A body: CRLF and CR become LF, tabs stay, every other control character disappears."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(char for char in text if char in "\n\t" or not is_control(char))


def safe_address(address: str) -> str:
    """An address 'Name <x@y>' with a one-line display name; an unusable address is dropped ("").

    The address is taken between the last angle brackets (never guessed from the name: "Foo Bcc: x@y <a@b>" is
    a@b), and must be a valid e-mail address.
    """
    value = single_line(address)
    match = _NAMED_ADDRESS.fullmatch(value)
    name, email = (match["name"].strip().strip('"').strip(), match["email"].strip()) if match else ("", value)
    try:
        validate_email(email)
    except ValidationError:
        return ""
    if not name:
        return email
    # Quoted as is (not RFC 2047-encoded here): Django encodes a non-ASCII display name when it writes the header.
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{email}>'


def normalize_siret(value: str) -> str:
    """Remove the spaces and dots people type inside a SIRET."""
    return "".join(char for char in value if char not in " .\u00a0")
