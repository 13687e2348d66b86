"""Issue 18: the demo world's open data passes the standard validators — the structures file against its Table Schema
(frictionless), every data·inclusion record against the vendored JSON Schemas (jsonschema)."""

import pytest
from django.urls import reverse

from directory.models import Structure
from tests.directory.test_datainclusion import SERVICES, STRUCTURES, assert_valid
from tests.reporting.test_opendata_structures import body, validate

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]  # one demo world per run


class TestDemoOpenData:
    def test_the_structures_file_has_no_error(self, demo_world, client):
        report = validate(body(client.get(reverse("open_data_structures"))))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        assert report.tasks[0].stats["rows"] == Structure.objects.published().count() > 0

    def test_every_data_inclusion_record_validates(self, demo_world, client):
        for kind, path in (("structure", STRUCTURES), ("service", SERVICES)):
            page = client.get(path, {"limit": 500}).json()
            assert 0 < page["count"] == len(page["items"]), kind
            assert_valid(kind, page["items"])
