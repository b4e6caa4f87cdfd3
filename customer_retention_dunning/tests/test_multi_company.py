"""Each company is dunned on its own ladder, settings, collector and
currency, on the same night, and a decision in one company stays there."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DunningTestCommon

TODAY = date(2026, 6, 30)


@tagged("post_install", "-at_install")
class TestMultiCompany(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        cls.company_nl = cls.env.company
        chf = cls.env.ref("base.CHF")
        chf.active = True
        cls.company_ch = cls.setup_other_company(
            name="Peters Zwitserland", currency_id=chf.id
        )["company"]
        cls.env.user.company_ids |= cls.company_ch
        cls.standard = cls.env.ref(
            "customer_retention_dunning.dunning_profile_standard"
        )
        # the Swiss company's own ladder: one firm step, calls from CHF 300
        cls.swiss_profile = cls.env["dunning.profile"].create(
            {
                "name": "Schweiz",
                "company_id": cls.company_ch.id,
                "letter_threshold": 100.0,
                "call_threshold": 300.0,
                "level_ids": [
                    Command.create(
                        {
                            "name": "Zahlungserinnerung",
                            "sequence": 10,
                            "days_after_due": 1,
                            "min_interval_days": 1,
                            "tone": "firm",
                            "action": "send",
                        }
                    )
                ],
            }
        )
        cls.company_ch.write(
            {
                f"dunning_profile_{band}_id": cls.swiss_profile.id
                for band in ("excellent", "good", "watch", "risk", "none")
            }
        )
        cls.swiss_collector = cls._user(
            "urs.inkasso",
            cls.env.ref("customer_retention_dunning.group_collector"),
            name="Urs Inkasso",
            companies=cls.company_ch,
        )
        cls.env["dunning.collector.rule"].create(
            {"user_id": cls.swiss_collector.id, "company_id": cls.company_ch.id}
        )
        cls.invoice_nl = cls._invoice(
            800, TODAY - timedelta(days=50), TODAY - timedelta(days=20)
        )
        cls.invoice_ch = cls._company_invoice(
            cls.company_ch, 500, TODAY - timedelta(days=50), TODAY - timedelta(days=20)
        )

    @classmethod
    def _company_invoice(cls, company, amount, invoice_date, due_date):
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.customer.id,
                    "company_id": company.id,
                    "currency_id": company.currency_id.id,
                    "invoice_date": invoice_date,
                    "date": invoice_date,
                    "invoice_date_due": due_date,
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
        )
        move.action_post()
        return move

    def _run(self, on_date=TODAY):
        with freeze_time(on_date):
            self.env["dunning.escalation"].sudo()._cron_escalate()
        return self.env["dunning.communication"].search(
            [("partner_id", "=", self.customer.id)], order="company_id"
        )

    def test_both_companies_are_dunned_the_same_night_each_on_its_own_rules(self):
        communications = self._run()
        self.assertEqual(communications.company_id, self.company_nl | self.company_ch)
        dutch = communications.filtered(lambda c: c.company_id == self.company_nl)
        swiss = communications.filtered(lambda c: c.company_id == self.company_ch)
        # the Dutch company: its standard ladder, 800 < 2,500 so an e-mail
        self.assertEqual(dutch.level_id.profile_id, self.standard)
        self.assertEqual(dutch.channel, "email")
        self.assertEqual(dutch.move_ids, self.invoice_nl)
        # the Swiss company: its own ladder, 500 CHF >= 300 CHF so a call for
        # its own collector, in francs
        self.assertEqual(swiss.level_id.name, "Zahlungserinnerung")
        self.assertEqual(swiss.channel, "phone")
        self.assertEqual(swiss.move_ids, self.invoice_ch)
        self.assertEqual(swiss.amount, 500.0)
        self.assertEqual(swiss.currency_id, self.env.ref("base.CHF"))
        self.assertEqual(swiss.user_id, self.swiss_collector)
        self.assertEqual(swiss.activity_id.user_id, self.swiss_collector)
        self.assertEqual(
            self.customer.with_company(self.company_ch).dunning_collector_id,
            self.swiss_collector,
        )
        self.assertFalse(
            self.customer.with_company(self.company_nl).dunning_collector_id
        )

    def test_an_exclusion_or_a_pause_in_one_company_leaves_the_other(self):
        self.customer.with_company(self.company_nl).write({"dunning_excluded": True})
        self.customer.with_company(self.company_ch).write(
            {
                "dunning_paused_until": TODAY + timedelta(days=5),
                "dunning_pause_reason": "Betriebsferien",
            }
        )
        self.assertFalse(self._run())
        # a week later the Swiss pause is over, the Dutch exclusion is not
        communications = self._run(TODAY + timedelta(days=7))
        self.assertEqual(communications.company_id, self.company_ch)

    def test_the_profile_follows_each_companys_band_rules(self):
        self.assertEqual(
            self.customer.with_company(self.company_nl).dunning_profile_id,
            self.standard,
        )
        self.assertEqual(
            self.customer.with_company(self.company_ch).dunning_profile_id,
            self.swiss_profile,
        )
        found = (
            self.env["res.partner"]
            .with_company(self.company_ch)
            .search([("dunning_profile_id", "=", self.swiss_profile.id)])
        )
        self.assertIn(self.customer, found)
        self.assertNotIn(
            self.customer,
            self.env["res.partner"]
            .with_company(self.company_nl)
            .search([("dunning_profile_id", "=", self.swiss_profile.id)]),
        )

    def test_a_hold_is_the_companys_own(self):
        self.customer.with_company(self.company_ch).credit_hold = True
        self.assertTrue(self.invoice_ch.partner_credit_hold)
        self.assertFalse(self.invoice_nl.partner_credit_hold)
        self.assertFalse(self.customer.with_company(self.company_nl).credit_hold)
        # the night lifts nothing in the Swiss company while francs are overdue
        self._run()
        self.assertTrue(self.customer.with_company(self.company_ch).credit_hold)

    def test_a_user_of_one_company_does_not_see_the_others_reminders(self):
        communications = self._run()
        swiss = communications.filtered(lambda c: c.company_id == self.company_ch)
        visible = (
            self.env["dunning.communication"]
            .with_user(self.swiss_collector)
            .search([("partner_id", "=", self.customer.id)])
        )
        self.assertEqual(visible, swiss)
        with self.assertRaises(AccessError):
            (communications - swiss).with_user(self.swiss_collector).read(["amount"])

    def test_the_overview_and_the_work_list_read_the_users_companies_only(self):
        self.customer.with_company(self.company_ch).credit_hold = True
        with freeze_time(TODAY):
            self.env["dunning.promise"].with_company(self.company_ch).create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(self.invoice_ch.ids)],
                    "date": TODAY + timedelta(days=7),
                }
            )
        dutch_user = self._user(
            "anouk.nl",
            self.env.ref("customer_retention_dunning.group_credit_manager"),
            companies=self.company_nl,
        )
        overview = self.env["dunning.overview"]
        # the Swiss hold counts in the Swiss overview, not in the Dutch one
        self.assertEqual(
            overview.with_company(self.company_ch).create({}).credit_hold_count, 1
        )
        self.assertEqual(overview.with_user(dutch_user).create({}).credit_hold_count, 0)
        # the Swiss promise shows on the Swiss collector's work list only
        with freeze_time(TODAY):
            self.assertEqual(
                self.customer.with_user(self.swiss_collector).dunning_promise_state,
                "open",
            )
            self.assertFalse(self.customer.with_user(dutch_user).dunning_promise_state)
        # and a Dutch reminder's call note does not list the Swiss promise
        dutch = self._run().filtered(lambda c: c.company_id == self.company_nl)
        self.assertIn("No promise to pay on record", dutch._promise_history_html())
