# Shared helpers of the demo and test commands. Sourced, not run.
# shellcheck shell=bash

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
ADDON=customer_retention_dunning
# the addon and its bridges (installed and tested together)
ADDONS=(customer_retention_dunning customer_retention_dunning_sale customer_retention_dunning_queue)
# OCA's addons from PyPI (queue_job for the queue bridge), in a folder of
# their own outside the repository; bench/compare.sh adds its own there too
OCA_TARGET="${XDG_DATA_HOME:-$HOME/.local/share}/customer_retention_dunning/oca_addons"

say() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 2; }

# Odoo 18.0 is a prerequisite, like for every Odoo addon: we never install it.
require_odoo() {
    if ! "$PYTHON" -c 'import odoo.release, sys; sys.exit(odoo.release.version_info[:2] != (18, 0))' 2>/dev/null; then
        found="$("$PYTHON" -c 'import odoo.release; print(odoo.release.version)' 2>/dev/null || echo 'nothing')"
        cat >&2 <<MSG
ERROR: Odoo 18.0 is not importable by $("$PYTHON" -c 'import sys; print(sys.executable)' 2>/dev/null || echo "$PYTHON") (found: $found).
This addon needs Odoo 18.0 (Community or Enterprise) installed for this Python,
so that 'import odoo' works. Install it by following Odoo's own guide:
  https://www.odoo.com/documentation/18.0/administration/on_premise/source.html
then run this command again (or point PYTHON=/path/to/python at the Python that has it).
MSG
        exit 2
    fi
}

# Odoo's addons folders plus this repository (which holds the addon).
addons_path() {
    "$PYTHON" - "$REPO_ROOT" "$OCA_TARGET" <<'PY'
import os, sys
import odoo
package = os.path.dirname(odoo.__file__)
paths = [os.path.join(package, "addons")]
source_addons = os.path.join(os.path.dirname(package), "addons")
if os.path.isdir(source_addons):
    paths.insert(0, source_addons)
paths.append(sys.argv[1])
# OCA's addons, once installed (install_oca_queue_job)
oca = os.path.join(sys.argv[2], "odoo", "addons")
if os.path.isdir(oca):
    paths.append(oca)
print(",".join(paths))
PY
}

# OCA's queue_job 18.0 (the wheel from PyPI) for the queue bridge, once.
# pip --target does not merge into an existing odoo/addons (it skips it, or
# with --upgrade replaces it): it installs into a new folder, merged in after
# without overwriting anything, so the other addons there stay as they are.
install_oca_queue_job() {
    if [ ! -f "$OCA_TARGET/odoo/addons/queue_job/__manifest__.py" ]; then
        say "Installing OCA's queue_job 18.0 from PyPI into $OCA_TARGET"
        local fresh
        fresh="$(mktemp -d)"
        "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps \
            --target "$fresh" "odoo-addon-queue_job==18.0.*" \
            || { rm -rf "$fresh"; die "pip could not install OCA's queue_job"; }
        mkdir -p "$OCA_TARGET"
        cp -rn "$fresh/." "$OCA_TARGET/"
        rm -rf "$fresh"
    fi
    # queue_job's own Python requirement (its job runner calls Odoo over HTTP)
    "$PYTHON" -c 'import requests' 2>/dev/null \
        || "$PYTHON" -m pip install --quiet --disable-pip-version-check requests \
        || die "pip could not install requests (queue_job needs it)"
}

install_python_deps() {
    say "Installing Python dependencies from PyPI ($1)"
    "$PYTHON" -m pip install --quiet --disable-pip-version-check -r "$REPO_ROOT/$1" \
        || die "pip could not install $1"
}

# A reachable PostgreSQL server and a role for the current user: start the
# local cluster when it is installed but stopped, create the role if missing.
ensure_postgres() {
    if ! command -v psql >/dev/null 2>&1; then
        die "PostgreSQL client tools (psql) are not installed. Install PostgreSQL 12 or newer (e.g. 'apt-get install postgresql')."
    fi
    if ! pg_isready -q 2>/dev/null; then
        if command -v pg_lsclusters >/dev/null 2>&1; then
            say "Starting the local PostgreSQL cluster"
            pg_lsclusters --no-header | while read -r version name _rest; do
                pg_ctlcluster "$version" "$name" start 2>/dev/null || true
            done
        fi
        for _ in $(seq 1 30); do pg_isready -q 2>/dev/null && break; sleep 1; done
        pg_isready -q 2>/dev/null || die "No PostgreSQL server is reachable, and none could be started here. Start PostgreSQL, or set PGHOST/PGPORT/PGUSER/PGPASSWORD."
    fi
    if ! psql -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
        role="${PGUSER:-$(id -un)}"
        say "Creating the PostgreSQL role '$role'"
        if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
            su postgres -c "createuser --superuser '$role'" \
                || die "Could not create the PostgreSQL role '$role'."
        else
            die "PostgreSQL refuses the role '$role'. Create it: sudo -u postgres createuser --createdb '$role'"
        fi
    fi
}

# An Odoo configuration file for a database, written outside the repo.
write_odoo_config() {
    local db="$1" file="$2"
    cat >"$file" <<CONF
[options]
addons_path = $(addons_path)
db_name = $db
dbfilter = ^$db\$
data_dir = ${ODOO_DATA_DIR:-$HOME/.local/share/Odoo}
list_db = False
without_demo = all
max_cron_threads = 1
http_interface = 127.0.0.1
CONF
}

# A Debian package that provides a command, installed when it is missing.
ensure_debian_tool() {
    local purpose="$1" package="$2"
    shift 2
    for command in "$@"; do
        command -v "$command" >/dev/null 2>&1 && return
    done
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing $package ($purpose)"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null) \
            || die "Could not install $package; $purpose needs it."
    else
        die "$package is not installed; $purpose needs it (apt-get install $package)."
    fi
}

# Chromium drives Odoo's browser tests (without it Odoo would skip them);
# wkhtmltopdf prints the reminder letters.
ensure_chromium() {
    ensure_debian_tool "the browser tests" chromium chromium chromium-browser google-chrome
}

ensure_wkhtmltopdf() {
    ensure_debian_tool "printing reminder letters" wkhtmltopdf wkhtmltopdf
}
