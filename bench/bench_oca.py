"""Benchmark: OCA's ``account_credit_control`` night on a copy of the book.

Runs on ``crd_oca_<customers>``, a fresh copy of a benchmark book made by
bench/compare.sh, with OCA's addon installed. OCA is set up like our ladder,
like for like: one ``credit.control.policy`` with one level per level of the
company's default dunning profile (same days after the due date, e-mail for
the friendly and firm steps, a letter for the formal and final ones, a call
where our level calls), OCA's shipped e-mail template, assigned to the
company so that every customer with an overdue invoice is in scope.

Then OCA's whole night is timed in one process, as its buttons run it: a
``credit.control.run`` for today generates its lines, the lines are marked
ready ("Set to ready"), and the channel action sends the e-mails (queued in
mail.mail, no SMTP) and hands the letters to OCA's printer, whose PDF is
rendered as its download would. Phone lines are a to-do list in OCA: they
stay "To Do", nothing is made for them. Prints one JSON line.

With ``--compare OCA_OUTPUT OUR_OUTPUT`` it prints instead the table and
the JSON line of bench/compare.sh, from the outputs of this benchmark and
of bench/bench_escalation.py (the last line of each).
"""

import argparse
import json
import resource
import time
from collections import Counter
from contextlib import contextmanager

import odoo
from odoo import SUPERUSER_ID, api, fields

from odoo.addons.base.models.ir_actions_report import IrActionsReport

# our level's tone -> OCA's channel (our channel follows the amount, OCA's
# follows the level: the formal demand and the final notice go on paper)
CHANNEL_BY_TONE = {
    "friendly": "email",
    "firm": "email",
    "formal": "letter",
    "final": "letter",
}

MAIL_TEXT_BY_TONE = {
    "friendly": "Our records show that the invoices below are still open. "
    "If you have paid them already, please ignore this message.",
    "firm": "Despite our reminder the invoices below are still open. "
    "Please pay them within seven days.",
    "formal": "We demand payment of the invoices below within fourteen "
    "days; after that, collection costs are charged.",
    "final": "This is our final notice: unless the invoices below are paid "
    "within seven days, your file goes to our collection agency.",
}


class PdfClock:
    """Counts the PDF renderings of Odoo's reports and the time they take
    (QWeb and wkhtmltopdf), while it is installed."""

    def __init__(self):
        self.seconds = 0.0
        self.count = 0

    @contextmanager
    def installed(self):
        """Wrap the base report renderer: every module's override ends there."""
        original = IrActionsReport._render_qweb_pdf
        clock = self

        def timed_render(report, report_ref, res_ids=None, data=None):
            start = time.perf_counter()
            try:
                return original(report, report_ref, res_ids=res_ids, data=data)
            finally:
                clock.seconds += time.perf_counter() - start
                clock.count += 1

        IrActionsReport._render_qweb_pdf = timed_render
        try:
            yield self
        finally:
            IrActionsReport._render_qweb_pdf = original


def default_profile(env):
    """The dunning profile of the company's customers without a score yet:
    the shipped Standard ladder unless Settings say otherwise."""
    company = env.company
    profile = company.dunning_profile_none_id or company.dunning_profile_good_id
    if not profile:
        profile = env["dunning.profile"].search(
            [("company_id", "in", (company.id, False))], limit=1
        )
    return profile


def oca_level_values(level, number, template):
    """The values of the OCA policy level standing for one of our levels."""
    channel = "phone" if level.action == "call" else CHANNEL_BY_TONE[level.tone]
    text = MAIL_TEXT_BY_TONE[level.tone]
    return {
        "name": level.name,
        "level": number,
        # "Due Date": the delay counts from the due date, as our
        # days_after_due does; OCA never reminds before the due date (its
        # run only takes lines due by the controlling date), so a step
        # before it becomes "on the due date"
        "computation_mode": "net_days",
        "delay_days": max(level.days_after_due, 0),
        "channel": channel,
        "email_template_id": template.id,
        "custom_text": text,
        "custom_mail_text": f"<p>{text}</p>",
        "mail_show_invoice_detail": True,
    }


