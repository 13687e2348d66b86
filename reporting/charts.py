"""Server-side SVG charts: geometry computed here, drawn by reporting/includes/column_chart.html.

No JavaScript: the chart prints, works offline and under the content security policy. Every chart comes with a
text summary and its data table (the accessible alternative), rendered by the same include.
"""

from dataclasses import dataclass
from datetime import date

from reporting.indicators import fr_number

MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
MONTH_NAMES = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 40


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    show_label: bool

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    value: str
    y: float


@dataclass(frozen=True)
class ColumnChart:
    """A column chart: bars, horizontal grid lines, a title, a summary and the unit of the values."""

    id: str
    title: str
    unit: str
    bars: list[Bar]
    ticks: list[Tick]
    summary: str
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    left: int = LEFT

    @property
    def is_empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def _nice_max(value: int) -> int:
    """The smallest "round" number ≥ value (1, 2, 5 × 10^n), so that grid lines fall on readable values."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def column_chart(chart_id: str, title: str, points: list[tuple[str, str, int]], *, unit: str) -> ColumnChart:
    """Columns for (short label, full label, value) points, in order."""
    top = _nice_max(max((value for _, _, value in points), default=0))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(points), 1)
    gap = min(slot * 0.2, 8)
    every = max(1, round(len(points) / 12))
    bars = []
    for index, (label, full_label, value) in enumerate(points):
        height = plot_height * value / top
        bars.append(
            Bar(
                label=label,
                full_label=full_label,
                value=value,
                x=round(LEFT + index * slot + gap / 2, 2),
                y=round(TOP + plot_height - height, 2),
                width=round(slot - gap, 2),
                height=round(height, 2),
                show_label=index % every == 0,
            )
        )
    ticks = [Tick(fr_number(top * step // 4), round(TOP + plot_height * (1 - step / 4), 2)) for step in range(5)]
    peak = max(points, key=lambda point: point[2], default=None)
    total = sum(value for _, _, value in points)
    if not peak or not peak[2]:
        summary = f"{title} : aucune donnée sur la période."
    else:
        summary = (
            f"{title} : {fr_number(total)} {unit} au total ; le plus haut : {peak[1]} "
            f"avec {fr_number(peak[2])} {unit}."
        )
    return ColumnChart(chart_id, title, unit, bars, ticks, summary)


def monthly_chart(months: list[tuple[date, int, int]], *, title="Accompagnements par mois") -> ColumnChart:
    points = [
        (f"{MONTHS[month.month - 1]} {month:%y}", f"{MONTH_NAMES[month.month - 1]} {month.year}", value)
        for month, value, _ in months
    ]
    return column_chart("par-mois", title, points, unit="accompagnements")


def daily_chart(days: list[tuple[date, int, int]], *, title="Accompagnements par jour") -> ColumnChart:
    points = [(f"{day:%d/%m}", f"{day:%d/%m/%Y}", value) for day, value, _ in days]
    return column_chart("par-jour", title, points, unit="accompagnements")
