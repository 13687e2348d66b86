"""gunicorn settings of the `web` process (Procfile): read from the environment through config.env, safe defaults.

The platform (Scalingo, Clever Cloud, compose) gives PORT and, often, WEB_CONCURRENCY. Requests reach a node only
through the platform's router or nginx, which set X-Forwarded-Proto; the node itself is never exposed.
"""

import os

from config.env import env_choice, env_int, env_str
from config.metrics import clear_multiprocess_dir, forget_worker

# Beyond this many processes a node only adds memory (each worker: 154 MB RSS once the app is loaded, measured) and
# context switches.
MAX_DEFAULT_WORKERS = 8


def default_workers() -> int:
    """2 × the cores this process may use + 1, capped: the usual figure for a mix of CPU work and database waits."""
    return min(2 * len(os.sched_getaffinity(0)) + 1, MAX_DEFAULT_WORKERS)


bind = [f"0.0.0.0:{env_int('PORT', 8000, minimum=1, maximum=65535)}"]
workers = env_int("WEB_CONCURRENCY", default_workers(), minimum=1, maximum=64)
worker_class = "gthread"
threads = env_int("GUNICORN_THREADS", 2, minimum=1, maximum=16)
# A request still running after this many seconds is killed; the platforms' routers give up at about the same time.
timeout = env_int("GUNICORN_TIMEOUT", 60, minimum=5, maximum=600)
# On SIGTERM (deploy, scale down) requests in flight get this long to finish; platforms kill after 30 s or more.
graceful_timeout = 20
# Longer than nginx's idle upstream keep-alive (60 s): the proxy, not gunicorn, closes an idle connection, so a
# POST is never written onto a socket gunicorn has just closed (nginx must not retry it elsewhere).
keepalive = 75
# Recycle workers now and then so that a slow leak cannot grow for days; the jitter spreads their restarts.
max_requests = 1000
max_requests_jitter = 100
# The heartbeat file lives in memory: on a disk-backed /tmp a slow fchmod can get a healthy worker killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "cnum-web"

# Only the platform's router or nginx can reach the node, and their addresses change: trust their scheme header.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "*")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
# The site is never mounted under a prefix: a client must not be able to set SCRIPT_NAME or PATH_INFO by a header.
forwarder_headers = ""
# Several nodes may run on one machine (benches, compose); nothing uses gunicornc.
control_socket_disable = True

# Access log: method, path WITHOUT the query string (search terms, tokens), status, size, duration; no referrer (it
# carries the previous page's query string). Signed links in paths are masked by the project's scrubbing filter.
accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms %({x-request-id}i)s'
errorlog = "-"
_LOG_FORMAT = env_choice("LOG_FORMAT", "plain", {"plain", "json"})
_FORMATTERS = {
    "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    "json": {
        "()": "config.logfilters.ScrubbedJsonFormatter",
        "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
    },
}
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_secrets": {"()": "config.logfilters.ScrubSecretsFilter"}},
    "formatters": {"default": _FORMATTERS[_LOG_FORMAT]},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "default",
            "filters": ["scrub_secrets"],
        },
    },
    "root": {"level": "WARNING", "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
    },
}


def on_starting(server):
    """Prometheus multiprocess mode: the master empties the workers' shared metrics folder before forking them."""
    clear_multiprocess_dir()


def child_exit(server, worker):
    """Prometheus multiprocess mode: an exited worker's live gauges leave the totals."""
    forget_worker(worker.pid)
