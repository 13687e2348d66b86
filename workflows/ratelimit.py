"""Abuse limits of the public application forms: per applicant (e-mail, SIRET) and, generously, per address.

Only accepted submissions count, so a refused form never uses up the quota of a connection that a France Travail
agency, a library or a town hall shares between many applicants.
"""

from django.conf import settings
from django.shortcuts import render

from common import throttle
from common.client_address import client_ip


def application_limits(scope: str, request, identities: list[str]) -> list[throttle.Limit]:
    """The limits one submission of this form counts against."""
    limits = [
        throttle.Limit(f"apply-ip:{scope}", client_ip(request) or "unknown", settings.APPLICATION_IP_LIMIT_PER_HOUR)
    ]
    limits += [
        throttle.Limit(f"apply-id:{scope}", identity, settings.APPLICATION_RATE_LIMIT_PER_HOUR)
        for identity in identities
        if identity
    ]
    return limits


def throttled(request, form, template: str, context: dict, seconds: int):
    """The form again, as typed, with a French error and a 429 that tells when to come back."""
    form.add_error(
        None,
        f"Trop de demandes envoyées pour ce demandeur ou depuis cette connexion. {throttle.wait_message(seconds)}",
    )
    response = render(request, template, {"form": form, **context}, status=429)
    response["Retry-After"] = str(seconds)
    return response
