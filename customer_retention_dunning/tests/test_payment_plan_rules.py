"""The schedule of a payment plan, without a database."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests.common import BaseCase

from ..tools.payment_plan import (
    BIWEEKLY,
    FREQUENCIES,
    MONTHLY,
    WEEKLY,
    add_months,
    allocate_paid,
    build_schedule,
    credited_in_full,
)

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("250000"), places=2)


class TestPaymentPlanRules(BaseCase):
    def test_three_instalments_of_100_add_up_to_the_cent(self):
        schedule = build_schedule(
            Decimal("100.00"), date(2026, 1, 15), MONTHLY, count=3
        )
        self.assertEqual(
            [line.amount for line in schedule],
            [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")],
        )
        self.assertEqual(
            [line.date for line in schedule],
            [date(2026, 1, 15), date(2026, 2, 15), date(2026, 3, 15)],
        )

    def test_month_ends_keep_their_day(self):
        schedule = build_schedule(400, date(2026, 1, 31), MONTHLY, count=4)
        self.assertEqual(
            [line.date for line in schedule],
            [
                date(2026, 1, 31),
                date(2026, 2, 28),
                date(2026, 3, 31),
                date(2026, 4, 30),
            ],
        )
        leap = build_schedule(200, date(2028, 1, 31), MONTHLY, count=2)
        self.assertEqual(leap[1].date, date(2028, 2, 29))
        self.assertEqual(add_months(date(2026, 11, 30), 3), date(2027, 2, 28))

    def test_weekly_and_every_two_weeks(self):
        weekly = build_schedule(90, date(2026, 3, 2), WEEKLY, count=3)
        self.assertEqual(
            [line.date for line in weekly],
            [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)],
        )
        biweekly = build_schedule(90, date(2026, 12, 21), BIWEEKLY, count=3)
        self.assertEqual(
            [line.date for line in biweekly],
            [date(2026, 12, 21), date(2027, 1, 4), date(2027, 1, 18)],
        )

    def test_a_down_payment_comes_first_and_the_rhythm_follows(self):
        schedule = build_schedule(
            1000, date(2026, 5, 1), MONTHLY, count=3, down_payment=250
        )
        self.assertEqual(
            [(line.date, line.amount, line.is_down_payment) for line in schedule],
            [
                (date(2026, 5, 1), Decimal("250.00"), True),
                (date(2026, 6, 1), Decimal("250.00"), False),
                (date(2026, 7, 1), Decimal("250.00"), False),
                (date(2026, 8, 1), Decimal("250.00"), False),
            ],
        )

    def test_an_instalment_amount_gives_the_number_and_a_smaller_last(self):
        schedule = build_schedule(
            1000, date(2026, 5, 1), MONTHLY, instalment_amount=300
        )
        self.assertEqual(
            [line.amount for line in schedule],
            [Decimal("300.00")] * 3 + [Decimal("100.00")],
        )
        exact = build_schedule(900, date(2026, 5, 1), MONTHLY, instalment_amount=300)
        self.assertEqual(len(exact), 3)

    def test_currencies_without_cents(self):
        schedule = build_schedule(1000, date(2026, 5, 1), MONTHLY, count=3, digits=0)
        self.assertEqual([line.amount for line in schedule], [333, 333, 334])

    def test_what_cannot_make_a_schedule_is_refused(self):
        for kwargs in (
            {"total": 0, "count": 2},
            {"total": 100, "count": 0},
            {"total": 100, "count": 2, "down_payment": 100},
            {"total": 100, "instalment_amount": 0},
            {"total": 100},
        ):
            total = kwargs.pop("total")
            with self.assertRaises(ValueError):
                build_schedule(total, date(2026, 5, 1), MONTHLY, **kwargs)
        with self.assertRaises(ValueError):
            build_schedule(100, date(2026, 5, 1), "yearly", count=2)

    def test_a_plan_is_credited_in_full_when_every_invoice_is_reversed(self):
        self.assertTrue(credited_in_full(["reversed"]))
        self.assertTrue(credited_in_full(("reversed", "reversed")))
        # one invoice paid (or on its way), the other credited: kept
        self.assertFalse(credited_in_full(["reversed", "paid"]))
        self.assertFalse(credited_in_full(["in_payment", "reversed"]))
        self.assertFalse(credited_in_full(["paid", "paid"]))
        # still open, or nothing at all: not credited
        self.assertFalse(credited_in_full(["reversed", "partial"]))
        self.assertFalse(credited_in_full([]))
        self.assertFalse(credited_in_full(iter(())))

    def test_payments_fill_the_instalments_in_date_order(self):
        self.assertEqual(
            allocate_paid([100, 100, 100], Decimal("150")),
            [Decimal(100), Decimal(50), Decimal(0)],
        )
        self.assertEqual(allocate_paid([100, 100], 500), [Decimal(100), Decimal(100)])

    @settings(derandomize=True, max_examples=300, deadline=None)
    @given(
        total=amounts,
        count=st.integers(min_value=1, max_value=60),
        frequency=st.sampled_from(FREQUENCIES),
        first=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)),
        down_share=st.sampled_from([0, 0.1, 0.5]),
    )
    def test_every_schedule_adds_up_exactly_and_keeps_its_rhythm(
        self, total, count, frequency, first, down_share
    ):
        down = (total * Decimal(str(down_share))).quantize(Decimal("0.01"))
        schedule = build_schedule(
            total, first, frequency, count=count, down_payment=down
        )
        self.assertEqual(sum(line.amount for line in schedule), total)
        self.assertTrue(all(line.amount >= 0 for line in schedule))
        self.assertEqual(len(schedule), count + (1 if down else 0))
        dates = [line.date for line in schedule]
        self.assertEqual(dates, sorted(dates))
        self.assertEqual(len(set(dates)), len(dates))
        self.assertEqual(dates[0], first)
        if frequency == MONTHLY:
            for line in schedule:
                self.assertIn(line.date.day, {first.day, 28, 29, 30, 31})
        # every instalment but the last is the same amount
        instalments = [line.amount for line in schedule if not line.is_down_payment]
        self.assertEqual(len(set(instalments[:-1])), min(1, len(instalments) - 1))
        self.assertLess(
            abs(instalments[-1] - instalments[0]),
            count * Decimal("0.01") + Decimal("0.01"),
        )
