"""Rows of the activity-report and statistics exports (Coop, team, pilotage dashboard).

Files are written by common/exports.py, the one writer of the platform (neutralised text, typed XLSX cells).
"""

from collections.abc import Iterator

from django.utils import timezone

from reporting.counters import GROUPS
from reporting.enums import (
    ActivityKind,
    Autonomy,
    Material,
    PlaceType,
    Procedure,
    RedirectionStructure,
    TagScope,
    Theme,
)
from reporting.enums import WorkshopLevel as Level
from reporting.indicators import distributions, key_figures, location_groups
from reporting.selectors import Statistics


def _labels(values: list[str], enum) -> str:
    return ", ".join(enum(value).label for value in values)


BREAKDOWN_HEADERS = [
    (column, f"{GROUPS[group].enum(value).label} ({group_label})")
    for group, group_label in (("gender", "genre"), ("age", "âge"), ("status", "statut"))
    for value in GROUPS[group].enum.values
    for column in [GROUPS[group].column(value)]
]


def _tag_names(activity, *, team: bool) -> str:
    """The report's tags (prefetched by the caller); a team export leaves out personal tags, private to the author."""
    names = sorted(tag.name for tag in activity.tags.all() if not (team and tag.scope == TagScope.PERSONAL))
    return ", ".join(names)


def activity_rows(activities, *, team: bool = False, people: bool = False) -> Iterator[list]:
    """The header, then one row per report; a team export names the advisor and never includes private notes.

    `people=True` (my own export only) adds the names of the followed people of each report (prefetch
    `beneficiaries`); a team or pilotage export never names anyone accompanied.
    """
    people = people and not team
    header = ["Identifiant", "Date", "Enregistrée le", "Modifiée le"]
    if team:
        header += ["Conseiller", "Structure employeuse"]
    header += [
        "Type",
        "Durée (minutes)",
        "Type de lieu",
        "Lieu d'activité",
        "Commune",
        "Code INSEE",
        "Thématiques",
        "Démarches administratives",
        "Matériel utilisé",
        "Titre de l'atelier",
        "Niveau de l'atelier",
        "Participants",
        "Déjà accompagnés",
        "Autonomie",
        "Réorientée",
        "Structure de réorientation",
        *(label for _, label in BREAKDOWN_HEADERS),
        "Étiquettes",
    ]
    if people:
        header.append("Personnes suivies")
    if not team:
        header.append("Notes privées")
    yield header
    for activity in activities:
        row = [activity.pk, activity.date, activity.created_at, activity.updated_at]
        if team:
            row += [activity.advisor.full_name, activity.structure.name if activity.structure else ""]
        row += [
            ActivityKind(activity.kind).label,
            activity.duration,
            PlaceType(activity.place_type).label,
            activity.place.name if activity.place else "",
            activity.commune.name if activity.commune else "",
            activity.commune_id or "",
            _labels(activity.theme_values, Theme),
            _labels(activity.procedure_values, Procedure),
            _labels(activity.material_values, Material),
            activity.title,
            Level(activity.level).label if activity.level else "",
            activity.participants,
            activity.already_accompanied,
            Autonomy(activity.autonomy).label if activity.autonomy else "",
            {True: "Oui", False: "Non"}.get(activity.redirected, ""),
            RedirectionStructure(activity.redirection_structure).label if activity.redirection_structure else "",
            *(getattr(activity, column) for column, _ in BREAKDOWN_HEADERS),
            _tag_names(activity, team=team),
        ]
        if people:
            row.append(", ".join(str(person) for person in activity.beneficiaries.all()))
        if not team:
            row.append(activity.notes)
        yield row


def statistics_header(*, title: str, subject: str, period, filters: list[str]) -> list[list]:
    """The lines at the top of a statistics export: what, who, when, which filters, generated when."""
    return [
        [title],
        ["Périmètre", subject],
        ["Période", f"du {period.start:%d/%m/%Y} au {period.end:%d/%m/%Y}"],
        ["Filtres", " ; ".join(filters) or "aucun"],
        ["Généré le", timezone.localtime().strftime("%d/%m/%Y à %H:%M")],
        [],
    ]


def statistics_rows(statistics: Statistics, header: list[list], *, tags=()) -> Iterator[list]:
    """Every indicator of a statistics page as label / value / % rows, section by section, then the tags block
    (reporting.tag_statistics.TagRow rows: a report with two tags counts under each, so no percentages)."""
    yield from header
    yield ["Chiffres clés", "Valeur", "Précision"]
    for figure in key_figures(statistics):
        label = f"{figure.label} ({figure.unit})" if figure.unit else figure.label
        yield [label, figure.value if figure.number is None else figure.number, figure.detail]
    yield []
    yield ["Accompagnements par mois", "Accompagnements", "Activités"]
    for month, accompaniments, activities in statistics.months:
        yield [f"{month:%m/%Y}", accompaniments, activities]
    for distribution in distributions(statistics):
        yield []
        yield [distribution.title, "Nombre", "Part (%)"]
        for share in distribution.shares:
            yield [share.label, share.count, share.percent]
    for title, rows in location_groups(statistics):
        yield []
        yield [title, "Accompagnements", "Activités", "Part (%)"]
        for row, percent in rows:
            yield [row.label, row.accompaniments, row.activities, percent]
    if tags:
        yield []
        yield ["Étiquettes", "Accompagnements", "Activités", "Portée"]
        for row in tags:
            yield [row.tag.name, row.accompaniments, row.activities, row.scope_label]
