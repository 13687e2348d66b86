"""Two territories of seeded objects (Paris 75 in the Francil-in hub, Marseille 13 in a PACA hub) and the personas of
tests/personas.py, for the permission matrix: every URL parameter resolves to an object of each territory."""

import datetime
import io
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page

from accounts import services as account_services
from accounts.enums import Role
from content.models import NewsPage, ResourcePage
from directory.enums import ContractType
from reporting.enums import ExportStatus, TagScope
from reporting.models import ExportJob, StatisticsShare, Tag
from reporting.tasks import export_name
from tests import personas
from tests.accounts.factories import UserFactory
from tests.content.factories import DocumentFactory
from tests.directory.factories import (
    AdvisorFactory,
    HubFactory,
    PlaceAssignmentFactory,
    StructureFactory,
    contract_for,
    convention_for,
)
from tests.partners.factories import make_token
from tests.reporting.factories import ActivityFactory
from tests.reporting.factories_benef import BeneficiaryFactory
from tests.reporting.factories_coord import CoordinationActivityFactory
from tests.territories.factories import department
from tests.workflows.factories import CandidateFactory, StructureApplicationFactory
from tests.workflows.helpers import pdf_bytes
from workflows import services, tokens
from workflows.enums import BulkAction, Kind, Party, Step
from workflows.models import BulkJob, SavedView, WorkItem
from workflows.services.annotations import annotation_add
from workflows.services.threads import message_post

PERSONAS = (
    "anonymous",
    "no_role",
    "national",
    "hub",
    "prefecture",
    "structure",
    "coordinator",
    "advisor",
    "editor",
    "moderator",
)

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class Territory:
    """The objects of one territory, each the value of some URL parameter."""

    code: str
    structure: object = None
    manager: object = None
    advisor: object = None
    advisor_user: object = None
    coordinator_user: object = None
    place: object = None
    activity: object = None
    application: object = None
    application_item: object = None
    candidate: object = None
    recruitment: object = None
    recruitment_item: object = None
    rupture: object = None
    rupture_item: object = None
    coordinator: object = None
    coordinator_request: object = None
    prefecture_user: object = None
    membership: object = None
    convention: object = None
    contract: object = None
    post_request: object = None
    renewal: object = None
    contract_change: object = None
    transfer: object = None
    recruited: object = None  # the candidate of the recruitment
    attachment: object = None  # a file the prefecture sent on the structure application's thread
    candidate_attachment: object = None  # a file the prefecture sent on the recruitment's candidate thread
    annotation: object = None  # a private note of the prefecture on the structure application
    coordination_activity: object = None  # an animation recorded by the territory's coordinator (issue 15)
    share: object = None  # issue 15: a share link of the advisor's statistics
    beneficiary: object = None  # a person followed by the territory's advisor (issue 15)
    duplicate: object = None  # her likely duplicate, for the merge page
    tag: object = None  # issue 15: the advisor's personal tag (named after her: the leak check's marker)
    department_tag: object = None  # issue 15: a departmental tag (named after the structure: another marker)


@dataclass
class World:
    """Both territories, the personas (Paris side) and the site's pages and documents."""

    own: Territory
    other: Territory
    users: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)
    images: dict = field(default_factory=dict)
    invitation_url: str = ""
    other_export_job: object = None
    other_bulk_job: object = None  # a bulk job of the Marseille prefecture: nobody else's to see
    other_saved_view: object = None  # a saved view of the Marseille prefecture: nobody else's either
    own_export_url: str = ""  # the download of a finished export of the Paris prefecture persona
    partner_token: object = None  # issue 18: a partner API token (its pages are the national team's)

    def side(self, name: str) -> Territory:
        return self.own if name == "own" else self.other


# The personas of each territory (tests/personas.py): the manager, the advisor, the coordinator, the prefecture.
SIDES = {
    "75": (personas.STRUCTURE_PARIS, personas.ADVISOR_PARIS, personas.COORDINATOR_PARIS, personas.PREFECTURE_PARIS),
    "13": (
        personas.STRUCTURE_MARSEILLE,
        personas.ADVISOR_MARSEILLE,
        personas.COORDINATOR_MARSEILLE,
        personas.PREFECTURE_MARSEILLE,
    ),
}


def _open_item(kind, subject, step) -> WorkItem:
    return WorkItem.objects.get(kind=kind, subject_id=subject.pk, step=step, is_open=True)


