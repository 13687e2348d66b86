"""Issue 11 item 11 (e-mail names): control characters in names never break an e-mail nor add a header.

Names typed by users are cleaned at input (SingleLineCharField) and every e-mail is cleaned where it is built
(accounts.emails.build_email, with common.text).
"""

import inspect
from datetime import date
from email.header import decode_header, make_header

import pytest
from django import forms
from django.core import mail

from accounts.emails import build_email, send_templated_email
from common import text
from common.forms import SingleLineCharField
from directory.forms import PlaceForm
from reporting.forms import CollectiveActivityForm
from tests.workflows.factories import CandidateFactory, StructureApplicationFactory
from workflows.forms import CandidateForm, StructureApplicationForm
from workflows.models import Recruitment, Training
from workflows.notifications import applications as notifications

HOSTILE = "Foo\r\nBcc: x@y"
HOSTILE_NAMES = [
    HOSTILE,
    "Foo\nBcc: x@y",
    "Foo\rBcc: x@y",
    "Foo\tBar",
    "Foo\x00Bar",
    "Foo\x1bBar",
    "Foo\u2028Bcc: x@y",
    "Foo\u202eBar",
    "Foo\x85Bcc: x@y",
]


class TestText:
    @pytest.mark.parametrize("value", HOSTILE_NAMES)
    def test_item11_single_line_leaves_no_control_character(self, value):
        cleaned = text.single_line(value)
        assert not text.has_control_characters(cleaned)
        assert "\n" not in cleaned and "\r" not in cleaned
        assert cleaned.startswith("Foo ") or cleaned.startswith("FooBar")

    def test_item11_single_line_keeps_accents_emoji_and_soft_hyphens(self):
        value = "Médiathèque Louise-Michel \u00ad 👩\u200d💻"
        assert text.single_line(value) == value

    def test_item11_multi_line_keeps_paragraphs_but_no_cr_nor_nul(self):
        assert text.multi_line("Un\r\nDeux\rTrois\x00\u202e\tQuatre") == "Un\nDeux\nTrois\tQuatre"

    @pytest.mark.parametrize(
        "address, expected",
        [
            ("jeanne@mairie.test", "jeanne@mairie.test"),
            ("Jeanne Martin <jeanne@mairie.test>", "Jeanne Martin <jeanne@mairie.test>"),
            (f"{HOSTILE} <jeanne@mairie.test>", "Foo Bcc: x@y <jeanne@mairie.test>"),
            ("jeanne@mairie.test\r\nBcc: x@y", ""),
            ("pas une adresse", ""),
        ],
    )
    def test_item11_safe_address_cleans_display_names_and_drops_broken_addresses(self, address, expected):
        cleaned = text.safe_address(address)
        assert cleaned.replace('"', "") == expected
        assert "\r" not in cleaned and "\n" not in cleaned


class TestSingleLineField:
    @pytest.mark.parametrize("value", ["Foo\r\nBar", "Foo\tBar", "Foo\u2028Bar", "  Foo \n\n Bar  "])
    def test_item11_line_breaks_and_tabs_become_one_space(self, value):
        assert SingleLineCharField().clean(value) == "Foo Bar"

    @pytest.mark.parametrize("value", ["Foo\x00Bar", "Foo\x1bBar", "Foo\u202eBar", "Foo\x7fBar"])
    def test_item11_other_control_characters_are_refused_in_french(self, value):
        with pytest.raises(forms.ValidationError) as error:
            SingleLineCharField().clean(value)
        assert error.value.messages == ["Ce champ contient des caractères invisibles non autorisés : retirez-les."]

    @pytest.mark.parametrize(
        "form_class, names",
        [
            (StructureApplicationForm, ["name", "address", "contact_first_name", "contact_last_name"]),
            (CandidateForm, ["first_name", "last_name"]),
            (PlaceForm, ["name", "address"]),
            (CollectiveActivityForm, ["title"]),
        ],
    )
    def test_item11_the_name_fields_use_it(self, form_class, names):
        assert all(isinstance(form_class.base_fields[name], SingleLineCharField) for name in names)

    @pytest.mark.django_db
    def test_item11_the_public_structure_form_refuses_a_nul_and_keeps_the_input(self, client):
        response = client.post("/candidature/structure/", {"name": "Mairie\x00", "contact_first_name": "Jeanne"})
        assert response.status_code in (200, 400)
        page = response.content.decode()
        assert "caractères invisibles non autorisés" in page
        assert 'value="Jeanne"' in page


