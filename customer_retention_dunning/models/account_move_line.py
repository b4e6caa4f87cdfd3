from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _receivable_customers(self):
        """Commercial partners of the receivable lines among these lines:
        the customers whose payment score they can change."""
        return self.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).partner_id.commercial_partner_id
