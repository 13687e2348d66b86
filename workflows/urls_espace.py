"""Espace agents (/espace/): task lists, decisions, dossiers, structure pages, training import, exports."""

from django.urls import path

from workflows.views import annotations as annotation_views
from workflows.views import (
    archive,
    bulk,
    capacity,
    contract_changes,
    coordinators,
    dossiers,
    exports,
    follow_up,
    post_requests,
    renewals,
    saved_views,
    structure,
    tasks,
    threads,
    training,
    transfers,
)
from workflows.views import preferences as preference_views

app_name = "workflows"

urlpatterns = [
    path("", tasks.home, name="home"),
    path("a-traiter/", tasks.queue, name="queue"),
    path("mes-taches/", tasks.inbox, name="inbox"),
    path("dossiers/", archive.dossiers, name="dossiers"),
    path("taches/<int:pk>/prendre/", tasks.take, name="take"),
    path("taches/<int:pk>/liberer/", tasks.release, name="release"),
    path("taches/<int:pk>/decision/", tasks.decide, name="decide"),
    path("structures/<int:pk>/", dossiers.structure_application, name="structure_application"),
    path("recrutements/<int:pk>/", dossiers.recruitment, name="recruitment"),
    path("recrutements/<int:pk>/annuler/", structure.recruitment_cancel, name="recruitment_cancel"),
    path("fins-de-contrat/<int:pk>/", dossiers.rupture, name="rupture"),
    path("fins-de-contrat/<int:pk>/annuler/", structure.rupture_cancel, name="rupture_cancel"),
    path("candidats/<int:pk>/", dossiers.candidate, name="candidate"),
    path("candidats/<int:pk>/cv/", dossiers.candidate_cv, name="candidate_cv"),
    path("candidats/<int:pk>/preselectionner/", structure.preselect, name="preselect"),
    path("schema/<str:kind>/<int:pk>.svg", dossiers.process_chart, name="process_chart"),
    path("mes-candidatures/", structure.my_applications, name="my_applications"),
    path("recruter/", structure.pool, name="pool"),
    path("mes-conseillers/", structure.my_advisors, name="my_advisors"),
    path("conseillers/<int:advisor_pk>/fin-de-contrat/", structure.rupture_notify, name="rupture_notify"),
    # Contract changes (issue 13, item 5)
    path(
        "conseillers/<int:advisor_pk>/contrat/",
        contract_changes.contract_change_request,
        name="contract_change_request",
    ),
    path("modifications-de-contrat/<int:pk>/", contract_changes.contract_change, name="contract_change"),
    path(
        "modifications-de-contrat/<int:pk>/annuler/",
        contract_changes.contract_change_cancel,
        name="contract_change_cancel",
    ),
    path("formation/import/", training.training_import, name="training_import"),
    path("export/<str:what>.<str:fmt>", exports.export, name="export"),
    path("ma-structure/reconventionnement/", renewals.renewal_request, name="renewal_request"),
    path("reconventionnements/<int:pk>/", renewals.renewal, name="renewal"),
    path("reconventionnements/<int:pk>/annuler/", renewals.renewal_cancel, name="renewal_cancel"),
    # Issue 13, avenants and the structure's self-service (helper "post_requests")
    path("avenants/nouveau/", post_requests.post_request_new, name="post_request_new"),
    path("avenants/<int:pk>/", post_requests.post_request, name="post_request"),
    path("avenants/<int:pk>/annuler/", post_requests.post_request_cancel, name="post_request_cancel"),
    path("ma-structure/", post_requests.my_structure, name="my_structure"),
    path("ma-structure/coordonnees/", post_requests.my_structure_contact, name="my_structure_contact"),
    path("ma-structure/inviter/", post_requests.my_structure_invite, name="my_structure_invite"),
    # Issue 13, coordinator posts (helper "coordinators")
    path("ma-structure/coordinateur/", coordinators.coordinator_apply, name="coordinator_apply"),
    path("postes-coordinateur/", coordinators.coordinator_requests, name="coordinator_requests"),
    path("postes-coordinateur/<int:pk>/", coordinators.coordinator_request, name="coordinator_request"),
    path(
        "postes-coordinateur/<int:pk>/nouveau-coordinateur/",
        coordinators.coordinator_redesignate,
        name="coordinator_redesignate",
    ),
    path("coordinateurs/<int:pk>/equipe/", coordinators.coordinator_team, name="coordinator_team"),
    # --- Transfers of posts and the requests' ages (issue 13, items 3 and 8) ---
    path("transferts/", transfers.transfer_list, name="transfer_list"),
    path("transferts/nouveau/", transfers.transfer_new, name="transfer_new"),
    path("transferts/<int:pk>/", transfers.transfer, name="transfer"),
    path("transferts/<int:pk>/annuler/", transfers.transfer_cancel, name="transfer_cancel"),
    path("pilotage-demandes/", capacity.requests_age, name="requests_age"),
    # --- Issue 14: lists, sorting, saved views ---
    path("listes/<str:list_name>/export.<str:fmt>", exports.task_list_export, name="task_list_export"),
    path("vues/", saved_views.saved_views, name="saved_views"),
    path("vues/nouvelle/", saved_views.saved_view_new, name="saved_view_new"),
    path("vues/<int:pk>/", saved_views.saved_view, name="saved_view"),
    path("vues/<int:pk>/supprimer/", saved_views.saved_view_delete, name="saved_view_delete"),
    # --- Issue 14: bulk actions, assignment, labels ---
    path("traitements/", bulk.bulk_jobs, name="bulk_jobs"),
    path("traitements/nouveau/", bulk.bulk_new, name="bulk_new"),
    path("traitements/<int:pk>/", bulk.bulk_job, name="bulk_job"),
    path("traitements/<int:pk>/etat.json", bulk.bulk_job_status, name="bulk_job_status"),
    path("dossiers/<str:kind>/<int:pk>/etiquettes/ajouter/", follow_up.label_add, name="follow_up_label_add"),
    path("dossiers/<str:kind>/<int:pk>/etiquettes/retirer/", follow_up.label_remove, name="follow_up_label_remove"),
    path("taches/<int:pk>/confier/", follow_up.assign, name="follow_up_assign"),
    # --- Issue 14: messages, correction requests, attachments ---
    path("dossiers/<str:kind>/<int:pk>/messages/", threads.thread_post, name="thread_post"),
    path("pieces/<int:pk>/", threads.attachment, name="attachment"),
    # --- Issue 14: annotations, notification preferences ---
    path("annotations/<str:kind>/<int:pk>/", annotation_views.annotation_add, name="annotation_add"),
    path(
        "annotations/<str:kind>/<int:pk>/<int:annotation_pk>/supprimer/",
        annotation_views.annotation_delete,
        name="annotation_delete",
    ),
    path("mes-notifications/", preference_views.preferences, name="preferences"),
]
