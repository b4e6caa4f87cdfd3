"""The addon ships as an installable wheel with a current README."""

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _version(addon):
    """The version the addon's manifest declares."""
    manifest = ast.literal_eval((ROOT / addon / "__manifest__.py").read_text())
    return manifest["version"]


def _build_wheel(addon, wheel_dir):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "--wheel-dir",
            str(wheel_dir),
            str(ROOT / addon),
        ],
        check=True,
        capture_output=True,
    )
    wheels = list(wheel_dir.glob("*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_the_sale_bridge_builds_a_wheel_that_needs_the_addon(tmp_path):
    wheel = _build_wheel("customer_retention_dunning_sale", tmp_path)
    version = _version("customer_retention_dunning_sale")
    assert wheel.name.startswith(
        f"odoo_addon_customer_retention_dunning_sale-{version}"
    )
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(
            next(n for n in names if n.endswith(".dist-info/METADATA"))
        ).decode()
    assert "odoo/addons/customer_retention_dunning_sale/models/sale_order.py" in names
    assert "Requires-Dist: odoo-addon-customer_retention_dunning==18.0.*" in metadata


def test_the_queue_bridge_builds_a_wheel_that_needs_queue_job(tmp_path):
    wheel = _build_wheel("customer_retention_dunning_queue", tmp_path)
    version = _version("customer_retention_dunning_queue")
    assert wheel.name.startswith(
        f"odoo_addon_customer_retention_dunning_queue-{version}"
    )
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(
            next(n for n in names if n.endswith(".dist-info/METADATA"))
        ).decode()
    assert (
        "odoo/addons/customer_retention_dunning_queue/models/dunning_night.py" in names
    )
    assert "Requires-Dist: odoo-addon-customer_retention_dunning==18.0.*" in metadata
    assert "Requires-Dist: odoo-addon-queue_job==18.0.*" in metadata


def test_pip_wheel_builds_the_odoo_addon_wheel(tmp_path):
    wheel = _build_wheel("customer_retention_dunning", tmp_path)
    version = _version("customer_retention_dunning")
    assert version.startswith("18.0.")
    assert wheel.name.startswith(f"odoo_addon_customer_retention_dunning-{version}")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(metadata_name).decode()
    assert "odoo/addons/customer_retention_dunning/__manifest__.py" in names
    assert "odoo/addons/customer_retention_dunning/tools/payment_score.py" in names
    assert "Name: odoo-addon-customer_retention_dunning" in metadata
    assert "Requires-Dist: odoo==18.0.*" in metadata


def test_the_addon_readme_is_generated_from_the_current_fragments():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_addon_readme.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
