#!/usr/bin/env bash
# Benchmark the reporting views and the Excel workbook on a large book.
# It copies the 2,000-customer benchmark book (bench/run.sh builds it) into
# crd_bench_reports once, grows it to 100,000 open invoices by cloning open
# ones in SQL, then times the ageing pivot, graph and list, the reminder
# effectiveness, the overview, and writes the whole workbook in its own
# process with its peak memory. Results: a JSON line, also appended to
# bench/results/reports.jsonl.
#
#   bench/run_reports.sh [--fresh] [OPEN_INVOICES]
set -euo pipefail
source "$(dirname "$0")/../scripts/common.sh"

FRESH=0
TARGET=100000
for arg in "$@"; do
    case "$arg" in
        --fresh) FRESH=1 ;;
        *) TARGET="$arg" ;;
    esac
done

require_odoo
ensure_postgres
STATE_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/customer_retention_dunning"
mkdir -p "$STATE_DIR" "$REPO_ROOT/bench/results"
export ODOO_DATA_DIR="$STATE_DIR/data"
SOURCE_DB="crd_bench_2000"
DB="crd_bench_reports"
CONF="$STATE_DIR/$DB.conf"
write_odoo_config "$DB" "$CONF"
psql -d "$SOURCE_DB" -tAc 'SELECT 1' >/dev/null 2>&1 \
    || die "Build the 2,000-customer book first: bench/run.sh 2000"
if [ "$FRESH" = 1 ]; then dropdb --if-exists "$DB"; fi
if ! psql -d "$DB" -tAc 'SELECT 1' >/dev/null 2>&1; then
    say "Copying $SOURCE_DB to $DB"
    createdb -T "$SOURCE_DB" "$DB"
fi
"$PYTHON" -m odoo -c "$CONF" -u "$ADDON" --stop-after-init --log-level=warn
say "Measuring the reports in $DB ($TARGET open invoices)"
"$PYTHON" "$REPO_ROOT/bench/bench_reports.py" -c "$CONF" --open-invoices "$TARGET" \
    | tee -a "$REPO_ROOT/bench/results/reports.jsonl"
