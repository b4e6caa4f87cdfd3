"""An index on the open customer invoices, per customer: the night, the
work list and the plans look them up by customer, among every move of the
books (at 100,000 open invoices, without it, each look-up read them all)."""

from odoo import models
from odoo.tools import SQL

from .open_invoices import CUSTOMER_INVOICE_TYPES, OPEN_PAYMENT_STATES


class AccountMove(models.Model):
    _inherit = "account.move"

    def init(self):
        result = super().init()
        # partial: only the open customer invoices (the few a book has open
        # among all its moves), with the same test as OPEN_INVOICE_DOMAIN
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS account_move_dunning_open_by_customer
                    ON account_move (commercial_partner_id)
                 WHERE move_type IN %s AND state = 'posted'
                   AND payment_state IN %s
                """,
                CUSTOMER_INVOICE_TYPES,
                OPEN_PAYMENT_STATES,
            )
        )
        return result
