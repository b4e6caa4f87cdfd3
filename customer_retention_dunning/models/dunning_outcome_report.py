from odoo import fields, models


class DunningOutcomeReport(models.Model):
    """What became of the commitments and the rewards, side by side: one row
    per promise to pay (kept, broken, open), per payment plan (done, broken,
    running, or settled by credit note: neither kept nor broken) and per
    early-payment discount a customer took.

    *Date* is the promised date, the plan's approval (else creation) date,
    or the day the discounted payment was matched. A discount's *days
    sooner* is how many days before the due date it was paid; its amount is
    the discount the invoice's payment term granted."""

    _name = "dunning.outcome.report"
    _description = "Promises, Plans and Discounts"
    _auto = False
    _order = "date desc, id desc"
    # what to write to the database before the view is read
    _depends = {
        "dunning.promise": [
            "amount",
            "company_id",
            "date",
            "partner_id",
            "state",
            "user_id",
        ],
        "payment.plan": [
            "amount_total",
            "approved_by_id",
            "approved_date",
            "company_id",
            "partner_id",
            "state",
        ],
        "account.move.line": [
            "account_id",
            "balance",
            "company_id",
            "date_maturity",
            "discount_balance",
            "discount_date",
            "move_id",
        ],
        "account.move": [
            "commercial_partner_id",
            "invoice_user_id",
            "move_type",
            "state",
        ],
        "account.partial.reconcile": ["credit_move_id", "debit_move_id", "max_date"],
    }

    kind = fields.Selection(
        [
            ("promise", "Promise to Pay"),
            ("plan", "Payment Plan"),
            ("discount", "Early-Payment Discount"),
        ],
        readonly=True,
    )
    outcome = fields.Selection(
        [
            ("kept", "Kept"),
            ("broken", "Broken"),
            ("running", "Running"),
            ("credited", "Settled by Credit Note"),
            ("granted", "Granted"),
        ],
        readonly=True,
    )
    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Collector", readonly=True)
    count = fields.Integer(readonly=True)
    amount = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="Promised, planned, or granted as a discount.",
    )
    days_sooner = fields.Float(
        string="Days Before Due",
        readonly=True,
        aggregator="avg",
        help="For a discount: how many days before the due date the customer "
        "paid (the average in a group).",
    )

    @property
    def _table_query(self):
        # ids: promises 3n, plans 3n+1, discounts 3n+2 - unique across kinds
        return """
            SELECT promise.id * 3 AS id,
                   'promise' AS kind,
                   CASE promise.state WHEN 'kept' THEN 'kept'
                                      WHEN 'broken' THEN 'broken'
                                      ELSE 'running' END AS outcome,
                   promise.date,
                   promise.company_id,
                   company.currency_id,
                   promise.partner_id,
                   promise.user_id,
                   1 AS count,
                   promise.amount,
                   NULL::float AS days_sooner
              FROM dunning_promise promise
              JOIN res_company company ON company.id = promise.company_id
             WHERE promise.state != 'cancelled'
            UNION ALL
            SELECT plan.id * 3 + 1,
                   'plan',
                   CASE plan.state WHEN 'done' THEN 'kept'
                                   WHEN 'broken' THEN 'broken'
                                   WHEN 'settled_credit' THEN 'credited'
                                   ELSE 'running' END,
                   COALESCE(plan.approved_date, plan.create_date::date),
                   plan.company_id,
                   company.currency_id,
                   plan.partner_id,
                   plan.approved_by_id,
                   1,
                   plan.amount_total,
                   NULL::float
              FROM payment_plan plan
              JOIN res_company company ON company.id = plan.company_id
             WHERE plan.state IN ('active', 'done', 'broken', 'settled_credit')
            UNION ALL
            SELECT receivable.id * 3 + 2,
                   'discount',
                   'granted',
                   partial.max_date,
                   receivable.company_id,
                   company.currency_id,
                   move.commercial_partner_id,
                   move.invoice_user_id,
                   1,
                   receivable.balance - receivable.discount_balance,
                   (receivable.date_maturity - partial.max_date)::float
              FROM account_move_line receivable
              JOIN account_move move ON move.id = receivable.move_id
              JOIN res_company company ON company.id = receivable.company_id
              JOIN account_partial_reconcile partial
                ON partial.debit_move_id = receivable.id
              JOIN account_move_line payment_line
                ON payment_line.id = partial.credit_move_id
             WHERE receivable.discount_date IS NOT NULL
               AND partial.max_date <= receivable.discount_date
               AND move.move_type IN ('out_invoice', 'out_receipt')
               AND move.state = 'posted'
               -- the payment wrote the discount off: it was taken
               AND EXISTS (
                SELECT 1
                  FROM account_move_line line
                 WHERE line.move_id = payment_line.move_id
                   AND line.account_id
                       = company.account_journal_early_pay_discount_loss_account_id
               )
        """
