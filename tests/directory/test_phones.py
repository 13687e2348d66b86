"""Phones: the international form of the lieux schema, from what people type, metropolitan and overseas."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse

from directory.forms import FRENCH_PHONE_MESSAGE, PhoneField
from directory.models import Place
from directory.phones import SCHEMA_PATTERN, display_phone, e164_phone, international_phone, phone_href
from tests.directory.factories import AdvisorFactory, PlaceFactory, StructureFactory
from tests.territories.factories import commune
from tests.workflows.factories import StructureApplicationFactory


@pytest.mark.parametrize(
    ("raw", "department", "expected"),
    [
        # Metropolitan France, every usual way of typing it.
        ("01 43 00 00 00", "", "+33143000000"),
        ("01.43.00.00.00", "75", "+33143000000"),
        ("01-43-00-00-00", "", "+33143000000"),
        ("0143000000", "", "+33143000000"),
        ("+33 1 43 00 00 00", "", "+33143000000"),
        ("+33 (0)1 43 00 00 00", "", "+33143000000"),
        ("0033 1 43 00 00 00", "", "+33143000000"),
        ("06 12 34 56 78", "", "+33612345678"),
        ("09 70 00 00 00", "", "+33970000000"),
        ("0 800 12 34 56", "", "+33800123456"),
        ("\u00a001 43 00 00 00 ", "", "+33143000000"),
        # Overseas departments: the number's own prefix decides, whatever the place's department.
        ("0590 12 34 56", "971", "+590590123456"),
        ("0590 12 34 56", "75", "+590590123456"),
        ("0690 12 34 56", "", "+590690123456"),
        ("0594 12 34 56", "973", "+594594123456"),
        ("0694 20 12 34", "", "+594694201234"),
        ("0262 12 34 56", "974", "+262262123456"),
        ("0692 12 34 56", "", "+262692123456"),
        ("0269 61 23 45", "976", "+262269612345"),  # Mayotte is +262, not +269 (the Comoros)
        ("0639 69 12 34", "", "+262639691234"),
        ("0596 52 12 34", "972", "+596596521234"),
        ("0696 12 34 56", "", "+596696123456"),
        # Collectivities outside France's plan: short numbers, the department says which.
        ("87 12 34 56", "987", "+68987123456"),
        ("41 12 34", "975", "+508411234"),
        ("72 12 34", "986", "+681721234"),
        ("28 12 34", "988", "+687281234"),
        ("+687 28 12 34", "", "+687281234"),
    ],
)
def test_it_writes_numbers_as_the_schema_wants(raw, department, expected):
    assert international_phone(raw, department) == expected
    assert SCHEMA_PATTERN.match(expected)


@pytest.mark.parametrize(
    ("raw", "department"),
    [
        ("", ""),
        ("appeler la mairie", ""),
        ("12", ""),
        ("3646", ""),  # a short service number: no international form
        ("01 43 00 00 0", ""),  # a digit missing
        ("01 43 00 00 00 0", ""),  # one too many
        ("143000000", "75"),  # the leading 0 forgotten: not guessed
        ("87 12 34 56", "75"),  # a Polynesian number without its country: not guessed outside Polynesia
        ("00 00 00 00 00", ""),
        ("+32 470 12 34 56", ""),  # Belgian: valid, but not a prefix the schema takes
        ("+44 20 7946 0958", ""),
        ("01 43 00 00 00 poste 12", ""),
    ],
)
def test_it_refuses_what_the_schema_cannot_take(raw, department):
    assert international_phone(raw, department) == ""


def test_any_valid_foreign_number_has_an_e164_form():
    assert e164_phone("+32 470 12 34 56") == "+32470123456"
    assert e164_phone("0032 470 12 34 56") == "+32470123456"
    assert e164_phone("06 12 34 56 78") == "+33612345678"
    assert e164_phone("+32 1") == ""


@pytest.mark.parametrize(
    ("stored", "shown", "href"),
    [
        ("+33143000000", "01 43 00 00 00", "tel:+33143000000"),
        ("0143000000", "01 43 00 00 00", "tel:+33143000000"),  # a value stored before the international form
        ("+590590123456", "0590 12 34 56", "tel:+590590123456"),
        ("+68987123456", "+689 87 12 34 56", "tel:+68987123456"),
        ("+32470123456", "+32 470 12 34 56", "tel:+32470123456"),
        ("appeler la mairie", "appeler la mairie", ""),
        ("", "", ""),
    ],
)
def test_people_read_numbers_grouped(stored, shown, href):
    assert display_phone(stored) == shown
    assert phone_href(stored) == href


def test_template_filters():
    template = Template('{% load phones %}<a href="{{ value|phone_href }}">{{ value|phone }}</a>')
    assert template.render(Context({"value": "+33143000000"})) == '<a href="tel:+33143000000">01 43 00 00 00</a>'
    assert template.render(Context({"value": None})) == '<a href=""></a>'


class TestPhoneField:
    def test_it_cleans_to_the_international_form(self):
        assert PhoneField().clean("01 43 00 00 00") == "+33143000000"
        assert PhoneField(required=False).clean("") == ""
        assert PhoneField(department_code="987").clean("87 12 34 56") == "+68987123456"

    def test_it_refuses_in_french(self):
        with pytest.raises(ValidationError) as error:
            PhoneField().clean("+32 470 12 34 56")
        assert error.value.code == "phone_invalid"
        assert "Saisissez un numéro de téléphone français valide (métropole ou outre-mer)" in error.value.messages[0]
        with pytest.raises(ValidationError) as error:
            PhoneField(french_only=False).clean("123")
        assert "Saisissez un numéro de téléphone valide" in error.value.messages[0]

    def test_foreign_numbers_where_allowed(self):
        assert PhoneField(french_only=False).clean("+32 470 12 34 56") == "+32470123456"

    def test_a_stored_number_is_shown_grouped_and_a_typed_one_as_typed(self):
        field = PhoneField()
        assert field.prepare_value("+33143000000") == "01 43 00 00 00"
        assert field.prepare_value("01 43 00 00 0") == "01 43 00 00 0"


@pytest.mark.django_db
class TestDataMigrations:
    """The migrations that moved stored phones to the international form and gave coordinates a precision."""

    def test_directory_phones_and_precisions(self):
        from django.apps import apps

        directory_migration = importlib.import_module("directory.migrations.0005_international_phones")
        paris = commune("75111")
        structure = StructureFactory(contact_phone="01 43 00 00 00", commune=paris, postal_code="75011")
        centre = PlaceFactory(structure=structure, phone="0590 12 34 56")
        typed = PlaceFactory(structure=structure, latitude=48.1, longitude=2.1, phone="appeler la mairie")
        bare = PlaceFactory(structure=structure, latitude=None, longitude=None, phone="")
        advisor = AdvisorFactory(phone="06 12 34 56 78", professional_phone="+32 470 12 34 56", line_manager_phone="?")
        directory_migration.forwards(apps, None)
        structure.refresh_from_db()
        assert structure.contact_phone == "+33143000000"
        centre.refresh_from_db(), typed.refresh_from_db(), bare.refresh_from_db(), advisor.refresh_from_db()
        assert (centre.phone, centre.coordinates_precision) == ("+590590123456", "commune")
        assert (typed.phone, typed.coordinates_precision) == ("appeler la mairie", "saisie")  # not a number: kept
        assert (bare.phone, bare.coordinates_precision) == ("", "commune")
        assert (advisor.phone, advisor.professional_phone, advisor.line_manager_phone) == (
            "+33612345678",
            "+32470123456",  # advisors may have a foreign number
            "?",
        )

    def test_workflows_phones(self):
        from django.apps import apps

        workflows_migration = importlib.import_module("workflows.migrations.0012_international_phones")
        application = StructureApplicationFactory(contact_phone="01 02 03 04 05")
        workflows_migration.forwards(apps, None)
        application.refresh_from_db()
        assert application.contact_phone == "+33102030405"


@pytest.mark.django_db
class TestForms:
    """Every form that takes a public phone stores the international form; a refusal keeps what was typed."""

    def test_the_place_form_stores_the_international_form(self, client, advisor_user):
        from tests.directory.test_coop_views import place_post

        commune("13055")
        client.force_login(advisor_user)
        response = client.post(reverse("coop:place_create"), place_post(phone="04 91 00 00 00"))
        assert response.status_code == 302
        place = Place.objects.get(name="Médiathèque Louise-Michel")
        assert place.phone == "+33491000000"
        page = client.get(reverse("coop:place_edit", args=[place.pk]))
        assert 'value="04 91 00 00 00"' in page.text  # read back grouped, as people write it
        assert 'type="tel"' in page.text

    def test_the_place_form_refuses_next_to_the_field_and_keeps_the_input(self, client, advisor_user):
        from tests.directory.test_coop_views import place_post

        commune("13055")
        client.force_login(advisor_user)
        response = client.post(reverse("coop:place_create"), place_post(phone="+32 470 12 34 56"))
        assert response.status_code == 200
        assert response.context["form"].errors["phone"] == [FRENCH_PHONE_MESSAGE]
        assert 'value="+32 470 12 34 56"' in response.text
        assert not Place.objects.filter(name="Médiathèque Louise-Michel").exists()

    def test_application_forms(self):
        from workflows.forms.public import CandidateForm, StructureApplicationForm

        structure_form = StructureApplicationForm()
        assert structure_form.fields["contact_phone"].clean("0590 12 34 56") == "+590590123456"
        with pytest.raises(ValidationError) as error:
            structure_form.fields["contact_phone"].clean("")
        assert error.value.messages == ["Indiquez un numéro de téléphone."]
        candidate_field = CandidateForm().fields["phone"]
        assert candidate_field.clean("06 12 34 56 78") == "+33612345678"
        assert candidate_field.clean("+32 470 12 34 56") == "+32470123456"  # a candidate may live abroad
        assert candidate_field.clean("") == ""
