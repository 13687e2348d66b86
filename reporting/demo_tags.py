"""Demo tags: personal tags of the demo advisor, a departmental tag of Paris (75), a national tag, on some reports.

Idempotent: tags are found by scope, owner or department and name, and a report's tag is added once (a second run
changes nothing). Run after reporting.demo.seed (the reports must exist); tags are not in the rollups.
"""

from django.db import transaction

from directory.demo import DEMO_DOMAIN
from directory.models import Advisor
from reporting.enums import TagScope
from reporting.models import Activity, ActivityTag, Tag
from territories.models import Department

PERSONAL = [
    ("Permanence en mairie", "Mes permanences du mardi à la mairie annexe."),
    ("Atelier seniors", "Ateliers du club des seniors."),
]
DEPARTMENTAL = ("Paris numérique solidaire", "Programme départemental d'accompagnement des publics éloignés.")
NATIONAL = ("France Services", "Accompagnements réalisés dans un espace labellisé France Services.")
# Every n-th report of the demo advisor (oldest first) gets the tag: a stable, partial overlap between tags.
EVERY = {0: 3, 1: 5, 2: 4, 3: 2}


def _tag(name: str, description: str, scope: str, **keys) -> Tag:
    tag = Tag.objects.filter(scope=scope, name=name, archived_at__isnull=True, **keys).first()
    return tag or Tag.objects.create(name=name, description=description, scope=scope, **keys)


@transaction.atomic
def seed() -> str:
    """Create the demo tags and put them on some of the demo advisor's reports (and some of her colleagues')."""
    advisor = Advisor.objects.filter(user__email=f"conseiller@{DEMO_DOMAIN}").first()
    paris = Department.objects.filter(pk="75").first()
    if advisor is None or paris is None:
        return "Étiquettes : pas de conseillère de démonstration, rien à faire"
    tags = [_tag(name, description, TagScope.PERSONAL, owner=advisor) for name, description in PERSONAL]
    tags.append(_tag(*DEPARTMENTAL, TagScope.DEPARTMENT, department=paris))
    tags.append(_tag(*NATIONAL, TagScope.NATIONAL))
    reports = list(
        Activity.objects.current().filter(advisor=advisor).order_by("date", "pk").values_list("pk", flat=True)
    )
    links = [
        ActivityTag(activity_id=pk, tag=tag)
        for index, tag in enumerate(tags)
        for position, pk in enumerate(reports)
        if position % EVERY[index] == 0
    ]
    colleagues = Activity.objects.current().filter(department="75", advisor__email__endswith=f"@{DEMO_DOMAIN}")
    colleagues = colleagues.exclude(advisor=advisor).order_by("pk").values_list("pk", flat=True)[:400:3]
    links += [ActivityTag(activity_id=pk, tag=tag) for pk in colleagues for tag in tags[2:]]
    ActivityTag.objects.bulk_create(links, ignore_conflicts=True, batch_size=2000)
    used = ActivityTag.objects.filter(tag__in=tags).count()
    return f"Étiquettes : {len(tags)} étiquettes de démonstration, {used} activités étiquetées"
