"""Benchmark: the nightly dunning escalation over a receivables book.

Runs on a database built by bench/run.sh (scores computed first), with mail
delivery left to Odoo's queue as in production. Each run starts from a
clean slate: communications and invoice dunning state are reset first.
"""

import argparse
import json
import resource
import time

import odoo
from odoo import SUPERUSER_ID, api

try:  # run as a script, from bench/
    from scale_book import vacuum_after_reset
except ImportError:  # imported from the repository's root
    from bench.scale_book import vacuum_after_reset


def _reset(env):
    env.cr.execute("DELETE FROM dunning_communication")
    env.cr.execute(
        """
        UPDATE account_move
           SET dunning_level_id = NULL, dunning_last_date = NULL,
               dunning_next_date = NULL, dunning_handed_over = FALSE
         WHERE dunning_level_id IS NOT NULL OR dunning_next_date IS NOT NULL
        """
    )
    env.cr.commit()
    # as autovacuum would have long since done before a real night
    vacuum_after_reset(env.cr.dbname)
    env.invalidate_all()


def _time_letters(env, timing):
    """Time the night's letter printing (part of the night's wall time)."""
    printing = type(env["dunning.communication"])
    original = printing._cron_render_letters

    def timed(records):
        start = time.perf_counter()
        try:
            return original(records)
        finally:
            timing["letter_seconds"] += time.perf_counter() - start

    printing._cron_render_letters = timed


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(odoo.tools.config["db_name"])
    timing = {"letter_seconds": 0.0}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        _time_letters(env, timing)
        env["res.partner"]._cron_compute_payment_score()
        _reset(env)
        open_invoices = env["account.move"].search_count(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ]
        )
        queries = odoo.sql_db.sql_counter
        start = time.perf_counter()
        env["dunning.escalation"]._cron_escalate()
        wall = time.perf_counter() - start
        letter_seconds = timing["letter_seconds"]
        queries = odoo.sql_db.sql_counter - queries
        communications = env["dunning.communication"].search([])
        start = time.perf_counter()
        env["dunning.escalation"]._cron_escalate()
        rerun = time.perf_counter() - start
        by_channel = {}
        for communication in communications:
            by_channel[communication.channel] = (
                by_channel.get(communication.channel, 0) + 1
            )
        print(
            json.dumps(
                {
                    "open_invoices": open_invoices,
                    "customers_reminded": len(communications.partner_id),
                    "communications": len(communications),
                    "by_channel": by_channel,
                    "failed": len(
                        communications.filtered(lambda c: c.state == "failed")
                    ),
                    "wall_seconds": round(wall, 1),
                    "letters": by_channel.get("letter", 0),
                    "letter_seconds": round(letter_seconds, 2),
                    "ms_per_letter": round(
                        1000 * letter_seconds / max(by_channel.get("letter", 0), 1)
                    ),
                    "ms_per_reminder_without_letters": round(
                        1000
                        * (wall - letter_seconds)
                        / max(len(communications) - by_channel.get("letter", 0), 1),
                        1,
                    ),
                    "queries": queries,
                    "same_day_rerun_seconds": round(rerun, 1),
                    "new_on_rerun": env["dunning.communication"].search_count([])
                    - len(communications),
                    "max_rss_mb": round(
                        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                    ),
                }
            )
        )


if __name__ == "__main__":
    main()
