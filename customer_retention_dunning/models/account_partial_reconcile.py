from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._customers()._refresh_payment_score()
        return partials

    def unlink(self):
        customers = self._customers()
        result = super().unlink()
        customers._refresh_payment_score()
        return result

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _customers(self):
        """Commercial partners whose receivables these reconciliations touch."""
        lines = (self.debit_move_id | self.credit_move_id).filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        return lines.partner_id.commercial_partner_id