def configure_oca(env, email_pdf=False):
    """One policy mirroring the default profile, made the company's policy;
    return the policy and the ladder it mirrors (for the report).

    OCA's shipped e-mail template attaches its summary PDF to every e-mail
    (one wkhtmltopdf call each, over a second). Our reminder e-mails carry
    none; like for like, OCA's e-mails carry none either, unless
    ``email_pdf`` keeps OCA's template as shipped."""
    company = env.company
    profile = default_profile(env)
    levels = profile.level_ids.sorted("sequence")
    template = env.ref("account_credit_control.email_template_credit_control_base")
    if not email_pdf:
        template.report_template_ids = [fields.Command.clear()]
    receivable_accounts = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)]
    )
    policy = env["credit.control.policy"].create(
        {
            "name": f"Like {profile.name}",
            "company_id": company.id,
            "account_ids": [fields.Command.set(receivable_accounts.ids)],
            "level_ids": [
                fields.Command.create(oca_level_values(level, number, template))
                for number, level in enumerate(levels, start=1)
            ],
        }
    )
    company.credit_policy_id = policy
    env.cr.commit()
    ladder = [
        {
            "days_after_due": level.days_after_due,
            "tone": level.tone,
            "action": level.action,
            "oca_delay_days": oca_level.delay_days,
            "oca_channel": oca_level.channel,
        }
        for level, oca_level in zip(
            levels, policy.level_ids.sorted("level"), strict=True
        )
    ]
    return policy, {"profile": profile.name, "levels": ladder}


def run_night(env, policy):
    """OCA's night, button after button; return the run, the letter
    communications, and the seconds of each step (letter PDFs apart)."""
    phases = {}
    clock = time.perf_counter()

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        phases[name] = round(now - clock, 2)
        clock = now

    run = env["credit.control.run"].create(
        {
            "date": fields.Date.context_today(policy),
            "company_id": env.company.id,
            "policy_ids": [fields.Command.set(policy.ids)],
        }
    )
    run.generate_credit_lines()  # "Compute Credit Lines"
    lap("generate_lines")
    run.set_to_ready_lines()  # "Set to ready"
    lap("set_ready")
    # "Run channel action": the e-mail lines get one communication per
    # customer and level, its e-mail rendered (OCA's summary PDF attached)
    # and queued; for the letter lines OCA returns its printer wizard's
    # print_lines (not called): the next click, which runs it here
    printer = run.run_channel_action()
    letters = env["credit.control.communication"]
    if callable(printer):
        action = printer()
        letters = run.line_ids.filtered(
            lambda line: line.channel == "letter"
        ).communication_id
        lap("channel_action")
        # the PDF the user downloads from the printer's report action
        env["ir.actions.report"]._render_qweb_pdf(
            action["report_name"], res_ids=letters.ids
        )
        lap("letter_pdfs")
    else:
        lap("channel_action")
    env.cr.commit()
    lap("commit")
    return run, letters, phases


def benchmark(config, email_pdf=False):
    """Configure OCA, time its night, print the figures as one JSON line."""
    odoo.tools.config.parse_config(
        [
            "-c",
            config,
            "--log-level=warn",
            # wkhtmltopdf warns on every PDF here (a build without Odoo's
            # patched Qt; no server to fetch the page assets from)
            "--log-handler=odoo.addons.base.models.ir_actions_report:ERROR",
        ]
    )
    registry = odoo.modules.registry.Registry(odoo.tools.config["db_name"])
    with registry.cursor() as cr:
        # e-mails go to Odoo's queue (mail.mail), as without force_send
        env = api.Environment(cr, SUPERUSER_ID, {"mail_notify_force_send": False})
        if env["credit.control.line"].search_count([]):
            raise SystemExit("The OCA database already has credit lines: copy it anew.")
        policy, ladder = configure_oca(env, email_pdf)
        open_domain = [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]
        open_invoices = env["account.move"].search_count(open_domain)
        overdue = env["account.move"].search(
            [
                *open_domain,
                ("invoice_date_due", "<=", fields.Date.context_today(policy)),
            ]
        )
        mails_before = env["mail.mail"].search([], order="id desc", limit=1).id or 0
        pdf_clock = PdfClock()
        with pdf_clock.installed():
            queries = odoo.sql_db.sql_counter
            start = time.perf_counter()
            run, letters, phases = run_night(env, policy)
            wall = time.perf_counter() - start
            queries = odoo.sql_db.sql_counter - queries
        lines = run.line_ids
        communications = lines.communication_id
        # OCA makes nothing for phone lines: count the calls to make, one per
        # customer and level, as OCA would group them
        calls = {
            (line.partner_id.id, line.policy_level_id.id)
            for line in lines.filtered(lambda line: line.channel == "phone")
        }
        mails = env["mail.mail"].search([("id", ">", mails_before)])
        by_channel = Counter(
            "letter" if communication in letters else "email"
            for communication in communications
        )
        if calls:
            by_channel["phone"] = len(calls)
        module = env["ir.module.module"].search(
            [("name", "=", "account_credit_control")]
        )
        print(
            json.dumps(
                {
                    "database": cr.dbname,
                    "oca_version": module.latest_version,
                    "policy": ladder,
                    "open_invoices": open_invoices,
                    "overdue_invoices": len(overdue),
                    "overdue_customers": len(overdue.commercial_partner_id),
                    "credit_lines": len(lines),
                    "lines_by_level": dict(
                        sorted(Counter(lines.mapped("level")).items())
                    ),
                    "lines_by_state": dict(Counter(lines.mapped("state"))),
                    "invoices_reminded": len(lines.invoice_id),
                    "customers_reminded": len(lines.partner_id),
                    "communications": len(communications),
                    "by_channel": dict(by_channel),
                    "reminders": len(communications) + len(calls),
                    "mails_queued": len(
                        mails.filtered(lambda mail: mail.state == "outgoing")
                    ),
                    "mails_not_queued": len(
                        mails.filtered(lambda mail: mail.state != "outgoing")
                    ),
                    "email_pdf_attached": email_pdf,
                    "pdfs_rendered": pdf_clock.count,
                    "pdf_seconds": round(pdf_clock.seconds, 1),
                    "letters": len(letters),
                    "letter_seconds": round(phases.get("letter_pdfs", 0.0), 1),
                    "phase_seconds": phases,
                    "wall_seconds": round(wall, 1),
                    "queries": queries,
                    "max_rss_mb": round(
                        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                    ),
                }
            )
        )


