"""18.0.1.2.0: a level's minimum interval is at least one day.

The shipped proactive levels had 0 (and a person may have chosen 0 too);
the new constraint refuses it, so every level below one day is raised to
one day before the module's code and data load."""

import logging

_logger = logging.getLogger(__name__)

# the rule as 18.0.1.2.0 has it, frozen here: a later change is a later migration
MIN_INTERVAL_DAYS = 1


def migrate(cr, version):
    cr.execute(
        """
        UPDATE dunning_level
           SET min_interval_days = %(minimum)s
         WHERE min_interval_days IS NULL OR min_interval_days < %(minimum)s
        """,
        {"minimum": MIN_INTERVAL_DAYS},
    )
    _logger.info(
        "%s dunning level(s) now wait at least %s day since the previous reminder",
        cr.rowcount,
        MIN_INTERVAL_DAYS,
    )
