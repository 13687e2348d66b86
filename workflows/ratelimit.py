"""A per-IP rate limit of the public forms, kept in the shared cache (Redis in production)."""

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone

from accounts.services import client_ip


def hit(scope: str, request, limit: int) -> bool:
    """Count one submission for this IP in the current hour; True while within the limit."""
    key = f"ratelimit:{scope}:{client_ip(request) or 'unknown'}:{timezone.now():%Y%m%d%H}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=60 * 60)
        count = 1
    return count <= limit


def limit_submissions(scope: str):
    """Answer 429 (DSFR page, French message) to POSTs beyond APPLICATION_RATE_LIMIT_PER_HOUR per IP."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and not hit(scope, request, settings.APPLICATION_RATE_LIMIT_PER_HOUR):
                return render(request, "workflows/public/rate_limited.html", status=429)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
