"""Steps of the demo command that run inside Odoo (see scripts/demo.sh).

python scripts/demo.py -c odoo.conf prepare    # a Dutch company, in EUR
python scripts/demo.py -c odoo.conf load       # the book, scores, summary
"""

import argparse
import contextlib
import logging
import os
import re
import subprocess
import sys
from datetime import timedelta

import odoo
from odoo import SUPERUSER_ID, api, fields

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from bench.receivables_book import ReceivablesBook  # noqa: E402

# what a wkhtmltopdf built without Odoo's patched Qt says on every letter
UNPATCHED_QT = re.compile(
    r"The switch --[\w-]+, is not support using unpatched qt, and will be ignored\."
)


def _environment(config_file):
    odoo.tools.config.parse_config(["-c", config_file, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(odoo.tools.config["db_name"])
    return registry


def prepare(env):
    """Before the addon and accounting are installed: make the main company
    Dutch, so that Odoo picks the Dutch chart of accounts and the euro."""
    company = env.company
    env.ref("base.EUR").active = True
    company.write(
        {
            "name": "Groothandel Noorderlicht B.V.",
            "country_id": env.ref("base.nl").id,
            "city": "Groningen",
            "street": "Oosterhamrikkade 12",
            "zip": "9714 BC",
            "email": "debiteuren@noorderlicht.example.nl",
            "currency_id": env.ref("base.EUR").id,
        }
    )


def collectors(env):
    """A junior collector, and the administrator as senior collector and
    credit manager, routed by overdue amount."""
    junior = env["res.users"].create(
        {
            "name": "Sanne de Jong",
            "login": "sanne",
            "password": "sanne",
            "email": "sanne@noorderlicht.example.nl",
            "groups_id": [
                (4, env.ref("customer_retention_dunning.group_collector").id)
            ],
        }
    )
    admin = env.ref("base.user_admin")
    rules = env["dunning.collector.rule"]
    rules.create({"sequence": 1, "min_amount": 2500, "user_id": admin.id})
    rules.create({"sequence": 2, "min_amount": 0, "user_id": junior.id})


def second_company(env):
    """A small Belgian sister company on the same database: its own chart,
    its own short ladder, its own collector; some of the Dutch customers buy
    there too. The same night duns both, each on its own rules."""
    main = env.company
    belgium = env["res.company"].create(
        {
            "name": "Noorderlicht Belgie BV",
            "country_id": env.ref("base.be").id,
            "city": "Antwerpen",
            "street": "Meir 24",
            "zip": "2000",
            "currency_id": env.ref("base.EUR").id,
        }
    )
    env["account.chart.template"].try_loading(
        "generic_coa", belgium, install_demo=False
    )
    # the generic chart sets dollars; the company books in euros, as the
    # law's statutory amounts are
    belgium.currency_id = env.ref("base.EUR")
    env.user.company_ids |= belgium
    env.ref("base.user_admin").company_ids |= belgium
    profile = env["dunning.profile"].create(
        {
            "name": "Belgie: kort ritme",
            "company_id": belgium.id,
            "letter_threshold": 1500,
            "call_threshold": 6000,
            "level_ids": [
                (0, 0, values)
                for values in (
                    {
                        "sequence": 10,
                        "name": "Herinnering",
                        "days_after_due": 7,
                        "min_interval_days": 1,
                        "tone": "friendly",
                    },
                    {
                        "sequence": 20,
                        "name": "Tweede herinnering",
                        "days_after_due": 21,
                        "min_interval_days": 14,
                        "tone": "firm",
                    },
                    {
                        "sequence": 30,
                        "name": "Ingebrekestelling",
                        "days_after_due": 35,
                        "min_interval_days": 14,
                        "tone": "formal",
                    },
                )
            ],
        }
    )
    belgium.write(
        {
            f"dunning_profile_{band}_id": profile.id
            for band in ("excellent", "good", "watch", "risk", "none")
        }
    )
    collector = env["res.users"].create(
        {
            "name": "Lotte Peeters",
            "login": "lotte",
            "password": "lotte",
            "email": "lotte@noorderlicht.example.be",
            "company_id": belgium.id,
            "company_ids": [(6, 0, belgium.ids)],
            "groups_id": [
                (4, env.ref("customer_retention_dunning.group_collector").id)
            ],
        }
    )
    env["dunning.collector.rule"].create(
        {"company_id": belgium.id, "min_amount": 0, "user_id": collector.id}
    )
    today = fields.Date.context_today(env.user)
    customers = env["res.partner"].search(
        [("customer_rank", ">", 0), ("is_company", "=", True)], order="id", limit=6
    )
    for number, customer in enumerate(customers):
        days_overdue = (5, 12, 25, 40, 60, 90)[number]
        invoice = (
            env["account.move"]
            .with_company(belgium)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "company_id": belgium.id,
                    "invoice_date": today - timedelta(days=days_overdue + 30),
                    "invoice_date_due": today - timedelta(days=days_overdue),
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "Levering",
                                "quantity": 1,
                                "price_unit": 400.0 * (number + 1),
                                "tax_ids": [],
                            },
                        )
                    ],
                }
            )
        )
        invoice.action_post()
    return main, belgium


