import calendar
import math
from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import create_index

from ..tools.collection_kpi import cei, dso_countback, dso_simple
from ..tools.payment_plan import add_months

# how far the countback may walk back before the period's first month
LOOKBACK_MONTHS = 24

KPI_HELP = {
    "dso_simple": "Days sales outstanding, Odoo's simple method over the "
    "period: receivables at the end / credit sales of the period x days in "
    "the period.",
    "dso_countback": "Days sales outstanding, countback method: from the "
    "receivables at the end, walk back month by month, newest first; whole "
    "months whose credit sales the receivables still cover count all their "
    "days, the next one the covered fraction of its days.",
    "cei": "Collection effectiveness index: (receivables at the start + credit "
    "sales - receivables at the end) / (receivables at the start + credit "
    "sales - current receivables at the end) x 100. Current: not yet due. "
    "100% means everything that could be collected was.",
}

# a credit sale: a posted customer invoice, credit note or receipt; also the
# predicate of the index the monthly sales are read from (PostgreSQL only
# uses it when the query repeats these conditions)
CREDIT_SALE_CONDITIONS = (
    "state = 'posted'",
    "move_type IN ('out_invoice', 'out_refund', 'out_receipt')",
)
CREDIT_SALE_INDEX = "account_move__dunning_credit_sale_index"


def month_windows(date_from, date_to):
    """``(first day, last day)`` of every month from ``date_from``'s month to
    ``date_to``; the last window ends on ``date_to``."""
    windows = []
    start = date_from.replace(day=1)
    while start <= date_to:
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        windows.append((start, min(end, date_to)))
        start = end + timedelta(days=1)
    return windows


