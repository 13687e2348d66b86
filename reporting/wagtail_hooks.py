"""CMS (Wagtail) administration of the tools listed in « Mes outils »."""

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from reporting.models import Tool


class ToolViewSet(SnippetViewSet):
    model = Tool
    icon = "link"
    menu_label = "Outils de l'Espace Coop"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["title", "category", "url", "order", "is_active"]
    list_filter = ["category", "is_active"]
    ordering = ["order", "title"]
    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("url"),
        FieldPanel("category"),
        FieldPanel("icon"),
        FieldPanel("order"),
        FieldPanel("is_active"),
    ]


register_snippet(ToolViewSet)
