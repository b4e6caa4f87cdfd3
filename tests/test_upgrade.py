"""A database built with the previous version (18.0.1.0.0, one value per
customer) upgrades to per-company decisions without losing any of them,
and its levels without an interval get one day (18.0.1.2.0).

The old addon is taken from git history, installed into a throwaway
database, given decisions, then upgraded with the code of this checkout."""

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

import odoo

ROOT = Path(__file__).resolve().parent.parent
ADDON = "customer_retention_dunning"
OLD_VERSION = '"version": "18.0.1.0.0"'

SETUP = """
from odoo import Command, fields
Company = env["res.company"]
main = env.ref("base.main_company")
other = Company.create({"name": "Peters Belgie", "currency_id": main.currency_id.id})
for company in (main, other):
    if not env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "sale")]):
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
env.user.company_ids |= other
watch = env.ref("customer_retention_dunning.dunning_profile_watch")
belgian = env["res.partner"].create({"name": "Brasserie Vos", "is_company": True})
invoice = env["account.move"].with_company(other).create({
    "move_type": "out_invoice",
    "partner_id": belgian.id,
    "company_id": other.id,
    "invoice_date": "2026-01-05",
    "invoice_date_due": "2026-02-04",
    "invoice_line_ids": [Command.create({"name": "Bier", "quantity": 1, "price_unit": 400.0, "tax_ids": []})],
})
invoice.action_post()
belgian.write({
    "credit_hold": True,
    "credit_hold_date": "2026-03-01",
    "dunning_excluded": True,
    "dunning_paused_until": "2026-12-31",
    "dunning_pause_reason": "Verbouwing",
    "dunning_profile_manual_id": watch.id,
    "dunning_collector_id": env.ref("base.user_admin").id,
    "dunning_collector_manual": True,
})
lone = env["res.partner"].create({"name": "Zonder Facturen", "is_company": True, "dunning_excluded": True})
# a level a person gave no interval (beside the shipped proactive ones at 0)
own_level = env["dunning.level"].create({
    "profile_id": watch.id, "sequence": 70, "name": "Eigen stap",
    "days_after_due": 90, "min_interval_days": 0,
})
env.cr.commit()
print("IDS", json.dumps({
    "belgian": belgian.id, "lone": lone.id, "main": main.id, "other": other.id,
    "own_level": own_level.id,
}))
"""

CHECK = """
ids = json.loads(%r)
result = {}
for key in ("belgian", "lone"):
    for company in ("main", "other"):
        partner = env["res.partner"].browse(ids[key]).with_company(ids[company])
        result[f"{key}@{company}"] = {
            "credit_hold": partner.credit_hold,
            "credit_hold_date": str(partner.credit_hold_date or ""),
            "dunning_excluded": partner.dunning_excluded,
            "dunning_paused_until": str(partner.dunning_paused_until or ""),
            "dunning_pause_reason": partner.dunning_pause_reason or "",
            "dunning_profile": partner.dunning_profile_id.name or "",
            "dunning_collector": partner.dunning_collector_id.login or "",
            "dunning_collector_manual": partner.dunning_collector_manual,
        }
result["intervals"] = {
    xmlid: env.ref(f"customer_retention_dunning.{xmlid}").min_interval_days
    for xmlid in ("dunning_level_standard_1", "dunning_level_standard_2")
}
result["intervals"]["own_level"] = env["dunning.level"].browse(ids["own_level"]).min_interval_days
print("RESULT", json.dumps(result))
"""


def _previous_version_commit():
    log = subprocess.run(
        ["git", "log", "--format=%H", "--", f"{ADDON}/__manifest__.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for commit in log:
        manifest = subprocess.run(
            ["git", "show", f"{commit}:{ADDON}/__manifest__.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if OLD_VERSION in manifest:
            return commit
    return None


def _odoo(config, *args, script=None):
    result = subprocess.run(
        [sys.executable, "-m", "odoo", *args, "-c", str(config), "--log-level=warn"],
        input=script,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def _config(path, database, addons):
    odoo_addons = Path(odoo.__file__).resolve().parent / "addons"
    path.write_text(
        "[options]\n"
        f"addons_path = {odoo_addons},{addons}\n"
        f"db_name = {database}\n"
        f"data_dir = {path.parent / 'data'}\n"
        "without_demo = all\n"
        "http_enable = False\n"
        "max_cron_threads = 0\n"
    )
    return path


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    """The old addon installed, given decisions, upgraded with this
    checkout's code; what the upgraded database holds, read back."""
    commit = _previous_version_commit()
    if commit is None:
        pytest.fail("no commit of the addon at 18.0.1.0.0 in this clone's history")
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, ADDON],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    work = tmp_path_factory.mktemp("upgrade")
    old_addons = work / "old"
    old_addons.mkdir()
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(old_addons, filter="data")
    database = f"crd_upgrade_{os.getpid()}"
    subprocess.run(["dropdb", "--if-exists", database], check=False)
    try:
        old_config = _config(work / "old.conf", database, old_addons)
        _odoo(old_config, "-i", ADDON, "--stop-after-init")
        output = _odoo(old_config, "shell", "--no-http", script="import json\n" + SETUP)
        ids = next(line for line in output.splitlines() if line.startswith("IDS "))[4:]

        new_config = _config(work / "new.conf", database, ROOT)
        _odoo(new_config, "-u", ADDON, "--stop-after-init")
        output = _odoo(
            new_config, "shell", "--no-http", script="import json\n" + CHECK % ids
        )
        yield json.loads(
            next(line for line in output.splitlines() if line.startswith("RESULT "))[7:]
        )
    finally:
        subprocess.run(["dropdb", "--if-exists", database], check=False)


def test_upgrading_keeps_every_decision_in_the_company_it_belongs_to(upgraded):
    result = upgraded
    decided = {
        "credit_hold": True,
        "credit_hold_date": "2026-03-01",
        "dunning_excluded": True,
        "dunning_paused_until": "2026-12-31",
        "dunning_pause_reason": "Verbouwing",
        "dunning_profile": "Watch",
        "dunning_collector": "admin",
        "dunning_collector_manual": True,
    }
    # the Belgian customer has invoices (overdue) in the second company only:
    # every decision is that company's; the main company starts clean, on
    # the profile its band rules give
    assert result["belgian@other"] == decided
    assert result["belgian@main"] == {
        "credit_hold": False,
        "credit_hold_date": "",
        "dunning_excluded": False,
        "dunning_paused_until": "",
        "dunning_pause_reason": "",
        "dunning_profile": "Standard",
        "dunning_collector": "",
        "dunning_collector_manual": False,
    }
    # a customer without invoices nor company keeps its exclusion everywhere
    assert result["lone@main"]["dunning_excluded"] is True
    assert result["lone@other"]["dunning_excluded"] is True


def test_upgrading_gives_every_level_at_least_a_day_between_reminders(upgraded):
    # 18.0.1.2.0: the shipped proactive level and the one set by hand had 0;
    # the friendly level keeps its 15
    assert upgraded["intervals"] == {
        "dunning_level_standard_1": 1,
        "dunning_level_standard_2": 15,
        "own_level": 1,
    }
