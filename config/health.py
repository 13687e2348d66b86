"""Liveness and readiness probes for load balancers and the PaaS: GET /sante/vivant/ and GET /sante/pret/.

`ProbeMiddleware` answers both paths itself, right after SecurityMiddleware, and /metriques/ when PROMETHEUS_METRICS
is on (config.metrics): what machines poll creates no session, needs no CSRF token, is never counted by a rate limit,
and never reads the Host header (a probe or a scraper addresses each node by its IP, which ALLOWED_HOSTS rightly
refuses for every other page; the answers do not depend on the host, so nothing built from the header can be
poisoned). SECURE_REDIRECT_EXEMPT keeps them on plain http behind the load balancer.

Readiness runs django-health-check's Database, Cache and Storage checks (the private storage when configured) and
`TaskBacklog`. The JSON names each check with "ok" or "en panne" and nothing else: the reason (which may name a host
or a driver error) goes to the log only.
"""

import asyncio
import dataclasses
import datetime

from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.db.models import Q
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django_tasks_db.models import DBTaskResult, get_date_max
from health_check import checks
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from config.metrics import METRICS_PATH, metrics_view

LIVENESS_PATH = "/sante/vivant/"
READINESS_PATH = "/sante/pret/"


def private_storage_alias() -> str:
    """The storage that holds private files: "private" once object storage defines it, "default" before."""
    return "private" if "private" in settings.STORAGES else "default"


@dataclasses.dataclass
class TaskBacklog(HealthCheck):
    """Not ready when more than `max_tasks` background tasks have waited over `max_minutes` for a worker."""

    max_minutes: int = 15
    max_tasks: int = 0

    async def run(self):
        # thread_sensitive: the request thread's connection, not a new one per probe.
        stale = await sync_to_async(self.count_stale)()
        if stale > self.max_tasks:
            raise ServiceUnavailable(f"{stale} tâche(s) en attente depuis plus de {self.max_minutes} minutes")

    def count_stale(self) -> int:
        """How many READY tasks became runnable before the cut-off (counting stops past the limit)."""
        cutoff = timezone.now() - datetime.timedelta(minutes=self.max_minutes)
        stale = DBTaskResult.objects.ready().filter(
            Q(run_after=get_date_max()) | Q(run_after__lt=cutoff), enqueued_at__lt=cutoff
        )
        return stale.order_by()[: self.max_tasks + 1].count()


CHECK_NAMES = {
    checks.Database: "base_de_donnees",
    checks.Cache: "cache",
    checks.Storage: "stockage",
    TaskBacklog: "taches",
}


class ReadinessView(HealthCheckView):
    """Runs the readiness checks concurrently; answers JSON, 200 when all pass and 503 otherwise."""

    def get_checks(self):
        yield checks.Database()
        yield checks.Cache()
        yield checks.Storage(alias=private_storage_alias())
        yield TaskBacklog(max_minutes=settings.TASK_BACKLOG_MAX_MINUTES, max_tasks=settings.TASK_BACKLOG_MAX_TASKS)

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in self.get_checks()))
        failed = any(result.error for result in results)
        body = {
            "statut": "indisponible" if failed else "pret",
            "verifications": {
                CHECK_NAMES[type(result.check)]: "en panne" if result.error else "ok" for result in results
            },
        }
        return JsonResponse(body, status=503 if failed else 200)


def liveness(request):
    """The process answers: neither the database nor the cache is touched."""
    return JsonResponse({"statut": "vivant"})


readiness = async_to_sync(ReadinessView.as_view())
PROBES = {LIVENESS_PATH: liveness, READINESS_PATH: readiness}


class ProbeMiddleware:
    """Answers the probe and metrics paths before sessions, CSRF, host validation, rate limits and authentication."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.probes = dict(PROBES)
        if settings.PROMETHEUS_METRICS:
            self.probes[METRICS_PATH] = metrics_view

    def __call__(self, request):
        probe = self.probes.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        response = probe(request)
        add_never_cache_headers(response)
        return response