def _territory(code: str, *, marseille: bool) -> Territory:
    t = Territory(code=code)
    manager, advisor, coordinator_persona, prefecture = SIDES[code]
    t.structure = StructureFactory(in_marseille=marseille, posts_granted=6, name=f"Structure du territoire {code}")
    t.manager = personas.create_user(manager, structure=t.structure)
    assignment = PlaceAssignmentFactory(
        advisor__structure=t.structure, place__structure=t.structure, is_principal=True
    )
    t.advisor, t.place = assignment.advisor, assignment.place
    t.advisor.last_name = f"Conseillère-du-{code}"  # a marker no other name contains
    t.advisor.save(update_fields=["last_name"])
    t.advisor_user = personas.create_user(advisor, advisor=t.advisor)
    t.advisor.user = t.advisor_user
    t.advisor.save(update_fields=["user"])
    coordinator = AdvisorFactory(structure=t.structure, coordinator=True)
    coordinator.coordinated_advisors.add(t.advisor)
    PlaceAssignmentFactory(advisor=coordinator, place=t.place, is_principal=True)
    t.coordinator_user = personas.create_user(coordinator_persona, advisor=coordinator)
    coordinator.user = t.coordinator_user
    coordinator.save(update_fields=["user"])
    t.activity = ActivityFactory(advisor=t.advisor)
    t.share = StatisticsShare.objects.create(advisor=t.advisor, created_by=t.advisor_user, label=f"lien {code}")
    t.tag = Tag.objects.create(name=f"Tag {t.advisor.last_name}", scope=TagScope.PERSONAL, owner=t.advisor)
    t.department_tag = Tag.objects.create(
        name=f"Tag {t.structure.name}"[:60], scope=TagScope.DEPARTMENT, department=department(code)
    )
    ActivityFactory(advisor=coordinator)
    t.prefecture_user = personas.create_user(prefecture, department=department(code))
    t.membership = t.prefecture_user.active_membership
    # A structure application waiting for the prefecture's opinion.
    application = StructureApplicationFactory(in_marseille=marseille, name=f"Candidature du territoire {code}")
    t.application = services.structure_application_confirm(application_id=application.pk)
    t.application_item = _open_item(Kind.STRUCTURE, t.application, Step.STRUCTURE_PREFECTURE)
    # A candidate with a private CV, and a recruitment at the contract step (another candidate).
    t.candidate = CandidateFactory(in_marseille=marseille)
    t.candidate.cv.save("cv.pdf", ContentFile(MINIMAL_PDF), save=True)
    recruited = CandidateFactory(in_marseille=marseille)
    t.recruitment = services.recruitment_preselect(candidate=recruited, user=t.manager)
    t.recruitment_item = _open_item(Kind.RECRUITMENT, t.recruitment, Step.RECRUITMENT_CONTRACT)
    # An end of contract waiting for validation (an advisor without account).
    leaving = AdvisorFactory(structure=t.structure)
    t.rupture = services.rupture_notify(
        advisor=leaving,
        user=t.manager,
        end_date=timezone.localdate() + datetime.timedelta(days=30),
        motive="demission",
    )
    t.rupture_item = _open_item(Kind.RUPTURE, t.rupture, Step.RUPTURE_VALIDATION)
    t.coordinator = coordinator
    t.recruited = recruited
    t.coordination_activity = CoordinationActivityFactory(coordinator=coordinator, name=f"Comité du territoire {code}")
    _life_after_recruitment(t)
    _instruction(t)
    t.beneficiary = BeneficiaryFactory(advisor=t.advisor, last_name=f"Suivie-du-{code}", first_name="Personne")
    t.duplicate = BeneficiaryFactory(advisor=t.advisor, last_name=f"Suivie-du-{code}", first_name="Personne")
    return t


def _instruction(t: Territory) -> None:
    """Issue 14's objects of the territory: files on the threads of two dossiers, a private note."""
    t.attachment = message_post(
        kind=Kind.STRUCTURE,
        subject_id=t.application.pk,
        party=Party.STRUCTURE,
        body="Voici le modèle de délibération attendu.",
        files=[SimpleUploadedFile("modele.pdf", pdf_bytes(), content_type="application/pdf")],
        user=t.prefecture_user,
    ).attachments.get()
    t.candidate_attachment = message_post(
        kind=Kind.RECRUITMENT,
        subject_id=t.recruitment.pk,
        party=Party.CANDIDATE,
        body="Voici la fiche de poste.",
        files=[SimpleUploadedFile("fiche.pdf", pdf_bytes(), content_type="application/pdf")],
        user=t.prefecture_user,
    ).attachments.get()
    t.annotation = annotation_add(
        kind=Kind.STRUCTURE, subject_id=t.application.pk, body="Appeler le contact.", user=t.prefecture_user
    )


