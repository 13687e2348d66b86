"""Wagtail admin registrations: the taxonomies as snippets; documents held by moderation are not served."""

from django.http import Http404
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from content.documents import held_document_ids
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


@hooks.register("before_serve_document")
def hold_documents_under_moderation(document, request):
    """A document only unpublished pages use is served to CMS users (to review it), to nobody else before then."""
    if document.pk in held_document_ids() and not request.user.has_perm("wagtailadmin.access_admin"):
        raise Http404
