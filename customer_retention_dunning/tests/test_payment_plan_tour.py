"""Payment plans in a real browser: proposed, approved, followed in the portal."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ReceivablesMixin

# the first page load builds the asset bundles: slow on a busy 2-core machine
TOUR_TIMEOUT = 180


@tagged("post_install", "-at_install")
class TestPaymentPlanTour(ReceivablesMixin, HttpCase):
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
        today = fields.Date.context_today(cls.customer)
        cls.invoices = cls._invoice(
            800, today - timedelta(days=60), today - timedelta(days=30)
        ) | cls._invoice(400, today - timedelta(days=45), today - timedelta(days=15))
        cls.collector = new_test_user(
            cls.env,
            login="plan_collector",
            groups="base.group_user,customer_retention_dunning.group_collector",
        )
        cls.manager = new_test_user(
            cls.env,
            login="plan_manager",
            groups="base.group_user,customer_retention_dunning.group_credit_manager",
        )

    def test_a_collector_proposes_and_a_credit_manager_approves(self):
        self.start_tour(
            f"/odoo/action-account.res_partner_action_customer/{self.customer.id}",
            "customer_retention_dunning_plan_propose",
            login="plan_collector",
            timeout=TOUR_TIMEOUT,
        )
        plan = self.env["payment.plan"].search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            plan,
            [
                {
                    "state": "to_approve",
                    "proposed_by_id": self.collector.id,
                    "amount_total": 1200.0,
                }
            ],
        )
        self.assertEqual(plan.move_ids, self.invoices)
        self.assertEqual(len(plan.line_ids), 2)
        self.start_tour(
            "/odoo/action-customer_retention_dunning.payment_plan_action_to_approve",
            "customer_retention_dunning_plan_approve",
            login="plan_manager",
            timeout=TOUR_TIMEOUT,
        )
        self.assertRecordValues(
            plan, [{"state": "active", "approved_by_id": self.manager.id}]
        )
        self.assertEqual(self.invoices.payment_plan_id, plan)

    def test_the_customer_follows_the_plan_in_the_portal(self):
        today = fields.Date.context_today(self.customer)
        plan = self.env["payment.plan"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(self.invoices.ids)],
                "instalment_count": 2,
                "first_date": today + timedelta(days=5),
                "proposed_by_id": self.collector.id,
            }
        )
        plan.with_user(self.collector).action_submit()
        plan.with_user(self.manager).action_approve()
        contact = self.env["res.partner"].create(
            {
                "name": "Gert Groen",
                "parent_id": self.customer.id,
                "email": "gert@groen.nl",
            }
        )
        new_test_user(
            self.env,
            login="plan_portal",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        self.start_tour(
            "/my",
            "customer_retention_dunning_plan_portal",
            login="plan_portal",
            timeout=TOUR_TIMEOUT,
        )
        # with Odoo's online payments (account_payment, installed with the
        # sales bridge) the next instalment can be paid from the page
        self.assertIn("payment.transaction", self.env)
        self.authenticate("plan_portal", "plan_portal")
        page = self.url_open(plan.get_portal_url()).text
        self.assertIn("Pay this instalment", page)
        oldest = self.invoices.sorted("invoice_date_due")[0]
        self.assertIn(f"/my/invoices/{oldest.id}?access_token=", page)
        self.assertIn(f"amount={plan.line_ids[0].amount}", page)

    def test_the_portal_hides_other_customers_plans(self):
        other = self.env["res.partner"].create(
            {"name": "Slagerij Vos", "is_company": True}
        )
        today = fields.Date.context_today(other)
        invoice = self._invoice(
            500, today - timedelta(days=60), today - timedelta(days=30), partner=other
        )
        plan = self.env["payment.plan"].create(
            {
                "partner_id": other.id,
                "move_ids": [Command.set(invoice.ids)],
                "instalment_count": 2,
                "first_date": today + timedelta(days=5),
                "proposed_by_id": self.collector.id,
            }
        )
        plan.with_user(self.collector).action_submit()
        plan.with_user(self.manager).action_approve()
        new_test_user(
            self.env,
            login="plan_portal_other",
            groups="base.group_portal",
            partner_id=self.customer.id,
        )
        self.authenticate("plan_portal_other", "plan_portal_other")
        page = self.url_open(f"/my/payment_plans/{plan.id}")
        # sent back to the portal home, the plan's name never shown
        self.assertTrue(page.url.endswith("/my"), page.url)
        self.assertNotIn(plan.name, page.text)
        listing = self.url_open("/my/payment_plans")
        self.assertNotIn(plan.name, listing.text)
