"""CSV and XLSX exports of the applications in the user's scope, with the columns of the real exports."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.decorators import agent_required
from accounts.enums import AuditAction
from accounts.services import audit_record
from common import exports as export_files
from directory.models import Contract
from workflows.audiences import reads_internal_notes
from workflows.filters import LISTS, filtered_work_items
from workflows.models import Recruitment, Rupture, StructureApplication

STRUCTURE_COLUMNS = [
    ("SIRET structure", lambda a: a.siret),
    ("ID candidature", lambda a: a.pk),
    ("Dénomination", lambda a: a.name),
    ("Date de candidature", lambda a: timezone.localtime(a.created_at).date()),
    ("Type", lambda a: a.get_type_display()),
    ("Statut", lambda a: a.get_status_display()),
    ("Code postal", lambda a: a.commune.main_postal_code),
    ("Nom commune", lambda a: a.commune.name),
    ("Code commune", lambda a: a.commune_id),
    ("Code département", lambda a: a.department_id),
    ("Code région", lambda a: a.department.region_id),
    ("Adresse postale", lambda a: a.address),
    ("Prénom contact", lambda a: a.contact_first_name),
    ("Nom contact", lambda a: a.contact_last_name),
    ("Fonction contact", lambda a: a.contact_function),
    ("Téléphone", lambda a: a.contact_phone),
    ("Email", lambda a: a.contact_email),
    ("Nombre de conseillers souhaités", lambda a: a.advisors_wanted),
    ("Date d'accueil souhaitée", lambda a: a.start_date),
    ("Candidat identifié", lambda a: "oui" if a.candidate_identified else "non"),
    ("Avis préfet", lambda a: a.get_prefecture_opinion_display() if a.prefecture_opinion else ""),
    ("Nombre de conseillers validés", lambda a: a.posts_granted or ""),
    ("Date de décision", lambda a: timezone.localtime(a.decided_at).date() if a.decided_at else ""),
    ("ID Structure", lambda a: a.structure_id or ""),
]

RECRUITMENT_COLUMNS = [
    ("Date candidature", lambda r: timezone.localtime(r.candidate.created_at).date()),
    ("Date de début de contrat", lambda r: r.contract_start or ""),
    ("Date de fin de contrat", lambda r: r.contract_end or ""),
    ("Type de contrat", lambda r: r.get_contract_type_display() if r.contract_type else ""),
    ("Salaire", lambda r: r.salary or ""),
    ("prenom", lambda r: r.candidate.first_name),
    ("nom", lambda r: r.candidate.last_name),
    ("expérience", lambda r: "oui" if r.candidate.has_experience else "non"),
    ("téléphone", lambda r: r.candidate.phone),
    ("email", lambda r: r.candidate.email),
    ("coordinateur", lambda r: "oui" if r.is_coordinator_post else "non"),
    ("Code Postal", lambda r: r.candidate.commune.main_postal_code),
    ("Nom commune", lambda r: r.candidate.commune.name),
    ("Département", lambda r: r.candidate.department_id),
    ("diplômé", lambda r: "oui" if r.candidate.has_diploma else "non"),
    ("SIRET structure", lambda r: r.structure.siret or ""),
    ("ID Structure", lambda r: r.structure_id),
    ("Dénomination", lambda r: r.structure.name),
    ("Type", lambda r: r.structure.get_type_display()),
    ("Adresse de la structure", lambda r: r.structure.address),
    ("Code postal", lambda r: r.structure.postal_code),
    ("Code commune", lambda r: r.structure.commune_id),
    ("Code département", lambda r: r.structure.department_id),
    ("Code région", lambda r: r.department.region_id),
    ("Prénom contact SA", lambda r: r.structure.contact_first_name),
    ("Nom contact SA", lambda r: r.structure.contact_last_name),
    ("Téléphone contact SA", lambda r: r.structure.contact_phone),
    ("Email contact SA", lambda r: r.structure.contact_email),
    ("ID conseiller", lambda r: r.advisor_id or ""),
    ("Statut", lambda r: r.get_status_display()),
    ("Date d'entrée en formation", lambda r: r.training.session_start if hasattr(r, "training") else ""),
    ("Date de sortie de formation", lambda r: r.training.session_end if hasattr(r, "training") else ""),
    ("Date de prise de poste", lambda r: r.started_at or ""),
]

RUPTURE_COLUMNS = [
    ("Nom", lambda r: r.advisor.last_name),
    ("Prénom", lambda r: r.advisor.first_name),
    ("Email", lambda r: r.advisor.professional_email or r.advisor.email),
    ("Id CNFS", lambda r: r.advisor_id),
    ("Nom de la structure", lambda r: r.structure.name),
    ("Id Structure", lambda r: r.structure_id),
    ("Code département", lambda r: r.department_id),
    ("Date de début de contrat", lambda r: r.recruitment.contract_start if r.recruitment else ""),
    ("Date de fin de contrat", lambda r: (r.recruitment.contract_end or "") if r.recruitment else ""),
    ("Type de contrat", lambda r: r.recruitment.get_contract_type_display() if r.recruitment else ""),
    ("Date de rupture", lambda r: r.end_date),
    ("Motif de rupture", lambda r: r.get_motive_display()),
    ("Statut", lambda r: r.get_status_display()),
    ("Date de validation", lambda r: timezone.localtime(r.validated_at).date() if r.validated_at else ""),
    ("Appliquée le", lambda r: timezone.localtime(r.applied_at).date() if r.applied_at else ""),
]

# Contract history (issue 13, item 5): one row per contract of the scope, the real « historique-contrats » export.
CONTRACT_COLUMNS = [
    ("Id du contrat", lambda c: c.pk),
    ("Id du conseiller", lambda c: c.advisor_id),
    ("Nom du conseiller", lambda c: c.advisor.last_name),
    ("Prénom du conseiller", lambda c: c.advisor.first_name),
    ("Email du conseiller", lambda c: c.advisor.professional_email or c.advisor.email),
    ("Id de la structure", lambda c: c.structure_id),
    ("Nom de la structure", lambda c: c.structure.name),
    ("Code département", lambda c: c.structure.department_id),
    ("Type de contrat", lambda c: c.get_contract_type_display()),
    ("Date de début de contrat", lambda c: c.start),
    ("Date de fin de contrat", lambda c: c.end or ""),
    ("Durée hebdomadaire", lambda c: c.weekly_hours),
    ("Salaire", lambda c: c.salary or ""),
    ("Poste de coordinateur", lambda c: "oui" if c.is_coordinator_post else "non"),
    ("Statut", lambda c: c.get_status_display()),
    ("Fin effective", lambda c: c.ended_on or ""),
    ("Motif de fin", lambda c: c.get_end_reason_display() if c.end_reason else ""),
    ("Id du contrat précédent", lambda c: c.follows_id or ""),
]


def _rows(user, what):
    if what == "structures":
        queryset = (
            roles.restrict(StructureApplication.objects.all(), user)
            .select_related("commune", "department")
            .order_by("-created_at", "pk")
        )
        return STRUCTURE_COLUMNS, queryset
    if what == "recrutements":
        queryset = (
            roles.restrict(Recruitment.objects.all(), user)
            .select_related("candidate__commune", "structure__commune", "department", "training")
            .order_by("-created_at", "pk")
        )
        return RECRUITMENT_COLUMNS, queryset
    if what == "fins-de-contrat":
        queryset = (
            roles.restrict(Rupture.objects.all(), user)
            .select_related("advisor", "structure", "recruitment")
            .order_by("-created_at", "pk")
        )
        return RUPTURE_COLUMNS, queryset
    if what == "historique-des-contrats":
        queryset = (
            roles.restrict(Contract.objects.all(), user)
            .select_related("advisor", "structure")
            .order_by("advisor_id", "start", "pk")
        )
        return CONTRACT_COLUMNS, queryset
    raise Http404


@agent_required
def export(request, what, fmt):
    """A CSV (streamed) or XLSX of the applications, recruitments, ruptures or contracts in the user's scope."""
    columns, queryset = _rows(request.user, what)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filename = f"{what}-{timezone.localdate():%Y-%m-%d}"
    # These files carry names, e-mails and phone numbers: who exported what is kept in the audit log.
    audit_record(
        actor=request.user,
        action=AuditAction.DATA_EXPORTED,
        details={"export": what, "format": fmt, "scope": str(roles.active_membership(request.user) or "")},
        request=request,
    )
    rows = _table(columns, queryset)
    if fmt == "csv":
        return export_files.csv_response(filename, rows)
    return export_files.xlsx_response(filename, [(what.replace("-", " ").capitalize(), rows, 1)])


