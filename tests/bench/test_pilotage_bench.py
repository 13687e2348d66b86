"""Smoke test of the pilotage bench code paths at a tiny scale (the real runs are `python -m bench.pilotage_*`)."""

import argparse
import csv
import io
import random

import pytest
from django.db import connection

from bench import pilotage_dashboards, pilotage_data
from common.exports import csv_response
from reporting import rollups
from reporting.models import Activity
from reporting.pilotage_exports import activity_rows


@pytest.mark.django_db
def test_the_generator_loader_dashboards_and_export_run_at_a_tiny_scale():
    args = argparse.Namespace(reports=400, advisors=40, structures=30, years=2)
    rng = random.Random(1)
    lookups = pilotage_data.network(args, rng)
    rows = pilotage_data.report_rows(args, rng, lookups)
    load = pilotage_data.load_postgresql if connection.vendor == "postgresql" else pilotage_data.load_sqlite
    assert load(rows) == 400
    assert Activity.objects.count() == 400
    assert rollups.rebuild() > 0

    for _name, kind, scope, period, filters, by in pilotage_dashboards.scenarios():
        if kind == "dashboard":
            fast = pilotage_dashboards.engine_dashboard(scope, period, filters, by)
            slow = pilotage_dashboards.naive_dashboard(scope, period, filters, by)
            assert fast[0] == slow[0]
            if by:
                drilled = {row.key: row.accompaniments for row in fast[3]}
                naive = {str(row[pilotage_dashboards.BY_RAW[by]]): row["accompaniments"] for row in slow[3]}
                assert drilled == {key: value for key, value in naive.items() if value}
        else:
            table = {
                row.code: row.accompaniments
                for row in pilotage_dashboards.territorial.territorial_table(scope, period, filters, by)
            }
            naive, _, _ = pilotage_dashboards.naive_table(scope, period, filters, by)
            for row in naive:
                assert table[row[pilotage_dashboards.BY_RAW[by]]] == row["accompaniments"]

    response = csv_response("bench", activity_rows(Activity.objects.current().order_by()), prepared=True)
    exported = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert len(exported) == 401
