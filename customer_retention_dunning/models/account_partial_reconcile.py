from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        lines = partials.debit_move_id | partials.credit_move_id
        lines._receivable_customers()._refresh_payment_score()
        lines.move_id.payment_plan_id._update_payments()
        return partials

    def unlink(self):
        lines = self.debit_move_id | self.credit_move_id
        customers = lines._receivable_customers()
        plans = lines.move_id.payment_plan_id
        result = super().unlink()
        customers._refresh_payment_score()
        plans._update_payments()
        return result
