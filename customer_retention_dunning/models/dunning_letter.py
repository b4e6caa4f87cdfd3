"""What a reminder letter states besides the reminder: who sends it and
where to pay. In the letter's body itself, not only in the layout's header
and footer (which the unpatched wkhtmltopdf of many servers leaves out)."""

from odoo import models

from ..tools.remittance import remittance_text


class DunningCommunication(models.Model):
    _inherit = "dunning.communication"

    def _letter_sender(self):
        """The sender as the law wants it on every letter (see
        ``res.company._dunning_sender``)."""
        self.ensure_one()
        return self.company_id._dunning_sender()

    def _letter_bank_account(self):
        """The company's account customers pay to."""
        self.ensure_one()
        return self.company_id._dunning_bank_account()

    def _letter_payment(self):
        """Where and how to pay: the account, the reference to state, the
        amount, and Odoo's payment QR code where the account allows one."""
        self.ensure_one()
        invoices = self.line_ids.move_id
        reference = remittance_text(
            [invoice.payment_reference or invoice.name for invoice in invoices]
        )
        return self.company_id._dunning_payment(
            self.amount, self.currency_id, reference, self.recipient_id
        )