class DunningKpi(models.AbstractModel):
    """Receivables, credit sales and current receivables per month, from
    three aggregate queries; DSO and CEI from those totals."""

    _name = "dunning.kpi"
    _description = "Collection Figures"

    def init(self):
        result = super().init()
        # the sales of a month from the index alone: a few columns of the
        # customer invoices instead of every entry of the books
        create_index(
            self.env.cr,
            CREDIT_SALE_INDEX,
            "account_move",
            [
                "company_id",
                "invoice_date",
                "amount_total_signed",
                "commercial_partner_id",
            ],
            where=" AND ".join(CREDIT_SALE_CONDITIONS),
        )
        return result

    @api.model
    def _figures(
        self,
        company,
        date_from,
        date_to,
        partner_ids=None,
        by_customer=True,
        current_ends=None,
    ):
        """Monthly figures of ``company`` for the period, in company currency,
        in total (key ``None``) and, with ``by_customer``, per customer.
        ``current_ends``: the month ends of the period to work out what was
        not yet due at (all by default; the CEI of a month needs its end).

        :return: ``(windows, all_windows, figures)``: the period's month
            windows, the same from 24 months before it, and per customer id
            (``None`` for the total) a dict with ``sales`` (per window
            start), ``receivables`` (per window end, and on the day before
            the period under key ``"start"``) and ``current`` (per window end
            of the period, or per one of ``current_ends``)
        """
        self._check_company(company)
        if date_from > date_to:
            raise UserError(_("The period must start before it ends."))
        windows = month_windows(date_from, date_to)
        first = add_months(windows[0][0], -LOOKBACK_MONTHS)
        all_windows = month_windows(first, date_to)
        figures = defaultdict(
            lambda: {
                "sales": defaultdict(float),
                "movements": defaultdict(float),
                "current": defaultdict(float),
            }
        )
        # without the split per customer, PostgreSQL adds everything up
        customer_column = "customer.id" if by_customer else "NULL::integer"
        params = {
            "company": company.id,
            "first": first,
            "date_from": date_from,
            "date_to": date_to,
            "partners": list(partner_ids or []),
            "receivable": self._receivable_account_ids(),
        }
        partner_filter = ""
        if partner_ids is not None:
            partner_filter = "AND customer.id = ANY(%(partners)s)"
        # the customer of the entries and journal items: only read when the
        # figures are split or filtered per customer (a join over every
        # invoice and receivable item); an entry's customer always exists
        # (a foreign key), so the totals need not look
        per_customer = by_customer or partner_ids is not None
        sales_customer_join = (
            "JOIN res_partner customer ON customer.id = move.commercial_partner_id"
            if per_customer
            else ""
        )
        sales_customer_filter = (
            "" if per_customer else "AND move.commercial_partner_id IS NOT NULL"
        )
        customer_join = (
            """
              JOIN res_partner contact ON contact.id = line.partner_id
              JOIN res_partner customer
                ON customer.id = COALESCE(contact.commercial_partner_id, contact.id)
            """
            if per_customer
            else ""
        )
        self.env.flush_all()  # the queries read the tables
        cr = self.env.cr
        # credit sales per customer and month (credit notes count negative)
        credit_sale = " AND ".join(f"move.{rule}" for rule in CREDIT_SALE_CONDITIONS)
        cr.execute(
            f"""
            SELECT {customer_column},
                   date_trunc('month', move.invoice_date)::date,
                   SUM(move.amount_total_signed)
              FROM account_move move
              {sales_customer_join}
             WHERE move.company_id = %(company)s
               AND {credit_sale}
               AND move.invoice_date BETWEEN %(first)s AND %(date_to)s
               {sales_customer_filter}
               {partner_filter}
             GROUP BY 1, 2
            """,
            params,
        )
        for customer, month, amount in cr.fetchall():
            figures[customer]["sales"][month] += amount
        # receivable movements per customer and month; all before the
        # first month together, as the opening balance
        cr.execute(
            f"""
            SELECT {customer_column},
                   CASE WHEN line.date < %(first)s THEN NULL
                        ELSE date_trunc('month', line.date)::date END,
                   SUM(line.balance)
              FROM account_move_line line
              {customer_join}
             WHERE line.company_id = %(company)s
               AND line.account_id = ANY(%(receivable)s)
               AND line.parent_state = 'posted'
               AND line.date <= %(date_to)s
               {partner_filter}
             GROUP BY 1, 2
            """,
            params,
        )
        for customer, month, amount in cr.fetchall():
            figures[customer]["movements"][month] += amount
        # not yet due at each month end of the period: debits dated on or
        # before it and due after it, less what was matched to them by then.
        # Each debit counts from its date until it is due, each payment
        # matched to it less from the payment's date on; added up first per
        # such span (few: invoices share dates and terms), then per month
        # end, rather than looking up the payments of every debit at every
        # month end
        ends = [end for _start, end in windows]
        if current_ends is not None:
            ends = [end for end in ends if end in current_ends]
        if ends:
            cr.execute(
                f"""
                WITH item AS (
                    SELECT {customer_column} AS customer, line.id, line.date,
                           line.date_maturity, line.balance
                      FROM account_move_line line
                      {customer_join}
                     WHERE line.company_id = %(company)s
                       AND line.account_id = ANY(%(receivable)s)
                       AND line.parent_state = 'posted'
                       AND line.balance > 0
                       -- not yet due at one of the month ends at least
                       AND line.date <= %(last_end)s
                       AND line.date_maturity > %(first_end)s
                       {partner_filter}
                ), span AS (
                    SELECT item.customer, item.date AS date_from,
                           item.date_maturity AS date_to, SUM(item.balance) AS amount
                      FROM item
                     GROUP BY 1, 2, 3
                     UNION ALL
                    SELECT item.customer, GREATEST(item.date, partial.max_date),
                           item.date_maturity, -SUM(partial.amount)
                      FROM item
                      JOIN account_partial_reconcile partial
                        ON partial.debit_move_id = item.id
                     -- matched after the due date or the last month end:
                     -- no month end sees it while the item is not yet due
                     WHERE partial.max_date < item.date_maturity
                       AND partial.max_date <= %(last_end)s
                     GROUP BY 1, 2, 3
                )
                SELECT span.customer, period.end_date, SUM(span.amount)
                  FROM unnest(%(ends)s::date[]) AS period(end_date)
                  JOIN span
                    ON span.date_from <= period.end_date
                   AND span.date_to > period.end_date
                 GROUP BY 1, 2
                """,
                {**params, "ends": ends, "first_end": min(ends), "last_end": max(ends)},
            )
            for customer, end, amount in cr.fetchall():
                figures[customer]["current"][end] += amount
        total = figures[None]
        if by_customer:
            # added up exactly (fsum): the order PostgreSQL returns the
            # customers in, which a new index or plan changes, cannot
            # change the last digits of the total
            for kind in ("sales", "movements", "current"):
                amounts = defaultdict(list)
                for key, data in list(figures.items()):
                    if key is not None:
                        for when, amount in data[kind].items():
                            amounts[when].append(amount)
                for when, values in amounts.items():
                    total[kind][when] = math.fsum(values)
        # receivables at each window end: the running balance, from what
        # was open before the first month
        for data in figures.values():
            running = data["movements"].get(None, 0.0)
            data["receivables"] = {"start": 0.0}
            for start, end in all_windows:
                if start == windows[0][0]:
                    data["receivables"]["start"] = running
                running += data["movements"].get(start, 0.0)
                data["receivables"][end] = running
        return windows, all_windows, figures

    @api.model
    def _receivable_account_ids(self):
        """Ids of the receivable accounts of every company, archived ones
        too: what the figures and the ageing read journal items of."""
        self.env["account.account"].flush_model(["account_type"])
        self.env.cr.execute(
            "SELECT id FROM account_account WHERE account_type = 'asset_receivable'"
        )
        return [account_id for (account_id,) in self.env.cr.fetchall()]

    @api.model
    def _check_company(self, company):
        """The figures read the books directly: only of a company the user
        works in."""
        if company not in self.env.companies:
            raise AccessError(
                _("You do not have access to the figures of %s.", company.name)
            )

    @api.model
    def _indicators(self, data, windows, all_windows):
        """Per month of the period and for the whole period: sales,
        receivables, DSO (both methods) and CEI."""
        receivables = data["receivables"]
        sales = data["sales"]
        current = data["current"]
        months = []
        previous_end = receivables.get("start", 0.0)
        for start, end in windows:
            walk = [
                (sales.get(s, 0.0), (e - s).days + 1)
                for s, e in reversed(all_windows)
                if s <= start
            ]
            r_end = receivables.get(end, 0.0)
            months.append(
                {
                    "month": start,
                    "credit_sales": sales.get(start, 0.0),
                    "receivables_start": previous_end,
                    "receivables_end": r_end,
                    "current_end": current.get(end, 0.0),
                    "dso_simple": dso_simple(
                        r_end, sales.get(start, 0.0), (end - start).days + 1
                    ),
                    "dso_countback": dso_countback(r_end, walk),
                    "cei": cei(
                        previous_end,
                        sales.get(start, 0.0),
                        r_end,
                        current.get(end, 0.0),
                    ),
                }
            )
            previous_end = r_end
        period_sales = sum(month["credit_sales"] for month in months)
        period_end = windows[-1][1]
        days = (period_end - windows[0][0]).days + 1
        summary = {
            "credit_sales": period_sales,
            "receivables_start": receivables.get("start", 0.0),
            "receivables_end": receivables.get(period_end, 0.0),
            "current_end": current.get(period_end, 0.0),
            "dso_simple": dso_simple(
                receivables.get(period_end, 0.0), period_sales, days
            ),
            "dso_countback": months[-1]["dso_countback"] if months else 0.0,
            "cei": cei(
                receivables.get("start", 0.0),
                period_sales,
                receivables.get(period_end, 0.0),
                current.get(period_end, 0.0),
            ),
        }
        return months, summary


