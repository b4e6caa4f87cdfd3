"""The statement of open items as the customer reads it (the PDF read back
as text, the e-mail as it is queued, the portal page), and who may print,
send or see it."""

import base64
import io
import shutil
import subprocess
import unittest
import zipfile
from datetime import date, timedelta

import openpyxl
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import DunningTestCommon, ReceivablesMixin
from .euro_company import EuroCompanyMixin
from .test_letter import _speak_dutch

TODAY = date(2026, 7, 1)


def _pdf_text(pdf):
    """The PDF as the customer reads it, whitespace folded."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return " ".join(text.split())


class StatementCommon(EuroCompanyMixin, DunningTestCommon):
    """A Dutch company in euros with its bank account, and a customer with
    invoices of every age, a credit note, an unapplied payment, a dollar
    invoice and an invoice in another company."""

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
        cls.usd = cls.setup_other_currency("USD")
        day = timedelta(days=1)
        # by hand, on 2026-07-01: due 07-11 not due; 06-21 10 days (1-30);
        # 05-17 45 days (31-60); 03-23 100 days (over 90); the credit note
        # of 06-01 30 days (1-30); the payment of 06-26 5 days (1-30); the
        # dollar invoice of 04-17 75 days (61-90)
        cls.not_due = cls._invoice(1000.0, TODAY - 20 * day, date(2026, 7, 11))
        cls.late_10 = cls._invoice(500.0, TODAY - 40 * day, date(2026, 6, 21))
        cls.late_45 = cls._invoice(2000.0, TODAY - 75 * day, date(2026, 5, 17))
        cls.late_100 = cls._invoice(300.0, TODAY - 130 * day, date(2026, 3, 23))
        cls.credit_note = cls._invoice(
            150.0, date(2026, 6, 1), date(2026, 6, 1), move_type="out_refund"
        )
        cls.payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": cls.customer.id,
                "amount": 200.0,
                "date": date(2026, 6, 26),
                "journal_id": cls.company_data["default_journal_bank"].id,
            }
        )
        cls.payment.action_post()
        cls.dollars = cls._invoice(
            400.0, TODAY - 105 * day, date(2026, 4, 17), currency=cls.usd
        )
        # paid in full: not open, so not on the statement
        cls.paid = cls._paid_invoice(700.0, date(2026, 5, 1), 3)
        # the same customer in another company, and another customer
        company_2_data = cls.setup_other_company()
        cls.company_2 = company_2_data["company"]
        # a number of its own: the numbers of two companies may coincide
        company_2_data["default_journal_sale"].code = "ELSE"
        cls.elsewhere = (
            cls.env["account.move"]
            .with_company(cls.company_2)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "invoice_date": date(2026, 6, 1),
                    "invoice_date_due": date(2026, 6, 1),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Services",
                                "quantity": 1,
                                "price_unit": 999.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        cls.elsewhere.action_post()
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "Slagerij Van Dam",
                "is_company": True,
                "email": "info@vandam.example.nl",
            }
        )
        cls.others_invoice = cls._invoice(
            888.0, date(2026, 6, 1), date(2026, 6, 1), partner=cls.other_customer
        )

    def _statement(self, partner=None, **context):
        return (
            (partner or self.customer)
            .with_context(statement_date=TODAY, **context)
            ._statement_values()
        )


@tagged("post_install", "-at_install")
class TestStatementValues(StatementCommon):
    def test_every_open_item_of_the_customer_in_this_company(self):
        statement = self._statement()
        moves = [item["move"] for item in statement["items"]]
        # the paid invoice, the other company's and the other customer's are
        # not on it (numbers repeat across companies: compared as records)
        self.assertCountEqual(
            moves,
            [
                self.not_due,
                self.late_10,
                self.late_45,
                self.late_100,
                self.credit_note,
                self.payment.move_id,
                self.dollars,
            ],
        )
        # positive control of the company filter: the invoice is open
        self.assertEqual(self.elsewhere.payment_state, "not_paid")
        by_number = {item["number"]: item for item in statement["items"]}
        credit = by_number[self.credit_note.name]
        self.assertEqual((credit["kind"], credit["amount"]), ("Credit note", -150.0))
        payment = by_number[self.payment.move_id.name]
        self.assertEqual((payment["kind"], payment["amount"]), ("Payment", -200.0))
        late = by_number[self.late_45.name]
        self.assertEqual((late["days_overdue"], late["bucket"]), (45, "31-60 days"))
        self.assertEqual(by_number[self.not_due.name]["days_overdue"], 0)

    def test_totals_per_bucket_and_currency_never_mixed(self):
        totals = {
            figures["currency"].name: figures for figures in self._statement()["totals"]
        }
        self.assertEqual(list(totals), ["EUR", "USD"])
        # not due 1000; 1-30: 500 - 150 - 200; 31-60: 2000; over 90: 300
        self.assertEqual(
            totals["EUR"]["buckets"],
            [
                ("Not due", 1000.0),
                ("1-30 days", 150.0),
                ("31-60 days", 2000.0),
                ("61-90 days", 0.0),
                ("Over 90 days", 300.0),
            ],
        )
        self.assertEqual(totals["EUR"]["total"], 3450.0)
        self.assertEqual(
            totals["USD"]["buckets"],
            [
                ("Not due", 0.0),
                ("1-30 days", 0.0),
                ("31-60 days", 0.0),
                ("61-90 days", 400.0),
                ("Over 90 days", 0.0),
            ],
        )
        self.assertEqual(totals["USD"]["total"], 400.0)
        # each currency is paid on its own, with its own reference
        self.assertEqual(totals["EUR"]["payment"]["amount"], "3,450.00\xa0€")
        self.assertNotIn(
            self.dollars.payment_reference, totals["EUR"]["payment"]["reference"]
        )
        self.assertEqual(
            totals["USD"]["payment"]["reference"], self.dollars.payment_reference
        )

    def test_the_other_company_sees_only_its_own_invoice(self):
        statement = (
            self.customer.with_company(self.company_2)
            .with_context(statement_date=TODAY)
            ._statement_values()
        )
        self.assertEqual(
            [item["move"] for item in statement["items"]], [self.elsewhere]
        )

    def test_open_promises_and_instalments_are_listed(self):
        promise = self.env["dunning.promise"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(self.late_45.ids)],
                "date": fields.Date.context_today(self.env.user) + timedelta(days=5),
                "amount": 2000.0,
            }
        )
        self.assertEqual(self._statement()["promises"], promise)
        promise.action_cancel()
        self.assertFalse(self._statement()["promises"])

    def test_the_instalments_of_an_active_plan_are_listed(self):
        collector = self._user(
            "statement.plan", self.env.ref("customer_retention_dunning.group_collector")
        )
        with freeze_time(TODAY):
            action = self.late_45.with_user(collector).action_propose_payment_plan()
            wizard = Form(
                self.env[action["res_model"]]
                .with_user(collector)
                .with_context(**action["context"])
            )
            wizard.instalment_count = 2
            wizard.frequency = "monthly"
            wizard.first_date = TODAY + timedelta(days=5)
            plan = self.env["payment.plan"].browse(
                wizard.save().action_propose()["res_id"]
            )
            # a plan waiting for approval promises nothing yet
            self.assertFalse(self._statement()["instalments"])
            plan.action_approve()
        instalments = self._statement()["instalments"]
        self.assertEqual(instalments.plan_id, plan)
        self.assertEqual(
            [(line.date, line.amount_open) for line in instalments],
            [(date(2026, 7, 6), 1000.0), (date(2026, 8, 6), 1000.0)],
        )

    def test_the_workbook_holds_the_same_items_and_totals(self):
        content = self.customer.with_context(statement_date=TODAY)._statement_xlsx()
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        numbers = [row[0] for row in rows]
        self.assertIn(self.late_45.name, numbers)
        self.assertIn(self.credit_note.name, numbers)
        self.assertNotIn(self.elsewhere.name, numbers)
        eur = next(row for row in rows if row[0] == "EUR")
        self.assertEqual(eur[1:7], [1000.0, 150.0, 2000.0, 0.0, 300.0, 3450.0])
        usd = next(row for row in rows if row[0] == "USD")
        self.assertEqual(usd[4], 400.0)
        self.assertEqual(usd[6], 400.0)


@unittest.skipUnless(shutil.which("pdftotext"), "poppler-utils' pdftotext is needed")
@tagged("post_install", "-at_install")
class TestStatementPdf(StatementCommon):
    def _pdf_text(self):
        pdf = self.customer.with_context(force_report_rendering=True)._statement_pdf(
            TODAY
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        return _pdf_text(pdf)

    def test_the_statement_names_the_sender_items_and_where_to_pay(self):
        text = self._pdf_text()
        for expected in (
            "Statement of open items",
            "Groothandel Noorderlicht B.V.",
            "Havenweg 12",
            "1013 AB Amsterdam",
            "KvK number: 87654321",
            "NL004495445B01",
            self.late_45.name,
            self.credit_note.name,
            self.payment.move_id.name,
            "Credit note",
            "Payment",
            # the euro row: not due, 1-30, 31-60, 61-90, over 90, total
            "EUR 1,000.00 € 150.00 € 2,000.00 € 0.00 € 300.00 € 3,450.00 €",
            "USD $ 0.00 $ 0.00 $ 0.00 $ 400.00 $ 0.00 $ 400.00",
            "How to pay",
            "NL91ABNA0417164300",
            "ABNANL2A",
            "Transfer 3,450.00 € to account NL91ABNA0417164300",
            self.late_45.payment_reference,
        ):
            self.assertIn(expected, text)
        for absent in (self.elsewhere.name, self.others_invoice.name, self.paid.name):
            self.assertNotIn(absent, text)

    def test_a_dutch_customer_reads_it_in_dutch(self):
        _speak_dutch(self.env, self.customer)
        text = self._pdf_text()
        for expected in (
            "Overzicht openstaande posten",
            "KvK-nummer: 87654321",
            "Zo betaalt u",
            "Creditnota",
            "NL91ABNA0417164300",
            "Meer dan 90 dagen",
            "EUR 1.000,00 € 150,00 € 2.000,00 € 0,00 € 300,00 € 3.450,00 €",
            "Maak 3.450,00 € over naar rekening NL91ABNA0417164300",
            "17-05-2026",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("How to pay", text)
        self.assertNotIn("Statement of open items", text)

    def test_several_customers_one_pdf_each_in_a_zip(self):
        # the Print menu of the customer list
        action = (
            self.env.ref(
                "customer_retention_dunning.res_partner_action_print_statement"
            )
            .with_context(
                force_report_rendering=True,
                statement_date=TODAY,
                active_model="res.partner",
                active_ids=(self.customer | self.other_customer).ids,
            )
            .run()
        )
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        self.assertEqual(attachment.mimetype, "application/zip")
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(attachment.datas)))
        self.assertEqual(
            sorted(archive.namelist()),
            [
                "Statement Bakkerij De Korenbloem 2026-07-01.pdf",
                "Statement Slagerij Van Dam 2026-07-01.pdf",
            ],
        )
        other = _pdf_text(archive.read("Statement Slagerij Van Dam 2026-07-01.pdf"))
        self.assertIn(self.others_invoice.name, other)
        self.assertNotIn(self.late_45.name, other)


@tagged("post_install", "-at_install")
class TestStatementRights(StatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = cls._user("statement.sales", cls.env.ref("base.group_user"))
        cls.billing = cls._user(
            "statement.billing", cls.env.ref("account.group_account_invoice")
        )
        cls.collector = cls._user(
            "statement.collector",
            cls.env.ref("customer_retention_dunning.group_collector"),
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="statement.portal",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create({"name": "Anna de Vries", "parent_id": cls.customer.id})
            .id,
        )

    def test_a_salesperson_may_not_print_or_send(self):
        customer = self.customer.with_user(self.salesperson)
        with self.assertRaises(AccessError):
            customer.action_print_statement()
        with self.assertRaises(AccessError):
            customer.action_send_statement()
        with self.assertRaises(AccessError):
            customer._statement_values()

    def test_a_billing_user_prints_but_does_not_send(self):
        customer = self.customer.with_user(self.billing).with_context(
            statement_date=TODAY
        )
        self.assertEqual(len(customer._statement_values()["items"]), 7)
        action = customer.action_download_statement_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        with self.assertRaises(AccessError):
            customer.action_send_statement()

    def test_a_collector_sends(self):
        self.customer.with_user(self.collector).action_send_statement()
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [("model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
            ),
            1,
        )

    def test_a_portal_user_sees_its_own_statement_only(self):
        own = self.customer.with_user(self.portal_user).with_context(
            statement_date=TODAY
        )
        self.assertEqual(len(own._statement_values()["items"]), 7)
        with self.assertRaises(AccessError):
            self.other_customer.with_user(self.portal_user)._statement_values()
        with self.assertRaises(AccessError):
            own.action_send_statement()

    def test_the_report_route_checks_the_rights_too(self):
        # what the web client's /report/pdf/... calls, as that user
        report = self.env["ir.actions.report"].with_user(self.salesperson)
        with self.assertRaises(AccessError):
            report._render_qweb_html(
                "customer_retention_dunning.action_report_statement",
                self.customer.ids,
            )
        html, _format = report.with_user(self.billing)._render_qweb_html(
            "customer_retention_dunning.action_report_statement",
            self.customer.ids,
            data={"statement_date": "2026-07-01"},
        )
        self.assertIn(self.late_45.name, html.decode())


@tagged("post_install", "-at_install")
class TestSendStatement(StatementCommon):
    def _queued(self, customers):
        return self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "in", customers.ids)]
        )

    def test_one_email_per_customer_with_its_pdf(self):
        customers = self.customer | self.other_customer
        customers.with_context(
            force_report_rendering=True, statement_date=TODAY
        ).action_send_statement()
        mails = self._queued(customers)
        self.assertEqual(len(mails), 2)
        for customer in customers:
            mail = mails.filtered(lambda m, c=customer: m.res_id == c.id)
            self.assertEqual(mail.state, "outgoing")
            self.assertEqual(mail.recipient_ids, customer)
            self.assertIn("statement of your open items", mail.subject)
            self.assertIn("KvK number: 87654321", mail.body_html)
            self.assertEqual(len(mail.attachment_ids), 1)
            attachment = mail.attachment_ids
            self.assertEqual(
                attachment.name, f"Statement {customer.name} 2026-07-01.pdf"
            )
            self.assertTrue(base64.b64decode(attachment.datas).startswith(b"%PDF"))
        self.assertIn(
            "3,450.00", mails.filtered(lambda m: m.res_id == self.customer.id).body_html
        )

    def test_a_dutch_customer_gets_it_in_dutch(self):
        _speak_dutch(self.env, self.customer)
        self.customer.with_context(statement_date=TODAY).action_send_statement()
        mail = self._queued(self.customer)
        self.assertIn("KvK-nummer: 87654321", mail.body_html)
        self.assertIn("3.450,00", mail.body_html)
        self.assertIn("overzicht van uw openstaande posten", mail.subject)

    def test_a_customer_without_email_stops_them_all(self):
        self.other_customer.email = False
        with self.assertRaisesRegex(UserError, "Slagerij Van Dam"):
            (self.customer | self.other_customer).action_send_statement()
        self.assertFalse(self._queued(self.customer | self.other_customer))
        # positive control: the customer with an address alone goes out
        self.customer.action_send_statement()
        self.assertEqual(len(self._queued(self.customer)), 1)


@tagged("post_install", "-at_install")
class TestReminderWithStatement(StatementCommon):
    """A level may attach the statement to its reminder e-mails."""

    def _reminder_mails(self):
        """Each reminder e-mail of the night with its queued mail (one per
        currency: the euro and the dollar invoices go apart)."""
        with freeze_time(TODAY):
            self.env["dunning.escalation"].sudo()._cron_escalate()
        reminders = self.env["dunning.communication"].search(
            [("partner_id", "=", self.customer.id), ("channel", "=", "email")]
        )
        self.assertTrue(reminders)
        result = []
        for reminder in reminders:
            mail = (
                self.env["mail.mail"]
                .sudo()
                .search([("mail_message_id", "=", reminder.mail_message_id.id)])
            )
            self.assertEqual(len(mail), 1)
            result.append((reminder, mail))
        return result

    def _email_only(self):
        # every amount goes by e-mail: no letter, no call
        self.env["dunning.profile"].search([]).write(
            {"letter_threshold": 10**9, "call_threshold": 10**9}
        )

    def test_a_level_with_the_option_attaches_it(self):
        self._email_only()
        self.env["dunning.level"].search([]).attach_statement = True
        for reminder, mail in self._reminder_mails():
            self.assertTrue(reminder.level_id.attach_statement)
            self.assertEqual(
                mail.attachment_ids.mapped("name"),
                [f"Statement {self.customer.name} 2026-07-01.pdf"],
            )

    def test_a_level_without_it_attaches_nothing(self):
        self._email_only()
        for reminder, mail in self._reminder_mails():
            self.assertFalse(reminder.level_id.attach_statement)
            self.assertFalse(mail.attachment_ids)


@tagged("post_install", "-at_install")
class TestStatementPortal(ReceivablesMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Hoveniers Groen",
                "is_company": True,
                "email": "info@groen.example.nl",
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Slagerij Van Dam", "is_company": True}
        )
        today = fields.Date.context_today(cls.customer)
        cls.own_invoice = cls._invoice(
            640.0, today - timedelta(days=60), today - timedelta(days=45)
        )
        cls.others_invoice = cls._invoice(
            910.0,
            today - timedelta(days=60),
            today - timedelta(days=45),
            partner=cls.other_customer,
        )
        new_test_user(
            cls.env,
            login="statement_portal",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create({"name": "Jan Groen", "parent_id": cls.customer.id})
            .id,
        )

    def test_the_portal_user_sees_its_own_statement_only(self):
        self.authenticate("statement_portal", "statement_portal")
        page = self.url_open("/my/statement")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.own_invoice.name, page.text)
        self.assertIn("31-60 days", page.text)
        self.assertIn("Download PDF", page.text)
        self.assertNotIn(self.others_invoice.name, page.text)
        self.assertNotIn("Slagerij Van Dam", page.text)
        # the files are the same statement (in tests the PDF route renders
        # the report's HTML)
        pdf = self.url_open("/my/statement/pdf")
        self.assertEqual(pdf.status_code, 200)
        self.assertIn(self.own_invoice.name, pdf.content.decode())
        self.assertNotIn(self.others_invoice.name, pdf.content.decode())
        xlsx = self.url_open("/my/statement/xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        numbers = [row[0] for row in sheet.iter_rows(values_only=True)]
        self.assertIn(self.own_invoice.name, numbers)
        self.assertNotIn(self.others_invoice.name, numbers)
        # no parameter picks another customer
        page = self.url_open(f"/my/statement?partner_id={self.other_customer.id}")
        self.assertNotIn(self.others_invoice.name, page.text)

    def test_the_portal_home_counts_the_open_items(self):
        self.authenticate("statement_portal", "statement_portal")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["statement_count"]}
        )
        self.assertEqual(counters["statement_count"], 1)
