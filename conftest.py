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


# The property tests run beside Odoo's server and a browser on a 2-core
# machine: a slow draw there says nothing about the rules under test.
# Hypothesis' other health checks stay on.
try:
    from hypothesis import HealthCheck, settings
except ImportError:  # pragma: no cover - hypothesis is in requirements-test
    pass
else:
    settings.register_profile(
        "busy_machine", suppress_health_check=[HealthCheck.too_slow], deadline=None
    )
    settings.load_profile("busy_machine")
