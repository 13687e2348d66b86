"""The read-only page of a share link (/statistiques/partage/<token>/): an advisor's statistics, no name at all.

Public (the link is the key), so: not indexed, not kept by shared caches, no referrer sent to other sites, rate-limited
per address. An unknown, revoked, tampered or foreign token is the site's ordinary 404.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from common import throttle
from common.client_address import client_ip
from reporting import charts
from reporting.forms import PeriodFilterForm
from reporting.indicators import distribution_sections, key_figures, location_groups
from reporting.scopes import Scope
from reporting.selectors import Filters, Period, activity_statistics
from reporting.services.shares import share_from_token, statistics_share_viewed

SHARE_VIEWS_PER_HOUR = 300
PERIOD_FIELDS = ("start", "end")


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    patch_cache_control(response, private=True, no_store=True)
    return response


def shared_statistics(request, token):
    """The advisor's statistics over the period asked for (the only filter), without any name."""
    limit = throttle.Limit("statistics-share", client_ip(request) or "unknown", SHARE_VIEWS_PER_HOUR)
    wait = throttle.retry_after(limit)
    if wait:
        response = render(
            request,
            "reporting/shared/throttled.html",
            {"title": "Trop de consultations", "wait": throttle.wait_message(wait)},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return _private(response)
    throttle.consume(limit)
    share = share_from_token(token)
    if share is None:
        raise Http404("Lien de partage inconnu ou révoqué.")
    data = {name: request.GET[name] for name in PERIOD_FIELDS if name in request.GET}
    form = PeriodFilterForm(data or None, default_period=Period.year_to_date())
    statistics = activity_statistics(Scope.advisors([share.advisor_id]), form.period, Filters(), locations=True)
    structure = share.advisor.structure
    statistics_share_viewed(share=share)
    context = {
        "title": "Statistiques d'activité d'un conseiller numérique",
        "structure_name": structure.name if structure else "",
        "filter_form": form,
        "period": form.period,
        "figures": key_figures(statistics),
        "sections": distribution_sections(statistics),
        "locations": location_groups(statistics),
        "chart": charts.monthly_chart(statistics.months),
        "statistics": statistics,
    }
    return _private(render(request, "reporting/shared/statistics.html", context))
