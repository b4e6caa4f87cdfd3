"""Two covering indexes for the nightly payment score, which reads every
customer's receivable history (``res.partner._payment_score_history``), a
batch of customers at a time.

Without them, a batch reads each of its customers' journal items from the
table (a customer's lines lie scattered among everybody's) and each of
their invoices and payments from the moves table, one row at a time: at
100,000 open invoices, that was three quarters of the scoring's SQL. An
index that holds the columns a query reads answers it from the index alone
(PostgreSQL's index-only scan), where one customer's entries lie side by
side. They change no result; dropping them only makes the score slower.
"""

from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def init(self):
        result = super().init()
        # a customer's posted lines by account, with what the scoring reads
        # of them (about a quarter of the table's size)
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS account_move_line_dunning_score_history
                ON account_move_line (partner_id, account_id)
                   INCLUDE (id, move_id, company_id, amount_residual, reconciled,
                            date_maturity, date)
             WHERE parent_state = 'posted'
            """
        )
        return result


class AccountMove(models.Model):
    _inherit = "account.move"

    def init(self):
        result = super().init()
        # what the scoring asks of an invoice or a payment it reaches through
        # a reconciliation: its type, and the due date of a line without one
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS account_move_dunning_score_type
                ON account_move (id) INCLUDE (move_type, invoice_date_due)
            """
        )
        return result