def _table(columns, queryset):
    yield [label for label, _ in columns]
    for item in queryset.iterator(chunk_size=500):
        yield [value(item) for _, value in columns]


# --- Task lists (issue 14): exactly the rows the current filters and sort select ----------------------------------

EXPORT_MAX_ROWS = 50_000
EXPORT_LIMIT_TEXT = "Les exports sont limités à 50 000 lignes"


def _local_date(value):
    return timezone.localtime(value).date() if value else ""


TASK_LIST_COLUMNS = [
    ("Dossier", lambda w: w.title),
    ("Type de dossier", lambda w: w.get_kind_display()),
    ("Étape", lambda w: w.get_step_display()),
    ("Code département", lambda w: w.department_id),
    ("Département", lambda w: w.department.name),
    ("Type de structure", lambda w: w.get_structure_type_display() if w.structure_type else ""),
    ("Avis du préfet", lambda w: w.get_prefecture_opinion_display() if w.prefecture_opinion else "Sans avis"),
    ("Postes demandés", lambda w: w.posts_requested),
    ("Reçue le", lambda w: _local_date(w.created_at)),
    ("Échéance", lambda w: _local_date(w.due_at)),
    ("En attente du demandeur depuis", lambda w: _local_date(w.paused_at)),
    ("En charge", lambda w: (w.owner.get_full_name() or w.owner.email) if w.owner else ""),
]
AGENT_ONLY_COLUMNS = {"Avis du préfet"}


