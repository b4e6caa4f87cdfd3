"""Benchmark: a full payment-score recompute, as the nightly cron runs it.

Builds (once) a deterministic receivables book of the requested size in the
database of the given Odoo configuration, then runs the recompute and
reports wall time, SQL queries and peak memory. Run it through bench/run.sh.
"""

import argparse
import json
import os
import resource
import sys
import time
import tracemalloc

import odoo
from odoo import SUPERUSER_ID, api

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from bench.receivables_book import ReceivablesBook  # noqa: E402


def _recompute(env):
    queries = odoo.sql_db.sql_counter
    start = time.perf_counter()
    env["res.partner"]._cron_compute_payment_score()
    return time.perf_counter() - start, odoo.sql_db.sql_counter - queries


def _forget_scores(env):
    """As before the first run: every stored score and amount changes."""
    env.cr.execute(
        """
        UPDATE res_partner
           SET payment_score = 0, payment_score_band = 'none',
               payment_score_date = NULL, payment_avg_days_late = 0,
               dunning_open_amount = NULL, dunning_overdue_amount = NULL,
               dunning_value_at_risk = NULL, trust = NULL
        """
    )
    env.cr.commit()
    env.invalidate_all()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--customers", type=int, required=True)
    parser.add_argument("--invoices-per-month", type=float, default=1.0)
    parser.add_argument("--months", type=int, default=15)
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(odoo.tools.config["db_name"])
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        invoices = env["account.move"].search_count([("move_type", "=", "out_invoice")])
        generation = None
        if not invoices:
            start = time.perf_counter()
            ReceivablesBook(
                env,
                customers=args.customers,
                months=args.months,
                seed=7,
                invoices_per_month=args.invoices_per_month,
                commit=True,
            ).build()
            cr.commit()
            generation = time.perf_counter() - start
            invoices = env["account.move"].search_count(
                [("move_type", "=", "out_invoice")]
            )
        customers = len(env["res.partner"]._payment_score_partner_ids())
        lines = env["account.move.line"].search_count([])
        _recompute(env)  # warm the caches (registry, ORM, PostgreSQL)
        _forget_scores(env)
        first_wall, first_queries = _recompute(env)
        env.invalidate_all()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        wall, queries = _recompute(env)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        _forget_scores(env)
        tracemalloc.start()
        _recompute(env)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result = {
            "customers": customers,
            "invoices": invoices,
            "journal_items": lines,
            "first_run_seconds": round(first_wall, 2),
            "first_run_queries": first_queries,
            "rerun_seconds": round(wall, 2),
            "first_run_ms_per_customer": round(
                1000 * first_wall / max(customers, 1), 2
            ),
            "rerun_queries": queries,
            "first_run_queries_per_customer": round(
                first_queries / max(customers, 1), 2
            ),
            "python_peak_mb": round(peak / 2**20, 1),
            "max_rss_mb": round(max(rss_before, rss_after) / 1024, 1),
            "generation_seconds": round(generation, 1) if generation else None,
        }
        print(json.dumps(result))


if __name__ == "__main__":
    main()
