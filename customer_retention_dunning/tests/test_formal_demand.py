"""The formal demand states the statutory amounts; for a consumer it is the
14-day letter, with its dates kept as proof."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import DunningTestCommon
from .euro_company import EuroCompanyMixin

# a Tuesday, 36 days after the due date of 1 June
TODAY = date(2026, 7, 7)


@tagged("post_install", "-at_install")
class TestFormalDemand(EuroCompanyMixin, DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "dunning_costs_arrangement": "scale",
                "dunning_costs_vat": False,
                "dunning_receipt_working_days": 2,
                "dunning_minimum_amount": 10.0,
            }
        )
        cls.standard = cls.env.ref(
            "customer_retention_dunning.dunning_profile_standard"
        )
        cls.formal = cls.standard.level_ids.filtered(
            lambda level: level.tone == "formal"
        )[:1]

    def _formal_demand(self, customer, amount=2000):
        customer.write(
            {
                "email": "debiteur@example.nl",
                "country_id": self.env.ref("base.nl").id,
                "dunning_profile_id": self.standard.id,
            }
        )
        # due 1 June 2026; already at the step before the formal demand
        invoice = self._invoice(
            amount, date(2026, 5, 2), date(2026, 6, 1), partner=customer
        )
        before = self.standard.level_ids.filtered(
            lambda level: level.sequence < self.formal.sequence
        ).sorted("sequence")[-1:]
        invoice.sudo().write(
            {"dunning_level_id": before.id, "dunning_last_date": date(2026, 6, 1)}
        )
        with freeze_time(TODAY):
            self.env["dunning.escalation"].sudo()._cron_escalate()
        communication = self.env["dunning.communication"].search(
            [("partner_id", "=", customer.id)]
        )
        self.assertEqual(communication.level_id, self.formal)
        return communication

    def test_a_consumer_gets_the_14_day_letter_with_its_dates(self):
        consumer = self.env["res.partner"].create({"name": "Jan Jansen"})
        communication = self._formal_demand(consumer)
        # 15% of 2,000
        self.assertEqual(communication.statutory_costs, 300.0)
        # 4% a year from 2 June up to and including 7 July 2026: 36 days
        # 2,000 x 0.04 x 36 / 365 = 7.8904 -> 7.89
        self.assertEqual(communication.statutory_interest, 7.89)
        self.assertRecordValues(
            communication,
            [
                {
                    "is_consumer_notice": True,
                    # sent on Tuesday, received two working days later
                    "assumed_receipt_date": date(2026, 7, 9),
                    # 14 days from the day after receipt: 10 up to 23 July
                    "pay_by_date": date(2026, 7, 23),
                    "costs_claimable_from": date(2026, 7, 24),
                }
            ],
        )
        mail = self.env["mail.mail"].search(
            [("mail_message_id", "=", communication.mail_message_id.id)]
        )
        self.assertIn("300.00", mail.body_html)
        self.assertIn("7.89", mail.body_html)
        self.assertIn("counted from the day after you receive", mail.body_html)
        self.assertIn("07/23/2026", mail.body_html)
        self.assertIn("you will owe the collection costs", mail.body_html)

    def test_a_business_gets_the_amounts_of_the_companys_arrangement(self):
        business = self.env["res.partner"].create(
            {"name": "Bouwbedrijf Dijkstra B.V.", "is_company": True}
        )
        self.env.company.dunning_costs_arrangement = "fixed"
        communication = self._formal_demand(business)
        self.assertEqual(communication.statutory_costs, 40.0)
        # 10.15% commercial interest, 36 days: 2,000 x 0.1015 x 36 / 365 = 20.02
        self.assertEqual(communication.statutory_interest, 20.02)
        self.assertFalse(communication.is_consumer_notice)
        mail = self.env["mail.mail"].search(
            [("mail_message_id", "=", communication.mail_message_id.id)]
        )
        self.assertNotIn("you will owe the collection costs", mail.body_html)

    def test_a_friendly_reminder_states_no_costs(self):
        customer = self.env["res.partner"].create(
            {"name": "Jan Jansen", "email": "j@x.nl"}
        )
        self._invoice(500, date(2026, 5, 20), date(2026, 6, 20), partner=customer)
        with freeze_time(TODAY):
            self.env["dunning.escalation"].sudo()._cron_escalate()
        communication = self.env["dunning.communication"].search(
            [("partner_id", "=", customer.id)]
        )
        self.assertEqual(communication.tone, "friendly")
        self.assertFalse(communication.statutory_costs)
        self.assertFalse(communication.pay_by_date)
