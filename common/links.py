"""Which link targets editors may enter: an absolute http(s) address, or a path of this site starting with « / »."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

LINK_MESSAGE = "Saisissez une adresse complète (https://…) ou un chemin du site commençant par « / »."
_absolute = URLValidator(schemes=["http", "https"])


def is_safe_link(value: str) -> bool:
    """True for https://host/… and /path; False for javascript:, data:, //host, /\\host and anything with spaces."""
    if not isinstance(value, str) or not value or any(char.isspace() or ord(char) < 32 for char in value):
        return False
    if value.startswith("/"):
        # Browsers read « //host » and « /\host » as another site (a backslash counts as a slash).
        return value[1:2] not in ("/", "\\")
    try:
        _absolute(value)
    except ValidationError:
        return False
    return True


def validate_link(value: str) -> None:
    """Validator for model fields and StreamField blocks holding a link."""
    if not is_safe_link(value):
        raise ValidationError(LINK_MESSAGE, code="unsafe_link")
