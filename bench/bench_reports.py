"""Benchmark: the reporting views and the Excel workbook at 100,000 open
invoices.

Runs on a copy of a benchmark book (bench/run_reports.sh makes it). When the
book has fewer open customer invoices than asked, the open ones are cloned
by SQL (new numbers, same dates and amounts) until it has enough: a quick
way to a large book for read-only measurements, not a way to post entries.

Times are the best of three after a warm-up, as a person reopening the view
would see them. The lists (customers with their payment score, the payment
behaviour ranking, My Collections) are timed as the web client loads them:
``web_search_read`` with the action's domain and default filters, the list
view's fields, order, first page and count, as a user (not the superuser),
with the record cache emptied before each call as in a new request. The
workbook is written in a separate process, whose peak
resident memory (ru_maxrss) is reported next to the memory Odoo needed
before the export started.
"""

import argparse
import json
import resource
import subprocess
import sys
import time

from dateutil.relativedelta import relativedelta
from lxml import etree

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.osv import expression
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import time as safe_time

# the first page of a list, and how far the web client counts (Odoo 18)
LIST_LIMIT = 80
COUNT_LIMIT = 10000

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


def _eval_context(env):
    """What the web client evaluates action and filter domains with."""
    today = fields.Date.context_today(env.user)
    return {
        "uid": env.uid,
        "allowed_company_ids": env.companies.ids,
        "context_today": lambda: today,
        "current_date": fields.Date.to_string(today),
        "datetime": safe_datetime,
        "relativedelta": relativedelta,
        "time": safe_time,
    }


def _default_filters_domain(search_arch, defaults, eval_context):
    """The domain of the filters a search view selects by default, combined
    as the web client does (search_arch_parser.js): filters of one group
    (between separators, fields or ``<group>``) are OR-ed, groups AND-ed."""
    groups, group, kind = [], [], None

    def close(next_kind=None):
        nonlocal group, kind
        if group:
            groups.append(group)
        group, kind = [], next_kind

    for event, node in etree.iterwalk(
        etree.fromstring(search_arch), events=("start", "end")
    ):
        if node.tag == "group":
            close()
        elif event != "start":
            continue
        elif node.tag == "separator":
            close()
        elif node.tag == "field":
            close("field")
        elif node.tag == "filter":
            node_kind = "groupBy" if "group_by" in node.get("context", "") else "filter"
            if node_kind != kind:
                close(node_kind)
            if node_kind == "filter" and node.get("name") in defaults:
                if node.get("date"):
                    raise NotImplementedError("default date filters")
                group.append(safe_eval(node.get("domain", "[]"), eval_context))
    close()
    return expression.AND([expression.OR(domains) for domains in groups])


def _list_specification(list_arch, model_fields):
    """The fields specification of ``web_search_read`` for a list view:
    every field of the list, many2one and x2many with their display name."""
    specification = {}
    for node in etree.fromstring(list_arch):
        if node.tag != "field":
            continue
        name = node.get("name")
        if model_fields[name]["type"] in ("many2one", "one2many", "many2many"):
            specification[name] = {"fields": {"display_name": {}}}
        else:
            specification[name] = {}
    return specification


def web_list(env, action_xml_id):
    """What the web client sends when this action opens in its list view, as
    ``env.user``: ``(model, kwargs of web_search_read)``."""
    action = env["ir.actions.act_window"]._for_xml_id(action_xml_id)
    eval_context = _eval_context(env)
    context = safe_eval(action.get("context") or "{}", eval_context)
    list_view = next(
        (view_id for view_id, mode in action["views"] if mode == "list"), False
    )
    search_view = (action.get("search_view_id") or [False])[0]
    Model = env[action["res_model"]]
    views = Model.get_views([(list_view, "list"), (search_view, "search")])
    model_fields = views["models"][Model._name]["fields"]
    list_arch = views["views"]["list"]["arch"]
    defaults = {
        key.removeprefix("search_default_")
        for key, value in context.items()
        if key.startswith("search_default_") and value
    }
    domain = expression.AND(
        [
            safe_eval(action.get("domain") or "[]", eval_context),
            _default_filters_domain(
                views["views"]["search"]["arch"], defaults, eval_context
            ),
        ]
    )
    request_context = {
        **env.context,
        **{k: v for k, v in context.items() if not k.startswith("search_default_")},
        "bin_size": True,
    }
    return Model.with_context(request_context), {
        "domain": domain,
        "specification": _list_specification(list_arch, model_fields),
        "offset": 0,
        "limit": LIST_LIMIT,
        "order": etree.fromstring(list_arch).get("default_order") or None,
        "count_limit": COUNT_LIMIT + 1,
    }


def _busiest_collector(env):
    """The collector with the most customers in the company, or None."""
    key = str(env.company.id)
    env.cr.execute(
        """SELECT (dunning_collector_id ->> %s)::int, count(*)
             FROM res_partner
            WHERE id = commercial_partner_id
              AND dunning_collector_id ->> %s IS NOT NULL
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1""",
        [key, key],
    )
    row = env.cr.fetchone()
    return env["res.users"].browse(row[0]) if row else None


def measure_lists(env):
    """The customer lists with payment scores and the collector's work
    list, timed as the web client loads them."""
    admin = env.ref("base.user_admin")
    collector = _busiest_collector(env)
    screens = {
        "customers_list": (admin, "account.res_partner_action_customer"),
        "payment_behaviour_list": (
            admin,
            "customer_retention_dunning.res_partner_action_payment_behaviour",
        ),
        "my_collections": (
            collector or admin,
            "customer_retention_dunning.res_partner_action_my_collections",
        ),
    }
    results = {}
    for name, (user, action) in screens.items():
        user_env = env(user=user.id, su=False, context=user.context_get())
        Model, kwargs = web_list(user_env, action)
        answer = {}

        def load(Model=Model, kwargs=kwargs, answer=answer):
            Model.env.invalidate_all()  # a new request reads afresh
            answer.update(Model.web_search_read(**kwargs))

        results[f"{name}_s"] = best_of(load)
        results[f"{name}_rows"] = answer["length"]
        results[f"{name}_user"] = user.login
    results["my_collections_domain"] = str(
        web_list(
            env(user=(collector or admin).id, su=False),
            "customer_retention_dunning.res_partner_action_my_collections",
        )[1]["domain"]
    )
    return results


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
    results.update(measure_lists(env))
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
    parser.add_argument(
        "--no-export", action="store_true", help="time the screens only"
    )
    args = parser.parse_args()
    if args.export:
        export(args.config)
        return
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(odoo.tools.config["db_name"])
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
        open_invoices = grow(env, args.open_invoices)
        results = {
            "db": cr.dbname,
            "open_invoices": open_invoices,
            **measure(env),
        }
        cr.rollback()
    if not args.no_export:
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
