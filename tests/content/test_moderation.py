"""Editors write and submit, moderators approve and publish: through the Wagtail admin views, as the users do."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, streamfield

from content.models import ResourcePage, StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(seeded_site, editor_user):
    return editor_user


@pytest.fixture
def moderator(seeded_site, moderator_user):
    return moderator_user


def resource_form(page: ResourcePage, action: str, **changes) -> dict:
    """The admin edit form of a resource, as the browser posts it."""
    fields = {
        "title": page.title,
        "slug": page.slug,
        "resource_type": page.resource_type,
        "summary": page.summary,
        "external_url": page.external_url,
        "document": page.document_id or "",
        "duration": page.duration,
        "body": streamfield([]),
        "tags": "",
        "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000},
        action: "1",
        **changes,
    }
    data = nested_form_data(fields)
    # Multi-valued fields stay out of nested_form_data.
    data["thematiques"] = [thematique.pk for thematique in page.thematiques.all()]
    data["publics"] = [public.pk for public in page.publics.all()]
    return data


class TestEditorialRights:
    def test_it_gives_editors_no_publish_right_and_moderators_every_right(self, editor, moderator):
        page = StandardPage.objects.get(slug="faq")
        assert page.permissions_for_user(editor).can_edit()
        assert not page.permissions_for_user(editor).can_publish()
        assert page.permissions_for_user(moderator).can_publish()

    def test_it_keeps_other_roles_out_of_the_admin(self, seeded_site, db, client, prefecture_paris, outsider):
        for user in (prefecture_paris, outsider):
            client.force_login(user)
            for url in ("/cms/", f"/cms/pages/{StandardPage.objects.get(slug='faq').pk}/edit/"):
                response = client.get(url)
                assert response.status_code == 302 and response["Location"].startswith("/cms/login/"), url

    def test_it_sends_editors_and_moderators_to_the_admin_after_login(self, editor, moderator, client, password):
        for user in (editor, moderator):
            response = client.post("/connexion/", {"username": user.email, "password": password}, follow=True)
            assert response.redirect_chain[-1][0] == "/cms/"
            client.logout()


class TestModerationWorkflow:
    def test_an_editors_submission_waits_for_a_moderator_then_goes_live(self, editor, moderator, client):
        page = ResourcePage.objects.get(slug="guide-franceconnect")
        client.force_login(editor)
        edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        response = client.post(
            edit_url, resource_form(page, "action-submit", title="Guide FranceConnect, édition 2026")
        )
        assert response.status_code == 302, response.content.decode()[:2000]

        state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        assert state.current_task_state.task.name == "Validation par un modérateur"
        # Not public yet, neither on the site nor in the API.
        public = Client()
        assert "édition 2026" not in public.get("/ressources/guide-franceconnect/").content.decode()
        assert "édition 2026" not in public.get(f"/api/ressources/{page.pk}/").content.decode()

        # An editor may not publish, even by posting the publish action.
        client.post(edit_url, resource_form(page, "action-publish", title="Publication forcée"))
        assert ResourcePage.objects.get(pk=page.pk).title == "Accompagner la création d'un compte FranceConnect"

        client.force_login(moderator)
        dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "En attente de votre vérification" in dashboard and "édition 2026" in dashboard
        state.refresh_from_db()
        approve = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.current_task_state.pk])
        assert client.post(approve, {"comment": "Relu, merci."}).status_code == 302

        state.refresh_from_db()
        assert state.status == WorkflowState.STATUS_APPROVED
        assert ResourcePage.objects.get(pk=page.pk).title == "Guide FranceConnect, édition 2026"
        assert "édition 2026" in public.get("/ressources/guide-franceconnect/").content.decode()
        assert public.get(f"/api/v2/pages/{page.pk}/").json()["title"] == "Guide FranceConnect, édition 2026"

    def test_an_editor_cannot_approve_a_submission(self, editor, client):
        page = ResourcePage.objects.get(slug="fiche-mots-de-passe")
        client.force_login(editor)
        client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]), resource_form(page, "action-submit", summary="Changé.")
        )
        state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
        task = state.current_task_state.task.specific
        assert task.get_actions(page, editor) == []
        approve = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.current_task_state.pk])
        client.post(approve)
        state.refresh_from_db()
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        assert ResourcePage.objects.get(pk=page.pk).summary != "Changé."


class TestSearchIndexFreshness:
    def test_a_thematique_changed_and_published_in_the_admin_is_searchable_at_once(self, moderator, client):
        page = ResourcePage.objects.get(slug="outil-pix")
        sante = page.thematiques.model.objects.get(slug="sante-en-ligne")
        assert page.pk not in [result.pk for result in ResourcePage.objects.live().search("santé")]
        client.force_login(moderator)
        data = resource_form(page, "action-publish")
        data["thematiques"] = [sante.pk]
        response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
        assert response.status_code == 302
        assert page.pk in [result.pk for result in ResourcePage.objects.live().search("santé")]
        client.logout()
        assert "Pix" in client.get("/ressources/?q=santé").content.decode()
