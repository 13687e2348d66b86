#!/bin/sh
# Dump a PostgreSQL database to a timestamped custom-format file (pg_dump -Fc), check it, prune old dumps.
#
#   scripts/backup.sh [DATABASE_URL]
#
# DATABASE_URL      postgres://user@host:port/name (argument or environment variable)
# BACKUP_DIR        where dumps go (default: var/backups, relative to the current directory)
# BACKUP_RETENTION_DAYS  dumps older than this many days are deleted (default: 14; 0 keeps everything)
#
# Prints the path of the new dump on stdout. Exit status is non-zero on any failure; a failed dump leaves no file.
set -eu

url="${1:-${DATABASE_URL:-}}"
case "$url" in
    postgres://*|postgresql://*) ;;
    *) echo "backup.sh : DATABASE_URL PostgreSQL attendue (postgres://utilisateur@hôte:port/base)." >&2; exit 2 ;;
esac
dir="${BACKUP_DIR:-var/backups}"
retention="${BACKUP_RETENTION_DAYS:-14}"
case "$retention" in
    ''|*[!0-9]*) echo "backup.sh : BACKUP_RETENTION_DAYS doit être un nombre entier de jours." >&2; exit 2 ;;
esac

base="${url%%\?*}"
name="${base##*/}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$dir"
file="$dir/$name-$stamp.dump"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$partial" --dbname="$url"
# A dump that pg_restore cannot list is not a backup.
pg_restore --list "$partial" >/dev/null
chmod 600 "$partial"
mv "$partial" "$file"
trap - EXIT

if [ "$retention" -gt 0 ]; then
    find "$dir" -maxdepth 1 -type f -name "$name-*.dump" -mtime +"$retention" -delete
fi
echo "$file"
