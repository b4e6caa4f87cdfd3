"""Who sends a document to a customer and where the customer pays: one
place for every letter, statement and e-mail (the law asks the same of
each)."""

from odoo import models
from odoo.tools import format_amount


class ResCompany(models.Model):
    _inherit = "res.company"

    def _dunning_sender(self):
        """The sender as the law wants it on every letter and statement:
        name, address, registration number (KvK in the Netherlands) and
        VAT number, with labels in the environment's language."""
        self.ensure_one()
        place = " ".join(part for part in (self.zip, self.city) if part)
        dutch = self.country_id.code == "NL"
        return {
            "name": self.name,
            "lines": [line for line in (self.street, self.street2, place) if line]
            + ([self.country_id.name] if self.country_id else []),
            "registry_label": self.env._("KvK number")
            if dutch
            else self.env._("Company registry"),
            "registry": self.company_registry,
            "vat": self.vat or self.partner_id.vat,
            "vat_label": self.env._("VAT number"),
            "email": self.email,
            "phone": self.phone,
        }

    def _dunning_bank_account(self):
        """The account customers pay to: the first bank journal's, else the
        first account on the company."""
        self.ensure_one()
        journal = (
            self.env["account.journal"]
            .sudo()
            .search(
                [
                    ("type", "=", "bank"),
                    ("company_id", "=", self.id),
                    ("bank_account_id", "!=", False),
                ],
                order="sequence, id",
                limit=1,
            )
        )
        # as the superuser: a portal user reads its own statement, and the
        # account is printed on every invoice anyway
        return journal.bank_account_id or self.sudo().partner_id.bank_ids[:1]

    def _dunning_payment(self, amount, currency, reference, debtor):
        """Where and how ``debtor`` pays ``amount``: the account, the
        reference to state, the amount, and Odoo's payment QR code where
        the account and the currency allow one (the EPC code of
        ``account_qr_code_sepa`` for euros)."""
        self.ensure_one()
        account = self._dunning_bank_account()
        qr_code = False
        if account and amount > 0:
            # otherwise none, silently: a missing QR code never stops a letter
            qr_code = account.sudo().build_qr_code_base64(
                amount, reference, None, currency, debtor
            )
        return {
            "account": account.acc_number if account else False,
            "bic": account.bank_bic if account else False,
            "bank": account.bank_name if account else False,
            "holder": (account.acc_holder_name or account.partner_id.name)
            if account
            else False,
            "reference": reference,
            "amount": format_amount(self.env, amount, currency),
            "qr_code": qr_code or False,
        }
