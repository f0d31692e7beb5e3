#!/usr/bin/env bash
# Start a local PostgreSQL for the storage tests and create the test database.
#
# Idempotent and meant to run as root (CI and the developer machines are root): installs Debian's
# postgresql if missing, starts the first cluster, lets loopback TCP connections in without a
# password (this database only ever holds throw-away test data), and (re)creates nothing that exists.
# Prints the URL the tests read; export it as LEGAL_TEST_POSTGRES_URL, e.g.
#   export LEGAL_TEST_POSTGRES_URL="$(bash scripts/start_postgres.sh | tail -n1)"
set -euo pipefail

DB_NAME="${LEGAL_TEST_POSTGRES_DB:-legal_test}"
PORT="${LEGAL_TEST_POSTGRES_PORT:-5432}"

if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || ! command -v pg_lsclusters >/dev/null 2>&1; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

cluster_line="$(pg_lsclusters --no-header | head -n1)"
if [ -z "$cluster_line" ]; then
    version="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
    pg_createcluster --port "$PORT" "$version" main >&2
    cluster_line="$(pg_lsclusters --no-header | head -n1)"
fi
read -r version cluster port status _ <<<"$cluster_line"

hba="/etc/postgresql/$version/$cluster/pg_hba.conf"
trust_line="host all postgres 127.0.0.1/32 trust"
if ! grep -qxF "$trust_line" "$hba"; then
    # pg_hba is first-match: the trust line must precede Debian's scram-sha-256 defaults.
    { echo "$trust_line"; cat "$hba"; } >"$hba.new"
    chown postgres:postgres "$hba.new"
    mv "$hba.new" "$hba"
    if [ "$status" = "online" ]; then
        pg_ctlcluster "$version" "$cluster" reload >&2
    fi
fi

if [ "$status" != "online" ]; then
    pg_ctlcluster "$version" "$cluster" start >&2
fi

for _ in $(seq 1 30); do
    if pg_isready -q -h 127.0.0.1 -p "$port"; then
        break
    fi
    sleep 1
done
pg_isready -h 127.0.0.1 -p "$port" >&2

if ! su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='$DB_NAME'\"" | grep -q 1; then
    su postgres -c "createdb -p $port $DB_NAME" >&2
fi

echo "postgresql+psycopg://postgres@127.0.0.1:$port/$DB_NAME"
