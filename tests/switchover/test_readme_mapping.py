"""The README's mapping table and the importers cannot drift apart: every legacy value an importer maps is named
(in backticks) in the README section « Reprise des données de l'ancien système »."""

from pathlib import Path

import pytest
from django.conf import settings

from switchover.importers import cras, directory, dossiers, legacy_values

VALUE_LISTS = {
    "structure types": legacy_values.STRUCTURE_TYPES,
    "contract types": legacy_values.CONTRACT_TYPES,
    "structure statuses": directory.STRUCTURE_STATUSES,
    "advisor statuses": directory.ADVISOR_STATUSES,
    "contract statuses": directory.CONTRACT_STATUSES,
    "rupture reasons": directory.RUPTURE_REASONS,
    "dossier structure statuses": dossiers.CLOSED_STRUCTURE_STATUTS,
    "recruitment statuses": dossiers.RECRUITMENT_STATUTS,
    "report kinds": cras.KINDS,
    "report place types": cras.PLACE_TYPES,
    "report themes": cras.THEMES,
    "report durations": cras.DURATIONS,
    "report age bands": cras.AGES,
    "report statuses": cras.STATUSES,
}


@pytest.fixture(scope="module")
def section():
    text = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    start = text.index("## Reprise des données de l'ancien système")
    return text[start : text.index("\n## ", start + 1)]


@pytest.mark.parametrize("name", sorted(VALUE_LISTS))
def test_every_mapped_legacy_value_is_in_the_readme(section, name):
    missing = [value for value in VALUE_LISTS[name] if f"`{value}`" not in section and f'`"{value}"`' not in section]
    assert not missing, f"{name}: not in the README table: {missing}"
