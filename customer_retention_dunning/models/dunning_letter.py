"""What a reminder letter states besides the reminder: who sends it and
where to pay. In the letter's body itself, not only in the layout's header
and footer (which the unpatched wkhtmltopdf of many servers leaves out)."""

from odoo import models
from odoo.tools import format_amount

from ..tools.remittance import remittance_text


class DunningCommunication(models.Model):
    _inherit = "dunning.communication"

    def _letter_sender(self):
        """The sender as the law wants it on every letter: name, address,
        registration number (KvK in the Netherlands) and VAT number."""
        self.ensure_one()
        company = self.company_id
        partner = company.partner_id
        place = " ".join(part for part in (company.zip, company.city) if part)
        dutch = company.country_id.code == "NL"
        return {
            "name": company.name,
            "lines": [line for line in (company.street, company.street2, place) if line]
            + ([company.country_id.name] if company.country_id else []),
            "registry_label": self.env._("KvK number")
            if dutch
            else self.env._("Company registry"),
            "registry": company.company_registry,
            "vat": company.vat or partner.vat,
            "vat_label": self.env._("VAT number"),
            "email": company.email,
            "phone": company.phone,
        }

    def _letter_bank_account(self):
        """The company's account customers pay to: its first bank
        journal's, else the first account on the company."""
        self.ensure_one()
        journal = (
            self.env["account.journal"]
            .sudo()
            .search(
                [
                    ("type", "=", "bank"),
                    ("company_id", "=", self.company_id.id),
                    ("bank_account_id", "!=", False),
                ],
                order="sequence, id",
                limit=1,
            )
        )
        return journal.bank_account_id or self.company_id.partner_id.bank_ids[:1]

    def _letter_payment(self):
        """Where and how to pay: the account, the reference to state, the
        amount, and Odoo's payment QR code where the account allows one."""
        self.ensure_one()
        account = self._letter_bank_account()
        invoices = self.line_ids.move_id
        reference = remittance_text(
            [invoice.payment_reference or invoice.name for invoice in invoices]
        )
        qr_code = False
        if account and self.amount > 0:
            # Odoo's own EPC (SEPA) QR code, when its module and the account
            # allow it; otherwise none, silently
            qr_code = account.sudo().build_qr_code_base64(
                self.amount, reference, None, self.currency_id, self.recipient_id
            )
        return {
            "account": account.acc_number if account else False,
            "bic": account.bank_bic if account else False,
            "bank": account.bank_name if account else False,
            "holder": (account.acc_holder_name or account.partner_id.name)
            if account
            else False,
            "reference": reference,
            "amount": format_amount(self.env, self.amount, self.currency_id),
            "qr_code": qr_code or False,
        }