class DunningKpiReport(models.TransientModel):
    _name = "dunning.kpi.report"
    _description = "DSO and CEI"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: add_months(
            fields.Date.context_today(self).replace(day=1), -11
        ),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        domain=[("parent_id", "=", False)],
        help="Only this customer; empty: the whole company, with a line per customer.",
    )
    credit_sales = fields.Monetary(currency_field="currency_id", readonly=True)
    receivables_start = fields.Monetary(
        string="Receivables at the Start", currency_field="currency_id", readonly=True
    )
    receivables_end = fields.Monetary(
        string="Receivables at the End", currency_field="currency_id", readonly=True
    )
    current_end = fields.Monetary(
        string="Not Yet Due at the End", currency_field="currency_id", readonly=True
    )
    dso_simple = fields.Float(
        string="DSO (Simple)",
        digits=(16, 1),
        readonly=True,
        help=KPI_HELP["dso_simple"],
    )
    dso_countback = fields.Float(
        string="DSO (Countback)",
        digits=(16, 1),
        readonly=True,
        help=KPI_HELP["dso_countback"],
    )
    cei = fields.Float(
        string="Collection Effectiveness (%)",
        digits=(16, 1),
        readonly=True,
        help=KPI_HELP["cei"],
    )
    month_ids = fields.One2many(
        "dunning.kpi.report.month", "report_id", string="Monthly Trend"
    )
    partner_line_ids = fields.One2many(
        "dunning.kpi.report.partner", "report_id", string="Customers"
    )

    @api.depends("date_from", "date_to")
    def _compute_display_name(self):
        for report in self:
            report.display_name = _("DSO and CEI")

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for report in self:
            if report.date_from > report.date_to:
                raise ValidationError(_("The period must start before it ends."))
            if (report.date_to - report.date_from).days > 3 * 366:
                raise ValidationError(_("Choose a period of at most three years."))

    def action_compute(self):
        self.ensure_one()
        Kpi = self.env["dunning.kpi"]
        partners = self.partner_id.commercial_partner_id
        windows, all_windows, figures = Kpi._figures(
            self.company_id,
            self.date_from,
            self.date_to,
            partner_ids=partners.ids if partners else None,
            by_customer=not partners,
        )
        months, summary = Kpi._indicators(figures[None], windows, all_windows)
        partner_lines = []
        if not partners:
            for customer, customer_data in figures.items():
                if customer is None:
                    continue
                _months, customer_summary = Kpi._indicators(
                    customer_data, windows, all_windows
                )
                if not (
                    customer_summary["credit_sales"]
                    or customer_summary["receivables_end"]
                ):
                    continue
                partner_lines.append(
                    fields.Command.create(
                        {"partner_id": customer, **self._values(customer_summary)}
                    )
                )
        self.write(
            {
                **self._values(summary),
                "month_ids": [fields.Command.clear()]
                + [
                    fields.Command.create(
                        {
                            "month": month["month"],
                            **self._values(month),
                        }
                    )
                    for month in months
                ],
                "partner_line_ids": [fields.Command.clear(), *partner_lines],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    @api.model
    def _values(self, figures):
        return {
            "credit_sales": figures["credit_sales"],
            "receivables_start": figures["receivables_start"],
            "receivables_end": figures["receivables_end"],
            "current_end": figures["current_end"],
            "dso_simple": figures["dso_simple"],
            "dso_countback": figures["dso_countback"],
            "cei": figures["cei"] or 0.0,
        }

    def action_open_trend(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("DSO and CEI by Month"),
            "res_model": "dunning.kpi.report.month",
            "view_mode": "graph,list",
            "domain": [("report_id", "=", self.id)],
            "context": {"create": False},
        }


class DunningKpiFigures(models.AbstractModel):
    _name = "dunning.kpi.report.figures"
    _description = "DSO and CEI Figures"

    currency_id = fields.Many2one("res.currency")
    credit_sales = fields.Monetary(currency_field="currency_id")
    receivables_start = fields.Monetary(
        string="Receivables at the Start", currency_field="currency_id"
    )
    receivables_end = fields.Monetary(
        string="Receivables at the End", currency_field="currency_id"
    )
    current_end = fields.Monetary(
        string="Not Yet Due at the End", currency_field="currency_id"
    )
    dso_simple = fields.Float(
        string="DSO (Simple)",
        digits=(16, 1),
        aggregator="avg",
        help=KPI_HELP["dso_simple"],
    )
    dso_countback = fields.Float(
        string="DSO (Countback)",
        digits=(16, 1),
        aggregator="avg",
        help=KPI_HELP["dso_countback"],
    )
    cei = fields.Float(
        string="Collection Effectiveness (%)",
        digits=(16, 1),
        aggregator="avg",
        help=KPI_HELP["cei"],
    )


class DunningKpiReportMonth(models.TransientModel):
    _name = "dunning.kpi.report.month"
    _inherit = "dunning.kpi.report.figures"
    _description = "DSO and CEI of a Month"
    _order = "month"

    report_id = fields.Many2one("dunning.kpi.report", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="report_id.currency_id")
    month = fields.Date(required=True)


class DunningKpiReportPartner(models.TransientModel):
    _name = "dunning.kpi.report.partner"
    _inherit = "dunning.kpi.report.figures"
    _description = "DSO and CEI of a Customer"
    _order = "dso_countback desc, id"

    report_id = fields.Many2one("dunning.kpi.report", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="report_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
