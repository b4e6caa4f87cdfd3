#!/usr/bin/env bash
# Benchmark the night and the screens on large books: 2,000 / 10,000 /
# 30,000 / 100,000 open invoices, a customer for every 10 of them (10,000
# customers at the top size).
#
# Each size is a copy of the 2,000-customer benchmark book (bench/run.sh
# builds crd_bench_2000; it is never changed), grown or shrunk by SQL into
# crd_scale_<open invoices> by bench/scale_book.py: whole customers cloned
# with their paid history, then open invoices cloned over the customers.
# The copies are built once and reused; --fresh rebuilds them.
#
# For every size, in a fresh process: the payment-score recompute, then the
# escalation from a clean slate; wall time, SQL queries, reminders by
# channel, ms and queries per reminder, peak memory. Letters' PDFs are
# timed apart (--no-letters leaves them unprinted: much quicker on the big
# books). Then the screens (customer list with scores, payment behaviour,
# My Collections, the ageing pivot, the overview) are timed on the largest
# book, after its night.
#
# Results: one JSON line per size on stdout, also appended to
# bench/results/scale.jsonl; the screens to bench/results/scale_screens.jsonl
# (scale_from_<source>*.jsonl with --source).
#
#   bench/run_scale.sh [--fresh] [--no-letters] [--no-screens]
#                      [--source DB] [--collectors N] [--per-customer N]
#                      [OPEN_INVOICES ...]
set -euo pipefail
source "$(dirname "$0")/../scripts/common.sh"

FRESH=0
LETTERS=()
SCREENS=1
SOURCE_DB=crd_bench_2000
COLLECTORS=4
PER_CUSTOMER=10
SIZES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --fresh) FRESH=1 ;;
        --no-letters) LETTERS=(--no-letters) ;;
        --no-screens) SCREENS=0 ;;
        --source) SOURCE_DB="$2"; shift ;;
        --collectors) COLLECTORS="$2"; shift ;;
        --per-customer) PER_CUSTOMER="$2"; shift ;;
        -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
        *) SIZES+=("$1") ;;
    esac
    shift
done
[ ${#SIZES[@]} -gt 0 ] || SIZES=(2000 10000 30000 100000)

require_odoo
ensure_postgres
STATE_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/customer_retention_dunning"
mkdir -p "$STATE_DIR" "$REPO_ROOT/bench/results"
export ODOO_DATA_DIR="$STATE_DIR/data"
# results of another source book in files of their own
RESULTS="$REPO_ROOT/bench/results/scale"
[ "$SOURCE_DB" = crd_bench_2000 ] || RESULTS="${RESULTS}_from_$SOURCE_DB"
OUT="$RESULTS.jsonl"
BUILD_KEY=customer_retention_dunning.bench_scale_book

invoices="$(psql -d "$SOURCE_DB" -tAc \
    "SELECT count(*) FROM account_move WHERE move_type = 'out_invoice' AND state = 'posted'" \
    2>/dev/null || echo 0)"
[ "${invoices:-0}" -gt 0 ] \
    || die "The source book $SOURCE_DB is missing or empty: build it first (bench/run.sh 2000)."

# The JSON line of a step (the last line that is one: Odoo or the addon may
# print other things on stdout).
json_line() { grep '^{' | tail -n 1; }

# A copy of the source book (never the source itself); PostgreSQL refuses
# while someone is connected to the source, so try again for a while.
copy_source() {
    local db="$1"
    for _ in $(seq 1 60); do
        createdb -T "$SOURCE_DB" "$db" 2>/dev/null && break
        sleep 10
    done
    psql -d "$db" -tAc 'SELECT 1' >/dev/null 2>&1 \
        || die "Could not copy $SOURCE_DB (is a process connected to it?)"
    rm -rf "$ODOO_DATA_DIR/filestore/$db"
    if [ -d "$ODOO_DATA_DIR/filestore/$SOURCE_DB" ]; then
        mkdir -p "$ODOO_DATA_DIR/filestore"
        cp -a "$ODOO_DATA_DIR/filestore/$SOURCE_DB" "$ODOO_DATA_DIR/filestore/$db"
    fi
}

# crd_scale_<open invoices>, named after the source too when it is not the
# 2,000-customer book
scale_db() {
    if [ "$SOURCE_DB" = crd_bench_2000 ]; then
        echo "crd_scale_$1"
    else
        echo "crd_scale_$1_from_$SOURCE_DB"
    fi
}

LARGEST=0
for size in "${SIZES[@]}"; do
    customers=$((size / PER_CUSTOMER))
    DB="$(scale_db "$size")"
    CONF="$STATE_DIR/$DB.conf"
    write_odoo_config "$DB" "$CONF"
    built="$(psql -d "$DB" -tAc "SELECT 1 FROM ir_config_parameter WHERE key = '$BUILD_KEY'" \
        2>/dev/null || true)"
    if [ "$FRESH" = 1 ] || [ "$built" != 1 ]; then
        dropdb --if-exists "$DB"
        say "Copying $SOURCE_DB to $DB"
        copy_source "$DB"
        "$PYTHON" -m odoo -c "$CONF" -u "$ADDON" --stop-after-init --log-level=warn
        say "Scaling $DB to $customers customers and $size open invoices"
        "$PYTHON" "$REPO_ROOT/bench/scale_book.py" -c "$CONF" --customers "$customers" \
            --open-invoices "$size" --collectors "$COLLECTORS" | json_line
    else
        "$PYTHON" -m odoo -c "$CONF" -u "$ADDON" --stop-after-init --log-level=warn
    fi
    say "The night on $DB: payment scores, then the escalation"
    "$PYTHON" "$REPO_ROOT/bench/scale_book.py" -c "$CONF" --measure-night "${LETTERS[@]}" \
        | json_line | tee -a "$OUT"
    if [ "$size" -gt "$LARGEST" ]; then LARGEST="$size"; fi
done

if [ "$SCREENS" = 1 ]; then
    DB="$(scale_db "$LARGEST")"
    say "Timing the screens on $DB"
    "$PYTHON" "$REPO_ROOT/bench/bench_reports.py" -c "$STATE_DIR/$DB.conf" \
        --open-invoices "$LARGEST" --no-export \
        | json_line | tee -a "${RESULTS}_screens.jsonl"
fi
