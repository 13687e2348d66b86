"""Issue 11 item 10: documents follow moderation — a document only unpublished content uses is neither downloadable
nor listed (Wagtail API v2, project API) until that content is published; public collections keep their rule."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import timezone

from content.documents import held_document_ids
from tests.accounts.factories import UserFactory
from tests.content.factories import DocumentFactory, resource

pytestmark = pytest.mark.django_db


def listed_ids(client) -> set[int]:
    response = client.get("/api/v2/documents/?limit=50")
    assert response.status_code == 200
    return {item["id"] for item in response.json()["items"]}


def assert_public(client, document) -> None:
    assert document.pk in listed_ids(client)
    assert client.get(f"/api/v2/documents/{document.pk}/").status_code == 200
    assert client.get(document.url).status_code == 200


def assert_held(client, document) -> None:
    assert document.pk not in listed_ids(client)
    assert client.get(f"/api/v2/documents/{document.pk}/").status_code == 404
    assert client.get(document.url).status_code == 404


class TestDocumentsFollowModeration:
    def test_item10_a_document_of_a_page_never_published_waits_for_its_publication(self, client, tree):
        document = DocumentFactory(title="Guide en relecture")
        page = resource(tree["library"], title="Guide à relire", document=document, publish=False)
        assert_held(client, document)
        page.get_latest_revision().publish()
        assert_public(client, document)

    def test_item10_a_new_document_in_a_draft_of_a_live_page_waits_while_the_old_one_stays(self, client, tree):
        old, new = DocumentFactory(title="Version 1"), DocumentFactory(title="Version 2")
        page = resource(tree["library"], title="Fiche mise à jour", document=old)
        page.document = new
        page.save_revision()
        assert_held(client, new)
        assert_public(client, old)
        # The project API shows the published resource with its published document only.
        response = client.get("/api/ressources/")
        assert response.status_code == 200, response.content
        item = next(r for r in response.json()["items"] if r["title"] == page.title)
        assert item["document"]["id"] == old.pk
        page.get_latest_revision().publish()
        assert_public(client, new)

    def test_item10_a_document_also_used_by_a_live_page_stays_public(self, client, tree):
        shared = DocumentFactory(title="Document partagé")
        resource(tree["library"], title="Page en ligne", document=shared)
        resource(tree["library"], title="Brouillon qui le reprend", document=shared, publish=False)
        assert shared.pk not in held_document_ids()
        assert_public(client, shared)

    def test_item10_documents_no_page_uses_keep_their_collection_rule(self, client, tree):
        public, private = DocumentFactory(title="Libre"), DocumentFactory(title="Interne", private=True)
        assert_public(client, public)
        assert private.pk not in listed_ids(client)
        refused = client.get(private.url)
        assert refused.status_code == 302 and refused.url.startswith("/connexion/")

    def test_item10_a_scheduled_publication_releases_the_document_on_its_date_not_before(self, client, tree):
        document = DocumentFactory(title="Annonce du 1er janvier")
        page = resource(tree["library"], title="Annonce programmée", document=document, publish=False)
        page.go_live_at = timezone.now() + timedelta(days=2)
        revision = page.save_revision()
        revision.publish()
        page.refresh_from_db()
        assert not page.live
        call_command("publish_scheduled")
        assert_held(client, document)
        # The date comes: the scheduled publication runs, and the document is released with its page.
        later = timezone.now() + timedelta(days=3)
        with mock.patch("django.utils.timezone.now", return_value=later):
            call_command("publish_scheduled")
        page.refresh_from_db()
        assert page.live
        assert_public(client, document)

    def test_item10_cms_users_may_still_download_a_held_document_to_review_it(self, client, tree, advisor_user):
        document = DocumentFactory(title="À relire")
        resource(tree["library"], title="Relecture", document=document, publish=False)
        client.force_login(advisor_user)
        assert client.get(document.url).status_code == 404
        reviewer = UserFactory(email="relecteur@anct.gouv.fr")
        reviewer.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(reviewer)
        assert client.get(document.url).status_code == 200
        # The public API stays the public API, whoever calls it.
        assert document.pk not in listed_ids(client)

    def test_item10_a_document_linked_from_the_rich_text_of_a_draft_is_held_too(self, client, tree):
        document = DocumentFactory(title="Lien dans le texte")
        page = resource(tree["library"], title="Texte avec lien", publish=False)
        page.body = (
            f'[{{"type": "paragraph", "value": "<p><a linktype=\\"document\\" id=\\"{document.pk}\\">PDF</a></p>"}}]'
        )
        page.save_revision()
        assert_held(client, document)
