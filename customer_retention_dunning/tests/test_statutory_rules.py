"""Statutory collection costs and interest, without a database.

The expected amounts are worked out by hand from the text of the law; the
arithmetic is in the comment next to each case.
"""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests.common import BaseCase

from ..tools.statutory import (
    ARRANGEMENT_FIXED,
    ARRANGEMENT_NONE,
    ARRANGEMENT_PERCENTAGE,
    ARRANGEMENT_SCALE,
    EURO_FIGURES,
    anniversary,
    collection_costs,
    collection_costs_and_vat,
    scale_costs,
    statutory_interest,
    uses_euro_figures,
)

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, database=None, derandomize=True
)

# Art. 6:119 BW, the statutory rate (consumers).
CONSUMER_RATES = (
    (date(2023, 1, 1), "4"),
    (date(2023, 7, 1), "6"),
    (date(2024, 1, 1), "7"),
    (date(2025, 1, 1), "6"),
    (date(2026, 1, 1), "4"),
)
# Art. 6:119a BW, the commercial rate.
COMMERCIAL_RATES = (
    (date(2023, 7, 1), "12"),
    (date(2024, 1, 1), "12.5"),
    (date(2024, 7, 1), "12.25"),
    (date(2025, 1, 1), "11.15"),
    (date(2025, 7, 1), "10.15"),
    (date(2026, 1, 1), "10.15"),
)
FLAT_4 = ((date(2000, 1, 1), 4),)
FLAT_10 = ((date(2024, 1, 1), 10),)

D = Decimal

# principal -> costs under the scale (15/10/5/1/0.5%, min 40, max 6,775)
SCALE_CASES = (
    ("0.01", "40.00"),  # 0.0015, raised to the minimum
    ("100", "40.00"),  # 15.00, raised to the minimum
    ("266.66", "40.00"),  # 39.999, raised to the minimum
    ("266.67", "40.00"),  # 40.0005, rounds to 40.00
    ("266.70", "40.01"),  # 40.005, half up
    ("1000", "150.00"),  # 15% of 1,000
    ("2500", "375.00"),  # 15% of 2,500
    ("2500.01", "375.00"),  # 375 + 10% of 0.01 = 375.001
    ("2500.05", "375.01"),  # 375 + 0.005 = 375.005, half up
    ("5000", "625.00"),  # 375 + 10% of 2,500 = 375 + 250
    ("5000.10", "625.01"),  # 625 + 5% of 0.10 = 625.005, half up
    ("10000", "875.00"),  # 625 + 5% of 5,000 = 625 + 250
    ("10000.50", "875.01"),  # 875 + 1% of 0.50 = 875.005, half up
    ("200000", "2775.00"),  # 875 + 1% of 190,000 = 875 + 1,900
    ("200000.01", "2775.00"),  # 2,775 + 0.5% of 0.01 = 2,775.00005
    ("200001", "2775.01"),  # 2,775 + 0.5% of 1 = 2,775.005, half up
    ("500000", "4275.00"),  # 2,775 + 0.5% of 300,000 = 2,775 + 1,500
    ("1000000", "6775.00"),  # 2,775 + 0.5% of 800,000 = 6,775, the cap exactly
    ("1000000.01", "6775.00"),  # 6,775.00005, capped
    ("25000000", "6775.00"),  # far above the cap
)


