"""After a formal demand's period, a credit manager charges the stated costs
and the interest with one invoice; payments can pay those first (art. 6:44
BW); payment plans can include them."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import DunningTestCommon
from .euro_company import EuroCompanyMixin

# the demand goes out on Tuesday 7 July 2026 for an invoice due 1 June;
# the consumer's 14 days run from 10 up to 23 July
DEMAND_DAY = date(2026, 7, 7)
CLAIMABLE = date(2026, 7, 24)


@tagged("post_install", "-at_install")
class TestCostsCharge(EuroCompanyMixin, DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "dunning_costs_arrangement": "fixed",
                "dunning_costs_vat": False,
                "dunning_receipt_working_days": 2,
                "dunning_minimum_amount": 10.0,
                "dunning_allocate_costs_first": False,
            }
        )
        cls.standard = cls.env.ref(
            "customer_retention_dunning.dunning_profile_standard"
        )
        cls.formal = cls.standard.level_ids.filtered(
            lambda level: level.tone == "formal"
        )[:1]
        cls.consumer = cls.env["res.partner"].create(
            {
                "name": "Jan Jansen",
                "email": "jan@example.nl",
                "country_id": cls.env.ref("base.nl").id,
                "dunning_profile_id": cls.standard.id,
            }
        )
        # the accountant running the tests is the credit manager here
        cls.env.user.groups_id += cls.env.ref(
            "customer_retention_dunning.group_credit_manager"
        )
        collector_group = cls.env.ref("customer_retention_dunning.group_collector")
        cls.collector = cls.env["res.users"].create(
            {
                "name": "Sanne Collector",
                "login": "sanne.costs",
                "email": "sanne.costs@example.nl",
                "groups_id": [Command.link(collector_group.id)],
            }
        )

    def _demand(self, partner=None, amount=2000):
        partner = partner or self.consumer
        invoice = self._invoice(
            amount, date(2026, 5, 2), date(2026, 6, 1), partner=partner
        )
        before = self.standard.level_ids.filtered(
            lambda level: level.sequence < self.formal.sequence
        ).sorted("sequence")[-1:]
        invoice.sudo().write(
            {"dunning_level_id": before.id, "dunning_last_date": date(2026, 6, 1)}
        )
        with freeze_time(DEMAND_DAY):
            self.env["dunning.escalation"].sudo()._cron_escalate()
            self._deliver_outbox()
        communication = self.env["dunning.communication"].search(
            [("partner_id", "=", partner.id)]
        )
        self.assertEqual(communication.level_id, self.formal)
        self.assertEqual(communication.state, "sent")
        self.assertEqual(communication.costs_claimable_from, CLAIMABLE)
        return invoice, communication

    def _charge(self, communication, on_date=CLAIMABLE):
        with freeze_time(on_date):
            action = communication.action_charge_costs()
        return self.env["account.move"].browse(action["res_id"])

    def _charges(self, partner=None):
        return self.env["account.move"].search(
            [
                ("partner_id", "=", (partner or self.consumer).id),
                ("dunning_is_charge", "=", True),
            ]
        )

    def test_costs_are_never_charged_before_the_14_days_have_passed(self):
        _invoice, communication = self._demand()
        with freeze_time(CLAIMABLE - timedelta(days=1)):
            self.assertFalse(communication.can_charge)
            with self.assertRaisesRegex(UserError, "07/24/2026|2026-07-24"):
                communication.action_charge_costs()
        self.assertFalse(self._charges())
        self.assertFalse(communication.charge_move_id)

    def test_one_action_charges_the_stated_costs_and_the_interest_to_date(self):
        invoice, communication = self._demand()
        # the consumer scale on 2,000: 15% = 300, as the letter stated
        self.assertEqual(communication.statutory_costs, 300.0)
        with freeze_time(CLAIMABLE):
            self.assertTrue(communication.can_charge)
        charge = self._charge(communication)
        # 4% a year from 2 June up to and including 24 July: 53 days
        # 2,000 x 0.04 x 53 / 365 = 11.6164 -> 11.62
        self.assertRecordValues(
            charge,
            [
                {
                    "state": "posted",
                    "move_type": "out_invoice",
                    "partner_id": self.consumer.id,
                    "invoice_date": CLAIMABLE,
                    "invoice_date_due": CLAIMABLE + timedelta(days=14),
                    "amount_tax": 0.0,
                    "amount_total": 311.62,
                    "dunning_costs_charged": 300.0,
                    "dunning_interest_charged": 11.62,
                    "dunning_charge_communication_id": communication.id,
                }
            ],
        )
        self.assertEqual(
            sorted(charge.invoice_line_ids.mapped("price_subtotal")), [11.62, 300.0]
        )
        self.assertFalse(charge.invoice_line_ids.tax_ids)
        self.assertFalse(charge.invoice_payment_term_id)
        # linked both ways and shown on the demand
        self.assertEqual(charge.dunning_charged_invoice_ids, invoice)
        self.assertEqual(invoice.dunning_charge_ids, charge)
        self.assertEqual(communication.charge_move_id, charge)
        self.assertIn(charge.name, communication.message_ids[0].body)
        with freeze_time(CLAIMABLE):
            self.assertFalse(communication.can_charge)
            with self.assertRaisesRegex(UserError, "Already charged"):
                communication.action_charge_costs()
        self.assertEqual(self._charges(), charge)

    def test_the_products_and_accounts_of_settings_are_used(self):
        _invoice, communication = self._demand()
        income = self.env["account.account"].create(
            {
                "name": "Collection costs received",
                "code": "849100",
                "account_type": "income_other",
            }
        )
        self.env.company.dunning_costs_account_id = income
        charge = self._charge(communication)
        costs_line = charge.invoice_line_ids.filtered(
            lambda line: line.product_id == self.env.company.dunning_costs_product_id
        )
        self.assertEqual(costs_line.account_id, income)
        self.assertEqual(costs_line.price_subtotal, 300.0)
        interest_line = charge.invoice_line_ids - costs_line
        self.assertEqual(
            interest_line.product_id, self.env.company.dunning_interest_product_id
        )
        self.assertNotEqual(interest_line.account_id, income)

    def test_only_a_credit_manager_charges(self):
        _invoice, communication = self._demand()
        with (
            freeze_time(CLAIMABLE),
            self.assertRaisesRegex(UserError, "credit manager"),
        ):
            communication.with_user(self.collector).action_charge_costs()
        self.assertFalse(self._charges())

    def test_nothing_is_charged_when_the_customer_paid_in_time(self):
        invoice, communication = self._demand()
        self._pay(invoice, date(2026, 7, 20))
        with (
            freeze_time(CLAIMABLE + timedelta(days=3)),
            self.assertRaisesRegex(UserError, "paid within the period"),
        ):
            communication.action_charge_costs()
        self.assertFalse(self._charges())

    def test_a_refusal_for_one_demand_charges_none_of_them(self):
        _invoice, communication = self._demand()
        business = self.env["res.partner"].create(
            {
                "name": "Bouwbedrijf Dijkstra B.V.",
                "is_company": True,
                "email": "info@dijkstra.example.nl",
                "dunning_profile_id": self.standard.id,
            }
        )
        paid, other = self._demand(business)
        self._pay(paid, date(2026, 7, 10))
        with freeze_time(CLAIMABLE), self.assertRaisesRegex(UserError, "Dijkstra"):
            (communication | other).action_charge_costs()
        self.assertFalse(self._charges() | self._charges(business))

    def test_payments_pay_costs_then_interest_then_the_invoice_when_asked(self):
        invoice, communication = self._demand()
        charge = self._charge(communication)
        self.env.company.dunning_allocate_costs_first = True
        # 1,000 registered on the original invoice
        self._pay(invoice, date(2026, 7, 27), amount=1000.0)
        self.assertEqual(charge.payment_state, "paid")
        self.assertEqual(invoice.amount_residual, 2000.0 - (1000.0 - 311.62))
        self.assertEqual(charge.dunning_costs_open, 0.0)
        self.assertEqual(charge.dunning_interest_open, 0.0)

    def test_without_the_setting_payments_go_to_the_invoice_paid(self):
        invoice, communication = self._demand()
        charge = self._charge(communication)
        self._pay(invoice, date(2026, 7, 27), amount=1000.0)
        self.assertEqual(invoice.amount_residual, 1000.0)
        self.assertEqual(charge.amount_residual, 311.62)

    def test_a_part_payment_of_the_costs_invoice_pays_the_costs_first(self):
        _invoice, communication = self._demand()
        charge = self._charge(communication)
        self._pay(charge, date(2026, 7, 27), amount=200.0)
        self.assertEqual(charge.dunning_costs_open, 100.0)
        self.assertEqual(charge.dunning_interest_open, 11.62)
        self._pay(charge, date(2026, 7, 28), amount=105.0)
        self.assertEqual(charge.dunning_costs_open, 0.0)
        self.assertAlmostEqual(charge.dunning_interest_open, 6.62, places=2)

    def test_interest_runs_on_each_part_until_it_was_paid(self):
        business = self.env["res.partner"].create(
            {"name": "Bouwbedrijf Dijkstra B.V.", "is_company": True}
        )
        invoice = self._invoice(
            2000, date(2026, 5, 2), date(2026, 6, 1), partner=business
        )
        self._pay(invoice, date(2026, 7, 1), amount=1000.0)
        # commercial 10.15%: 1,000 from 2 June up to and including 1 July
        # (30 days) = 8.3425, and 1,000 up to and including 31 July (60 days)
        # = 16.6849; rounded per part: 8.34 + 16.68
        self.assertEqual(invoice._dunning_statutory_interest(date(2026, 7, 31)), 25.02)
        # nothing before the due date has passed
        self.assertEqual(invoice._dunning_statutory_interest(date(2026, 6, 1)), 0.0)

    def test_each_instalment_runs_from_its_own_due_date(self):
        business = self.env["res.partner"].create(
            {"name": "Bouwbedrijf Dijkstra B.V.", "is_company": True}
        )
        term = self.env["account.payment.term"].create(
            {
                "name": "Half at 30, half at 60 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 50.0, "nb_days": 30}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 50.0, "nb_days": 60}
                    ),
                ],
            }
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": business.id,
                "invoice_date": date(2026, 5, 2),
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Steel",
                            "price_unit": 2000.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        # 1,000 due 1 June and 1,000 due 1 July; at 10.15% up to and
        # including 31 July: 60 days (16.6849) and 30 days (8.3425), rounded
        # per part: 16.68 + 8.34 (from the last due date alone: 16.68)
        self.assertEqual(invoice.invoice_date_due, date(2026, 7, 1))
        self.assertEqual(invoice._dunning_statutory_interest(date(2026, 7, 31)), 25.02)

    def test_a_credited_part_bears_no_interest(self):
        business = self.env["res.partner"].create(
            {"name": "Bouwbedrijf Dijkstra B.V.", "is_company": True}
        )
        invoice = self._invoice(
            2000, date(2026, 5, 2), date(2026, 6, 1), partner=business
        )
        refund = self._invoice(
            1000,
            date(2026, 7, 1),
            date(2026, 7, 1),
            partner=business,
            move_type="out_refund",
        )
        (invoice | refund).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(invoice.amount_residual, 1000.0)
        # only the 1,000 still owed, 2 June up to and including 31 July
        # (60 days) at 10.15%: 16.6849 -> 16.68
        self.assertEqual(invoice._dunning_statutory_interest(date(2026, 7, 31)), 16.68)


@tagged("post_install", "-at_install")
class TestPlanWithCosts(EuroCompanyMixin, DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        cls.env.company.write(
            {
                "dunning_costs_arrangement": "fixed",
                "dunning_costs_vat": False,
                "payment_plan_approval_amount": 50000.0,
                "payment_plan_min_instalment": 25.0,
                "payment_plan_max_months": 12,
            }
        )
        cls.invoice = cls._invoice(2000, date(2026, 5, 2), date(2026, 6, 1))
        cls.env.user.groups_id += cls.env.ref(
            "customer_retention_dunning.group_collector"
        )
        manager_group = cls.env.ref("customer_retention_dunning.group_credit_manager")
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Carla Credit",
                "login": "carla.costs",
                "email": "carla.costs@example.nl",
                "groups_id": [Command.link(manager_group.id)],
            }
        )

    def _wizard(self, invoices, include):
        action = invoices.action_propose_payment_plan()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.include_statutory = include
        wizard.instalment_count = 3
        wizard.first_date = date(2026, 7, 14)
        return wizard

    def test_the_wizard_fills_costs_and_interest_from_the_rules(self):
        with freeze_time(DEMAND_DAY):
            wizard = self._wizard(self.invoice, include=True)
            # the EU directive's fixed 40; 10.15% for 36 days on 2,000 = 20.02
            self.assertEqual(wizard.costs_amount, 40.0)
            self.assertEqual(wizard.interest_amount, 20.02)
            self.assertEqual(wizard.amount_total, 2060.02)
            wizard.include_statutory = False
            self.assertEqual(wizard.costs_amount, 0.0)
            self.assertEqual(wizard.amount_total, 2000.0)

    def test_nothing_overdue_adds_nothing(self):
        not_due = self._invoice(800, date(2026, 7, 1), date(2026, 7, 31))
        with freeze_time(DEMAND_DAY):
            wizard = self._wizard(not_due, include=True)
            self.assertEqual(wizard.costs_amount, 0.0)
            self.assertEqual(wizard.interest_amount, 0.0)

    def test_a_consumer_without_an_expired_14_day_letter_owes_no_costs(self):
        consumer = self.env["res.partner"].create(
            {"name": "Jan Jansen", "email": "jan@example.nl"}
        )
        invoice = self._invoice(
            2000, date(2026, 5, 2), date(2026, 6, 1), partner=consumer
        )
        with freeze_time(DEMAND_DAY):
            wizard = self._wizard(invoice, include=True)
            self.assertEqual(wizard.costs_amount, 0.0)
            # statutory 4% for 36 days: 7.89
            self.assertEqual(wizard.interest_amount, 7.89)

    def test_an_approved_plan_invoices_its_costs_and_pays_them_through_the_plan(self):
        with freeze_time(DEMAND_DAY):
            result = self._wizard(self.invoice, include=True).save().action_propose()
            plan = self.env["payment.plan"].browse(result["res_id"])
            self.assertEqual(plan.amount_total, 2060.02)
            self.assertFalse(plan.charge_move_id)
            plan.with_user(self.manager).action_approve()
        charge = plan.charge_move_id
        self.assertRecordValues(
            charge,
            [
                {
                    "state": "posted",
                    "amount_total": 60.02,
                    "dunning_charge_plan_id": plan.id,
                    "payment_plan_id": plan.id,
                }
            ],
        )
        self.assertEqual(charge.dunning_charged_invoice_ids, self.invoice)
        self.assertIn(charge, plan.move_ids)
        self.assertEqual(plan.amount_total, 2060.02)
        self._pay(self.invoice, date(2026, 7, 14), amount=700.0)
        self.assertEqual(plan.amount_paid, 700.0)
        self.assertEqual(plan.line_ids.sorted("date")[0].state, "paid")

    def test_a_reopened_plan_does_not_add_its_costs_twice(self):
        with freeze_time(DEMAND_DAY):
            result = self._wizard(self.invoice, include=True).save().action_propose()
            plan = self.env["payment.plan"].browse(result["res_id"])
            plan.with_user(self.manager).action_approve()
            plan.sudo().state = "broken"
            plan.with_user(self.manager).action_reopen()
            plan.action_submit()
        # still the 2,000 and the invoiced 60.02, nothing more
        self.assertEqual(plan.amount_total, 2060.02)
        self.assertEqual(sum(plan.line_ids.mapped("amount")), 2060.02)
        self.assertIn(plan.charge_move_id, plan.move_ids)
