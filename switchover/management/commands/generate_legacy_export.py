"""Write realistic exports of the existing system (mongoexport JSON lines), for tests, demos and the bench."""

import time

from django.core.management.base import BaseCommand

from switchover.generator import generate


class Command(BaseCommand):
    help = (
        "Génère des exports réalistes de l'ancien système (un fichier JSON lines par collection, format mongoexport) "
        "dans DOSSIER : structures, conseillers, permanences, mises en relation, ruptures et comptes rendus."
    )

    def add_arguments(self, parser):
        parser.add_argument("out_dir", metavar="DOSSIER", help="dossier où écrire les fichiers (créé au besoin)")
        parser.add_argument("--structures", type=int, default=2900, help="nombre de structures (défaut : 2900)")
        parser.add_argument(
            "--advisors", type=int, default=4000, help="nombre de conseillers recrutés (défaut : 4000)"
        )
        parser.add_argument(
            "--candidates", type=int, default=None, help="nombre de candidats jamais recrutés (défaut : la moitié)"
        )
        parser.add_argument(
            "--reports", type=int, default=2_700_000, help="nombre de comptes rendus (défaut : 2 700 000)"
        )
        parser.add_argument(
            "--seed", type=int, default=2021, help="graine : même graine, mêmes fichiers octet pour octet"
        )
        parser.add_argument(
            "--defect-rate",
            type=float,
            default=0.001,
            help="part de documents volontairement défectueux que l'import doit rejeter (défaut : 0,001)",
        )
        parser.add_argument("--gzip", action="store_true", help="compresse les fichiers (.json.gz)")

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = generate(
            options["out_dir"],
            structures=options["structures"],
            advisors=options["advisors"],
            candidates=options["candidates"],
            reports=options["reports"],
            seed=options["seed"],
            gzip=options["gzip"],
            defect_rate=options["defect_rate"],
        )
        for name, count in counts.items():
            self.stdout.write(f"{name:<24} {count:>10,}".replace(",", " "))
        self.stdout.write(
            self.style.SUCCESS(f"Exports écrits dans {options['out_dir']} en {time.monotonic() - started:.1f} s.")
        )
