"""DSO and CEI from monthly totals, without a database."""

from hypothesis import given
from hypothesis import strategies as st

from odoo.tests.common import BaseCase

from ..tools.collection_kpi import cei, dso_countback, dso_simple

# March, February, January: the newest month first
QUARTER = [(60000.0, 31), (50000.0, 28), (40000.0, 31)]


class TestCollectionKpiRules(BaseCase):
    def test_simple_dso_is_receivables_over_sales_times_days(self):
        # 100,000 / 150,000 x 90 days
        self.assertAlmostEqual(dso_simple(100000.0, 150000.0, 90), 60.0)
        self.assertEqual(dso_simple(100000.0, 0.0, 90), 0.0)
        self.assertEqual(dso_simple(-500.0, 1000.0, 30), 0.0)

    def test_countback_takes_whole_months_then_a_fraction(self):
        # 100,000 covers March (60,000: 31 days); the 40,000 left is
        # 40/50 of February: 22.4 days; 53.4 in all
        self.assertAlmostEqual(dso_countback(100000.0, QUARTER), 53.4)
        # exactly one month's sales: that month's days
        self.assertAlmostEqual(dso_countback(60000.0, QUARTER), 31.0)
        # a part month first (10 days of sales so far)
        self.assertAlmostEqual(
            dso_countback(25000.0, [(20000.0, 10), (60000.0, 30)]), 12.5
        )

    def test_countback_months_without_sales_add_their_days(self):
        self.assertAlmostEqual(
            dso_countback(1000.0, [(0.0, 30), (2000.0, 31)]), 30 + 15.5
        )

    def test_countback_stops_at_the_oldest_month(self):
        self.assertAlmostEqual(dso_countback(10**6, QUARTER), 90.0)
        self.assertEqual(dso_countback(0.0, QUARTER), 0.0)

    def test_cei_compares_collected_with_collectible(self):
        # (80 + 60 - 100) / (80 + 60 - 50) = 40 / 90
        self.assertAlmostEqual(cei(80000.0, 60000.0, 100000.0, 50000.0), 44.4444, 4)
        # all collected: only the current part is left
        self.assertAlmostEqual(cei(80000.0, 60000.0, 50000.0, 50000.0), 100.0)
        self.assertIsNone(cei(0.0, 0.0, 0.0, 0.0))

    @given(
        receivables=st.floats(0, 10**7, allow_nan=False),
        months=st.lists(
            st.tuples(st.floats(0, 10**6, allow_nan=False), st.integers(1, 31)),
            min_size=1,
            max_size=24,
        ),
    )
    def test_countback_never_exceeds_the_days_walked(self, receivables, months):
        days = dso_countback(receivables, months)
        self.assertGreaterEqual(days, 0.0)
        self.assertLessEqual(days, sum(d for _s, d in months) + 1e-9)
        # more receivables never mean fewer days
        self.assertGreaterEqual(dso_countback(receivables * 2, months), days - 1e-9)
