"""A printed reminder names who sends it and where to pay, in the letter's
own text (read back from the PDF as the customer reads it), in the
customer's language."""

import shutil
import subprocess
import unittest
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import DunningTestCommon

TODAY = date(2026, 7, 1)


def _speak_dutch(env, customer):
    """Dutch installed with this addon's translations, and the customer
    reading it."""
    env["res.lang"]._activate_lang("nl_NL")
    env["ir.module.module"].search(
        [("name", "=", "customer_retention_dunning")]
    )._update_translations(["nl_NL"])
    customer.lang = "nl_NL"


@unittest.skipUnless(shutil.which("pdftotext"), "poppler-utils' pdftotext is needed")
@tagged("post_install", "-at_install")
class TestLetterNamesSenderAndPayment(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        cls.env.company.write(
            {
                "name": "Groothandel Noorderlicht B.V.",
                "street": "Havenweg 12",
                "zip": "1013 AB",
                "city": "Amsterdam",
                "country_id": cls.env.ref("base.nl").id,
                "company_registry": "87654321",
                "vat": "NL004495445B01",
            }
        )
        bank = cls.env["res.bank"].create({"name": "ABN AMRO", "bic": "ABNANL2A"})
        account = cls.env["res.partner.bank"].create(
            {
                "acc_number": "NL91ABNA0417164300",
                "partner_id": cls.env.company.partner_id.id,
                "bank_id": bank.id,
            }
        )
        cls.company_data["default_journal_bank"].bank_account_id = account

    def _letter_text(self, amount=3000.0):
        invoice = self._invoice(
            amount, TODAY - timedelta(days=60), TODAY - timedelta(days=30)
        )
        with freeze_time(TODAY):
            self.env["dunning.escalation"].sudo()._cron_escalate()
        letter = self.env["dunning.communication"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(letter.channel, "letter")
        report = self.env.ref("customer_retention_dunning.dunning_letter_report")
        pdf, _format = report.with_context(
            force_report_rendering=True
        )._render_qweb_pdf(report, letter.ids)
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()
        return invoice, " ".join(text.split())

    def test_the_letter_names_the_sender_and_where_to_pay(self):
        invoice, text = self._letter_text()
        for expected in (
            "Groothandel Noorderlicht B.V.",
            "Havenweg 12",
            "1013 AB Amsterdam",
            "KvK number: 87654321",
            "NL004495445B01",
            "How to pay",
            "NL91ABNA0417164300",
            "ABNANL2A",
            invoice.name,
            "3,000.00",
        ):
            self.assertIn(expected, text)
        # the reference to state is the invoice's own payment reference
        self.assertIn(f"stating: {invoice.payment_reference}", text)

    def test_a_dutch_customer_reads_it_in_dutch(self):
        _speak_dutch(self.env, self.customer)
        invoice, text = self._letter_text()
        for expected in (
            "Groothandel Noorderlicht B.V.",
            "KvK-nummer: 87654321",
            "Zo betaalt u",
            "NL91ABNA0417164300",
            invoice.payment_reference,
            "3.000,00",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("How to pay", text)


@tagged("post_install", "-at_install")
class TestReminderEmailAsReceived(DunningTestCommon):
    """The e-mail as it leaves Odoo: the company's letterhead and footer,
    no internal words."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        cls.env.company.write(
            {
                "name": "Groothandel Noorderlicht B.V.",
                "country_id": cls.env.ref("base.nl").id,
                "company_registry": "87654321",
                "vat": "NL004495445B01",
            }
        )

    def _email_body(self, due=TODAY - timedelta(days=30)):
        invoice = self._invoice(800.0, due - timedelta(days=30), due)
        with freeze_time(TODAY):
            self.env["dunning.escalation"].sudo()._cron_escalate()
        reminder = self.env["dunning.communication"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(reminder.channel, "email")
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "=", reminder.mail_message_id.id)])
        )
        self.assertEqual(len(mail), 1)
        return invoice, reminder, mail.body_html

    def test_the_email_speaks_to_the_customer_not_of_our_models(self):
        invoice, reminder, body = self._email_body()
        for expected in (
            "Payment reminder",
            invoice.name,
            "Groothandel Noorderlicht B.V.",
            "KvK number: 87654321",
            "NL004495445B01",
        ):
            self.assertIn(expected, body)
        for internal_word in (
            "Dunning Communication",
            reminder.display_name,
            "unfollow",
            "Unfollow",
        ):
            self.assertNotIn(internal_word, body)

    def test_a_dutch_customer_gets_it_in_dutch(self):
        _speak_dutch(self.env, self.customer)
        _invoice, _reminder, body = self._email_body()
        self.assertIn("Betalingsherinnering", body)
        self.assertIn("KvK-nummer: 87654321", body)
        self.assertNotIn("Payment reminder", body)

    def test_an_invoice_not_due_yet_says_when_it_falls_due(self):
        # the proactive reminder, 5 days before the due date
        _invoice, reminder, body = self._email_body(due=TODAY + timedelta(days=5))
        self.assertTrue(reminder.is_proactive)
        self.assertIn("due in 5 days", body)
        self.assertNotIn("Days overdue", body)
        self.assertNotIn("days overdue", body)

    def test_an_overdue_invoice_says_how_late_it_is_in_dutch(self):
        _speak_dutch(self.env, self.customer)
        _invoice, _reminder, body = self._email_body()
        self.assertIn("30 dagen over tijd", body)
