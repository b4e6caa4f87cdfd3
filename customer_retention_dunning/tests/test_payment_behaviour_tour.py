"""The customer screen in a real browser."""

from datetime import date, timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ReceivablesMixin

# the first page load builds the asset bundles: slow on a busy 2-core machine
TOUR_TIMEOUT = 180


@tagged("post_install", "-at_install")
class TestPaymentBehaviourTour(ReceivablesMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Drukkerij Punctueel", "is_company": True}
        )
        today = fields.Date.context_today(cls.customer)
        for days_ago in (120, 90, 60):
            cls._paid_invoice(1000, today - timedelta(days=days_ago), -1)

    def test_customer_form_shows_score_band_and_reasons(self):
        self.assertEqual(self.customer.payment_score_band, "excellent")
        self.start_tour(
            f"/odoo/action-account.res_partner_action_customer/{self.customer.id}",
            "customer_retention_dunning_payment_behaviour",
            login="admin",
            timeout=TOUR_TIMEOUT,
        )

    def test_customer_kanban_shows_the_band(self):
        self.start_tour(
            "/odoo/action-account.res_partner_action_customer?view_type=kanban",
            "customer_retention_dunning_partner_kanban",
            login="admin",
            timeout=TOUR_TIMEOUT,
        )

    def test_a_collectors_day(self):
        collector = new_test_user(
            self.env,
            login="collector",
            groups="base.group_user,customer_retention_dunning.group_collector",
        )
        late = self.env["res.partner"].create(
            {"name": "Drukkerij Laat", "is_company": True}
        )
        today = fields.Date.context_today(late)
        for days_ago in (200, 170, 140):
            self._paid_invoice(500, today - timedelta(days=days_ago), 45, partner=late)
        invoice = self._invoice(
            2000, today - timedelta(days=120), today - timedelta(days=90), partner=late
        )
        late.dunning_collector_id = collector
        # what the night leaves the collector: a call due today, so the
        # customer is among *my* customers *to act on today*
        late.activity_schedule(
            "mail.mail_activity_data_call", date_deadline=today, user_id=collector.id
        )
        late._update_payment_score()
        # the tour promises a fixed far date (the calendar of the machine
        # running it is unknown): allow it
        self.env.company.dunning_promise_max_days = 40000
        self.start_tour(
            "/odoo/action-customer_retention_dunning.res_partner_action_my_collections",
            "customer_retention_dunning_collector_day",
            login="collector",
            timeout=TOUR_TIMEOUT,
        )
        promise = self.env["dunning.promise"].search([("partner_id", "=", late.id)])
        self.assertEqual(promise.move_ids, invoice)
        self.assertEqual(promise.user_id, collector)
        self.assertEqual(invoice.promise_date, date(2099, 12, 31))
        self.assertIn(
            "Called: pays before the end of the year",
            "".join(late.message_ids.mapped("body")),
        )

    def test_an_accountant_disputes_an_invoice_and_lifts_it(self):
        today = fields.Date.context_today(self.customer)
        invoice = self._invoice(
            700, today - timedelta(days=60), today - timedelta(days=30)
        )
        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "customer_retention_dunning_dispute",
            login="admin",
            timeout=TOUR_TIMEOUT,
        )
        self.assertFalse(invoice.dunning_blocked)
        self.assertFalse(invoice.dunning_blocked_date)
        # the chatter keeps what happened
        reasons = invoice.message_ids.tracking_value_ids.mapped("new_value_char")
        self.assertIn("Delivered goods were damaged", reasons)
