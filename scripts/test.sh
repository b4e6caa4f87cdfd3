#!/usr/bin/env bash
# Run the whole test suite of the addon on real Odoo 18.0 + PostgreSQL:
# lint, install the addon in a throwaway database, upgrade it over itself,
# run every test with pytest-odoo (browser tests included), drop the database.
set -euo pipefail
source "$(dirname "$0")/common.sh"

require_odoo
install_python_deps requirements-test.txt
install_oca_queue_job
ensure_chromium
ensure_wkhtmltopdf
ensure_postgres
cd "$REPO_ROOT"

say "Linting: ruff, pylint-odoo's mandatory checks, OCA module and translation checks"
"$PYTHON" -m ruff check .
"$PYTHON" -m ruff format --check .
"$PYTHON" -m pylint --rcfile=.pylintrc-mandatory --score=n "${ADDONS[@]}"
oca-checks-odoo-module "${ADDONS[@]}"
for addon in "${ADDONS[@]}"; do oca-checks-po "$addon"/i18n/*.po*; done

DB="crd_test_$(date +%Y%m%d%H%M%S)_$$"
WORK="$(mktemp -d)"
CONF="$WORK/odoo.conf"
export ODOO_DATA_DIR="$WORK/data"
cleanup() {
    dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
write_odoo_config "$DB" "$CONF"

MODULES="$(IFS=,; echo "${ADDONS[*]}")"
say "Installing $MODULES into the throwaway database $DB"
"$PYTHON" -m odoo -c "$CONF" -i "$MODULES" --stop-after-init --log-level=warn
say "Upgrading $MODULES over themselves"
"$PYTHON" -m odoo -c "$CONF" -u "$MODULES" --stop-after-init --log-level=warn

say "Running the test suite"
# every addon's tests and the repository's own, unless told which
if [ $# -eq 0 ]; then set -- "${ADDONS[@]/%//tests}" tests; fi
"$PYTHON" -m pytest --odoo-config="$CONF" --odoo-http "$@"
