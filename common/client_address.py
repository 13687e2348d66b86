"""The client's IP address, the one answer used by the audit log, the throttles and django-axes."""

import ipaddress

from django.conf import settings


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The caller's address; X-Forwarded-For is read only behind trusted proxies (TRUST_X_FORWARDED_FOR).

    Each of our TRUSTED_PROXY_COUNT proxies appends the address it saw, so the client is that many entries from the
    end; entries further left are whatever the client chose to send and are never read.
    """
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and settings.TRUST_X_FORWARDED_FOR:
        entries = [entry for entry in forwarded.split(",") if entry.strip()]
        count = settings.TRUSTED_PROXY_COUNT
        if len(entries) >= count:
            address = _valid_ip(entries[-count])
            if address:
                return address
    return _valid_ip(request.META.get("REMOTE_ADDR", "") or "")
