"""Roles of the programme's users."""

from django.db import models


class Role(models.TextChoices):
    ADVISOR = "conseiller", "Conseiller numérique"
    COORDINATOR = "coordinateur", "Coordinateur"
    STRUCTURE_MANAGER = "structure", "Gestionnaire de structure"
    PREFECTURE = "prefecture", "Agent de préfecture"
    HUB = "hub", "Agent de hub"
    NATIONAL = "national", "Administrateur national (ANCT)"
    EDITOR = "editeur", "Éditeur du site"
    MODERATOR = "moderateur", "Modérateur du site"


# Roles a national admin may grant through invitations (the others come from the recruitment flows).
INVITABLE_ROLES = [Role.PREFECTURE, Role.HUB, Role.NATIONAL, Role.EDITOR, Role.STRUCTURE_MANAGER, Role.MODERATOR]

TERRITORIAL_ROLES = {Role.PREFECTURE, Role.HUB, Role.NATIONAL}

# Site roles are Django auth groups too: Wagtail's page, collection and workflow permissions are given to groups.
ROLE_GROUPS = {Role.EDITOR: "Éditeurs", Role.MODERATOR: "Modérateurs"}


class AuditAction(models.TextChoices):
    MEMBERSHIP_GRANTED = "membership_granted", "Rôle attribué"
    MEMBERSHIP_REVOKED = "membership_revoked", "Rôle retiré"
    USER_INVITED = "user_invited", "Utilisateur invité"
    INVITATION_ACCEPTED = "invitation_accepted", "Invitation acceptée"