@agent_required
def task_list_export(request, list_name, fmt):
    """A CSV or XLSX of the rows of "À traiter" or "Mes dossiers" that the current filters select, in their order."""
    if list_name not in LISTS or fmt not in ("csv", "xlsx"):
        raise Http404
    user = request.user
    _, rows = filtered_work_items(user, list_name, request.GET)
    list_url = f"{reverse(LISTS[list_name][0])}?{request.GET.urlencode()}"
    if rows.order_by()[: EXPORT_MAX_ROWS + 1].count() > EXPORT_MAX_ROWS:
        messages.warning(request, f"{EXPORT_LIMIT_TEXT} : ajoutez des filtres pour en sélectionner moins.")
        return redirect(list_url)
    columns = TASK_LIST_COLUMNS
    if not reads_internal_notes(roles.active_role(user)):
        columns = [column for column in columns if column[0] not in AGENT_ONLY_COLUMNS]
    what = "a-traiter" if list_name == "queue" else "mes-dossiers"
    audit_record(
        actor=user,
        action=AuditAction.DATA_EXPORTED,
        details={
            "export": what,
            "format": fmt,
            "filters": request.GET.urlencode(),
            "scope": str(roles.active_membership(user) or ""),
        },
        request=request,
    )
    filename = f"{what}-{timezone.localdate():%Y-%m-%d}"
    table = _table(columns, rows)
    if fmt == "csv":
        return export_files.csv_response(filename, table)
    return export_files.xlsx_response(filename, [(LISTS[list_name][1], table, 1)])