class TestCollectionCostsRules(BaseCase):
    def test_the_scale_at_its_bracket_edges(self):
        for principal, expected in SCALE_CASES:
            with self.subTest(principal=principal):
                self.assertEqual(collection_costs(principal), D(expected))
                self.assertEqual(scale_costs(principal), D(expected))

    def test_half_up_where_half_even_would_round_down(self):
        # 15% of 300.30 = 45.045: half up 45.05 (half even would give 45.04).
        self.assertEqual(collection_costs("300.30"), D("45.05"))
        # 300.30 * 0.15 is 45.04499... as a binary float; a float principal is
        # read as the decimal it prints as, so the answer is the same.
        self.assertEqual(collection_costs(300.30), D("45.05"))
        self.assertEqual(collection_costs(D("300.30")), D("45.05"))
        # 15% of 300.10 = 45.015 -> 45.02
        self.assertEqual(collection_costs("300.10"), D("45.02"))

    def test_no_principal_no_costs(self):
        for principal in (0, "0.00", -1, "-2500", -0.01):
            with self.subTest(principal=principal):
                self.assertEqual(collection_costs(principal), D("0.00"))
                self.assertEqual(scale_costs(principal), D("0.00"))
                self.assertEqual(
                    collection_costs(principal, ARRANGEMENT_FIXED), D("0.00")
                )

    def test_the_directive_fixed_amount(self):
        # EUR 40 whatever the principal, also below the scale's 266.67 and
        # far above it.
        for principal in ("10", "266.67", "5000", "1000000"):
            with self.subTest(principal=principal):
                self.assertEqual(
                    collection_costs(principal, ARRANGEMENT_FIXED), D("40.00")
                )

    def test_an_agreed_percentage_with_its_minimum(self):
        cases = (
            # principal, percentage, minimum, expected
            ("500", 10, 100, "100.00"),  # 10% = 50, raised to the minimum 100
            ("1000", 10, 100, "100.00"),  # 10% = 100, exactly the minimum
            ("5000", 10, 100, "500.00"),  # 10% = 500
            ("1234.56", 10, 0, "123.46"),  # 123.456
            ("100.04", "12.5", 0, "12.51"),  # 12.505, half up
            ("2000000", 15, 0, "300000.00"),  # no statutory cap on an agreement
        )
        for principal, percentage, minimum, expected in cases:
            with self.subTest(principal=principal, percentage=percentage):
                self.assertEqual(
                    collection_costs(
                        principal,
                        ARRANGEMENT_PERCENTAGE,
                        percentage=percentage,
                        minimum=minimum,
                    ),
                    D(expected),
                )

    def test_no_arrangement_means_no_costs(self):
        self.assertEqual(collection_costs("5000", ARRANGEMENT_NONE), D("0.00"))
        self.assertEqual(
            collection_costs("5000", ARRANGEMENT_NONE, vat_percent=21), D("0.00")
        )

    def test_vat_on_top(self):
        cases = (
            # principal, arrangement, costs, vat
            ("2500", ARRANGEMENT_SCALE, "375.00", "78.75"),  # 21% of 375
            ("100", ARRANGEMENT_SCALE, "40.00", "8.40"),  # 21% of the minimum
            ("10", ARRANGEMENT_FIXED, "40.00", "8.40"),  # 21% of 40
            # costs 45.045 -> 45.05; VAT 21% of 45.05 = 9.4605 -> 9.46; total
            # 54.51 (rounding 45.045 * 1.21 = 54.50445 once would give 54.50).
            ("300.30", ARRANGEMENT_SCALE, "45.05", "9.46"),
            ("1000000", ARRANGEMENT_SCALE, "6775.00", "1422.75"),  # 21% of cap
        )
        for principal, arrangement, costs, vat in cases:
            with self.subTest(principal=principal, arrangement=arrangement):
                self.assertEqual(
                    collection_costs_and_vat(principal, arrangement, vat_percent=21),
                    (D(costs), D(vat)),
                )
                self.assertEqual(
                    collection_costs(principal, arrangement, vat_percent=21),
                    D(costs) + D(vat),
                )
        # 9% of 375 = 33.75
        self.assertEqual(collection_costs("2500", vat_percent=9), D("408.75"))
        self.assertEqual(collection_costs("2500", vat_percent=0), D("375.00"))

    def test_bad_input_is_refused(self):
        with self.assertRaises(ValueError):
            collection_costs("1000", "lawyer")
        with self.assertRaises(ValueError):
            collection_costs("1000", vat_percent=-21)
        with self.assertRaises(ValueError):
            collection_costs("1000", ARRANGEMENT_PERCENTAGE, percentage=-5)
        with self.assertRaises(ValueError):
            collection_costs("one thousand")
        with self.assertRaises(ValueError):
            collection_costs(float("nan"))

    @PROPERTY_SETTINGS
    @given(
        st.lists(
            st.decimals(min_value="0.01", max_value="3000000", places=2),
            min_size=2,
            max_size=2,
        ),
        st.sampled_from((0, 9, 21)),
    )
    def test_scale_costs_grow_with_the_principal_within_min_and_max(
        self, principals, vat_percent
    ):
        low, high = sorted(principals)
        costs_low = collection_costs(low)
        costs_high = collection_costs(high)
        self.assertLessEqual(costs_low, costs_high)
        for costs in (costs_low, costs_high):
            self.assertGreaterEqual(costs, D("40.00"))
            self.assertLessEqual(costs, D("6775.00"))
        self.assertLessEqual(
            collection_costs(low, vat_percent=vat_percent),
            collection_costs(high, vat_percent=vat_percent),
        )

    @PROPERTY_SETTINGS
    @given(st.decimals(min_value="0.01", max_value="3000000", places=2))
    def test_scale_costs_never_exceed_the_first_bracket_rate(self, principal):
        # The rates only go down, so the costs stay within 15% of the
        # principal unless the minimum of 40 lifts them.
        costs = collection_costs(principal)
        self.assertLessEqual(costs, max(D("40.00"), principal * D("0.15") + D("0.005")))


