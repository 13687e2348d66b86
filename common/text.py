"""Text hygiene for what users type: one-line names, and e-mail headers and bodies free of control characters."""

import unicodedata
from email.utils import formataddr, parseaddr

# Characters that break a line (or a header) when they reach an e-mail: they become one space in a one-line value.
LINE_BREAKS = frozenset("\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# Invisible characters that are fine inside a name: the zero-width joiner of emoji sequences, soft hyphen.
ALLOWED_FORMAT = frozenset("\u00ad\u200c\u200d")


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
    """An address 'Name <x@y>' with a one-line display name; an unusable address is dropped ("")."""
    if has_control_characters(address or ""):
        address = single_line(address)
    name, email = parseaddr(address or "")
    if not email or "@" not in email or any(char.isspace() for char in email):
        return ""
    return formataddr((single_line(name), email)) if name else email