# -- the comparison ----------------------------------------------------------


def last_json_line(path):
    """The figures a benchmark printed: the last line of its output."""
    with open(path, encoding="utf-8") as output:
        lines = [line for line in output.read().splitlines() if line.strip()]
    if not lines:
        raise SystemExit(f"{path}: the benchmark printed nothing")
    return json.loads(lines[-1])


def _ratio(numerator, denominator, digits=2):
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, digits)


def side_figures(result, reminders, pdf_seconds):
    """The figures compared, the same way for both sides.

    :param reminders: communications made, plus the calls to make
    :param pdf_seconds: the seconds of the night spent rendering PDFs (OCA:
        the summary attached to every e-mail, and the letters; ours: the
        letters)
    """
    wall = result["wall_seconds"]
    letter_seconds = result.get("letter_seconds")
    return {
        "reminders": reminders,
        "customers_reminded": result.get("customers_reminded"),
        "by_channel": result.get("by_channel", {}),
        "letters": result.get("letters"),
        "wall_seconds": wall,
        "letter_seconds": letter_seconds,
        "wall_without_letters_seconds": (
            round(wall - letter_seconds, 1) if letter_seconds is not None else None
        ),
        "pdf_seconds": pdf_seconds,
        "wall_without_pdfs_seconds": (
            round(wall - pdf_seconds, 1) if pdf_seconds is not None else None
        ),
        "queries": result["queries"],
        "ms_per_reminder": _ratio(1000 * wall, reminders, 1),
        "queries_per_reminder": _ratio(result["queries"], reminders, 1),
        "max_rss_mb": result.get("max_rss_mb"),
    }


def compare(oca_path, ours_path, customers, jsonl, our_invoices=None):
    """Print OCA's and our figures side by side; append them as one JSON
    line to ``jsonl``.

    :param our_invoices: the invoices our night reminded of (read from the
        database by bench/compare.sh; our benchmark does not print it)
    """
    oca = last_json_line(oca_path)
    ours = last_json_line(ours_path)
    oca_side = side_figures(oca, oca["reminders"], oca["pdf_seconds"])
    oca_side.update(
        invoices_reminded=oca["invoices_reminded"],
        credit_lines=oca["credit_lines"],
        mails_queued=oca["mails_queued"],
        pdfs_rendered=oca["pdfs_rendered"],
        phase_seconds=oca.get("phase_seconds"),
    )
    our_side = side_figures(ours, ours["communications"], ours.get("letter_seconds"))
    our_side.update(invoices_reminded=our_invoices, pdfs_rendered=ours.get("letters"))
    ratios = {
        "oca_wall_per_our_wall": _ratio(oca_side["wall_seconds"], ours["wall_seconds"]),
        # OCA's e-mails keep their PDF attachment: it is part of each e-mail
        "oca_wall_per_our_wall_without_letters": _ratio(
            oca_side["wall_without_letters_seconds"],
            our_side["wall_without_letters_seconds"],
        ),
        # the engines alone: every PDF left out on both sides
        "oca_wall_per_our_wall_without_pdfs": _ratio(
            oca_side["wall_without_pdfs_seconds"],
            our_side["wall_without_pdfs_seconds"],
        ),
        "oca_ms_per_our_ms_per_reminder": _ratio(
            oca_side["ms_per_reminder"], our_side["ms_per_reminder"]
        ),
        "oca_queries_per_our_queries_per_reminder": _ratio(
            oca_side["queries_per_reminder"], our_side["queries_per_reminder"]
        ),
    }
    record = {
        "customers": customers,
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "open_invoices": oca.get("open_invoices"),
        "overdue_invoices": oca.get("overdue_invoices"),
        "overdue_customers": oca.get("overdue_customers"),
        "oca_version": oca.get("oca_version"),
        "oca": oca_side,
        "ours": our_side,
        "ratios": ratios,
    }
    print_table(record)
    line = json.dumps(record)
    print(line)
    if jsonl:
        with open(jsonl, "a", encoding="utf-8") as results:
            results.write(line + "\n")


