"""Error tracking with Sentry (or a Sentry-compatible service), on when SENTRY_DSN is set.

Events and transactions leave the platform only after `config.logfilters.scrub_data`, the rule the logs follow:
passwords, tokens, signed links, Authorization headers, cookies, e-mail addresses and phone numbers are masked
wherever they appear (request, exception messages, frame variables, breadcrumbs). The SDK's own personal-data
collection stays off: neither send_default_pii (deprecated by SDK 2.76) nor data_collection is passed, which the SDK
reads as send_default_pii=False, and its own event scrubber stays on. Health probes are not reported: load balancers
poll them every few seconds and see outages themselves.
"""

import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from config.logfilters import scrub_data

PROBE_PATHS = ("/sante/vivant/", "/sante/pret/")
# PaaS variables that carry the deployed commit: Scalingo, then Clever Cloud.
COMMIT_VARIABLES = ("SOURCE_VERSION", "COMMIT_ID")


def _is_probe(event) -> bool:
    url = (event.get("request") or {}).get("url") or ""
    return urlsplit(url).path in PROBE_PATHS


def before_send(event, hint):
    """Drops health-probe noise, masks secrets and personal data in everything else."""
    if _is_probe(event):
        return None
    return scrub_data(event)


def before_send_transaction(event, hint):
    """Same rule for performance traces (span descriptions may quote SQL or URLs)."""
    return before_send(event, hint)


def deployed_release(environ, base_dir: Path) -> str | None:
    """The release name: SENTRY_RELEASE, the PaaS's commit variable, or the checkout's commit when git is there."""
    for name in ("SENTRY_RELEASE", *COMMIT_VARIABLES):
        if environ.get(name):
            return environ[name]
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=base_dir, capture_output=True, text=True, timeout=5, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def sentry_options(*, dsn: str, environment: str, release: str | None, traces_sample_rate: float) -> dict:
    """The keyword arguments of sentry_sdk.init for this platform."""
    from sentry_sdk.integrations.django import DjangoIntegration

    return {
        "dsn": dsn,
        "environment": environment,
        "release": release,
        "traces_sample_rate": traces_sample_rate,
        "integrations": [DjangoIntegration()],
        "before_send": before_send,
        "before_send_transaction": before_send_transaction,
    }
