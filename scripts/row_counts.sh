#!/bin/sh
# Print "table|rows" for every table of a PostgreSQL database (exact counts), to compare a restore with its source.
#
#   scripts/row_counts.sh DATABASE_URL
set -eu
url="${1:-${DATABASE_URL:-}}"
case "$url" in
    postgres://*|postgresql://*) ;;
    *) echo "row_counts.sh : URL PostgreSQL attendue." >&2; exit 2 ;;
esac
psql --dbname="$url" --no-psqlrc --tuples-only --no-align --set=ON_ERROR_STOP=1 --command="
SELECT table_name || '|' || (xpath('/row/n/text()',
       query_to_xml(format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text
  FROM information_schema.tables
 WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
 ORDER BY table_name"
