"""Fixed-window counters in the shared cache: check before acting, count only what was actually done."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone


@dataclass(frozen=True)
class Limit:
    """At most `limit` actions of one kind (`scope`) by one subject (`subject`: an address, an e-mail…) per window."""

    scope: str
    subject: str
    limit: int
    window: int = 60 * 60

    def _bucket(self) -> tuple[str, int]:
        now = int(timezone.now().timestamp())
        start = now - now % self.window
        # Hashed: the cache must not hold e-mail addresses or SIRETs in clear.
        digest = hashlib.sha256(self.subject.strip().lower().encode()).hexdigest()[:32]
        return f"throttle:{self.scope}:{digest}:{start}", start + self.window - now


def retry_after(*limits: Limit) -> int | None:
    """Seconds to wait when one of the limits is already reached, None while every one still has room."""
    waits = []
    for limit in limits:
        key, remaining = limit._bucket()
        if (cache.get(key) or 0) >= limit.limit:
            waits.append(max(remaining, 1))
    return max(waits) if waits else None


def consume(*limits: Limit) -> None:
    """Count one action against each limit."""
    for limit in limits:
        key, remaining = limit._bucket()
        cache.add(key, 0, timeout=remaining + 1)
        try:
            cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=remaining + 1)


def wait_message(seconds: int) -> str:
    """The French sentence telling how long to wait."""
    minutes = max(1, -(-seconds // 60))
    return f"Réessayez dans {minutes} minute{'s' if minutes > 1 else ''}."
