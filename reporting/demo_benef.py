"""Demo followed beneficiaries: eight people followed by the demo advisor (conseiller@demo…), each linked to a few of
her individual reports whose answers are hers, so that the links' contributions match the reports' counts.

Idempotent: nothing is done once the advisor has any followed person (even erased or merged by a demo user).
"""

from django.db import transaction
from django.utils import timezone

from directory.demo import PERSONAS
from directory.models import Advisor
from reporting.enums import ActivityKind, AgeBand, Gender, SocialStatus
from reporting.models import Activity, ActivityBeneficiary, Beneficiary

ADVISOR_EMAIL = PERSONAS[5].email
PEOPLE = [
    ("Lefèvre", "Josiane", "0612345678", "", "Retraitée, vient le mardi pour ses démarches CAF."),
    ("Benali", "Karim", "", "karim.benali@example.fr", "Cherche un emploi : CV et candidatures en ligne."),
    ("Nguyen", "Thi", "0698765432", "", ""),
    ("Moreau", "Gérard", "", "", "Découvre la tablette offerte par sa fille."),
    ("Diallo", "Aminata", "0611223344", "aminata.d@example.fr", ""),
    ("Petit", "Lucas", "", "", "Lycéen, Parcoursup."),
    ("Lefevre", "Josiane", "06 12 34 56 78", "", "Doublon volontaire de la démo : à fusionner."),
    ("Rousseau", "Claire", "", "claire.rousseau@example.fr", ""),
]
LINKS_PER_PERSON = 3


def _answers(activity: Activity) -> tuple[str, str, str]:
    """The genre, tranche d'âge and statut of an individual report's one person."""
    picked = []
    for group, unknown in (("gender", Gender.UNKNOWN), ("age", AgeBand.UNKNOWN), ("status", SocialStatus.UNKNOWN)):
        picked.append(next((value for value, count in activity.breakdown(group).items() if count), unknown))
    return tuple(picked)


@transaction.atomic
def seed() -> str:
    """Create the demo advisor's followed people and their links (idempotent)."""
    advisor = Advisor.objects.filter(user__email=ADVISOR_EMAIL).first()
    if advisor is None:
        return "pas de conseillère de démonstration : aucune personne suivie créée"
    if Beneficiary.objects.filter(advisor=advisor).exists():
        return "personnes suivies de la démonstration déjà créées"
    linked = set(
        ActivityBeneficiary.objects.filter(beneficiary__advisor=advisor).values_list("activity_id", flat=True)
    )
    reports = [
        report
        for report in Activity.objects.current()
        .filter(advisor=advisor, kind=ActivityKind.INDIVIDUAL)
        .order_by("-date", "pk")[:200]
        if report.pk not in linked
    ]
    now = timezone.now()
    for index, (last_name, first_name, phone, email, notes) in enumerate(PEOPLE):
        own = reports[index :: len(PEOPLE)][:LINKS_PER_PERSON]
        gender, age_band, status = _answers(own[0]) if own else (Gender.UNKNOWN, AgeBand.UNKNOWN, SocialStatus.UNKNOWN)
        person = Beneficiary.objects.create(
            advisor=advisor,
            last_name=last_name,
            first_name=first_name,
            phone=phone.replace(" ", ""),
            email=email,
            notes=notes,
            gender=gender,
            age_band=age_band,
            status=status,
            informed_at=now,
            created_at=now,
            updated_at=now,
        )
        matching = [report for report in own if _answers(report) == (gender, age_band, status)]
        ActivityBeneficiary.objects.bulk_create(
            ActivityBeneficiary(
                activity=report,
                beneficiary=person,
                gender=gender,
                age_band=age_band,
                status=status,
                already_accompanied=bool(report.already_accompanied),
            )
            for report in matching
        )
        if matching:
            person.last_activity_on = max(report.date for report in matching)
            person.save(update_fields=["last_activity_on"])
    count = Beneficiary.objects.followed().filter(advisor=advisor).count()
    return f"{count} personnes suivies par la conseillère de démonstration"
