"""An invoice paid through an active payment plan, as the portal shows it:
its *Pay* takes the instalment due, not the whole invoice, and Odoo's *Pay
overdue* leaves it out (the plan's own instalment is what is due)."""

from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _dunning_active_plan(self):
        """The active plan this invoice is paid through, read as the
        portal reads it (a portal user has no right on plans)."""
        self.ensure_one()
        plan = self.sudo().payment_plan_id
        return plan if plan.state == "active" else plan.browse()

    def _dunning_plan_instalment(self):
        """What is due on this invoice under its plan now: the next open
        instalment's amount in the invoice's currency, never more than the
        invoice owes.

        :return: ``(plan line, amount)``, or an empty line and 0.0
        """
        plan = self._dunning_active_plan()
        line = plan.next_line_id
        if not line:
            return plan.line_ids.browse(), 0.0
        today = fields.Date.context_today(self)
        amount = plan.currency_id._convert(
            line.amount_open, self.currency_id, plan.company_id, today
        )
        return line, self.currency_id.round(min(amount, self.amount_residual))

    def _get_invoice_next_payment_values(self, custom_amount=None):
        values = super()._get_invoice_next_payment_values(custom_amount=custom_amount)
        if custom_amount is not None or not values or not self._dunning_active_plan():
            return values
        line, amount = self._dunning_plan_instalment()
        if not line or self.currency_id.is_zero(amount):
            return values
        today = fields.Date.context_today(self)
        return {
            **values,
            "installment_state": "overdue" if line.date < today else "next",
            "next_amount_to_pay": amount,
            "next_due_date": line.date,
            "is_last_installment": False,
            "dunning_plan": self._dunning_active_plan(),
        }
