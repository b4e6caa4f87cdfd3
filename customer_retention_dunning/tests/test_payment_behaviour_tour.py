"""The customer screen in a real browser."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import ReceivablesMixin


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
        )

    def test_customer_kanban_shows_the_band(self):
        self.start_tour(
            "/odoo/action-account.res_partner_action_customer?view_type=kanban",
            "customer_retention_dunning_partner_kanban",
            login="admin",
        )
