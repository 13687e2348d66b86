"""`manage.py seed_content`: the real programme pages, FAQ, news, resources, editorial setup; idempotent."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import GroupApprovalTask, GroupPagePermission, Site, WorkflowPage

from content.enums import ResourceType
from content.models import HomePage, NewsPage, Public, ResourcePage, StandardPage, Thematique
from content.seed.pdf import pdf_document

STANDARD_SLUGS = [
    "le-dispositif",
    "devenir-conseiller",
    "accueillir-un-conseiller",
    "coordination-territoriale",
    "faq",
    "mentions-legales",
    "accessibilite",
    "donnees-personnelles",
    "plan-du-site",
]


def counts() -> dict:
    models = [StandardPage, NewsPage, ResourcePage, Thematique, Public, get_document_model(), Group, WorkflowPage]
    return {model.__name__: model.objects.count() for model in models} | {
        "permissions": GroupPagePermission.objects.count()
    }


def assert_valid_pdf(data: bytes) -> None:
    """Header, trailer, and every xref offset pointing at its object."""
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    xref_at = int(re.search(rb"startxref\n(\d+)", data).group(1))
    assert data[xref_at : xref_at + 4] == b"xref"
    offsets = [int(line[:10]) for line in data[xref_at:].split(b"\n")[3:] if re.fullmatch(rb"\d{10} 00000 n ", line)]
    assert offsets
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(f"{number} 0 obj".encode())


class TestSeedContent:
    @pytest.mark.django_db
    def test_it_builds_the_site_and_is_idempotent(self, seeded, client):
        first = counts()
        call_command("seed_content", verbosity=0)
        assert counts() == first
        assert first["StandardPage"] == 9 and first["NewsPage"] == 5 and first["ResourcePage"] == 30

        home = HomePage.objects.get()
        assert Site.objects.get(is_default_site=True).root_page_id == home.pk
        assert home.featured_resources.count() == 3
        for slug in STANDARD_SLUGS:
            response = client.get(f"/{slug}/")
            assert response.status_code == 200, slug

    @pytest.mark.django_db
    def test_it_builds_only_the_real_site_without_demo(self, client):
        call_command("seed_content", "--sans-demo", verbosity=0)
        assert StandardPage.objects.count() == 9 and Thematique.objects.count() == 10
        assert not NewsPage.objects.exists() and not ResourcePage.objects.exists()
        assert not get_document_model().objects.exists()
        assert WorkflowPage.objects.filter(page=HomePage.objects.get()).exists()
        assert client.get("/ressources/").status_code == 200 and client.get("/actualites/").status_code == 200

    def test_it_writes_real_content_with_a_faq_of_ten_questions(self, seeded_site, db):
        faq = StandardPage.objects.get(slug="faq")
        questions = [item for block in faq.body if block.block_type == "faq" for item in block.value["items"]]
        assert len(questions) >= 10
        assert all(item["question"].endswith("?") for item in questions)
        programme = StandardPage.objects.get(slug="le-dispositif")
        assert "France Relance" in programme.intro
        assert "lorem" not in str(programme.body).lower()

    def test_it_spreads_resources_across_every_type_and_thematique(self, seeded_site, db):
        assert set(ResourcePage.objects.values_list("resource_type", flat=True)) == set(ResourceType.values)
        for thematique in Thematique.objects.all():
            assert thematique.resources.count() >= 2, thematique
        for resource in ResourcePage.objects.all():
            assert bool(resource.document_id) != bool(resource.external_url), resource
            assert resource.live

    def test_it_generates_valid_demo_pdfs_and_keeps_one_private(self, seeded_site, db):
        documents = get_document_model().objects.select_related("collection")
        assert documents.filter(collection__name="Ressources").count() == 19
        private = documents.get(collection__name="Documents internes")
        assert private.collection.view_restrictions.exists()
        for document in documents:
            with document.file.open("rb") as handle:
                assert_valid_pdf(handle.read())

    def test_it_sets_up_the_editorial_groups_and_the_moderation_workflow(self, seeded_site, db):
        home = HomePage.objects.get()
        editors, moderators = Group.objects.get(name="Éditeurs"), Group.objects.get(name="Modérateurs")
        editor_rights = set(
            GroupPagePermission.objects.filter(group=editors).values_list("permission__codename", flat=True)
        )
        assert editor_rights == {"add_page", "change_page"}
        assert GroupPagePermission.objects.filter(
            group=moderators, page=home, permission__codename="publish_page"
        ).exists()
        workflow = WorkflowPage.objects.get(page=home).workflow
        task = GroupApprovalTask.objects.get(workflow_tasks__workflow=workflow)
        assert list(task.groups.all()) == [moderators]
        # Wagtail's install-time groups were renamed, not duplicated.
        assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()


class TestPdf:
    def test_it_writes_french_text_in_a_valid_pdf(self):
        data = pdf_document("Sécurité (numérique) : « guide »", ["Données personnelles – œuvre…", "x " * 300])
        assert_valid_pdf(data)
        assert "Sécurité".encode("cp1252") in data
        assert b"\\(num" in data  # parentheses are escaped
