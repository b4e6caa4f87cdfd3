from odoo import fields, models

from .dunning_communication import CHANNEL_SELECTION
from .dunning_level import TONES

PAID_WINDOWS = (7, 14, 30)


class DunningEffectivenessReport(models.Model):
    """What each reminder brought in, one row per reminder that went out
    (sent or queued), computed by PostgreSQL from the reminders and the
    payments matched to their invoices.

    *Amount* is what the reminded invoices had open when the reminder was
    made. *Paid within N days* is what was matched to those invoices from
    the reminder's day up to and including N days later (a payment, a credit
    note or a write-off), at most what each invoice had open. *Share paid*
    is that amount over the reminder's amount; in a group it is the average
    over its reminders, so the workbook export also gives the share of the
    group's totals."""

    _name = "dunning.effectiveness.report"
    _description = "Reminder Effectiveness"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "communication_id"
    # what to write to the database before the view is read
    _depends = {
        "dunning.communication": [
            "channel",
            "company_id",
            "date",
            "level_id",
            "mail_template_id",
            "partner_id",
            "payment_plan_id",
            "profile_id",
            "state",
            "tone",
            "trigger",
            "user_id",
        ],
        "dunning.communication.line": [
            "amount_residual",
            "communication_id",
            "move_id",
        ],
        "dunning.level": ["email_template_id", "sequence"],
        "account.move.line": ["account_id", "move_id"],
        "account.account": ["account_type"],
        "account.partial.reconcile": ["amount", "debit_move_id", "max_date"],
    }

    communication_id = fields.Many2one(
        "dunning.communication", string="Reminder", readonly=True
    )
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Collector", readonly=True)
    profile_id = fields.Many2one(
        "dunning.profile", string="Dunning Profile", readonly=True
    )
    level_id = fields.Many2one("dunning.level", string="Level", readonly=True)
    level_sequence = fields.Integer(string="Step", readonly=True, aggregator="min")
    tone = fields.Selection(TONES, readonly=True)
    channel = fields.Selection(CHANNEL_SELECTION, readonly=True)
    template_id = fields.Many2one(
        "mail.template", string="E-mail Template", readonly=True
    )
    trigger = fields.Selection(
        [("cron", "Nightly run"), ("manual", "By a person"), ("plan", "Payment plan")],
        readonly=True,
    )
    state = fields.Selection(
        [("queued", "Waiting"), ("sent", "Sent"), ("failed", "Failed")],
        string="Status",
        readonly=True,
        help="Only a sent reminder measures what a reminder does; a failed "
        "one shows what did not reach the customer.",
    )
    reminder_count = fields.Integer(string="Reminders", readonly=True)
    amount = fields.Monetary(currency_field="currency_id", readonly=True)
    amount_paid_7 = fields.Monetary(
        string="Paid within 7 Days", currency_field="currency_id", readonly=True
    )
    amount_paid_14 = fields.Monetary(
        string="Paid within 14 Days", currency_field="currency_id", readonly=True
    )
    amount_paid_30 = fields.Monetary(
        string="Paid within 30 Days", currency_field="currency_id", readonly=True
    )
    share_paid_7 = fields.Float(
        string="Share Paid in 7 Days (%)", readonly=True, aggregator="avg"
    )
    share_paid_14 = fields.Float(
        string="Share Paid in 14 Days (%)", readonly=True, aggregator="avg"
    )
    share_paid_30 = fields.Float(
        string="Share Paid in 30 Days (%)", readonly=True, aggregator="avg"
    )

    @property
    def _table_query(self):
        paid = ",\n".join(
            f"""COALESCE(SUM(LEAST(paid.amount_{days}, line.amount_residual)), 0)
                    AS amount_paid_{days}"""
            for days in PAID_WINDOWS
        )
        windows = ",\n".join(
            f"""COALESCE(SUM(partial.amount) FILTER (
                    WHERE partial.max_date <= COALESCE(comm.sent_date, comm.date)
                          + {days}), 0) AS amount_{days}"""
            for days in PAID_WINDOWS
        )
        shares = ",\n".join(
            f"""CASE WHEN totals.amount > 0
                     THEN ROUND((100.0 * totals.amount_paid_{days}
                                 / totals.amount)::numeric, 1)
                     ELSE 0 END AS share_paid_{days},
                totals.amount_paid_{days}"""
            for days in PAID_WINDOWS
        )
        return f"""
            SELECT comm.id,
                   comm.id AS communication_id,
                   comm.date,
                   comm.company_id,
                   company.currency_id,
                   comm.partner_id,
                   comm.user_id,
                   comm.profile_id,
                   comm.level_id,
                   level.sequence AS level_sequence,
                   comm.tone,
                   comm.channel,
                   COALESCE(comm.mail_template_id, level.email_template_id)
                       AS template_id,
                   comm.trigger,
                   CASE WHEN comm.state = 'to_review' THEN 'queued'
                        ELSE comm.state END AS state,
                   1 AS reminder_count,
                   totals.amount,
                   {shares}
              FROM dunning_communication comm
              JOIN res_company company ON company.id = comm.company_id
              LEFT JOIN dunning_level level ON level.id = comm.level_id
              JOIN LATERAL (
                SELECT COALESCE(SUM(line.amount_residual), 0) AS amount,
                       {paid}
                  FROM dunning_communication_line line
                  LEFT JOIN LATERAL (
                    SELECT {windows}
                      FROM account_move_line receivable
                      JOIN account_account account
                        ON account.id = receivable.account_id
                       AND account.account_type = 'asset_receivable'
                      JOIN account_partial_reconcile partial
                        ON partial.debit_move_id = receivable.id
                     WHERE receivable.move_id = line.move_id
                       AND partial.max_date >= COALESCE(comm.sent_date, comm.date)
                  ) AS paid ON TRUE
                 WHERE line.communication_id = comm.id
              ) AS totals ON TRUE
             WHERE comm.state IN ('sent', 'queued', 'to_review', 'failed')
               -- the messages of a payment plan are not dunning reminders
               AND comm.payment_plan_id IS NULL
        """
