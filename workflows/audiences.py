"""Who reads which part of a decision: internal notes for agents only, messages for the applicant side too."""

from accounts.enums import Role

# Structures, candidates and advisors never read an internal note, in pages or e-mails.
INTERNAL_NOTE_READERS = frozenset({Role.PREFECTURE, Role.HUB, Role.NATIONAL})

INTERNAL_NOTE_HELP = (
    "Lue seulement par les agents (préfecture, hub, équipe nationale), jamais par la structure ni le candidat."
)
MESSAGE_TO_STRUCTURE_HELP = "Envoyé par e-mail à la structure et visible dans son espace."
MESSAGE_TO_BOTH_HELP = "Envoyé par e-mail au candidat et à la structure, et visible dans l'espace de la structure."


def reads_internal_notes(role) -> bool:
    """Whether an active role may read internal notes."""
    return role in INTERNAL_NOTE_READERS
