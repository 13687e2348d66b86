"""Wagtail admin registrations: the taxonomies as snippets."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from content.models import Public, Thematique


class ThematiqueViewSet(SnippetViewSet):
    model = Thematique
    icon = "tag"
    menu_label = "Thématiques"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 300


class PublicViewSet(SnippetViewSet):
    model = Public
    icon = "group"
    menu_label = "Publics cibles"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 301


register_snippet(ThematiqueViewSet)
register_snippet(PublicViewSet)
