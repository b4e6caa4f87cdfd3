#!/usr/bin/env bash
# Compare the dunning night with OCA's account_credit_control 18.0 on the
# same receivables book. For each size (customers, about 15 invoices each):
#   1. the book crd_bench_<customers>, built as bench/run.sh builds it (once,
#      then reused);
#   2. OCA's addons (account_credit_control, queue_job) from PyPI into a
#      folder of their own, outside the repository (once);
#   3. a fresh copy crd_oca_<customers> of the book, OCA installed on it;
#   4. OCA's night on the copy (bench/bench_oca.py), our night on the book
#      (bench/bench_escalation.py);
#   5. both side by side, with the ratios: a table, and one JSON line also
#      appended to bench/results/compare.jsonl.
#
#   bench/compare.sh [CUSTOMERS ...]      (default: 200 1000 2000)
set -euo pipefail
source "$(dirname "$0")/../scripts/common.sh"

SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(200 1000 2000)
for customers in "${SIZES[@]}"; do
    [[ "$customers" =~ ^[1-9][0-9]*$ ]] || die "Not a number of customers: $customers"
done

OCA_MODULE=account_credit_control
OCA_WHEELS=("odoo-addon-account_credit_control>=18.0,<18.1" "odoo-addon-queue_job>=18.0,<18.1")

require_odoo
ensure_postgres
STATE_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/customer_retention_dunning"
# the folder scripts/common.sh may share (queue_job for our queue bridge)
OCA_TARGET="${OCA_TARGET:-$STATE_DIR/oca_addons}"
OCA_ADDONS="$OCA_TARGET/odoo/addons"
RESULTS="$REPO_ROOT/bench/results"
mkdir -p "$STATE_DIR" "$RESULTS"
export ODOO_DATA_DIR="$STATE_DIR/data"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

database_exists() {
    [ "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]
}

# The book, as bench/run.sh makes it: built once, then updated and reused.
ensure_book() {
    local customers="$1" db="crd_bench_$1" conf="$STATE_DIR/crd_bench_$1.conf"
    write_odoo_config "$db" "$conf"
    if ! database_exists "$db"; then
        say "Building $db"
        "$PYTHON" -m odoo -c "$conf" -i base --stop-after-init --log-level=warn
        "$PYTHON" "$REPO_ROOT/scripts/demo.py" -c "$conf" prepare
        "$PYTHON" -m odoo -c "$conf" -i "$ADDON" --stop-after-init --log-level=warn
    else
        say "Reusing $db (updating $ADDON)"
        "$PYTHON" -m odoo -c "$conf" -u "$ADDON" --stop-after-init --log-level=warn
    fi
    if [ "$(psql -d "$db" -tAc "SELECT count(*) FROM account_move WHERE move_type = 'out_invoice'")" = 0 ]; then
        say "Generating the book of $customers customers in $db"
        "$PYTHON" "$REPO_ROOT/bench/bench_payment_score.py" -c "$conf" --customers "$customers" \
            | tee -a "$RESULTS/payment_score.jsonl"
    fi
}

# OCA's wheels, in a folder of their own (not the project's environment).
# pip --target does not merge into an existing odoo/addons (it skips it, or
# with --upgrade replaces it): install into a new folder, then merge that in
# without overwriting anything, so that other addons there stay as they are.
ensure_oca_addons() {
    local wanted=() name spec
    for spec in "${OCA_WHEELS[@]}"; do
        name="${spec%%>=*}"
        name="${name#odoo-addon-}"
        [ -f "$OCA_ADDONS/$name/__manifest__.py" ] || wanted+=("$spec")
    done
    [ ${#wanted[@]} -gt 0 ] || return 0
    say "Installing OCA's ${wanted[*]} into $OCA_TARGET"
    local find_links=()
    if [ -d /tmp/oca_wheels ]; then find_links=(--find-links /tmp/oca_wheels); fi
    "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps \
        "${find_links[@]}" --target "$WORK/oca_addons" "${wanted[@]}" \
        || die "pip could not install OCA's ${wanted[*]}"
    mkdir -p "$OCA_TARGET"
    cp -rn "$WORK/oca_addons/." "$OCA_TARGET/"
    [ -f "$OCA_ADDONS/$OCA_MODULE/__manifest__.py" ] || die "No $OCA_MODULE in $OCA_ADDONS"
}

# A fresh copy of the book (database and filestore), with OCA installed.
copy_book_for_oca() {
    local source="crd_bench_$1" copy="crd_oca_$1" conf="$STATE_DIR/crd_oca_$1.conf"
    local waited=0
    # CREATE DATABASE ... TEMPLATE needs a source nobody is connected to
    while [ "$(psql -d postgres -tAc "SELECT count(*) FROM pg_stat_activity WHERE datname = '$source'")" != 0 ]; do
        [ "$waited" -lt 60 ] || die "$source still has open connections (an Odoo server or a benchmark?): stop them and run this again."
        sleep 2
        waited=$((waited + 2))
    done
    say "Copying $source to $copy"
    dropdb --if-exists "$copy"
    createdb -T "$source" "$copy"
    rm -rf "$ODOO_DATA_DIR/filestore/$copy"
    if [ -d "$ODOO_DATA_DIR/filestore/$source" ]; then
        mkdir -p "$ODOO_DATA_DIR/filestore"
        # hard links: Odoo never rewrites a stored file, it writes a new one
        cp -al "$ODOO_DATA_DIR/filestore/$source" "$ODOO_DATA_DIR/filestore/$copy"
    fi
    write_odoo_config "$copy" "$conf"
    if ! grep -q "^addons_path = .*$OCA_ADDONS" "$conf"; then
        sed -i "s|^addons_path = .*|&,$OCA_ADDONS|" "$conf"
    fi
    say "Installing $OCA_MODULE in $copy"
    "$PYTHON" -m odoo -c "$conf" -i "$OCA_MODULE" --stop-after-init --log-level=warn
}

# Before each night: what the copy and the installation left for the disk
# is written out first, so that neither night pays for it.
settle() {
    psql -d postgres -qc CHECKPOINT
    sleep 5
}

ensure_oca_addons
for customers in "${SIZES[@]}"; do
    ensure_book "$customers"
    copy_book_for_oca "$customers"
    settle
    say "OCA's night in crd_oca_$customers"
    "$PYTHON" "$REPO_ROOT/bench/bench_oca.py" -c "$STATE_DIR/crd_oca_$customers.conf" \
        ${OCA_EMAIL_PDF:+--email-pdf} | tee "$WORK/oca.out"
    settle
    say "Our night in crd_bench_$customers"
    "$PYTHON" "$REPO_ROOT/bench/bench_escalation.py" -c "$STATE_DIR/crd_bench_$customers.conf" \
        | tee "$WORK/ours.out"
    # the invoices our night reminded of (our benchmark does not print it)
    our_invoices=()
    if count="$(psql -d "crd_bench_$customers" -tAc \
        'SELECT count(DISTINCT move_id) FROM dunning_communication_line' 2>/dev/null)"; then
        our_invoices=(--our-invoices "$count")
    fi
    "$PYTHON" "$REPO_ROOT/bench/bench_oca.py" --compare "$WORK/oca.out" "$WORK/ours.out" \
        --customers "$customers" --jsonl "$RESULTS/compare.jsonl" "${our_invoices[@]}"
done