def _life_after_recruitment(t: Territory) -> None:
    """The convention, the advisor's contract and one request of each kind of issue 13, at their first step."""
    today = timezone.localdate()
    t.convention = convention_for(t.structure, posts=6)
    t.contract = contract_for(
        t.advisor,
        contract_type=ContractType.CDD,
        start=today - datetime.timedelta(days=100),
        end=today + datetime.timedelta(days=200),
    )
    t.post_request = services.post_request_submit(
        user=t.manager, type="ajout", posts_requested=1, motivation=f"Un poste de plus pour le territoire {t.code}."
    )
    t.renewal = services.renewal_submit(
        user=t.manager,
        posts_requested=2,
        continuing_contracts=[t.contract],
        motivation=f"Poursuivre le dispositif sur le territoire {t.code}.",
    )
    t.contract_change = services.contract_change_request(
        advisor=t.advisor,
        user=t.manager,
        type="prolongation",
        new_end=today + datetime.timedelta(days=400),
        motivation="Prolonger le contrat pour finir le projet.",
    )
    # A transfer of one vacant post to the territory's structure, from another structure of the same territory,
    # waiting for the prefecture's opinion.
    giving = StructureFactory(in_marseille=t.code == "13", name=f"Structure qui cède du territoire {t.code}")
    convention_for(giving, posts=2)
    t.transfer = services.transfer_start(
        user=personas.user_with_role(Role.NATIONAL, f"transferts-{t.code}@anct.test"),
        from_structure=giving,
        structure=t.structure,
        posts=1,
        effective_on=today + datetime.timedelta(days=30),
        ask_prefecture=True,
        motivation=f"Un poste vacant rejoint le territoire {t.code}.",
    )
    t.coordinator_request = services.coordinator_request_submit(
        user=t.manager,
        coordination_type="FT",
        territory=f"Le territoire {t.code}",
        covered_departments=[department(t.code)],
        motivation="Animer les conseillers du territoire.",
    )


def build_world() -> World:
    """Seed the site (pages, groups) and both territories; about a few seconds on SQLite."""
    call_command("seed_content", verbosity=0)
    hub_idf = HubFactory(name="Francil-in", slug="francil-in", departments=[department("75"), department("92")])
    HubFactory(name="Hub Sud", slug="hub-sud", departments=[department("13")])
    world = World(own=_territory("75", marseille=False), other=_territory("13", marseille=True))
    world.users = {
        "anonymous": None,
        "no_role": personas.create_user(personas.OUTSIDER),
        "national": personas.create_user(personas.NATIONAL),
        "hub": personas.create_user(personas.HUB_IDF, hub=hub_idf),
        "prefecture": world.own.prefecture_user,
        "structure": world.own.manager,
        "coordinator": world.own.coordinator_user,
        "advisor": world.own.advisor_user,
        "editor": personas.create_user(personas.EDITOR),
        "moderator": personas.create_user(personas.MODERATOR),
    }
    resource = ResourcePage.objects.live().first()
    draft = ResourcePage.objects.live().last()
    draft.unpublish()
    world.pages = {
        "home": Page.objects.get(depth=2),
        "resource": resource,
        "draft": draft,
    }
    world.pages["news"] = NewsPage.objects.live().first()
    world.documents = {"public": DocumentFactory(), "private": DocumentFactory(private=True)}
    world.images = {"public": _image()}
    invited = UserFactory(password="")
    invited.set_unusable_password()
    invited.save()
    world.invitation_url = account_services.invitation_url(invited).removeprefix(settings.SITE_URL)
    marseille = world.other.prefecture_user
    world.other_export_job = ExportJob.objects.create(
        requested_by=marseille,
        membership=marseille.active_membership,
        kind="structures",
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    world.own_export_url = _finished_export(world.own.prefecture_user)
    world.other_bulk_job = BulkJob.objects.create(
        user=marseille,
        membership=marseille.active_membership,
        action=BulkAction.LABEL,
        params={"label": "Comité"},
        summary="Étiquette « Comité » sur 1 dossier",
    )
    world.other_saved_view = SavedView.objects.create(
        user=marseille, list_name="queue", name="En retard", query="deadline=retard"
    )
    world.partner_token, _ = make_token()
    return world


def _finished_export(user) -> str:
    """A background export built and ready for `user`, under their current role: the URL of its file."""
    job = ExportJob.objects.create(
        requested_by=user,
        membership=user.active_membership,
        kind="structures",
        status=ExportStatus.DONE,
        file_name=f"export-{uuid.uuid4().hex}.csv",
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    storages["private"].save(export_name(job), ContentFile(b"structure\nStructure du territoire 75\n"))
    return f"/pilotage/exports/suivi/{job.pk}/telecharger/"


def _image():
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "blue").save(buffer, "PNG")
    return get_image_model().objects.create(title="Carré bleu", file=ImageFile(buffer, name="carre.png"))


def manage_token(purpose: str, pk: int) -> str:
    return tokens.make_token(purpose, pk)


def bogus_token() -> str:
    return f"{uuid.uuid4().hex}:forged"