def _cell(value):
    if value is None:
        return "n/a"
    if isinstance(value, dict):
        return " ".join(f"{key} {count}" for key, count in value.items())
    return str(value)


TABLE_ROWS = [
    ("customers reminded", "customers_reminded"),
    ("invoices reminded", "invoices_reminded"),
    ("reminders (communications + calls)", "reminders"),
    ("  by channel", "by_channel"),
    ("  e-mails queued in mail.mail", "mails_queued"),
    ("wall seconds, whole night", "wall_seconds"),
    ("  letter PDFs: seconds", "letter_seconds"),
    ("  without letter PDFs", "wall_without_letters_seconds"),
    ("  PDF documents (OCA: 1 per e-mail + letters)", "pdfs_rendered"),
    ("  all PDFs: seconds", "pdf_seconds"),
    ("  without any PDF", "wall_without_pdfs_seconds"),
    ("SQL queries", "queries"),
    ("ms per reminder", "ms_per_reminder"),
    ("queries per reminder", "queries_per_reminder"),
    ("peak RSS (MB)", "max_rss_mb"),
]


def print_table(record):
    """The comparison as a table readable in a terminal."""
    oca, ours, ratios = record["oca"], record["ours"], record["ratios"]
    title = (
        f"{record['customers']} customers, {record['open_invoices']} open invoices "
        f"({record['overdue_invoices']} overdue, of {record['overdue_customers']} "
        f"customers): OCA account_credit_control {record['oca_version']} vs ours"
    )
    print(title)
    print("-" * len(title))
    print(f"{'':46} {'OCA':>26} {'ours':>26}")
    for label, key in TABLE_ROWS:
        print(f"{label:46} {_cell(oca.get(key)):>26} {_cell(ours.get(key)):>26}")
    print(f"OCA's steps (seconds): {_cell(oca.get('phase_seconds'))}")
    print(
        "OCA's e-mails: "
        + (
            "with OCA's summary PDF attached (as shipped)"
            if oca.get("email_pdf_attached")
            else "without a PDF, like ours (--email-pdf keeps OCA's attachment)"
        )
    )
    print(
        "OCA / ours: "
        + ", ".join(
            f"{label} {_cell(ratios[key])}x"
            for label, key in (
                ("wall", "oca_wall_per_our_wall"),
                ("without letter PDFs", "oca_wall_per_our_wall_without_letters"),
                ("without any PDF", "oca_wall_per_our_wall_without_pdfs"),
                ("ms per reminder", "oca_ms_per_our_ms_per_reminder"),
                ("queries per reminder", "oca_queries_per_our_queries_per_reminder"),
            )
        )
    )


def main():
    """Run OCA's night (``-c``), or compare two outputs (``--compare``)."""
    parser = argparse.ArgumentParser(description=__doc__)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("-c", "--config", help="run OCA's night in this database")
    mode.add_argument(
        "--compare",
        nargs=2,
        metavar=("OCA_OUTPUT", "OUR_OUTPUT"),
        help="compare the outputs of this benchmark and of bench_escalation.py",
    )
    parser.add_argument("--customers", type=int, help="the size, for --compare")
    parser.add_argument("--jsonl", help="with --compare: append the JSON line here")
    parser.add_argument(
        "--our-invoices", type=int, help="with --compare: invoices our night reminded"
    )
    parser.add_argument(
        "--email-pdf",
        action="store_true",
        help="keep OCA's shipped e-mail template, which attaches a PDF to "
        "every e-mail (ours attach none; left out by default, like for like)",
    )
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare, args.customers, args.jsonl, args.our_invoices)
    else:
        benchmark(args.config, args.email_pdf)


if __name__ == "__main__":
    main()