def _headers(message) -> str:
    return message.message().as_string().split("\n\n", 1)[0]


class TestEmails:
    def test_item11_a_hostile_subject_and_reply_to_stay_one_header_each(self):
        message = build_email(
            to=["jeanne@mairie.test"],
            subject=f"Candidature de « {HOSTILE} » : nouvel examen demandé",
            text=f"Bonjour {HOSTILE}\x00",
            html=f"<p>{HOSTILE}</p>",
            reply_to=[f"{HOSTILE} <agent@prefecture.test>"],
        )
        headers = _headers(message)
        assert "\nBcc:" not in headers and not headers.startswith("Bcc:")
        assert message.recipients() == ["jeanne@mairie.test", *[]]
        assert message.subject == "Candidature de « Foo Bcc: x@y » : nouvel examen demandé"
        assert "\x00" not in message.body and "\r" not in message.body
        assert message.reply_to == ['"Foo Bcc: x@y" <agent@prefecture.test>']

    def test_item11_the_from_display_name_keeps_its_accents(self, settings):
        settings.DEFAULT_FROM_EMAIL = "Conseiller numérique <ne-pas-repondre@conseiller-numerique.gouv.fr>"
        message = build_email(to=["jeanne@mairie.test"], subject="Objet", text="Texte", html="<p>Texte</p>")
        header = str(make_header(decode_header(message.message()["From"])))
        assert header == "Conseiller numérique <ne-pas-repondre@conseiller-numerique.gouv.fr>"

    @pytest.mark.django_db
    def test_item11_a_queued_hostile_email_is_delivered(self, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            send_templated_email(
                to="jeanne@mairie.test",
                subject=f"Candidature de « {HOSTILE} »",
                template="workflows/notification",
                context={"heading": HOSTILE, "name": HOSTILE, "paragraphs": [HOSTILE]},
            )
        assert len(mail.outbox) == 1
        assert mail.outbox[0].recipients() == ["jeanne@mairie.test"]
        assert "Bcc" not in mail.outbox[0].message().get("Subject").replace("Bcc: x@y", "")
        assert mail.outbox[0].subject == "Candidature de « Foo Bcc: x@y »"


def _argument(name: str, objects: dict):
    return objects.get(name, "Un commentaire\r\nsur deux lignes")


@pytest.mark.django_db
def test_item11_a_hostile_structure_and_candidate_go_through_every_notification(
    django_capture_on_commit_callbacks, paris_structure, structure_manager
):
    """Every notification about an application, a candidate or a recruitment, with names carrying CR/LF."""
    paris_structure.name = HOSTILE
    paris_structure.save()
    application = StructureApplicationFactory(name=HOSTILE, contact_first_name=HOSTILE)
    candidate = CandidateFactory(first_name=HOSTILE, last_name="Bcc: x@y\r\n")
    recruitment = Recruitment.objects.create(structure=paris_structure, candidate=candidate)
    Training.objects.create(recruitment=recruitment, session_start=date(2026, 1, 5), session_end=date(2026, 2, 5))
    objects = {"application": application, "candidate": candidate, "recruitment": recruitment}
    called = []
    for name, function in inspect.getmembers(notifications, inspect.isfunction):
        parameters = list(inspect.signature(function).parameters)
        if function.__module__ != notifications.__name__ or not parameters or parameters[0] not in objects:
            continue
        if name == "candidate_manage_url":
            continue
        arguments = [_argument(parameter, objects) for parameter in parameters if parameter not in ("duplicate",)]
        with django_capture_on_commit_callbacks(execute=True):
            function(*arguments)
        called.append(name)
    assert len(called) >= 15
    assert len(mail.outbox) >= 15
    shown = 0
    for message in mail.outbox:
        headers = _headers(message)
        assert "\nBcc:" not in headers
        assert "x@y" not in message.recipients()
        assert "\r" not in message.subject and "\n" not in message.subject
        assert "\r" not in message.body and "\x00" not in message.body
        shown += "Foo" in message.body
    assert shown >= 10