class TestCostsInAnotherCurrencyRules(BaseCase):
    # 1 EUR = 2.50 in the other currency
    AT_2_50 = EURO_FIGURES.converted(lambda amount: amount * D("2.5"))

    def test_the_laws_amounts_are_converted_not_the_percentages(self):
        self.assertEqual(
            self.AT_2_50.brackets,
            (
                (D("6250.0"), D("15")),
                (D("6250.0"), D("10")),
                (D("12500.0"), D("5")),
                (D("475000.0"), D("1")),
                (None, D("0.5")),
            ),
        )
        self.assertEqual(
            (self.AT_2_50.minimum, self.AT_2_50.maximum, self.AT_2_50.fixed),
            (D("100.0"), D("16937.50"), D("100.0")),
        )
        # converting one for one changes nothing
        self.assertEqual(EURO_FIGURES.converted(lambda amount: amount), EURO_FIGURES)

    def test_the_scale_and_the_fixed_costs_in_another_currency(self):
        figures = self.AT_2_50
        # 15% of 6,250 (EUR 2,500) + 10% of 750
        self.assertEqual(scale_costs("7000", figures), D("1012.50"))
        # 15.00, raised to the minimum of EUR 40 = 100.00
        self.assertEqual(collection_costs("100", figures=figures), D("100.00"))
        # the maximum of EUR 6,775
        self.assertEqual(scale_costs("10000000", figures), D("16937.50"))
        self.assertEqual(
            collection_costs("5000", ARRANGEMENT_FIXED, figures=figures), D("100.00")
        )
        # an agreed percentage and minimum are the company's own figures
        self.assertEqual(
            collection_costs(
                "1000",
                ARRANGEMENT_PERCENTAGE,
                percentage=5,
                minimum=60,
                figures=figures,
            ),
            D("60.00"),
        )

    def test_which_arrangements_use_the_laws_euro_amounts(self):
        self.assertTrue(uses_euro_figures(ARRANGEMENT_SCALE))
        self.assertTrue(uses_euro_figures(ARRANGEMENT_FIXED))
        self.assertFalse(uses_euro_figures(ARRANGEMENT_PERCENTAGE))
        self.assertFalse(uses_euro_figures(ARRANGEMENT_NONE))

    @PROPERTY_SETTINGS
    @given(st.decimals(min_value="0.01", max_value="3000000", places=2))
    def test_a_claim_in_another_currency_costs_the_same_converted(self, principal):
        # the scale is the same in either currency: twice the principal at
        # 1 EUR = 2 costs twice as much, up to the cent each rounding takes
        doubled = EURO_FIGURES.converted(lambda amount: amount * 2)
        self.assertLessEqual(
            abs(scale_costs(principal * 2, doubled) - 2 * scale_costs(principal)),
            D("0.01"),
        )


