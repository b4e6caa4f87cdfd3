"""queue_job's test helpers on every Odoo 18.0.

Since 18.0.3.1 queue_job's ``tests/common.py`` registers its method patcher
in ``odoo.tests.common.SETATTR_SOURCES``, a table that Odoo 18.0 builds of
before mid-2025 do not have (the addon itself runs on them): an empty one
stands in for it there.
"""

from odoo.tests import common as odoo_test_common

if not hasattr(odoo_test_common, "SETATTR_SOURCES"):
    odoo_test_common.SETATTR_SOURCES = {}

from odoo.addons.queue_job.tests.common import trap_jobs  # noqa: E402

__all__ = ["trap_jobs"]
