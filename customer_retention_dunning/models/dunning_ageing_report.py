from odoo import fields, models
from odoo.tools import SQL, create_index

from ..tools.value_at_risk import loss_percentage_sql

BUCKET_SELECTION = [
    ("0_not_due", "Not Due"),
    ("1_30", "1-30 Days"),
    ("2_60", "31-60 Days"),
    ("3_90", "61-90 Days"),
    ("4_180", "91-180 Days"),
    ("5_365", "181-365 Days"),
    ("6_older", "Over 365 Days"),
]

# (upper bound in days overdue, bucket, amount column); the keys sort in
# bucket order, so a pivot lists them from young to old
BUCKETS = (
    (0, "0_not_due", "amount_not_due"),
    (30, "1_30", "amount_1_30"),
    (60, "2_60", "amount_31_60"),
    (90, "3_90", "amount_61_90"),
    (180, "4_180", "amount_91_180"),
    (365, "5_365", "amount_181_365"),
    (None, "6_older", "amount_older"),
)

# an open item: what the ageing lists, and the predicate of the partial index
# that finds those items without reading the closed ones (PostgreSQL only
# uses the index when the query repeats these conditions)
OPEN_ITEM_CONDITIONS = (
    "parent_state = 'posted'",
    "reconciled IS NOT TRUE",
    "amount_residual != 0",
    "partner_id IS NOT NULL",
)
OPEN_ITEM_INDEX = "account_move_line__dunning_open_item_index"


