"""The rejection report of a run: one CSV line per refused row (file, line, external id, reason), for a spreadsheet."""

from common.exports import write_csv
from switchover.models import ImportRun

HEADER = ["Fichier", "Ligne", "Identifiant d'origine", "Motif du rejet"]


def write_rejections(run: ImportRun, path: str) -> int:
    """Write the run's rejected rows (all its resumptions included) to `path`; returns how many."""
    rows = run.rejections.order_by("line", "pk").values_list("line", "external_id", "reason")
    count = 0

    def lines():
        nonlocal count
        yield HEADER
        for line, external_id, reason in rows.iterator(chunk_size=2000):
            count += 1
            yield [run.source_name, line, external_id, reason]

    with open(path, "w", encoding="utf-8", newline="") as handle:
        write_csv(handle, lines())
    return count