def payment_plans(env):
    """Two customers with overdue money agreed on a plan with Sanne: one
    approved by the credit manager (admin), one still waiting for it."""
    junior = env["res.users"].search([("login", "=", "sanne")])
    admin = env.ref("base.user_admin")
    today = fields.Date.context_today(env.user)
    overdue = env["account.move"].search(
        [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("invoice_date_due", "<", today),
            ("payment_plan_id", "=", False),
        ],
        order="amount_residual_signed desc",
    )
    customers = overdue.commercial_partner_id.filtered(
        lambda p: p.payment_score_band in ("watch", "risk")
    )[:2]
    plans = env["payment.plan"]
    for count, customer in enumerate(customers, start=3):
        invoices = overdue.filtered(lambda m, c=customer: m.commercial_partner_id == c)
        wizard = (
            env["payment.plan.wizard"]
            .with_user(junior)
            .create(
                {
                    "partner_id": customer.id,
                    "move_ids": [(6, 0, invoices[:3].ids)],
                    "instalment_count": count,
                    "first_date": today + timedelta(days=7),
                }
            )
        )
        plans |= plans.browse(wizard.action_propose()["res_id"])
    if plans:
        plans[0].with_user(admin).action_approve()
    return plans


def letterhead_and_languages(env, customers):
    """What a customer reads on a reminder: the company's KvK and VAT numbers
    and the bank account to pay to; Dutch for the Dutch customers, English
    for a few abroad (so that the demo shows both languages)."""
    company = env.company
    company.write({"company_registry": "01234567", "vat": "NL004495445B01"})
    journal = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    bank = env["res.bank"].create({"name": "ABN AMRO", "bic": "ABNANL2A"})
    journal.bank_account_id = env["res.partner.bank"].create(
        {
            "acc_number": "NL91ABNA0417164300",
            "partner_id": company.partner_id.id,
            "bank_id": bank.id,
        }
    )
    env["res.lang"]._activate_lang("nl_NL")
    env["ir.module.module"].search([("state", "=", "installed")])._update_translations(
        ["nl_NL"]
    )
    foreign = (env.ref("base.de"), env.ref("base.be"), env.ref("base.uk"))
    for number, partner in enumerate(customers):
        if number % 12 == 5:
            # a few customers abroad read English
            partner.write({"lang": "en_US", "country_id": foreign[number % 3].id})
        else:
            partner.lang = "nl_NL"


class _SaidOnce(logging.Filter):
    """Leaves out of wkhtmltopdf's warnings what the demo said once already
    (the unpatched Qt); anything else it reports still shows."""

    def filter(self, record):
        message = record.getMessage()
        rest = UNPATCHED_QT.sub("", message)
        if rest == message:
            return True
        if not rest.removeprefix("wkhtmltopdf:").strip():
            return False
        record.msg, record.args = rest, ()
        return True


