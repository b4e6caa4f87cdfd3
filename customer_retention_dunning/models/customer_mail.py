"""What heads an e-mail a customer receives in the customer-facing layout
(``mail_layout_reminder``): what it is about (the layout words it, in the
recipient's language) and which invoices it names."""

from odoo import models


class DunningCommunication(models.Model):
    _inherit = "dunning.communication"

    def _customer_mail_kind(self):
        """``plan`` for a payment plan's message, else ``reminder`` (the
        thank-you after a payment says ``thanks``: ``dunning_aftercare``)."""
        self.ensure_one()
        return "plan" if self.payment_plan_id else "reminder"

    def _customer_mail_invoices(self):
        self.ensure_one()
        return self.line_ids.move_id or self.move_ids


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _customer_mail_kind(self):
        """A customer's own e-mail in this layout is its statement."""
        return "statement"

    def _customer_mail_invoices(self):
        return self.env["account.move"]
