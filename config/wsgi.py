"""WSGI entry point (gunicorn config.wsgi); production settings unless told otherwise."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# What start-up created lives as long as the worker: kept out of the collector's scans, so that a full collection
# does not pause a request for 100–200 ms (measured with bench/workflows_lists.py, which does the same).
gc.collect()
gc.freeze()
