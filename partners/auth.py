"""Who is calling /api/partenaires/: the bearer token, its validity dates, its rights and its rate limit.

Design (issue 18 §4):
- One indexed SELECT per call finds the token by its public prefix; the whole secret is then compared with the
  stored SHA-256 in constant time (partners/keys.py). Unknown, revoked, expired and not-yet-valid tokens answer 401
  with a French sentence (raised as ninja's AuthenticationError; config/api.py shapes every error); the status of a
  token (revoked, expired…) is only told to whoever holds its whole secret.
- `last_used_at` is written at most once a minute per token (one UPDATE, no SELECT): the lists show it to the
  minute, and a busy partner does not turn every read into a write on the token's row.
- The rate limit is per token (not per address: a partner's servers may share one, or use many), counted in the
  shared cache by common/throttle.py (fixed one-minute windows, every node counts in the same bucket), through
  ninja's throttle hook, which answers 429 with Retry-After. A refused call is not counted.
- Failed authentications are limited per client address (FAILED_PER_MINUTE) before any lookup: guessing is hopeless
  (about 285 bits of secret) but each attempt would still cost a query.
- What the audit middleware needs (the token's id, the prefix tried) is left on the request as `partner_token_id`
  and `partner_prefix`, so that logging a call costs one INSERT and no SELECT.
"""

import threading
from datetime import timedelta

from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from common import throttle
from common.client_address import client_ip
from common.dates import fr_date
from partners import keys
from partners.enums import Right
from partners.models import ApiToken

LAST_USED_PRECISION = timedelta(minutes=1)
FAILED_PER_MINUTE = 30
WINDOW_SECONDS = 60

MISSING = "Jeton manquant : envoyez l'en-tête « Authorization: Bearer <jeton> »."
MALFORMED = "En-tête Authorization invalide : il doit avoir la forme « Bearer <jeton> »."
UNKNOWN = "Jeton inconnu : vérifiez qu'il a été copié en entier, ou demandez-en un à l'équipe nationale."
TOO_MANY_FAILURES = "Trop de tentatives avec un jeton invalide depuis cette adresse."

RIGHT_MESSAGES = {
    Right.STATISTICS: "Ce jeton ne donne pas accès aux statistiques agrégées.",
    Right.PLACES: "Ce jeton ne donne pas accès aux lieux.",
    Right.STRUCTURES: "Ce jeton ne donne pas accès aux structures.",
    Right.ADVISORS: "Ce jeton ne donne pas accès à l'annuaire des conseillers.",
}


def _moment(value) -> str:
    local = timezone.localtime(value)
    return f"{fr_date(local.date())} à {local:%H:%M}"


def refusal(token: ApiToken, now) -> str | None:
    """The French reason a token may not be used now, or None when it may."""
    status = token.status(now)
    if status == "revoked":
        return f"Ce jeton a été révoqué le {_moment(token.revoked_at)} : demandez-en un nouveau à l'équipe nationale."
    if status == "expired":
        return f"Ce jeton a expiré le {_moment(token.expires_at)} : demandez-en un nouveau à l'équipe nationale."
    if status == "scheduled":
        return f"Ce jeton ne sera valable qu'à partir du {_moment(token.valid_from)}."
    return None


def _failure_limit(request) -> throttle.Limit:
    return throttle.Limit(
        "api-partenaires-echecs", client_ip(request) or "inconnue", FAILED_PER_MINUTE, WINDOW_SECONDS
    )


def _refuse(request, message: str):
    throttle.consume(_failure_limit(request))
    raise AuthenticationError(401, message)


class PartnerBearer(HttpBearer):
    """`Authorization: Bearer <secret>`: the ApiToken when it may be used now, else a 401 with the reason."""

    def __call__(self, request):
        header = request.headers.get(self.header, "")
        scheme, _, secret = header.strip().partition(" ")
        if not header.strip():
            _refuse(request, MISSING)
        if scheme.lower() != self.openapi_scheme or not secret.strip():
            _refuse(request, MALFORMED)
        return self.authenticate(request, secret.strip())

    def authenticate(self, request, token: str):
        request.partner_prefix = "".join(char for char in keys.prefix_of(token) if char in keys.ALPHABET)
        wait = throttle.retry_after(_failure_limit(request))
        if wait:
            request.partner_retry_after = wait
            raise HttpError(429, f"{TOO_MANY_FAILURES} {throttle.wait_message(wait)}")
        api_token = ApiToken.objects.filter(prefix=keys.prefix_of(token)).first()
        if api_token is None or not keys.matches(token, api_token.secret_hash):
            _refuse(request, UNKNOWN)
        request.partner_token_id = api_token.pk
        now = timezone.now()
        reason = refusal(api_token, now)
        if reason:
            _refuse(request, reason)
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
            api_token.last_used_at = now
        return api_token


_waits = threading.local()


class PartnerRateLimit(BaseThrottle):
    """At most `token.rate_limit` calls per minute per token; the refused call answers 429 with Retry-After."""

    def allow_request(self, request) -> bool:
        token = request.auth
        limit = throttle.Limit("api-partenaires", str(token.pk), token.rate_limit, WINDOW_SECONDS)
        wait = throttle.retry_after(limit)
        if wait:
            # wait() takes no request: one instance serves every thread, so the answer is kept per thread.
            _waits.value = wait
            request.partner_retry_after = wait
            return False
        throttle.consume(limit)
        return True

    def wait(self) -> float | None:
        return getattr(_waits, "value", None)


def require(request, right: str) -> ApiToken:
    """The caller's token, or 403 when it lacks `right`."""
    token = request.auth
    if right not in token.rights:
        raise HttpError(403, RIGHT_MESSAGES[right])
    return token