class DunningAgeingReport(models.Model):
    """Open receivables by age, one row per open journal item on a
    receivable account, computed by PostgreSQL when it is read (the user's
    today, no stored copy to go stale).

    *Days overdue* is today minus the item's due date. The *value at risk*
    of an overdue amount is the share its company's loss curve says is lost
    after that many days (Settings: 13 % after 3 months, 36 % after 6, 57 %
    after 12, 91 % after 24 by default, straight lines in between), rounded
    to the cent per item; amounts not yet due and credits carry none."""

    _name = "dunning.ageing.report"
    _description = "Receivables Ageing"
    _auto = False
    _order = "days_overdue desc, id"
    _rec_name = "move_id"
    # what to write to the database before the view is read
    _depends = {
        "account.move.line": [
            "account_id",
            "amount_residual",
            "amount_residual_currency",
            "company_id",
            "currency_id",
            "date",
            "date_maturity",
            "move_id",
            "parent_state",
            "partner_id",
            "reconciled",
        ],
        "account.move": ["invoice_user_id", "move_type"],
        "account.account": ["account_type"],
        "res.partner": [
            "commercial_partner_id",
            "dunning_collector_id",
            "dunning_profile_manual_id",
            "payment_score_band",
        ],
        "res.company": [
            "currency_id",
            "dunning_profile_excellent_id",
            "dunning_profile_good_id",
            "dunning_profile_watch_id",
            "dunning_profile_risk_id",
            "dunning_profile_none_id",
            "dunning_loss_3m",
            "dunning_loss_6m",
            "dunning_loss_12m",
            "dunning_loss_24m",
        ],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(
        "res.currency", string="Company Currency", readonly=True
    )
    invoice_currency_id = fields.Many2one(
        "res.currency",
        string="Currency",
        readonly=True,
        help="The currency of the invoice or payment itself.",
    )
    amount_residual_currency = fields.Monetary(
        string="Open in Currency", currency_field="invoice_currency_id", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    move_type = fields.Selection(
        [
            ("out_invoice", "Invoice"),
            ("out_refund", "Credit Note"),
            ("out_receipt", "Receipt"),
            ("entry", "Payment or Entry"),
        ],
        string="Type",
        readonly=True,
    )
    invoice_user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    collector_id = fields.Many2one("res.users", string="Collector", readonly=True)
    payment_score_band = fields.Selection(
        [
            ("excellent", "Excellent"),
            ("good", "Good"),
            ("watch", "Watch"),
            ("risk", "Risk"),
            ("none", "No History"),
        ],
        string="Payment Band",
        readonly=True,
    )
    dunning_profile_id = fields.Many2one(
        "dunning.profile", string="Dunning Profile", readonly=True
    )
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(BUCKET_SELECTION, string="Age", readonly=True)
    amount_residual = fields.Monetary(
        string="Open Amount", currency_field="currency_id", readonly=True
    )
    value_at_risk = fields.Monetary(
        string="Value at Risk",
        currency_field="currency_id",
        readonly=True,
        help="What the loss curve in Settings says is lost of the overdue "
        "amount after this many days overdue.",
    )
    amount_recoverable = fields.Monetary(
        string="Expected to Recover",
        currency_field="currency_id",
        readonly=True,
        help="Open amount minus value at risk.",
    )
    amount_not_due = fields.Monetary(
        string="Not Due", currency_field="currency_id", readonly=True
    )
    amount_1_30 = fields.Monetary(
        string="1-30 Days", currency_field="currency_id", readonly=True
    )
    amount_31_60 = fields.Monetary(
        string="31-60 Days", currency_field="currency_id", readonly=True
    )
    amount_61_90 = fields.Monetary(
        string="61-90 Days", currency_field="currency_id", readonly=True
    )
    amount_91_180 = fields.Monetary(
        string="91-180 Days", currency_field="currency_id", readonly=True
    )
    amount_181_365 = fields.Monetary(
        string="181-365 Days", currency_field="currency_id", readonly=True
    )
    amount_older = fields.Monetary(
        string="Over 365 Days", currency_field="currency_id", readonly=True
    )

    def init(self):
        result = super().init()
        # the items of the receivable accounts stay in the index while they
        # are open, so a read of the ageing costs what is open, not the
        # years of closed history next to it
        create_index(
            self.env.cr,
            OPEN_ITEM_INDEX,
            "account_move_line",
            ["account_id", "company_id"],
            where=" AND ".join(OPEN_ITEM_CONDITIONS),
        )
        return result

    @property
    def _table_query(self):
        return SQL(
            "SELECT %s FROM (SELECT %s FROM %s WHERE %s) AS base",
            self._select(),
            self._base_select(),
            self._from(),
            self._where(),
        )

    def _select(self):
        """The report's columns, from the base rows (code only, no data)."""
        days = "GREATEST(base.today - base.date_maturity, 0)"
        bucket_case = " ".join(
            f"WHEN {days} <= {limit} THEN '{key}'"
            for limit, key, _column in BUCKETS
            if limit is not None
        )
        bucket_sql = f"CASE {bucket_case} ELSE '{BUCKETS[-1][1]}' END"
        amount_columns = ",\n".join(
            f"CASE WHEN {bucket_sql} = '{key}' THEN base.amount_residual "
            f"ELSE 0 END AS {column}"
            for _limit, key, column in BUCKETS
        )
        # the loss curve of the item's company: the same rule as every
        # invoice's value at risk (tools/value_at_risk.py), set-based
        loss = loss_percentage_sql(
            days, ("base.loss_3m", "base.loss_6m", "base.loss_12m", "base.loss_24m")
        )
        risk = f"""
            CASE WHEN base.amount_residual > 0
                 THEN ROUND((base.amount_residual * ({loss}) / 100.0)::numeric, 2)
                 ELSE 0 END"""
        return SQL(
            f"""
            base.id,
                   base.company_id,
                   base.currency_id,
                   base.invoice_currency_id,
                   base.amount_residual_currency,
                   base.partner_id,
                   base.move_id,
                   base.move_type,
                   base.invoice_user_id,
                   base.collector_id,
                   base.payment_score_band,
                   base.dunning_profile_id,
                   base.date_maturity,
                   {days} AS days_overdue,
                   {bucket_sql} AS bucket,
                   base.amount_residual,
                   {risk} AS value_at_risk,
                   base.amount_residual - {risk} AS amount_recoverable,
                   {amount_columns}
            """
        )

    def _base_select(self):
        """One row per open receivable item; ``today`` is the user's (their
        time zone), not the database server's."""
        return SQL(
            """
            line.id,
                       line.company_id,
                       company.currency_id,
                       COALESCE(line.currency_id, company.currency_id)
                           AS invoice_currency_id,
                       line.amount_residual_currency,
                       COALESCE(contact.commercial_partner_id, contact.id)
                           AS partner_id,
                       line.move_id,
                       CASE WHEN move.move_type IN
                                 ('out_invoice', 'out_refund', 'out_receipt')
                            THEN move.move_type ELSE 'entry' END AS move_type,
                       move.invoice_user_id,
                       -- the collector and the profile of the line's company
                       (customer.dunning_collector_id ->> line.company_id::text)::int
                           AS collector_id,
                       customer.payment_score_band,
                       COALESCE(
                           (customer.dunning_profile_manual_id
                               ->> line.company_id::text)::int,
                           CASE customer.payment_score_band
                               WHEN 'excellent' THEN company.dunning_profile_excellent_id
                               WHEN 'good' THEN company.dunning_profile_good_id
                               WHEN 'watch' THEN company.dunning_profile_watch_id
                               WHEN 'risk' THEN company.dunning_profile_risk_id
                               ELSE company.dunning_profile_none_id
                           END
                       ) AS dunning_profile_id,
                       COALESCE(line.date_maturity, line.date) AS date_maturity,
                       line.amount_residual,
                       COALESCE(company.dunning_loss_3m, 0) AS loss_3m,
                       COALESCE(company.dunning_loss_6m, 0) AS loss_6m,
                       COALESCE(company.dunning_loss_12m, 0) AS loss_12m,
                       COALESCE(company.dunning_loss_24m, 0) AS loss_24m,
            %s::date AS today
            """,
            fields.Date.context_today(self),
        )

    def _from(self):
        """The open items and what they point to. The entry, the contact
        and the customer always exist (foreign keys on the item's entry and
        partner, and ``_where`` asks for a partner): LEFT JOINs find the
        same rows as inner ones and let PostgreSQL leave out each table
        whose columns a query does not read (the overview's totals read
        none of them, the pivot by customer only the contact). The inner
        join comes last: after one, PostgreSQL 15 keeps the contact."""
        return SQL(
            """
            account_move_line line
                  LEFT JOIN account_move move ON move.id = line.move_id
                  LEFT JOIN res_partner contact ON contact.id = line.partner_id
                  LEFT JOIN res_partner customer
                    ON customer.id = COALESCE(contact.commercial_partner_id, contact.id)
                  JOIN res_company company ON company.id = line.company_id
            """
        )

    def _where(self):
        # the receivable accounts by id, not by a join on their type: then
        # PostgreSQL knows how many items they hold and plans for 100,000
        # rows rather than a few hundred
        return SQL(
            "%s AND line.account_id = ANY(%s)",
            SQL(
                " AND ".join(f"line.{condition}" for condition in OPEN_ITEM_CONDITIONS)
            ),
            self.env["dunning.kpi"]._receivable_account_ids(),
        )
