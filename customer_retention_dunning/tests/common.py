from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.modules import module

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class ReceivablesMixin:
    """Customer invoices, payments and credit notes with exact dates, for
    any test class with ``cls.env`` and ``cls.customer``."""

    @classmethod
    def _invoice(
        cls,
        amount,
        invoice_date,
        due_date=None,
        partner=None,
        move_type="out_invoice",
        currency=None,
    ):
        """A posted customer invoice (or credit note) without taxes."""
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or cls.customer).id,
                "invoice_date": invoice_date,
                "date": invoice_date,
                "invoice_date_due": due_date or invoice_date,
                "currency_id": (currency or cls.env.company.currency_id).id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Services",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoices, payment_date, amount=None, currency=None):
        """Register a payment on ``invoices`` through Odoo's own wizard."""
        vals = {"payment_date": payment_date}
        if amount is not None:
            vals["amount"] = amount
        if currency is not None:
            vals["currency_id"] = currency.id
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(vals)
            ._create_payments()
        )

    @classmethod
    def _paid_invoice(cls, amount, due_date, days_late, partner=None):
        """An invoice due on ``due_date`` and paid ``days_late`` days after."""
        invoice = cls._invoice(
            amount,
            date.fromordinal(due_date.toordinal() - 30),
            due_date,
            partner=partner,
        )
        cls._pay(invoice, date.fromordinal(due_date.toordinal() + days_late))
        return invoice


class DunningTestCommon(ReceivablesMixin, AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the tests arrange customers as the credit manager would; what a
        # role may not do is tested with that role's own user
        cls.env.user.groups_id |= cls.env.ref(
            "customer_retention_dunning.group_credit_manager"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Bakkerij De Korenbloem", "is_company": True}
        )

    @classmethod
    def _user(cls, login, group, name=None, companies=None):
        """A user of ``group`` (in ``companies``, else the current one)."""
        companies = companies or cls.env.company
        return cls.env["res.users"].create(
            {
                "name": name or login.replace(".", " ").title(),
                "login": login,
                "email": f"{login}@example.nl",
                "company_id": companies[0].id,
                "company_ids": [Command.set(companies.ids)],
                "groups_id": [Command.link(group.id)],
            }
        )

    @classmethod
    def _give_customer_an_address(cls):
        """An e-mail and a Dutch postal address: every channel is open."""
        cls.customer.write(
            {
                "email": "administratie@korenbloem.example.nl",
                "street": "Molenstraat 1",
                "zip": "1011 AA",
                "city": "Amsterdam",
                "country_id": cls.env.ref("base.nl").id,
            }
        )

    def _deliver_outbox(self):
        """What happens to the night's reminders after the run, as in real
        life: Odoo's mail queue sends the e-mails (in a test the server
        accepts them without sending), the SMS gateway accepts the texts,
        the collector makes the calls and sends the WhatsApp messages,
        someone posts the printed letters.

        :return: the reminders that went out
        """
        waiting = self.env["dunning.communication"].search([("state", "=", "queued")])
        # Odoo's own test mode: the mail server accepts without sending
        with patch.object(module, "current_test", True):
            self.env["mail.mail"].sudo().search(
                [
                    ("mail_message_id", "in", waiting.mail_message_id.ids),
                    ("state", "=", "outgoing"),
                ]
            ).send()
        self.env["sms.sms"].sudo().search(
            [
                ("mail_message_id", "in", waiting.mail_message_id.ids),
                ("state", "=", "outgoing"),
            ]
        )._update_sms_state_and_trackers("pending")
        waiting.filtered(
            lambda c: c.channel in ("phone", "whatsapp")
        ).activity_id.action_done()
        waiting.filtered(
            lambda c: (
                c.channel == "letter" and c.state == "queued" and not c.letter_by_post
            )
        ).action_mark_posted()
        return waiting.filtered(lambda c: c.state == "sent")
