"""Keep secrets and personal data out of logs and error reports.

`scrub` masks passwords, tokens, signed links, Authorization headers, cookies, e-mail addresses and phone numbers in
a text; `scrub_data` does the same through nested dicts and lists, masking whole values under secret keys. They are
the one rule for every channel: `ScrubSecretsFilter` rewrites every record a handler emits (message, arguments and
traceback), `ScrubbedJsonFormatter` writes JSON logs, and config.error_tracking passes Sentry events through
`scrub_data`. `SecretsExceptionReporterFilter` and `SecretsExceptionReporter` hide the secrets in Django's error
pages and e-mails.
"""

import logging
import re

from django.http import HttpRequest
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter
from pythonjsonlogger.json import JsonFormatter

MASK = "[masqué]"

# Names whose values are secrets wherever they appear: query strings, form bodies, JSON, key=value text.
SECRET_NAMES = (
    r"password\d?|passwd|new_password\d|old_password|pwd|secret|client_secret|token|access_token|id_token|"
    r"refresh_token|csrfmiddlewaretoken|csrftoken|sessionid|api_?key|signature|code|state|authorization"
)
_KEY_VALUE = re.compile(
    rf"""(?P<key>["']?\b(?:{SECRET_NAMES})\b["']?\s*[=:]\s*["']?)(?P<value>[^"'&;,\s}}]+)""", re.IGNORECASE
)
_AUTH_HEADER = re.compile(r"(?P<key>\b(?:Bearer|Basic|Token)\s+)(?P<value>[A-Za-z0-9._~+/=-]+)", re.IGNORECASE)
_SECRET_NAME = re.compile(rf"^(?:{SECRET_NAMES})$", re.IGNORECASE)
# Signed links of the e-mails: the last path segments are the credential.
_SIGNED_PATHS = re.compile(
    r"(?P<key>/(?:candidature/(?:structure|conseiller)/(?:confirmer|suivre|gerer)|invitation|"
    r"connexion/mot-de-passe)/)(?P<value>[^\s\"'?#]+?)(?=/?(?:[\s\"'?#]|$))"
)

# Partner API secrets (partners/keys.py: 48 letters and digits) pasted where they do not belong: a path, a parameter.
_PARTNER_SECRET = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{48}(?![A-Za-z0-9])")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# French numbers (0X XX XX XX XX with spaces, dots or dashes) and international ones (+33 X…, +262 X…); the
# boundaries keep SIRETs, postal codes, dates, versions and identifiers intact.
_PHONE = re.compile(r"(?<![\w.+-])(?:0|\+\d{2,3}[ .]?(?:\(0\))?[ .]?)[1-9](?:[ .-]?\d{2}){4}(?![\w-])")
# Keys whose whole value is a secret in structured data (request headers, cookies, form fields, frame variables).
_SECRET_KEY_WORDS = ("password", "passwd", "secret", "token", "cookie", "authorization", "csrf", "session", "api_key")


def scrub(text: str) -> str:
    """The text with every secret value and every e-mail address or phone number replaced by a mask."""
    if not text:
        return text
    text = _SIGNED_PATHS.sub(lambda m: m["key"] + MASK, text)
    text = _AUTH_HEADER.sub(lambda m: m["key"] + MASK, text)
    text = _KEY_VALUE.sub(lambda m: m["key"] + MASK, text)
    text = _PARTNER_SECRET.sub(MASK, text)
    text = _EMAIL.sub(MASK, text)
    return _PHONE.sub(MASK, text)


def is_secret_key(key) -> bool:
    """Whether a mapping key names a secret, so that its whole value is masked."""
    if not isinstance(key, str):
        return False
    lowered = key.lower()
    return bool(_SECRET_NAME.match(lowered)) or any(word in lowered for word in _SECRET_KEY_WORDS)


def scrub_data(value, key=None):
    """A copy of nested dicts, lists and strings with secrets and personal data masked (numbers and None kept)."""
    if key is not None and is_secret_key(key) and value not in (None, "", {}, []):
        return MASK
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {name: scrub_data(item, name) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_data(item) for item in value]
    return value


class ScrubSecretsFilter(logging.Filter):
    """Attached to every handler: formats the message once, scrubs it, and scrubs the traceback text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):  # a broken format string must not hide the record
            message = str(record.msg)
        record.msg, record.args = scrub(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


class ScrubbedJsonFormatter(JsonFormatter):
    """One JSON object per line; the traceback is scrubbed (the formatter rebuilds it from exc_info)."""

    def formatException(self, ei):
        return scrub(super().formatException(ei))

    def process_log_record(self, log_data):
        # Extra fields (django.request passes the request object) are written as text, so they are scrubbed as text.
        return {key: scrub_data(_as_json_value(value), key) for key, value in log_data.items()}


def _as_json_value(value):
    return value if isinstance(value, str | int | float | bool | dict | list | type(None)) else str(value)


class SecretsExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's filter, plus: secret form fields, query parameters, headers and signed paths always hidden."""

    hidden_settings = re.compile(
        r"API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|REDIS_URL|DSN", flags=re.IGNORECASE
    )

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if request is None or not parameters:
            return parameters
        cleansed = parameters.copy()
        for key in cleansed:
            if _SECRET_NAME.match(key) or "password" in key.lower():
                cleansed[key] = self.cleansed_substitute
        return cleansed

    def cleanse_special_types(self, request, value):
        value = super().cleanse_special_types(request, value)
        if isinstance(value, HttpRequest):  # its repr, shown among a frame's variables, carries the query string
            return scrub(repr(value))
        return value

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        for key in ("HTTP_AUTHORIZATION", "HTTP_COOKIE", "HTTP_X_CSRFTOKEN", "CSRF_COOKIE"):
            if key in meta:
                meta[key] = self.cleansed_substitute
        for key in ("QUERY_STRING", "PATH_INFO", "REQUEST_URI", "RAW_URI", "HTTP_REFERER"):
            if isinstance(meta.get(key), str):
                meta[key] = scrub(meta[key])
        return meta


class SecretsExceptionReporter(ExceptionReporter):
    """Error pages and e-mails: the request's URL and query parameters are scrubbed as well."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if "request_insecure_uri" in data:
            data["request_insecure_uri"] = scrub(data["request_insecure_uri"])
        if "request_GET_items" in data:
            data["request_GET_items"] = [
                (key, self.filter.cleansed_substitute if _SECRET_NAME.match(key) else value)
                for key, value in data["request_GET_items"]
            ]
        return data
