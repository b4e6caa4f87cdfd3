"""Repository-wide pytest hooks.

A skipped test counts as a failure here: Odoo skips a browser tour when
Chromium or websocket-client is missing and pytest-odoo skips every HttpCase
without --odoo-http, and either would otherwise hide untested behaviour
behind a green summary.
"""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        report.outcome = "failed"
        report.longrepr = f"Skipped tests fail this suite: {reason}"
