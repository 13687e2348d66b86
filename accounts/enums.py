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
    WORKFLOW_DECISION = "workflow_decision", "Décision sur un dossier de recrutement"
    ACTIVITY_DELETED = "activity_deleted", "Compte-rendu d'activité supprimé"
    PLACE_REMOVED = "place_removed", "Lieu d'activité retiré"
    TEAM_ACTIVITIES_EXPORTED = "team_activities_exported", "Activités d'une équipe exportées"
    ROLE_SWITCHED = "role_switched", "Changement de rôle actif"
    DATA_EXPORTED = "data_exported", "Export de données personnelles"
    AUDIT_LOG_EXPORTED = "audit_log_exported", "Journal d'audit exporté"
    ADMIN_ADDITION = "admin_addition", "Ajout dans l'administration Django"
    ADMIN_CHANGE = "admin_change", "Modification dans l'administration Django"
    ADMIN_DELETION = "admin_deletion", "Suppression dans l'administration Django"
    CANDIDATE_DATA_DOWNLOADED = "candidate_data_downloaded", "Données téléchargées par un candidat"
    CVS_PURGED = "cvs_purged", "CV de plus de 6 mois supprimés"
    CANDIDATES_ANONYMISED = "candidates_anonymised", "Candidats inactifs anonymisés"
    INACTIVE_ACCOUNTS_PROCESSED = "inactive_accounts_processed", "Comptes inactifs prévenus ou désactivés"
    AUDIT_LOG_PURGED = "audit_log_purged", "Événements d'audit de plus de 5 ans supprimés"
    PILOTAGE_EXPORTED = "pilotage_exported", "Export de données personnelles (pilotage)"
    PILOTAGE_EXPORT_DOWNLOADED = "pilotage_export_downloaded", "Export différé téléchargé (pilotage)"
    CONTRACT_ENDINGS_APPLIED = "contract_endings_applied", "Fins de contrat arrivées à échéance appliquées"
    PROGRAMME_DATES_APPLIED = "programme_dates_applied", "Effets datés du dispositif appliqués"
    COORDINATOR_TEAM_CHANGED = "coordinator_team_changed", "Équipe d'un coordinateur modifiée"
    STRUCTURE_UPDATED = "structure_updated", "Coordonnées d'une structure modifiées"
    BENEFICIARY_ERASED = "beneficiary_erased", "Personne suivie effacée à sa demande"
    BENEFICIARIES_MERGED = "beneficiaries_merged", "Fiches de personnes suivies fusionnées"
    BENEFICIARIES_IMPORTED = "beneficiaries_imported", "Personnes suivies importées"
    BENEFICIARIES_ANONYMISED = "beneficiaries_anonymised", "Personnes suivies inactives anonymisées"
    API_TOKEN_CREATED = "api_token_created", "Jeton d'API partenaire créé"
    API_TOKEN_REVOKED = "api_token_revoked", "Jeton d'API partenaire révoqué"
    API_CALLS_PURGED = "api_calls_purged", "Journal des appels à l'API partenaires purgé"


# Role-level permissions of the recruitment parcours (Viewflow node permissions); the territory is then
# enforced by the scoped querysets (accounts.roles.restrict and each app's scopes module). National admins hold
# every workflows permission.
ROLE_PERMISSIONS = {
    Role.PREFECTURE: frozenset({"workflows.review_prefecture"}),
    Role.HUB: frozenset({"workflows.validate_hub", "workflows.record_training", "workflows.validate_rupture"}),
    Role.STRUCTURE_MANAGER: frozenset({"workflows.manage_recruitment"}),
}
