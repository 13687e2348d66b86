"""What the platform holds about one candidate, as shown on their page and in their JSON download."""

from django.utils import timezone

from workflows import selectors
from workflows.enums import Kind
from workflows.models import AdvisorApplication, Recruitment


def _iso(value):
    return value.isoformat() if value else None


def candidate_data(candidate: AdvisorApplication) -> dict:
    """Every field of the candidacy, its recruitments and the steps decided on it (agents' names left out)."""
    recruitments = Recruitment.objects.filter(candidate=candidate).select_related("structure").order_by("created_at")
    decisions = selectors.timeline(Kind.CANDIDATE, candidate.pk)
    return {
        "exporte_le": timezone.now().isoformat(),
        "candidature": {
            "numero": candidate.pk,
            "prenom": candidate.first_name,
            "nom": candidate.last_name,
            "email": candidate.email,
            "telephone": candidate.phone,
            "commune": {"code_insee": candidate.commune_id, "nom": candidate.commune.name},
            "situation": candidate.situations,
            "diplome": candidate.diploma_name,
            "experience_mediation_numerique": candidate.has_experience,
            "disponible_a_partir_du": _iso(candidate.available_from),
            "distance_maximale_km": candidate.max_distance_km,
            "motivation": candidate.motivation,
            "cv": "oui (téléchargeable séparément)" if candidate.cv else "non",
            "statut": candidate.get_status_display(),
            "inscrit_le": _iso(candidate.created_at),
            "email_confirme_le": _iso(candidate.email_confirmed_at),
            "retiree_le": _iso(candidate.withdrawn_at),
        },
        "recrutements": [
            {
                "structure": recruitment.structure.name,
                "statut": recruitment.get_status_display(),
                "contrat": recruitment.get_contract_type_display() if recruitment.contract_type else None,
                "debut_contrat": _iso(recruitment.contract_start),
                "fin_contrat": _iso(recruitment.contract_end),
                "salaire_brut_mensuel": recruitment.salary,
                "preselectionne_le": _iso(recruitment.created_at),
            }
            for recruitment in recruitments
        ],
        "historique": [
            {"date": _iso(decision.created_at), "evenement": decision.get_verdict_display()} for decision in decisions
        ],
        "conservation": (
            "CV supprimé 6 mois après son dépôt ; candidature anonymisée après 2 ans sans activité ; "
            "effacement possible à tout moment depuis le lien de vos e-mails."
        ),
    }
