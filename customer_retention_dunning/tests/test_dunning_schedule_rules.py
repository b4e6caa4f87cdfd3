"""The dunning ladder and the channel choice, without a database."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests.common import BaseCase

from ..tools.dunning_schedule import (
    MIN_INTERVAL_DAYS,
    InvoiceDunning,
    Level,
    choose_channel,
    next_date,
    next_step,
)

DUE = date(2026, 3, 1)
LADDER = (
    Level("proactive", 10, -3, 1),
    Level("friendly", 20, 7, 15),
    Level("firm", 30, 21, 15),
    Level("formal", 40, 35, 15),
)


def _on(days_after_due):
    return DUE + timedelta(days=days_after_due)


class TestDunningScheduleRules(BaseCase):
    def test_the_proactive_reminder_comes_before_the_due_date(self):
        invoice = InvoiceDunning(1, DUE)
        self.assertIsNone(next_step(invoice, LADDER, _on(-4)))
        self.assertEqual(next_step(invoice, LADDER, _on(-3)).key, "proactive")

    def test_never_more_than_one_step_per_run(self):
        # a 60 days overdue invoice never reminded starts at the first
        # reminder after the due date, not at the formal demand
        invoice = InvoiceDunning(1, DUE)
        self.assertEqual(next_step(invoice, LADDER, _on(60)).key, "friendly")
        after = InvoiceDunning(1, DUE, 20, _on(60))
        self.assertIsNone(next_step(after, LADDER, _on(60)))
        self.assertEqual(next_date(after, LADDER, today=_on(60)), _on(75))

    def test_a_proactive_reminder_is_passed_over_once_overdue(self):
        invoice = InvoiceDunning(1, DUE)
        self.assertEqual(next_date(invoice, LADDER, today=_on(-10)), _on(-3))
        self.assertEqual(next_date(invoice, LADDER, today=_on(1)), _on(7))
        self.assertIsNone(next_step(invoice, LADDER, _on(1)))

    def test_the_minimum_interval_counts_from_the_previous_reminder(self):
        invoice = InvoiceDunning(1, DUE, 20, _on(10))
        self.assertIsNone(next_step(invoice, LADDER, _on(24)))
        self.assertEqual(next_step(invoice, LADDER, _on(25)).key, "firm")
        self.assertEqual(next_date(invoice, LADDER), _on(25))

    def test_the_customers_last_reminder_also_counts(self):
        invoice = InvoiceDunning(1, DUE, 20, _on(10))
        self.assertIsNone(
            next_step(invoice, LADDER, _on(25), customer_last_date=_on(20))
        )
        self.assertEqual(
            next_date(invoice, LADDER, customer_last_date=_on(20)), _on(35)
        )

    def test_a_proactive_and_the_first_overdue_reminder_on_consecutive_days(self):
        # the shortest ladder the levels allow: one day between the steps
        ladder = (
            Level("proactive", 10, -1, MIN_INTERVAL_DAYS),
            Level("friendly", 20, 0, MIN_INTERVAL_DAYS),
        )
        self.assertEqual(
            next_step(InvoiceDunning(1, DUE), ladder, _on(-1)).key, "proactive"
        )
        # the night after it: the next step, a day later
        reminded = InvoiceDunning(1, DUE, 10, _on(-1))
        self.assertEqual(next_date(reminded, ladder, today=_on(-1)), _on(0))
        self.assertEqual(next_step(reminded, ladder, _on(0)).key, "friendly")

    def test_a_second_run_on_the_same_day_never_climbs_again(self):
        ladder = (
            Level("proactive", 10, -1, MIN_INTERVAL_DAYS),
            Level("friendly", 20, 0, MIN_INTERVAL_DAYS),
        )
        # stepped up today, the friendly level's day has come already
        stepped = InvoiceDunning(1, DUE, 10, _on(0))
        self.assertIsNone(next_step(stepped, ladder, _on(0)))
        # what an interval of 0 would have done: the second step the same day
        no_interval = (ladder[0], Level("friendly", 20, 0, 0))
        self.assertEqual(next_step(stepped, no_interval, _on(0)).key, "friendly")

    def test_a_pause_holds_the_invoice_until_the_day_after(self):
        invoice = InvoiceDunning(1, DUE, 20, _on(10), paused_until=_on(40))
        self.assertIsNone(next_step(invoice, LADDER, _on(40)))
        self.assertEqual(next_step(invoice, LADDER, _on(41)).key, "firm")

    def test_a_disputed_invoice_is_never_reminded(self):
        invoice = InvoiceDunning(1, DUE, blocked=True)
        self.assertIsNone(next_step(invoice, LADDER, _on(300)))
        self.assertIsNone(next_date(invoice, LADDER))

    def test_the_top_of_the_ladder_ends_it(self):
        invoice = InvoiceDunning(1, DUE, 40, _on(35))
        self.assertIsNone(next_step(invoice, LADDER, _on(400)))
        self.assertIsNone(next_date(invoice, LADDER))

    @settings(max_examples=200, deadline=None, database=None, derandomize=True)
    @given(
        st.integers(-10, 400),
        st.sampled_from([None, 10, 20, 30, 40]),
        st.integers(0, 60),
    )
    def test_a_step_never_skips_a_level_nor_breaks_the_interval(
        self, day, current, since_last
    ):
        last = _on(day - since_last) if current else None
        invoice = InvoiceDunning(1, DUE, current, last)
        level = next_step(invoice, LADDER, _on(day))
        if level is None:
            return
        # a proactive level (before the due date) is passed over once overdue
        above = [
            lv.sequence
            for lv in LADDER
            if (current is None or lv.sequence > current)
            and not (lv.days_after_due < 0 and day > 0)
        ]
        self.assertEqual(level.sequence, min(above))
        self.assertGreaterEqual(day, level.days_after_due)
        if last:
            self.assertGreaterEqual(since_last, level.min_interval_days)

    def test_channel_follows_the_amount(self):
        self.assertEqual(choose_channel(100, 1000, 5000), ("email", None))
        self.assertEqual(choose_channel(1000, 1000, 5000), ("letter", None))
        self.assertEqual(choose_channel(5000, 1000, 5000), ("phone", None))
        self.assertEqual(choose_channel(90000, 0, 0), ("email", None))

    def test_a_preferred_message_channel_replaces_email_only(self):
        reachable = ("email", "letter", "sms", "whatsapp")
        self.assertEqual(
            choose_channel(100, 1000, 5000, "sms", reachable), ("sms", None)
        )
        self.assertEqual(
            choose_channel(100, 1000, 5000, "whatsapp", reachable), ("whatsapp", None)
        )
        self.assertEqual(
            choose_channel(2000, 1000, 5000, "sms", reachable), ("letter", None)
        )

    def test_an_unreachable_customer_falls_back_and_is_never_silent(self):
        self.assertEqual(
            choose_channel(100, 1000, 5000, "sms", ("email", "letter")),
            ("email", "no_sms"),
        )
        self.assertEqual(
            choose_channel(100, 1000, 5000, None, ("letter",)), ("letter", "no_email")
        )
        self.assertEqual(
            choose_channel(100, 1000, 5000, "sms", ()), ("phone", "no_sms")
        )
        self.assertEqual(
            choose_channel(2000, 1000, 5000, None, ()), ("phone", "no_letter")
        )
