"""The Credit Control overview in a real browser."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import ReceivablesMixin
from .test_payment_behaviour_tour import TOUR_TIMEOUT


@tagged("post_install", "-at_install")
class TestCreditControlTour(ReceivablesMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Drukkerij Overzicht", "is_company": True}
        )
        today = fields.Date.context_today(cls.customer)
        cls._invoice(1500, today - timedelta(days=75), today - timedelta(days=45))

    def test_the_overview_drills_down_to_the_ageing_and_dso(self):
        self.start_tour(
            "/odoo/action-customer_retention_dunning.dunning_overview_action",
            "customer_retention_dunning_overview",
            login="admin",
            timeout=TOUR_TIMEOUT,
        )
