"""Issue 11 item 10: one link rule (common/links.py) for the Tool snippet's URL and every link block — absolute
http(s) addresses or site paths only — old unsafe links hidden by a data migration and never rendered as links."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.links import LINK_MESSAGE, is_safe_link, validate_link
from content.blocks import CalloutBlock, CardsBlock, LinkURLBlock
from reporting.models import Tool
from tests.reporting.factories import ToolFactory

SAFE = ["https://www.service-public.fr/", "http://exemple.gouv.fr/a?b=c#d", "/ressources/", "/"]
UNSAFE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "/\\evil.example/",
    "/\t/evil.example/",
    " https://exemple.gouv.fr/",
    "https://exemple.gouv.fr/\njavascript:x",
    "ftp://exemple.gouv.fr/",
    "ressources",
    "https://",
    "",
]


class TestLinkRule:
    @pytest.mark.parametrize("value", SAFE)
    def test_item10_absolute_http_addresses_and_site_paths_are_accepted(self, value):
        assert is_safe_link(value)
        validate_link(value)

    @pytest.mark.parametrize("value", UNSAFE)
    def test_item10_other_schemes_other_hosts_and_spaces_are_refused_in_french(self, value):
        assert not is_safe_link(value)
        with pytest.raises(ValidationError) as error:
            validate_link(value)
        assert error.value.messages == [LINK_MESSAGE]


@pytest.mark.django_db
class TestToolField:
    def test_item10_the_tool_url_field_uses_the_rule_with_the_error_next_to_the_field(self):
        tool = Tool(title="Outil", description="Description.", url="javascript:alert(document.cookie)")
        with pytest.raises(ValidationError) as error:
            tool.full_clean()
        assert error.value.message_dict == {"url": [LINK_MESSAGE]}
        tool.url = "/coop/outils/"
        tool.full_clean()

    def test_item10_an_unsafe_tool_saved_earlier_is_not_shown_as_a_link(self, client, advisor_user):
        ToolFactory(title="Outil sûr", url="https://outil.exemple.gouv.fr/")
        Tool.objects.create(title="Outil piégé", description="Ancien.", url="javascript:alert(1)")
        client.force_login(advisor_user)
        page = client.get(reverse("coop:tools")).content.decode()
        assert "Outil sûr" in page
        assert "javascript:" not in page and "Outil piégé" not in page


@pytest.mark.django_db
class TestDataMigration:
    def test_item10_the_migration_hides_unsafe_tools_and_keeps_the_others(self):
        migration = importlib.import_module("reporting.migrations.0005_tool_url_safe_links_hide_unsafe_tools")
        safe = ToolFactory(url="/ressources/")
        unsafe = [
            Tool.objects.create(title=f"Piège {n}", description=".", url=url)
            for n, url in enumerate(["javascript:alert(1)", "//evil.example/", "data:text/html,x"])
        ]
        migration.hide_unsafe_tools(apps, None)
        safe.refresh_from_db()
        assert safe.is_active
        assert not Tool.objects.filter(pk__in=[tool.pk for tool in unsafe], is_active=True).exists()


class TestLinkBlocks:
    @pytest.mark.parametrize("value", UNSAFE[:6])
    def test_item10_the_link_block_refuses_unsafe_links(self, value):
        with pytest.raises(ValidationError):
            LinkURLBlock().clean(value)

    def test_item10_the_callout_and_card_blocks_use_the_rule(self):
        callout = CalloutBlock()
        value = callout.to_python(
            {
                "title": "",
                "text": "<p>Texte</p>",
                "link_label": "Voir",
                "link_page": None,
                "link_url": "//evil.example",
            }
        )
        with pytest.raises(ValidationError):
            callout.clean(value)

    def test_item10_unsafe_links_saved_earlier_are_rendered_without_href(self):
        cards = CardsBlock()
        value = cards.to_python(
            {
                "heading": "",
                "cards": [
                    {"title": "Piège", "text": "", "page": None, "url": "javascript:alert(1)"},
                    {"title": "Sûr", "text": "", "page": None, "url": "/ressources/"},
                ],
            }
        )
        html = cards.render(value)
        assert "javascript:" not in html and "Piège" in html
        assert 'href="/ressources/"' in html
        callout = CalloutBlock()
        html = callout.render(
            callout.to_python(
                {"title": "", "text": "<p>T</p>", "link_label": "Voir", "link_page": None, "link_url": "data:x,y"}
            )
        )
        assert "data:x" not in html and "<p>T</p>" in html
