#!/bin/sh
# Restore a dump made by scripts/backup.sh into a NEW database (it refuses to overwrite an existing one).
#
#   scripts/restore.sh DUMP_FILE TARGET_DATABASE_URL
#
# The target database is created on the target server (connecting to its "postgres" database), then the dump is
# restored in one transaction: on any error nothing is left half-restored (the empty database is dropped).
# Check the result with: scripts/row_counts.sh SOURCE_URL > a; scripts/row_counts.sh TARGET_URL > b; diff a b
set -eu

if [ $# -ne 2 ]; then
    echo "Usage : scripts/restore.sh FICHIER.dump postgres://utilisateur@hôte:port/nouvelle_base" >&2
    exit 2
fi
file="$1"
url="$2"
[ -r "$file" ] || { echo "restore.sh : fichier illisible : $file" >&2; exit 2; }
case "$url" in
    postgres://*|postgresql://*) ;;
    *) echo "restore.sh : URL PostgreSQL attendue pour la base cible." >&2; exit 2 ;;
esac

base="${url%%\?*}"
query=""
case "$url" in *\?*) query="?${url#*\?}" ;; esac
name="${base##*/}"
maintenance="${base%/*}/postgres$query"
case "$name" in
    ''|*[!A-Za-z0-9_]*) echo "restore.sh : nom de base cible invalide : « $name » (lettres, chiffres, _)." >&2; exit 2 ;;
esac

exists="$(psql --dbname="$maintenance" --no-psqlrc --tuples-only --no-align \
    --command="SELECT 1 FROM pg_database WHERE datname = '$name'")"
if [ -n "$exists" ]; then
    echo "restore.sh : la base « $name » existe déjà ; choisissez un nouveau nom (rien n'a été modifié)." >&2
    exit 1
fi
psql --dbname="$maintenance" --no-psqlrc --quiet --command="CREATE DATABASE \"$name\""
if ! pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$file"; then
    psql --dbname="$maintenance" --no-psqlrc --quiet --command="DROP DATABASE \"$name\""
    echo "restore.sh : échec de la restauration ; la base « $name » a été supprimée." >&2
    exit 1
fi
echo "Base « $name » restaurée depuis $file."