@contextlib.contextmanager
def letters_printed_by(env, report_url):
    """The night's letters take their stylesheets from the web server at
    ``report_url`` (Odoo's ``report.url``; demo.sh runs one beside the
    load), not from ``web.base.url``, where nothing serves yet; afterwards
    the demo prints as any Odoo does. If wkhtmltopdf lacks Odoo's patched
    Qt, say so once instead of once per letter."""
    from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

    version = subprocess.run(
        [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, text=True
    ).stdout.strip()
    report_logger = logging.getLogger("odoo.addons.base.models.ir_actions_report")
    said_once = _SaidOnce()
    if "patched qt" not in version:
        print(
            f"Note: {version} is built without Odoo's patched Qt, so the "
            "letters print without the layout's header and footer (the sender "
            "and where to pay are in the letter itself). For the full layout "
            "install wkhtmltopdf 0.12.6.1 with patched Qt: "
            "https://github.com/wkhtmltopdf/packaging/releases"
        )
        report_logger.addFilter(said_once)
    parameters = env["ir.config_parameter"]
    if report_url:
        parameters.set_param("report.url", report_url)
        env.cr.commit()
    try:
        yield
    finally:
        report_logger.removeFilter(said_once)
        if report_url:
            parameters.set_param("report.url", False)
            env.cr.commit()


def load(env, customers, report_url=None):
    """Build the receivables book, score everybody, run the first night,
    print a summary."""
    book = ReceivablesBook(env, customers=customers)
    book.build()
    collectors(env)
    letterhead_and_languages(
        env,
        env["res.partner"].search(
            [("customer_rank", ">", 0), ("is_company", "=", True)], order="id"
        ),
    )
    second_company(env)
    env.cr.commit()
    env["res.partner"]._cron_compute_payment_score()
    env.cr.commit()
    with letters_printed_by(env, report_url):
        env["dunning.escalation"]._cron_escalate()
        env.cr.commit()
    plans = payment_plans(env)
    env.cr.commit()
    print_summary(env, book)
    for plan in plans:
        print(
            f"Payment plan {plan.name} for {plan.partner_id.name}: "
            f"{plan.amount_total:,.2f} in {len(plan.line_ids)} instalments, "
            f"{dict(plan._fields['state']._description_selection(env))[plan.state]}"
        )


def print_summary(env, book):
    partners = env["res.partner"].search(
        [("customer_rank", ">", 0), ("is_company", "=", True)]
    )
    currency = env.company.currency_id.name
    labels = dict(
        env["res.partner"]._fields["payment_score_band"]._description_selection(env)
    )
    print()
    print(f"Demo database: {env.cr.dbname} ({env.company.name}, {currency})")
    print(
        f"  {len(partners)} customers, {book.stats['invoices']} invoices, "
        f"{book.stats['payment']} payments, {book.stats['credit']} credit notes"
    )
    print("Customers per payment band:")
    for band, label in labels.items():
        count = len(
            partners.filtered(lambda p, band=band: p.payment_score_band == band)
        )
        print(f"  {label:<20} {count:>4}")
    riskiest = partners.filtered(lambda p: p.payment_score_band != "none").sorted(
        lambda p: (p.payment_score, -p.dunning_overdue_amount)
    )[:5]
    print("Top 5 riskiest customers:")
    print(f"  {'customer':<42} {'score':>5} {'overdue ' + currency:>14}")
    for partner in riskiest:
        print(
            f"  {partner.name[:42]:<42} {partner.payment_score:>5} "
            f"{partner.dunning_overdue_amount:>14,.2f}"
        )
    communications = env["dunning.communication"].search([("trigger", "=", "cron")])
    channels = dict(
        env["dunning.communication"]._fields["channel"]._description_selection(env)
    )
    print("Tonight's dunning run, per company (each on its own ladder):")
    for company in communications.company_id:
        of_company = communications.filtered(lambda c, co=company: c.company_id == co)
        collectors = ", ".join(sorted(set(of_company.user_id.mapped("name"))))
        print(f"  {company.name} ({len(of_company)} reminders; {collectors})")
        for channel, label in channels.items():
            count = len(of_company.filtered(lambda c, ch=channel: c.channel == ch))
            if count:
                print(f"    {label:<18} {count:>4}")
    # e-mails and texts wait for Odoo's mail and SMS queues, letters to be
    # posted, calls to be made: they read "sent" once they went out
    states = dict(
        env["dunning.communication"]._fields["state"]._description_selection(env)
    )
    print(
        "  by state: "
        + ", ".join(
            f"{label} {count}"
            for state, label in states.items()
            if (count := len(communications.filtered(lambda c, s=state: c.state == s)))
        )
    )
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("step", choices=("prepare", "load"))
    parser.add_argument("--customers", type=int, default=48)
    parser.add_argument(
        "--report-url",
        help="an Odoo web server on this database that the night's letters "
        "take their stylesheets from (demo.sh starts one)",
    )
    args = parser.parse_args()
    registry = _environment(args.config)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.step == "prepare":
            prepare(env)
        else:
            load(env, args.customers, args.report_url)


if __name__ == "__main__":
    main()
