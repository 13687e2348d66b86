"""Typed readers for environment variables: a bad value stops start-up with a clear message."""

import ipaddress
import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    """Return a string variable; raise when required and missing or empty."""
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"La variable d'environnement {name} est obligatoire.")
        return default if default is not None else ""
    return value


def env_bool(name: str, default: bool) -> bool:
    """Return a boolean variable written as true/false, 1/0, yes/no or on/off."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} : valeur booléenne attendue (true/false, 1/0, yes/no, on/off).")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return an integer variable, checked against optional bounds."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} : nombre entier attendu.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} : doit être supérieur ou égal à {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} : doit être inférieur ou égal à {maximum}.")
    return number


def env_float(name: str, default: float, *, minimum: float | None = None, maximum: float | None = None) -> float:
    """Return a decimal variable (a dot as separator), checked against optional bounds."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = float(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} : nombre décimal attendu (par ex. 0.1).") from None
    if number != number or (minimum is not None and number < minimum):  # NaN is no number
        raise ImproperlyConfigured(f"{name}={value!r} : doit être supérieur ou égal à {minimum}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={value!r} : doit être inférieur ou égal à {maximum}.")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Return a comma-separated list variable, without empty items."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_networks(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated list of IP addresses or networks (10.0.0.0/8), each checked."""
    entries = env_list(name, default)
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name} : {entry!r} n'est ni une adresse IP ni un réseau.") from None
    return entries


def env_choice(name: str, default: str, choices: set[str]) -> str:
    """Return a variable that must be one of a fixed set of values."""
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} : valeurs possibles {', '.join(sorted(choices))}.")
    return value


def env_database(name: str, default: str) -> dict:
    """Return a Django DATABASES entry from a URL (sqlite:///path or postgres://user@host:port/name)."""
    url = env_str(name, default)
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in _DATABASE_SCHEMES:
        raise ImproperlyConfigured(
            f"{name} : schéma {scheme or '(absent)'!r} non pris en charge, utilisez sqlite ou postgres."
        )
    try:
        config = dj_database_url.parse(url)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} : URL invalide ({error}).") from None
    if config["ENGINE"] == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} : le nom de la base PostgreSQL manque.")
    return config
