"""The README's two commands stop at once, clearly, without Odoo."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def python_without_odoo(tmp_path):
    """A Python that does not see site-packages, hence no Odoo."""
    wrapper = tmp_path / "python-without-odoo"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


@pytest.mark.parametrize("command", ["scripts/demo.sh", "scripts/test.sh"])
def test_command_stops_with_a_clear_message_when_odoo_is_missing(
    command, python_without_odoo
):
    result = subprocess.run(
        ["bash", str(ROOT / command), "--no-serve"]
        if "demo" in command
        else ["bash", str(ROOT / command)],
        env={**os.environ, "PYTHON": python_without_odoo},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Odoo 18.0 is not importable" in result.stderr
    assert "odoo.com/documentation/18.0" in result.stderr
    # nothing was installed or created before the check
    assert "Installing" not in result.stdout
