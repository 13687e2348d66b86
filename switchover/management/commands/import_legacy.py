"""Import the existing system's exports (mongoexport JSON lines or CSV), one collection or a whole directory."""

import os

from django.core.management.base import BaseCommand, CommandError

from switchover.finalize import rollups_rebuild
from switchover.importers import IMPORTERS
from switchover.models import ImportRun
from switchover.pipeline import Summary, run_import
from switchover.rejects import write_rejections

EXTENSIONS = (".json", ".jsonl", ".csv", ".json.gz", ".jsonl.gz", ".csv.gz")


def find_export(directory: str, collection: str) -> str | None:
    """The export file of a collection in a directory (`<collection>.json`, `.jsonl`, `.csv`, optionally gzipped)."""
    for extension in EXTENSIONS:
        path = os.path.join(directory, collection + extension)
        if os.path.exists(path):
            return path
    return None


class Command(BaseCommand):
    help = "Importe les exports de l'ancien système (une collection, ou --all un dossier entier dans l'ordre)."

    def add_arguments(self, parser):
        parser.add_argument("collection", nargs="?", help=f"une de : {', '.join(IMPORTERS)}")
        parser.add_argument("path", nargs="?", help="le fichier d'export (ou le dossier avec --all)")
        parser.add_argument("--all", metavar="DOSSIER", help="importe toutes les collections trouvées dans DOSSIER")
        parser.add_argument("--dry-run", action="store_true", help="lit et vérifie tout, n'écrit rien")
        parser.add_argument("--rejects-dir", help="où écrire les rapports de rejets (défaut : le dossier du fichier)")
        parser.add_argument("--no-progress", action="store_true", help="sans barre de progression")

    def handle(self, *args, **options):
        if options["all"]:
            # Several importers may read one file (e.g. structures, then their dossiers): look files up by source.
            jobs = [
                (name, path)
                for name, importer_class in IMPORTERS.items()
                if (path := find_export(options["all"], importer_class().source)) is not None
            ]
            if not jobs:
                raise CommandError(f"Aucun export reconnu dans {options['all']}.")
        else:
            name, path = options["collection"], options["path"]
            if name not in IMPORTERS:
                raise CommandError(f"Collection inconnue « {name} » : une de {', '.join(IMPORTERS)}.")
            if not path or not os.path.exists(path):
                raise CommandError(f"Fichier introuvable : {path}")
            jobs = [(name, path)]
        summaries = []
        for name, path in jobs:
            importer = IMPORTERS[name]()
            importer.print_ = self.stdout.write
            summary = run_import(
                importer,
                path,
                dry_run=options["dry_run"],
                progress=not options["no_progress"],
                print_=self.stdout.write,
            )
            summaries.append(summary)
            if not options["dry_run"]:
                self._write_rejects(name, path, options["rejects_dir"])
        if not options["dry_run"] and any(s.collection == "cras" and s.imported for s in summaries):
            summaries.append(self._rebuild_rollups())
        self._print_table(summaries)

    def _rebuild_rollups(self) -> Summary:
        """The final phase after the reports: every rollup recomputed set-based (the reports bypass the write path)."""
        count, seconds = rollups_rebuild(print_=self.stdout.write)
        return Summary(
            collection="agrégats (rollups)",
            lines_read=count,
            imported=count,
            existing=0,
            rejected=0,
            skipped=0,
            seconds=seconds,
            dry_run=False,
            resumed_from=0,
        )

    def _write_rejects(self, name: str, path: str, directory: str | None) -> None:
        run = ImportRun.objects.filter(collection=name).order_by("pk").last()
        if run is None or not run.rejected:
            return
        directory = directory or os.path.dirname(os.path.abspath(path))
        target = os.path.join(directory, f"rejets-{name}.csv")
        count = write_rejections(run, target)
        self.stdout.write(f"{count} ligne(s) rejetée(s) de {name} : {target}")

    def _print_table(self, summaries) -> None:
        mode = " (essai à blanc : rien n'a été écrit)" if summaries and summaries[0].dry_run else ""
        self.stdout.write(f"\nBilan{mode}")
        columns = (
            ("lues", 11),
            ("importées", 11),
            ("déjà là", 11),
            ("rejetées", 10),
            ("écartées", 10),
            ("durée s", 9),
            ("lignes/s", 10),
        )
        self.stdout.write(f"{'collection':<22}" + "".join(f"{name:>{width}}" for name, width in columns))
        total = 0.0
        for s in summaries:
            total += s.seconds
            self.stdout.write(
                f"{s.collection:<22}{s.lines_read:>11}{s.imported:>11}{s.existing:>11}{s.rejected:>10}"
                f"{s.skipped:>10}{s.seconds:>9.1f}{s.rate:>10.0f}"
            )
        self.stdout.write(f"{'total':<75}{total:>9.1f}")
