import csv
import gzip
import io

import pytest
from django.core.management import call_command

from territories.management.commands.load_territories import DATA_DIR
from territories.models import Commune, Department, PostalCode, Region
from territories.selectors import MUNICIPAL_ARRONDISSEMENT_CODES, commune_for_postal_code, search_communes
from tests.territories.factories import CommuneFactory

OVERSEAS_COLLECTIVITIES = {"975", "977", "978", "984", "986", "987", "988", "989"}


def load(*args) -> str:
    out = io.StringIO()
    call_command("load_territories", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The whole data file, loaded once for this module (a few seconds), removed afterwards."""
    with django_db_blocker.unblock():
        output = load()
    yield {"output": output}
    with django_db_blocker.unblock():
        PostalCode.objects.all().delete()
        Commune.objects.all().delete()
        Department.objects.all().delete()
        Region.objects.all().delete()


def counts():
    return (Region.objects.count(), Department.objects.count(), Commune.objects.count(), PostalCode.objects.count())


class TestDataFile:
    def test_it_is_compact(self):
        assert (DATA_DIR / "communes.csv.gz").stat().st_size < 1_500_000

    def test_it_has_the_18_regions_and_101_departments_but_no_overseas_collectivity(self):
        with (DATA_DIR / "regions.csv").open(encoding="utf-8") as handle:
            regions = list(csv.DictReader(handle))
        with (DATA_DIR / "departments.csv").open(encoding="utf-8") as handle:
            departments = list(csv.DictReader(handle))
        assert len(regions) == 18
        assert len(departments) == 101
        assert not {d["code"] for d in departments} & OVERSEAS_COLLECTIVITIES
        assert {d["region"] for d in departments} == {r["code"] for r in regions}

    def test_it_gives_every_commune_a_centre_in_france(self):
        with gzip.open(DATA_DIR / "communes.csv.gz", "rt", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) > 34_000
        metropolitan = [row for row in rows if not row["department"].startswith("97")]
        assert all(41.3 < float(row["latitude"]) < 51.1 for row in metropolitan)
        assert all(-5.2 < float(row["longitude"]) < 9.6 for row in metropolitan)
        assert all(row["latitude"] and row["longitude"] for row in rows)
        assert {row["code"] for row in rows if row["parent"]} == MUNICIPAL_ARRONDISSEMENT_CODES


@pytest.mark.django_db
class TestLoadTerritories:
    def test_it_loads_18_regions_101_departments_and_the_communes(self, loaded):
        regions, departments, communes, postal_codes = counts()
        assert (regions, departments) == (18, 101)
        assert communes == 34_920
        assert postal_codes > communes
        assert "Communes : 34920 (ajouts 34920" in loaded["output"]

    def test_it_loads_paris_and_marseille_with_their_postal_codes(self, loaded):
        paris = Commune.objects.select_related("department__region").get(pk="75056")
        assert (paris.name, paris.search_name, paris.department.name) == ("Paris", "paris", "Paris")
        assert paris.department.region.name == "Île-de-France"
        assert paris.latitude == pytest.approx(48.856, abs=0.02)
        assert paris.longitude == pytest.approx(2.35, abs=0.02)
        marseille = Commune.objects.get(pk="13055")
        assert marseille.postal_codes == [f"130{n:02d}" for n in range(1, 17)]
        assert set(marseille.postal_code_rows.values_list("code", flat=True)) == set(marseille.postal_codes)
        assert Commune.objects.get(pk="2A004").department_id == "2A"
        assert Commune.objects.get(pk="97411").department.name == "La Réunion"

    def test_it_changes_nothing_when_run_twice(self, loaded, django_assert_max_num_queries):
        before = counts()
        with django_assert_max_num_queries(12):
            output = load()
        assert counts() == before
        assert "déjà à jour" in output

    def test_it_restores_changed_names_populations_and_postal_codes(self, loaded):
        Commune.objects.filter(pk="75056").update(name="Paname", search_name="paname", population=1)
        PostalCode.objects.filter(commune_id="75056", code="75011").delete()
        PostalCode.objects.create(commune_id="75056", code="75999")
        Department.objects.filter(pk="13").update(name="Provence")
        output = load()
        paris = Commune.objects.get(pk="75056")
        assert (paris.name, paris.search_name, paris.population) == ("Paris", "paris", 2_103_778)
        assert set(paris.postal_code_rows.values_list("code", flat=True)) == set(paris.postal_codes)
        assert Department.objects.get(pk="13").name == "Bouches-du-Rhône"
        assert "Communes : 34920 (ajouts 0, mises à jour 1" in output
        assert "Codes postaux : 35405 (ajouts 1, mises à jour 0, suppressions 1)" in output

    def test_it_keeps_communes_gone_from_the_file_unless_asked_to_prune(self, loaded):
        stale = CommuneFactory(department_code="13")
        assert "1 absent(s) du fichier conservé(s)" in load()
        assert Commune.objects.filter(pk=stale.pk).exists()
        load("--prune")
        assert not Commune.objects.filter(pk=stale.pk).exists()
        assert counts()[:3] == (18, 101, 34_920)


@pytest.mark.django_db
class TestSearchOnRealData:
    def test_it_finds_marseille_first_with_its_postal_codes(self, loaded):
        results = search_communes("marseil")
        assert results[0].code == "13055"
        assert results[0].postal_codes[0] == "13001" and results[0].postal_codes[-1] == "13016"

    def test_it_finds_saint_etienne_without_accents_nor_the_saint(self, loaded):
        for query in ("etienne", "Étienne", "saint-étienne", "st etienne", "SAINT ETIENNE"):
            assert search_communes(query)[0].name == "Saint-Étienne", query

    def test_it_finds_paris_by_insee_code_and_postal_code(self, loaded):
        assert [c.code for c in search_communes("75056")] == ["75056"]
        assert [c.code for c in search_communes("75011")] == ["75056", "75111"]
        assert commune_for_postal_code("75011").name == "Paris 11e Arrondissement"
        assert commune_for_postal_code("42000").name == "Saint-Étienne"
