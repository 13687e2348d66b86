"""Thread-safe recording of request outcomes and the tables the load and fault scripts print."""

import math
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field


def out(text: str = "") -> None:
    """Print a line of the report (stdout; progress goes to stderr)."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list (0.0 for an empty list)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


@dataclass
class Series:
    """Latencies (seconds) and error counts of one endpoint in one phase."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def requests(self) -> int:
        return len(self.latencies)

    def row(self, name: str, seconds: float) -> dict:
        ordered = sorted(self.latencies)
        return {
            "endpoint": name,
            "requests": self.requests,
            "rps": self.requests / seconds if seconds > 0 else 0.0,
            "p50": percentile(ordered, 0.50) * 1000,
            "p95": percentile(ordered, 0.95) * 1000,
            "p99": percentile(ordered, 0.99) * 1000,
            "errors": self.errors,
        }


class Recorder:
    """Collects every request of every virtual user, per phase and per endpoint."""

    def __init__(self):
        self._lock = threading.Lock()
        self.phase = "charge"
        self.phases: list[str] = ["charge"]
        self.series: dict[tuple[str, str], Series] = defaultdict(Series)
        self.outcomes: list[tuple[float, bool, str]] = []  # (monotonic time, success, endpoint) of every request

    def set_phase(self, name: str) -> None:
        with self._lock:
            self.phase = name
            if name not in self.phases:
                self.phases.append(name)

    def add(self, endpoint: str, seconds: float, error: str | None = None) -> None:
        """One request: its latency, and a short error label when it failed (status code or exception)."""
        with self._lock:
            self.outcomes.append((time.monotonic(), error is None, endpoint))
            series = self.series[(self.phase, endpoint)]
            series.latencies.append(seconds)
            if error:
                series.errors += 1
                series.error_kinds[error] += 1

    def rows(self, phase: str | None = None, seconds: float = 0.0) -> list[dict]:
        """Per-endpoint rows (all phases merged when phase is None), sorted by endpoint, then a total row."""
        merged: dict[str, Series] = defaultdict(Series)
        with self._lock:
            for (series_phase, endpoint), series in self.series.items():
                if phase is not None and series_phase != phase:
                    continue
                target = merged[endpoint]
                target.latencies.extend(series.latencies)
                target.errors += series.errors
                for kind, count in series.error_kinds.items():
                    target.error_kinds[kind] += count
        rows = [merged[name].row(name, seconds) for name in sorted(merged)]
        total = Series()
        for series in merged.values():
            total.latencies.extend(series.latencies)
            total.errors += series.errors
        rows.append(total.row("TOTAL", seconds))
        return rows

    def first_success_after(self, moment: float, endpoints: tuple[str, ...] = ()) -> float | None:
        """Seconds from `moment` to the first successful request (of `endpoints`, if given) that ended after it."""
        with self._lock:
            times = [
                at for at, ok, name in self.outcomes if ok and at >= moment and (not endpoints or name in endpoints)
            ]
        return min(times) - moment if times else None

    def failures_outside(self, windows: list[tuple[float, float]]) -> int:
        """Failed requests that ended outside every (start, end) window of monotonic time."""
        with self._lock:
            failed = [at for at, ok, _ in self.outcomes if not ok]
        return sum(1 for at in failed if not any(start <= at <= end for start, end in windows))

    def last_failure(self) -> float | None:
        with self._lock:
            times = [at for at, ok, _ in self.outcomes if not ok]
        return max(times) if times else None

    def error_kinds(self) -> dict[str, dict[str, int]]:
        """Error labels per endpoint, all phases merged (to explain a non-zero error column)."""
        kinds: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        with self._lock:
            for (_, endpoint), series in self.series.items():
                for kind, count in series.error_kinds.items():
                    kinds[endpoint][kind] += count
        return {endpoint: dict(counts) for endpoint, counts in kinds.items()}


HEADERS = [
    ("endpoint", "Endpoint", "<"),
    ("requests", "Requêtes", ">"),
    ("rps", "Req/s", ">"),
    ("p50", "p50 (ms)", ">"),
    ("p95", "p95 (ms)", ">"),
    ("p99", "p99 (ms)", ">"),
    ("errors", "Erreurs", ">"),
]


def format_table(rows: list[dict], title: str = "") -> str:
    """A plain-text (Markdown-compatible) table of endpoint rows."""
    cells = [[label for _, label, _ in HEADERS]]
    for row in rows:
        line = []
        for key, _, _ in HEADERS:
            value = row[key]
            line.append(f"{value:.1f}" if isinstance(value, float) else str(value))
        cells.append(line)
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADERS))]
    lines = [f"\n{title}\n"] if title else []
    for index, line in enumerate(cells):
        padded = [f"{text:{align}{width}}" for text, width, (_, _, align) in zip(line, widths, HEADERS, strict=True)]
        lines.append("| " + " | ".join(padded) + " |")
        if index == 0:
            aligns = [align for _, _, align in HEADERS]
            rules = [("-" * (w + 1) + ":") if a == ">" else "-" * (w + 2) for w, a in zip(widths, aligns, strict=True)]
            lines.append("|" + "|".join(rules) + "|")
    return "\n".join(lines)


def format_pairs(header: tuple[str, ...], rows: list[tuple], title: str = "") -> str:
    """A small generic table (used for the before/after counts of the fault run)."""
    cells = [list(header)] + [[str(value) for value in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [f"\n{title}\n"] if title else []
    for index, row in enumerate(cells):
        lines.append("| " + " | ".join(f"{text:<{width}}" for text, width in zip(row, widths, strict=True)) + " |")
        if index == 0:
            lines.append("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)
