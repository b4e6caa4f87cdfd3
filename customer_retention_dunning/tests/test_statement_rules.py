"""How old an open item is on a statement and what the items add up to,
without a database."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from odoo.tests.common import BaseCase

from ..tools.statement import BUCKET_KEYS, age_bucket, bucket_totals, days_overdue

STATEMENT_DATE = date(2026, 7, 1)


def _due(days_late):
    return STATEMENT_DATE - timedelta(days=days_late)


class TestAgeBucket(BaseCase):
    def test_due_today_or_later_is_not_due(self):
        self.assertEqual(age_bucket(STATEMENT_DATE, STATEMENT_DATE), "not_due")
        self.assertEqual(age_bucket(date(2026, 7, 31), STATEMENT_DATE), "not_due")

    def test_each_bucket_from_its_first_to_its_last_day(self):
        # 2026-06-30 is 1 day late, 2026-06-01 30, 2026-05-31 31, ...
        for due, expected in (
            (date(2026, 6, 30), "1_30"),
            (date(2026, 6, 1), "1_30"),
            (date(2026, 5, 31), "31_60"),
            (date(2026, 5, 2), "31_60"),
            (date(2026, 5, 1), "61_90"),
            (date(2026, 4, 2), "61_90"),
            (date(2026, 4, 1), "over_90"),
            (date(2024, 1, 1), "over_90"),
        ):
            with self.subTest(due=due):
                self.assertEqual(age_bucket(due, STATEMENT_DATE), expected)

    def test_days_overdue_counts_calendar_days(self):
        self.assertEqual(days_overdue(date(2026, 5, 31), STATEMENT_DATE), 31)
        self.assertEqual(days_overdue(date(2026, 7, 11), STATEMENT_DATE), -10)


class TestBucketTotals(BaseCase):
    def test_totals_per_bucket_and_currency(self):
        items = [
            ("EUR", _due(-5), 100.0),  # not due
            ("EUR", _due(10), 250.50),  # 1-30
            ("EUR", _due(45), 1000.0),  # 31-60
            ("EUR", _due(45), -200.0),  # a credit note of the same age
            ("EUR", _due(120), 30.25),  # over 90
            ("USD", _due(75), 400.0),  # 61-90, in dollars
            ("USD", _due(0), -50.0),  # an unapplied payment, not due
        ]
        totals = bucket_totals(items, STATEMENT_DATE)
        self.assertEqual(set(totals), {"EUR", "USD"})
        self.assertEqual(
            totals["EUR"]["buckets"],
            {
                "not_due": Decimal("100.0"),
                "1_30": Decimal("250.50"),
                "31_60": Decimal("800.0"),
                "61_90": Decimal(0),
                "over_90": Decimal("30.25"),
            },
        )
        # 100 + 250.50 + 1000 - 200 + 30.25
        self.assertEqual(totals["EUR"]["total"], Decimal("1180.75"))
        self.assertEqual(totals["USD"]["buckets"]["61_90"], Decimal("400.0"))
        self.assertEqual(totals["USD"]["buckets"]["not_due"], Decimal("-50.0"))
        self.assertEqual(totals["USD"]["total"], Decimal("350.0"))

    def test_cents_add_up_exactly(self):
        # in floats 0.1 + 0.2 is 0.30000000000000004
        totals = bucket_totals(
            [("EUR", _due(1), 0.1), ("EUR", _due(2), 0.2)], STATEMENT_DATE
        )
        self.assertEqual(totals["EUR"]["total"], Decimal("0.3"))

    def test_no_items_no_totals(self):
        self.assertEqual(bucket_totals([], STATEMENT_DATE), {})

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["EUR", "USD", "GBP"]),
                st.integers(min_value=-400, max_value=400),
                st.decimals(
                    min_value=-(10**7),
                    max_value=10**7,
                    places=2,
                    allow_nan=False,
                    allow_infinity=False,
                ),
            ),
            max_size=60,
        )
    )
    def test_buckets_add_up_to_the_total_of_each_currency(self, raw):
        items = [(currency, _due(late), amount) for currency, late, amount in raw]
        totals = bucket_totals(items, STATEMENT_DATE)
        for currency, figures in totals.items():
            self.assertEqual(set(figures["buckets"]), set(BUCKET_KEYS))
            self.assertEqual(sum(figures["buckets"].values()), figures["total"])
            self.assertEqual(
                figures["total"],
                sum(amount for cur, _late, amount in raw if cur == currency),
            )
