#!/usr/bin/env bash
# Set up and run the demo: Python dependencies, PostgreSQL, a fresh database
# with the addon and a year and a quarter of realistic receivables, scoring,
# a summary, then Odoo on http://localhost:8069 (login admin / admin).
#
#   scripts/demo.sh [--no-serve] [--db NAME] [--port PORT] [--customers N]
set -euo pipefail
source "$(dirname "$0")/common.sh"

DB=crd_demo
PORT=8069
SERVE=1
CUSTOMERS=48
while [ $# -gt 0 ]; do
    case "$1" in
        --no-serve) SERVE=0 ;;
        --db) DB="$2"; shift ;;
        --port) PORT="$2"; shift ;;
        --customers) CUSTOMERS="$2"; shift ;;
        -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done

require_odoo
install_python_deps requirements.txt
ensure_wkhtmltopdf
ensure_postgres

STATE_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/customer_retention_dunning"
mkdir -p "$STATE_DIR"
# wkhtmltopdf's Qt wants a private runtime folder; without one it says so
# on every letter it prints
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
    export XDG_RUNTIME_DIR="$STATE_DIR/runtime"
    mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
fi
CONF="$STATE_DIR/$DB.conf"
export ODOO_DATA_DIR="$STATE_DIR/data"
write_odoo_config "$DB" "$CONF"

say "Creating the demo database $DB (an existing one is replaced)"
dropdb --if-exists "$DB"
rm -rf "$ODOO_DATA_DIR/filestore/$DB"
"$PYTHON" -m odoo -c "$CONF" -i base --stop-after-init --log-level=warn
"$PYTHON" "$REPO_ROOT/scripts/demo.py" -c "$CONF" prepare
MODULES="$(IFS=,; echo "${ADDONS[*]}")"
say "Installing $MODULES with Sales (and the Dutch chart of accounts)"
"$PYTHON" -m odoo -c "$CONF" -i "$MODULES" --stop-after-init --log-level=warn
say "Loading customers, invoices, payments and credit notes; scoring; the first night"
# The night prints reminder letters, and wkhtmltopdf takes their stylesheets
# from Odoo's web server, as in production, where the cron runs inside the
# server. So a server runs beside the load, on a free local port, until the
# night is done; its log goes to a file.
NIGHT_PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
NIGHT_LOG="$STATE_DIR/$DB-night-server.log"
"$PYTHON" -m odoo -c "$CONF" --http-port "$NIGHT_PORT" --max-cron-threads 0 --log-level=warn >"$NIGHT_LOG" 2>&1 &
NIGHT_SERVER=$!
trap 'kill "$NIGHT_SERVER" 2>/dev/null || true' EXIT
"$PYTHON" - "http://127.0.0.1:$NIGHT_PORT/web/health" <<'PY' || die "The web server for the letters did not start; see $NIGHT_LOG"
import sys, time, urllib.request
for _attempt in range(120):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=2)
        sys.exit(0)
    except OSError:
        time.sleep(0.5)
sys.exit(1)
PY
"$PYTHON" "$REPO_ROOT/scripts/demo.py" -c "$CONF" load --customers "$CUSTOMERS" \
    --report-url "http://127.0.0.1:$NIGHT_PORT"
kill "$NIGHT_SERVER" 2>/dev/null || true
wait "$NIGHT_SERVER" 2>/dev/null || true
trap - EXIT

if [ "$SERVE" = 1 ]; then
    say "Serving Odoo on http://localhost:$PORT (login admin, password admin; Ctrl+C stops)"
    exec "$PYTHON" -m odoo -c "$CONF" --http-port "$PORT" --log-level=warn
fi
say "Done. Serve it later with: $PYTHON -m odoo -c $CONF --http-port $PORT"
