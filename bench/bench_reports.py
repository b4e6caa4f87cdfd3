"""Benchmark: the reporting views and the Excel workbook at 100,000 open
invoices.

Runs on a copy of a benchmark book (bench/run_reports.sh makes it). When the
book has fewer open customer invoices than asked, the open ones are cloned
by SQL (new numbers, same dates and amounts) until it has enough: a quick
way to a large book for read-only measurements, not a way to post entries.

Times are the best of three after a warm-up, as a person reopening the view
would see them. The workbook is written in a separate process, whose peak
resident memory (ru_maxrss) is reported next to the memory Odoo needed
before the export started.
"""

import argparse
import json
import resource
import subprocess
import sys
import time

import odoo
from odoo import SUPERUSER_ID, api

OPEN_INVOICES = """
    SELECT id FROM account_move
     WHERE move_type = 'out_invoice' AND state = 'posted'
       AND payment_state IN ('not_paid', 'partial') AND company_id = %s
"""


def _columns(cr, table):
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = %s AND column_name != 'id'
            ORDER BY ordinal_position""",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def grow(env, target):
    """Clone open invoices with their journal items until there are
    ``target`` open customer invoices."""
    cr = env.cr
    company = env.company.id
    cr.execute(f"SELECT count(*) FROM ({OPEN_INVOICES}) AS open", [company])
    have = cr.fetchone()[0]
    copy = 0
    move_columns = _columns(cr, "account_move")
    line_columns = _columns(cr, "account_move_line")
    while have < target:
        copy += 1
        cr.execute("DROP TABLE IF EXISTS bench_map")
        cr.execute(
            f"""CREATE TEMP TABLE bench_map AS
                SELECT id AS old_id, nextval('account_move_id_seq') AS new_id
                  FROM ({OPEN_INVOICES}) AS open
                 LIMIT %s""",
            [company, target - have],
        )
        suffix = f"/B{copy}"
        moves = ", ".join(
            f"move.name || '{suffix}'" if column == "name" else f"move.{column}"
            for column in move_columns
        )
        cr.execute(
            f"""INSERT INTO account_move (id, {", ".join(move_columns)})
                SELECT map.new_id, {moves}
                  FROM account_move move JOIN bench_map map ON map.old_id = move.id"""
        )
        lines = ", ".join(
            "map.new_id"
            if column == "move_id"
            else f"line.move_name || '{suffix}'"
            if column == "move_name"
            else f"line.{column}"
            for column in line_columns
        )
        cr.execute(
            f"""INSERT INTO account_move_line ({", ".join(line_columns)})
                SELECT {lines}
                  FROM account_move_line line
                  JOIN bench_map map ON map.old_id = line.move_id"""
        )
        cr.execute("SELECT count(*) FROM bench_map")
        have += cr.fetchone()[0]
    cr.execute("ANALYZE account_move")
    cr.execute("ANALYZE account_move_line")
    cr.commit()
    return have


def best_of(function, runs=3):
    function()  # warm-up: caches, plans
    times = []
    for _run in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return round(min(times), 3)


def measure(env):
    Ageing = env["dunning.ageing.report"]
    results = {
        "open_items": Ageing.search_count([]),
        # the pivot as it opens: customers x age buckets, two measures
        "ageing_pivot_s": best_of(
            lambda: Ageing.read_group(
                [],
                ["amount_residual:sum", "value_at_risk:sum"],
                ["partner_id", "bucket"],
                lazy=False,
            )
        ),
        # the graph: by bucket
        "ageing_graph_s": best_of(
            lambda: Ageing.read_group([], ["amount_residual:sum"], ["bucket"])
        ),
        # the list: first page and the count
        "ageing_list_s": best_of(
            lambda: (
                Ageing.search_read([], ["partner_id", "amount_residual"], limit=80),
                Ageing.search_count([]),
            )
        ),
        "effectiveness_pivot_s": best_of(
            lambda: env["dunning.effectiveness.report"].read_group(
                [],
                ["amount:sum", "amount_paid_30:sum"],
                ["level_id", "channel"],
                lazy=False,
            )
        ),
        "overview_s": best_of(
            lambda: (
                env["dunning.overview"]
                .create({})
                .read(["overdue_total", "dso_countback"])
            )
        ),
    }
    return results


def export(config):
    """Run in its own process: the whole workbook, with its peak memory."""
    odoo.tools.config.parse_config(["-c", config, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(odoo.tools.config["db_name"])
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        content = env["dunning.workbook"]._build(
            ("overview", "ageing", "trend", "effectiveness", "worklist"),
            *_period(env),
        )
        wall = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cr.rollback()
    print(
        json.dumps(
            {
                "export_s": round(wall, 1),
                "xlsx_mb": round(len(content) / 2**20, 1),
                "rss_before_export_mb": round(before / 1024),
                "rss_peak_mb": round(peak / 1024),
            }
        )
    )


def _period(env):
    from odoo import fields

    from odoo.addons.customer_retention_dunning.tools.payment_plan import add_months

    today = fields.Date.context_today(env["res.partner"])
    return add_months(today.replace(day=1), -11), today


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--open-invoices", type=int, default=100000)
    parser.add_argument("--export", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export:
        export(args.config)
        return
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(odoo.tools.config["db_name"])
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        open_invoices = grow(env, args.open_invoices)
        results = {"open_invoices": open_invoices, **measure(env)}
        cr.rollback()
    exported = subprocess.run(
        [sys.executable, __file__, "-c", args.config, "--export"],
        check=True,
        capture_output=True,
        text=True,
    )
    results.update(json.loads(exported.stdout.strip().splitlines()[-1]))
    results["date"] = time.strftime("%Y-%m-%d")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
