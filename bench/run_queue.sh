#!/usr/bin/env bash
# Benchmark the queue bridge (customer_retention_dunning_queue): the night's
# jobs run by one worker process, then by two started at once, against the
# same night in one process; and the proof that two servers on one database
# never remind a customer twice (see bench/bench_queue.py).
#
# It copies the book crd_bench_<CUSTOMERS> (bench/run.sh builds it; the book
# itself is never changed) into crd_queue_bench, installs OCA's queue_job and
# the bridge there, and runs the bench. Results: one JSON line, also appended
# to bench/results/queue.jsonl.
#
#   bench/run_queue.sh [CUSTOMERS] [bench_queue.py options]   (default: 2000)
set -euo pipefail
source "$(dirname "$0")/../scripts/common.sh"

CUSTOMERS=2000
if [ $# -gt 0 ] && [[ "$1" =~ ^[1-9][0-9]*$ ]]; then
    CUSTOMERS="$1"
    shift
fi

require_odoo
ensure_postgres
ensure_wkhtmltopdf
install_oca_queue_job
STATE_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/customer_retention_dunning"
mkdir -p "$STATE_DIR" "$REPO_ROOT/bench/results"
export ODOO_DATA_DIR="$STATE_DIR/data"
SOURCE="crd_bench_$CUSTOMERS"
DB="crd_queue_bench"
CONF="$STATE_DIR/$DB.conf"

[ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$SOURCE'")" = 1 ] \
    || die "Build the book first: bench/run.sh $CUSTOMERS"
# CREATE DATABASE ... TEMPLATE needs a source nobody is connected to
waited=0
while [ "$(psql -d postgres -tAc "SELECT count(*) FROM pg_stat_activity WHERE datname = '$SOURCE'")" != 0 ]; do
    [ "$waited" -lt 60 ] || die "$SOURCE still has open connections: stop them and run this again."
    sleep 2
    waited=$((waited + 2))
done
say "Copying $SOURCE to $DB"
dropdb --if-exists "$DB"
createdb -T "$SOURCE" "$DB"
rm -rf "$ODOO_DATA_DIR/filestore/$DB"
if [ -d "$ODOO_DATA_DIR/filestore/$SOURCE" ]; then
    mkdir -p "$ODOO_DATA_DIR/filestore"
    # hard links: Odoo never rewrites a stored file, it writes a new one
    cp -al "$ODOO_DATA_DIR/filestore/$SOURCE" "$ODOO_DATA_DIR/filestore/$DB"
fi
write_odoo_config "$DB" "$CONF"
say "Installing queue_job and customer_retention_dunning_queue in $DB"
"$PYTHON" -m odoo -c "$CONF" -u "$ADDON" -i customer_retention_dunning_queue \
    --stop-after-init --log-level=warn
say "Running the night in one process, then with 1 and 2 worker processes"
"$PYTHON" "$REPO_ROOT/bench/bench_queue.py" -c "$CONF" --repeat 3 "$@" \
    | tee -a "$REPO_ROOT/bench/results/queue.jsonl"
