"""Going live on an existing book: every invoice from the first step, or
each at the step its age reaches, never beyond the formal demand; Settings
preview the first night either way."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import BaseCase

from ..tools.dunning_schedule import InvoiceDunning, Level, placed_level
from .euro_company import EuroCompanyMixin
from .test_delivery import TODAY, DeliveryCase

# the standard ladder: proactive -5, friendly 7, firm 21, formal 35, final
# notice 49, hand-over 63 days after the due date
LADDER = [
    Level("proactive", 1, -5),
    Level("friendly", 2, 7),
    Level("firm", 3, 21),
    Level("formal", 4, 35),
    Level("final", 5, 49),
    Level("handover", 6, 63),
]
PLACEABLE = {"proactive", "friendly", "firm", "formal"}


class TestPlacedLevelRules(BaseCase):
    def _place(self, days_overdue, **state):
        invoice = InvoiceDunning(
            "inv", date(2026, 7, 1) - timedelta(days=days_overdue), **state
        )
        level = placed_level(invoice, LADDER, date(2026, 7, 1), PLACEABLE)
        return level.key if level else None

    def test_an_invoice_starts_at_the_step_its_age_reached(self):
        self.assertIsNone(self._place(3))  # no step reached: the ladder's own
        self.assertEqual(self._place(7), "friendly")
        self.assertEqual(self._place(25), "firm")
        self.assertEqual(self._place(35), "formal")

    def test_never_beyond_the_formal_demand(self):
        # 411 days late: the hand-over's day passed long ago
        self.assertEqual(self._place(411), "formal")

    def test_an_invoice_dunned_before_or_held_is_not_placed(self):
        self.assertIsNone(self._place(100, level_sequence=2))
        self.assertIsNone(self._place(100, last_date=date(2026, 6, 1)))
        self.assertIsNone(self._place(100, blocked=True))
        self.assertIsNone(self._place(100, paused_until=date(2026, 7, 1)))
        # positive control: a pause that ended
        self.assertEqual(self._place(100, paused_until=date(2026, 6, 30)), "formal")


@tagged("post_install", "-at_install")
class TestGoLive(EuroCompanyMixin, DeliveryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.dunning_start_date = TODAY
        cls.formal = cls.levels.filtered(lambda level: level.tone == "formal")[:1]
        cls.firm = cls.levels.filtered(lambda level: level.tone == "firm")[:1]

    def _book(self):
        """A year-old invoice of one customer, a 25-day-old one of another."""
        old = self._invoice(
            900.0, date(2025, 4, 16), date(2025, 5, 16)
        )  # 411 days late on 1 July 2026
        recent = self._invoice(
            700.0, date(2026, 5, 7), date(2026, 6, 6), partner=self.other
        )  # 25 days late
        return old, recent

    def test_by_age_places_each_invoice_up_to_the_formal_demand(self):
        self.env.company.dunning_start_mode = "by_age"
        old, recent = self._book()
        self._night(TODAY)
        self.assertEqual(self._reminders().level_id, self.formal)
        self.assertEqual(self._reminders(self.other).level_id, self.firm)
        self._deliver_outbox()
        self.assertEqual(old.dunning_level_id, self.formal)
        self.assertEqual(recent.dunning_level_id, self.firm)
        # the customer is never put on hold nor handed over by the placing
        self.assertFalse(self.customer.with_company(self.env.company).credit_hold_date)
        self.assertFalse(old.dunning_handed_over)

    def test_first_step_starts_everyone_friendly(self):
        self.assertEqual(self.env.company.dunning_start_mode, "first_step")
        old, recent = self._book()
        self._night(TODAY)
        self.assertEqual(self._reminders().level_id, self.friendly)
        self.assertEqual(self._reminders(self.other).level_id, self.friendly)

    def test_invoices_due_after_going_live_follow_the_ladder(self):
        self.env.company.write(
            {"dunning_start_mode": "by_age", "dunning_start_date": date(2025, 1, 1)}
        )
        self._book()
        self._night(TODAY)
        # due after the start date: from the first step, as any invoice
        self.assertEqual(self._reminders().level_id, self.friendly)
        self.assertEqual(self._reminders(self.other).level_id, self.friendly)

    def test_settings_preview_the_first_night_either_way(self):
        self._book()
        # the buttons of Settings, as a collector would press them
        settings = self.env["res.config.settings"].with_user(self.collector)
        with freeze_time(TODAY):
            friendly = self.env["dunning.preview.wizard"].browse(
                settings.action_preview_start_first_step()["res_id"]
            )
            by_age = self.env["dunning.preview.wizard"].browse(
                settings.action_preview_start_by_age()["res_id"]
            )
        self.assertEqual(
            friendly.line_ids.mapped("level_id"), self.friendly | self.friendly
        )
        self.assertEqual(
            set(by_age.line_ids.mapped(lambda line: (line.partner_id, line.level_id))),
            {(self.customer, self.formal), (self.other, self.firm)},
        )
        # a preview sends nothing, and one of another way cannot be sent
        self.assertFalse(self._reminders() | self._reminders(self.other))
        with self.assertRaisesRegex(Exception, "another way of going live"):
            by_age.with_user(self.collector).action_send_now()
        # the preview is a collector's: a salesperson may not
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.seller)._preview_start(
                "by_age"
            )
