"""Request metrics for Prometheus (django-prometheus), on when PROMETHEUS_METRICS=true.

GET /metriques/ (answered by config.health.ProbeMiddleware, whatever the Host header, since Prometheus scrapes each
node by its address) is served only to the addresses and networks of METRICS_ALLOWED_IPS, read through
common.client_address (so behind our proxies it is the client's address, not the proxy's); anyone else gets an
empty 404. With several gunicorn workers, each worker counts in its own files under PROMETHEUS_MULTIPROC_DIR and
the page adds them up (prometheus_client's multiprocess mode): gunicorn's configuration calls
`clear_multiprocess_dir` once in the master before the workers start (on_starting) and `forget_worker` when a worker
exits (child_exit). These two need no Django settings.
"""

import ipaddress
import os
import shutil
from pathlib import Path

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
METRICS_PATH = "/metriques/"


def clear_multiprocess_dir(environ=os.environ) -> Path | None:
    """Empties (or creates) the shared metrics folder, so counts of a previous run are not added to this one."""
    folder = environ.get(MULTIPROC_VARIABLE)
    if not folder:
        return None
    path = Path(folder)
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def forget_worker(pid: int, environ=os.environ) -> None:
    """Drops the live gauges of a worker that exited (its counters stay in the totals)."""
    if environ.get(MULTIPROC_VARIABLE):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid, environ[MULTIPROC_VARIABLE])


def is_allowed(address: str | None, allowed: list[str]) -> bool:
    """Whether an address is one of the allowed addresses or inside one of the allowed networks."""
    if not address:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(entry, strict=False) for entry in allowed)


def metrics_view(request):
    """The Prometheus exposition of every worker's metrics, for allowed addresses only."""
    from django.conf import settings
    from django.http import HttpResponseNotFound
    from django_prometheus.exports import ExportToDjangoView

    from common.client_address import client_ip

    if not is_allowed(client_ip(request), settings.METRICS_ALLOWED_IPS):
        return HttpResponseNotFound()
    return ExportToDjangoView(request)
