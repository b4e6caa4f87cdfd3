#!/usr/bin/env bash
# Benchmark the nightly jobs at two sizes (customers x about 15 invoices
# each): 500 customers / ~7,500 invoices and 2,000 / ~30,000. First the full
# payment-score recompute, then the dunning escalation (from a clean slate,
# e-mails queued in mail.mail as Odoo does, then a same-day rerun).
# The databases crd_bench_<customers> are built once and reused; --fresh
# rebuilds them. Results: JSON lines, also appended to
# bench/results/payment_score.jsonl and bench/results/escalation.jsonl.
#
#   bench/run.sh [--fresh] [CUSTOMERS ...]
set -euo pipefail
source "$(dirname "$0")/../scripts/common.sh"

FRESH=0
SIZES=()
for arg in "$@"; do
    case "$arg" in
        --fresh) FRESH=1 ;;
        *) SIZES+=("$arg") ;;
    esac
done
[ ${#SIZES[@]} -gt 0 ] || SIZES=(500 2000)

require_odoo
ensure_postgres
STATE_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/customer_retention_dunning"
mkdir -p "$STATE_DIR" "$REPO_ROOT/bench/results"
export ODOO_DATA_DIR="$STATE_DIR/data"
OUT="$REPO_ROOT/bench/results/payment_score.jsonl"

for customers in "${SIZES[@]}"; do
    DB="crd_bench_$customers"
    CONF="$STATE_DIR/$DB.conf"
    write_odoo_config "$DB" "$CONF"
    if [ "$FRESH" = 1 ]; then dropdb --if-exists "$DB"; fi
    if ! psql -d "$DB" -tAc 'SELECT 1' >/dev/null 2>&1; then
        say "Building $DB"
        "$PYTHON" -m odoo -c "$CONF" -i base --stop-after-init --log-level=warn
        "$PYTHON" "$REPO_ROOT/scripts/demo.py" -c "$CONF" prepare
        "$PYTHON" -m odoo -c "$CONF" -i "$ADDON" --stop-after-init --log-level=warn
    else
        "$PYTHON" -m odoo -c "$CONF" -u "$ADDON" --stop-after-init --log-level=warn
    fi
    say "Recomputing payment scores in $DB"
    "$PYTHON" "$REPO_ROOT/bench/bench_payment_score.py" -c "$CONF" --customers "$customers" \
        | tee -a "$OUT"
    say "Running the dunning escalation in $DB"
    "$PYTHON" "$REPO_ROOT/bench/bench_escalation.py" -c "$CONF" \
        | tee -a "$REPO_ROOT/bench/results/escalation.jsonl"
done
