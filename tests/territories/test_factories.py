import pytest

from territories.models import Commune, Department, PostalCode, Region
from tests.territories.factories import (
    CommuneFactory,
    DepartmentFactory,
    bouches_du_rhone,
    ile_de_france,
    marseille,
    paca,
    paris,
    paris_department,
)


@pytest.mark.django_db
class TestTerritoryFactories:
    def test_it_creates_paris_with_its_real_department_and_region(self):
        commune = paris()
        assert (commune.code, commune.name, commune.search_name) == ("75056", "Paris", "paris")
        assert commune.department == paris_department()
        assert commune.department.region == ile_de_france()
        assert commune.department.region.name == "Île-de-France"
        assert "75011" in commune.postal_codes
        assert commune.latitude == pytest.approx(48.85, abs=0.05)

    def test_it_creates_marseille_with_its_postal_code_rows(self):
        commune = marseille()
        assert commune.department == bouches_du_rhone()
        assert commune.department.region == paca()
        assert commune.postal_codes == [f"130{n:02d}" for n in range(1, 17)]
        assert sorted(commune.postal_code_rows.values_list("code", flat=True)) == commune.postal_codes

    def test_it_gets_rather_than_duplicates(self):
        assert paris() == paris() == CommuneFactory(code="75056")
        assert DepartmentFactory(code="13") == bouches_du_rhone()
        assert Commune.objects.count() == 1
        assert Department.objects.count() == 2
        assert Region.objects.count() == 2
        assert PostalCode.objects.filter(commune__code="75056").count() == 21

    def test_it_makes_any_real_commune_from_the_data_file(self):
        commune = CommuneFactory(code="2A004")
        assert commune.name == "Ajaccio"
        assert commune.department.name == "Corse-du-Sud"
        assert commune.department.region.name == "Corse"

    def test_it_makes_fictitious_communes_with_free_codes_in_a_department(self):
        first, second = CommuneFactory(department_code="13"), CommuneFactory(department_code="13", population=5)
        assert first.code != second.code
        assert first.code.startswith("13") and second.code.startswith("13")
        assert first.department.name == "Bouches-du-Rhône"
        assert second.population == 5
        assert first.name.startswith("Commune test")
        assert list(first.postal_code_rows.values_list("code", flat=True)) == first.postal_codes
