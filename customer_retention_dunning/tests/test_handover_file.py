"""The hand-over file as the collection agency and the credit manager get
it: read back from the files themselves."""

import base64
import csv
import io
from datetime import date, datetime, timedelta
from unittest.mock import patch

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DunningTestCommon
from .euro_company import EuroCompanyMixin

# the formal demand's night; the hand-over ten days later
TODAY = date(2026, 7, 7)
HANDOVER = TODAY + timedelta(days=10)
AGENCY = "claims@incasso.example.nl"


@tagged("post_install", "-at_install")
class TestHandoverFile(EuroCompanyMixin, DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        cls.customer.write({"company_registry": "12345678", "vat": "NL001234567B01"})
        cls.env.company.write(
            {
                "name": "Groothandel Noorderlicht B.V.",
                "email": "debiteuren@noorderlicht.example.nl",
                "dunning_costs_arrangement": "scale",
                "dunning_costs_vat": False,
                "dunning_receipt_working_days": 2,
                "dunning_agency_email": AGENCY,
            }
        )
        cls.customer.dunning_profile_id = cls.env["dunning.profile"].create(
            {
                "name": "Straight to collection",
                "level_ids": [
                    Command.create(
                        {
                            "sequence": 10,
                            "name": "Formal demand",
                            "days_after_due": 0,
                            "min_interval_days": 1,
                            "tone": "formal",
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 20,
                            "name": "Hand-over",
                            "days_after_due": 10,
                            "min_interval_days": 10,
                            "tone": "final",
                            "action": "handover",
                        }
                    ),
                ],
            }
        )
        # 2,000 due 1 June; 1,000 due 11 June of which 400 was paid before
        # it fell due (so that part bears no interest)
        cls.first = cls._invoice(2000, date(2026, 5, 2), date(2026, 6, 1))
        cls.second = cls._invoice(1000, date(2026, 5, 12), date(2026, 6, 11))
        cls._pay(cls.second, date(2026, 6, 5), amount=400)
        cls.collector = cls._user(
            "collector.handover",
            cls.env.ref("customer_retention_dunning.group_collector"),
        )
        cls.credit_manager = cls._user(
            "manager.handover",
            cls.env.ref("customer_retention_dunning.group_credit_manager"),
        )

    def _night(self, day):
        with freeze_time(day):
            self.env["dunning.escalation"].sudo()._cron_escalate()
            self._deliver_outbox()

    def _hand_over(self):
        self._night(TODAY)
        self._night(HANDOVER)
        self.assertTrue(self.first.dunning_handed_over)
        return self._files()

    def _files(self):
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)],
                order="id",
            )
        )

    def _agency_mail(self):
        return self.env["mail.mail"].sudo().search([("email_to", "=", AGENCY)])

    # ------------------------------------------------------------
    # THE FILES
    # ------------------------------------------------------------

    def test_the_excel_file_states_debtor_invoices_claim_and_reminders(self):
        xlsx, _csv = self._hand_over()
        self.assertEqual(xlsx.name, "Hand-over Bakkerij De Korenbloem 2026-07-17.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx.datas))).active
        rows = [
            [value for value in row if value is not None]
            for row in sheet.iter_rows(values_only=True)
        ]
        self.assertEqual(
            rows[0],
            [
                "Claim handed over to collection by Groothandel Noorderlicht B.V. "
                "on 2026-07-17"
            ],
        )
        self.assertIn(["Amounts in EUR"], rows)
        self.assertIn(["Name", "Bakkerij De Korenbloem"], rows)
        self.assertIn(["Address", "Molenstraat 1"], rows)
        self.assertIn(["Postcode and city", "1011 AA Amsterdam"], rows)
        self.assertIn(["Company registry (KvK)", "12345678"], rows)
        self.assertIn(["VAT number", "NL001234567B01"], rows)
        # interest at 10.15 % (commercial, 2026) up to and including 17 July:
        # 2,000 x 0.1015 x 46 / 365 = 25.58 (2 June - 17 July)
        # 600 x 0.1015 x 36 / 365 = 6.01 (12 June - 17 July)
        self.assertIn(
            [
                self.first.name,
                datetime(2026, 5, 2),
                datetime(2026, 6, 1),
                2000.0,
                2000.0,
                25.58,
            ],
            rows,
        )
        self.assertIn(
            [
                self.second.name,
                datetime(2026, 5, 12),
                datetime(2026, 6, 11),
                1000.0,
                600.0,
                6.01,
            ],
            rows,
        )
        self.assertIn(["Total", 3000.0, 2600.0, 31.59], rows)
        # the scale on the 2,600 the formal demand named: 15 % of 2,500 +
        # 10 % of 100 = 385
        self.assertIn(
            ["Collection costs", 385.0, "as stated in the formal demand of 2026-07-07"],
            rows,
        )
        # 2,600 + 385 + 31.59
        self.assertIn(["Total claim", 3016.59], rows)
        # the demand's own interest to 7 July: 20.02 + 4.34
        self.assertIn(
            ["Interest stated in the formal demand", 24.36, datetime(2026, 7, 7)], rows
        )
        self.assertIn(
            [datetime(2026, 7, 7), "Formal demand", "Formal demand", "E-mail", 2600.0],
            rows,
        )
        self.assertIn(
            [datetime(2026, 7, 17), "Hand-over", "Final notice", "E-mail", 2600.0],
            rows,
        )

    def test_the_csv_file_says_the_same_in_plain_text(self):
        _xlsx, csv_file = self._hand_over()
        self.assertEqual(csv_file.mimetype, "text/csv")
        lines = list(
            csv.reader(
                io.StringIO(base64.b64decode(csv_file.datas).decode("utf-8-sig"))
            )
        )
        self.assertIn(["VAT number", "NL001234567B01"], lines)
        self.assertIn(
            [self.second.name, "2026-05-12", "2026-06-11", "1000.00", "600.00", "6.01"],
            lines,
        )
        self.assertIn(["Total claim", "3016.59"], lines)
        self.assertIn(
            ["2026-07-17", "Hand-over", "Final notice", "E-mail", "2600.00"], lines
        )

    # ------------------------------------------------------------
    # WHERE THEY GO
    # ------------------------------------------------------------

    def test_the_agency_gets_both_files_by_email(self):
        files = self._hand_over()
        self.assertEqual(len(files), 2)
        mail = self._agency_mail()
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.attachment_ids, files)
        self.assertEqual(
            mail.subject,
            "Groothandel Noorderlicht B.V.: hand-over of Bakkerij De Korenbloem",
        )
        self.assertIn(
            "We hand over the claim on Bakkerij De Korenbloem", mail.body_html
        )
        activity = self.customer.activity_ids.filtered(
            lambda a: a.summary == "Hand over to the collection agency"
        )
        self.assertIn(f"e-mailed to the collection agency ({AGENCY})", activity.note)

    def test_without_an_agency_the_activity_says_where_the_files_are(self):
        self.env.company.dunning_agency_email = False
        files = self._hand_over()
        self.assertEqual(len(files), 2)
        self.assertFalse(
            self.env["mail.mail"].sudo().search([("attachment_ids", "in", files.ids)])
        )
        activity = self.customer.activity_ids.filtered(
            lambda a: a.summary == "Hand over to the collection agency"
        )
        self.assertEqual(len(activity), 1)
        self.assertIn("is attached to the customer", activity.note)

    def test_a_file_that_cannot_be_made_never_stops_the_hand_over(self):
        Partner = type(self.env["res.partner"])

        def broken(partner, invoices, today):
            raise ValueError("disk full")

        self._night(TODAY)
        with (
            freeze_time(HANDOVER),
            patch.object(Partner, "_dunning_handover_attachments", broken),
            mute_logger(
                "odoo.addons.customer_retention_dunning.models.res_partner_handover"
            ),
        ):
            self.env["dunning.escalation"].sudo()._cron_escalate()
            self._deliver_outbox()
        self.assertTrue(self.first.dunning_handed_over)
        self.assertFalse(self._files())
        self.assertFalse(self._agency_mail())
        activity = self.customer.activity_ids.filtered(
            lambda a: a.summary == "Hand over to the collection agency"
        )
        self.assertIn("could not be made (disk full)", activity.note)

    # ------------------------------------------------------------
    # WHO
    # ------------------------------------------------------------

    def test_another_companys_users_cannot_read_the_files(self):
        files = self._hand_over()
        other_company = self.setup_other_company(name="Zuiderzon B.V.")["company"]
        outsider = self._user(
            "outsider.handover",
            self.env.ref("customer_retention_dunning.group_credit_manager"),
            companies=other_company,
        )
        # the customer is shared: the other company reads it...
        self.assertEqual(
            self.customer.with_user(outsider).read(["name"])[0]["name"],
            "Bakkerij De Korenbloem",
        )
        # ...but not the files on it
        domain = [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        self.assertFalse(self.env["ir.attachment"].with_user(outsider).search(domain))
        with self.assertRaises(AccessError):
            files.with_user(outsider).read(["name", "datas"])
        # the company's own collector reads both
        mine = self.env["ir.attachment"].with_user(self.collector).search(domain)
        self.assertEqual(mine, files)
        self.assertTrue(files.with_user(self.collector).read(["datas"])[0]["datas"])
        # other attachments on the customer stay readable to every company
        note = self.env["ir.attachment"].create(
            {
                "name": "contract.txt",
                "raw": b"terms",
                "res_model": "res.partner",
                "res_id": self.customer.id,
            }
        )
        self.assertEqual(
            self.env["ir.attachment"].with_user(outsider).search(domain), note
        )

    def test_a_credit_manager_rebuilds_the_file_a_collector_may_not(self):
        self._hand_over()
        customer = self.customer.with_user(self.collector)
        with self.assertRaises(AccessError):
            customer.action_dunning_handover_file()
        self.assertEqual(len(self._files()), 2)
        with freeze_time(HANDOVER + timedelta(days=3)):
            action = self.customer.with_user(
                self.credit_manager
            ).action_dunning_handover_file()
        files = self._files()
        self.assertEqual(len(files), 4)
        self.assertEqual(action["url"], f"/web/content/{files[2].id}?download=true")
        self.assertEqual(
            files[2:].mapped("name"),
            [
                "Hand-over Bakkerij De Korenbloem 2026-07-20.xlsx",
                "Hand-over Bakkerij De Korenbloem 2026-07-20.csv",
            ],
        )
        self.assertEqual(files[2:].company_id, self.env.company)
        # on demand it is built, not sent: the agency got the night's only
        self.assertEqual(len(self._agency_mail()), 1)

    def test_the_button_needs_a_handed_over_invoice(self):
        with self.assertRaisesRegex(UserError, "No open invoice"):
            self.customer.with_user(self.credit_manager).action_dunning_handover_file()
        self.assertFalse(self._files())
