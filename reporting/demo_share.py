"""Demo data of issue 15 part 4: a share link of the demo advisor's statistics (idempotent: run twice, one link)."""

from directory.demo import DEMO_DOMAIN
from directory.models import Advisor
from reporting.models import StatisticsShare

DEMO_LABEL = "pour ma structure (démo)"


def seed() -> str:
    """One active share link for conseiller@<demo domain>, created once."""
    advisor = Advisor.objects.filter(user__email=f"conseiller@{DEMO_DOMAIN}").select_related("user").first()
    if advisor is None:
        return "Partage de statistiques : conseillère de démonstration absente, rien à faire."
    _, created = StatisticsShare.objects.get_or_create(
        advisor=advisor, label=DEMO_LABEL, defaults={"created_by": advisor.user}
    )
    return f"Partage de statistiques de démonstration : {'créé' if created else 'déjà présent'}."