class TestStatutoryInterestRules(BaseCase):
    def test_anniversaries(self):
        self.assertEqual(anniversary(date(2023, 5, 10), 1), date(2024, 5, 10))
        self.assertEqual(anniversary(date(2023, 5, 10), 2), date(2025, 5, 10))
        # 29 February: 1 March in a year without it, itself in a leap year.
        self.assertEqual(anniversary(date(2024, 2, 29), 1), date(2025, 3, 1))
        self.assertEqual(anniversary(date(2024, 2, 29), 3), date(2027, 3, 1))
        self.assertEqual(anniversary(date(2024, 2, 29), 4), date(2028, 2, 29))
        self.assertEqual(anniversary(date(2023, 2, 28), 1), date(2024, 2, 28))

    def test_one_full_non_leap_year(self):
        # 1,000 * 4% * 365 / 365 = 40.00
        self.assertEqual(
            statutory_interest(1000, date(2023, 1, 1), date(2024, 1, 1), FLAT_4),
            D("40.00"),
        )

    def test_a_leap_year_counts_366_days_of_one_366th(self):
        # 1,000 * 7% * 366 / 366 = 70.00 (consumer rate for all of 2024)
        self.assertEqual(
            statutory_interest(
                1000, date(2024, 1, 1), date(2025, 1, 1), CONSUMER_RATES
            ),
            D("70.00"),
        )

    def test_single_days(self):
        # 100,000 * 7% / 366 = 19.1257 (a day in 2024)
        self.assertEqual(
            statutory_interest(
                100000, date(2024, 3, 1), date(2024, 3, 2), CONSUMER_RATES
            ),
            D("19.13"),
        )
        # 100,000 * 6% / 365 = 16.4384 (a day in the second half of 2023)
        self.assertEqual(
            statutory_interest(
                100000, date(2023, 8, 1), date(2023, 8, 2), CONSUMER_RATES
            ),
            D("16.44"),
        )
        # 456.25 * 10% / 365 = 0.125 exactly: half up to 0.13
        self.assertEqual(
            statutory_interest("456.25", date(2025, 5, 5), date(2025, 5, 6), FLAT_10),
            D("0.13"),
        )

    def test_a_year_split_at_a_rate_change(self):
        # 2023: 181 days (Jan-Jun) at 4% and 184 days (Jul-Dec) at 6%:
        # 1,000 * (181 * 4% + 184 * 6%) / 365 = 1,000 * 18.28% / 365 = 50.0822
        self.assertEqual(
            statutory_interest(
                1000, date(2023, 1, 1), date(2024, 1, 1), CONSUMER_RATES
            ),
            D("50.08"),
        )

    def test_the_commercial_rate_across_new_year_2024(self):
        # December 2023: 10,000 * 12% * 31 / 365 = 101.9178
        # January 2024:  10,000 * 12.5% * 31 / 366 = 105.8743
        # together 207.7921
        self.assertEqual(
            statutory_interest(
                10000, date(2023, 12, 1), date(2024, 2, 1), COMMERCIAL_RATES
            ),
            D("207.79"),
        )

    def test_the_consumer_rate_across_new_year_2026(self):
        # 15 June - 31 December 2025: 200 days at 6%; Jan-Feb 2026: 59 at 4%
        # 2,345.67 * (200 * 6% + 59 * 4%) / 365 = 2,345.67 * 14.36% / 365
        # = 92.2844
        self.assertEqual(
            statutory_interest(
                "2345.67", date(2025, 6, 15), date(2026, 3, 1), CONSUMER_RATES
            ),
            D("92.28"),
        )

    def test_the_order_of_the_rate_table_does_not_matter(self):
        shuffled = tuple(reversed(COMMERCIAL_RATES))
        self.assertEqual(
            statutory_interest(10000, date(2023, 12, 1), date(2024, 2, 1), shuffled),
            D("207.79"),
        )

    def test_two_years_compound_against_simple(self):
        # Flat 4% on 1,000: year one 40.00, year two 4% of 1,040 = 41.60.
        self.assertEqual(
            statutory_interest(1000, date(2021, 1, 1), date(2023, 1, 1), FLAT_4),
            D("81.60"),
        )
        self.assertEqual(
            statutory_interest(
                1000, date(2021, 1, 1), date(2023, 1, 1), FLAT_4, compound=False
            ),
            D("80.00"),
        )
        # Consumer rates: 2023 earns 50.0822 (see above); compounded, 2024
        # earns 7% of 1,050.0822 = 73.5058, together 123.5879; simple, 2024
        # earns 70.00, together 120.0822.
        self.assertEqual(
            statutory_interest(
                1000, date(2023, 1, 1), date(2025, 1, 1), CONSUMER_RATES
            ),
            D("123.59"),
        )
        self.assertEqual(
            statutory_interest(
                1000, date(2023, 1, 1), date(2025, 1, 1), CONSUMER_RATES, False
            ),
            D("120.08"),
        )

    def test_two_commercial_years_across_four_rates(self):
        # Year one (1 Jul 2023 - 30 Jun 2024) on 10,000:
        #   184 days at 12% / 365 = 604.9315; 182 days at 12.5% / 366 = 621.5847
        #   = 1,226.5162
        # Year two (1 Jul 2024 - 30 Jun 2025):
        #   184 days at 12.25% / 366 + 181 days at 11.15% / 365
        #   = 6.158470% + 5.529178% = 11.687648% of the base
        #   compound: of 11,226.5162 = 1,312.1157, total 2,538.6319
        #   simple:   of 10,000      = 1,168.7648, total 2,395.2810
        self.assertEqual(
            statutory_interest(
                10000, date(2023, 7, 1), date(2025, 7, 1), COMMERCIAL_RATES
            ),
            D("2538.63"),
        )
        self.assertEqual(
            statutory_interest(
                10000,
                date(2023, 7, 1),
                date(2025, 7, 1),
                COMMERCIAL_RATES,
                compound=False,
            ),
            D("2395.28"),
        )

    def test_an_empty_or_reversed_period_bears_nothing(self):
        day = date(2024, 5, 1)
        self.assertEqual(statutory_interest(1000, day, day, CONSUMER_RATES), D("0.00"))
        self.assertEqual(
            statutory_interest(1000, day, day - timedelta(days=30), CONSUMER_RATES),
            D("0.00"),
        )
        self.assertEqual(
            statutory_interest(0, day, date(2025, 5, 1), CONSUMER_RATES), D("0.00")
        )

    def test_a_period_before_the_first_rate_is_refused(self):
        with self.assertRaisesRegex(ValueError, "2023-06-30.*2023-07-01"):
            statutory_interest(
                1000, date(2023, 6, 30), date(2023, 8, 1), COMMERCIAL_RATES
            )
        with self.assertRaises(ValueError):
            statutory_interest(1000, date(2024, 1, 1), date(2024, 2, 1), ())
        with self.assertRaises(ValueError):
            statutory_interest(
                1000,
                date(2024, 1, 1),
                date(2024, 2, 1),
                ((date(2024, 1, 1), 4), (date(2024, 1, 1), 5)),
            )

    def test_compounding_from_29_february(self):
        # 1,000 at 10% from 29 February 2024. The first year ends with
        # 28 February 2025 and is capitalised on 1 March 2025:
        #   307 days of 2024 (29 Feb - 31 Dec) / 366 + 59 days of 2025 / 365
        #   100 * (0.8387978 + 0.1616438) = 100.0442
        start = date(2024, 2, 29)
        self.assertEqual(
            statutory_interest(1000, start, date(2025, 3, 1), FLAT_10), D("100.04")
        )
        # (With 28 February as the anniversary it would be 99.7702 plus one
        # day on 1,099.7702 = 100.0715 -> 100.07.)
        self.assertEqual(
            statutory_interest(1000, start, date(2025, 3, 1), FLAT_10, compound=False),
            D("100.04"),
        )
        # One day more, 1 March 2025, bears interest on 1,100.0442:
        #   compound: 100.0442 + 1,100.0442 * 10% / 365 = 100.3455 -> 100.35
        #   simple:   100.0442 + 1,000 * 10% / 365      = 100.3181 -> 100.32
        # (28 February as anniversary would give 100.3728 -> 100.37.)
        self.assertEqual(
            statutory_interest(1000, start, date(2025, 3, 2), FLAT_10), D("100.35")
        )
        self.assertEqual(
            statutory_interest(1000, start, date(2025, 3, 2), FLAT_10, compound=False),
            D("100.32"),
        )

    @PROPERTY_SETTINGS
    @given(
        st.decimals(min_value="0.01", max_value="5000000", places=2),
        st.dates(min_value=date(2023, 7, 1), max_value=date(2027, 12, 31)),
        st.integers(min_value=-30, max_value=2000),
        st.sampled_from((CONSUMER_RATES, COMMERCIAL_RATES, FLAT_4)),
    )
    def test_interest_is_never_negative_and_simple_never_beats_compound(
        self, principal, date_from, days, rates
    ):
        date_to = date_from + timedelta(days=days)
        compound = statutory_interest(principal, date_from, date_to, rates)
        simple = statutory_interest(principal, date_from, date_to, rates, False)
        self.assertGreaterEqual(simple, 0)
        self.assertLessEqual(simple, compound)
        if date_to <= anniversary(date_from, 1):
            self.assertEqual(simple, compound)

    @PROPERTY_SETTINGS
    @given(
        st.decimals(min_value="0.01", max_value="5000000", places=2),
        st.dates(min_value=date(2023, 7, 1), max_value=date(2027, 12, 31)),
        st.integers(min_value=0, max_value=1500),
        st.integers(min_value=0, max_value=1500),
        st.booleans(),
    )
    def test_a_longer_period_never_earns_less_and_simple_interest_adds_up(
        self, principal, date_from, days_first, days_second, compound
    ):
        middle = date_from + timedelta(days=days_first)
        date_to = middle + timedelta(days=days_second)
        rates = COMMERCIAL_RATES
        whole = statutory_interest(principal, date_from, date_to, rates, compound)
        first = statutory_interest(principal, date_from, middle, rates, compound)
        self.assertLessEqual(first, whole)
        if not compound:
            second = statutory_interest(principal, middle, date_to, rates, False)
            # each part is rounded on its own: at most a cent apart
            self.assertLessEqual(abs(first + second - whole), D("0.01"))
