"""The two public methods other modules call for collection costs and
statutory interest, for consumers and businesses."""

from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestStatutoryAmounts(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        nl = cls.env.ref("base.nl")
        cls.consumer = Partner.create({"name": "Jan Jansen", "country_id": nl.id})
        cls.business = Partner.create(
            {
                "name": "Bouwbedrijf Dijkstra B.V.",
                "is_company": True,
                "country_id": nl.id,
            }
        )
        cls.employee = Partner.create(
            {"name": "Piet Dijkstra", "parent_id": cls.business.id}
        )
        cls.belgian = Partner.create(
            {
                "name": "Bakkerij Peeters BV",
                "is_company": True,
                "country_id": cls.env.ref("base.be").id,
            }
        )
        cls.company = cls.env.company
        cls.company.write(
            {
                "dunning_costs_arrangement": "scale",
                "dunning_costs_vat": False,
                "dunning_interest_eu_directive": False,
            }
        )

    def test_a_consumer_always_gets_the_statutory_scale(self):
        self.company.dunning_costs_arrangement = "none"
        # 15% of 2,500
        self.assertEqual(self.consumer._dunning_statutory_costs(2500), 375.0)
        # the minimum and the maximum of the scale
        self.assertEqual(self.consumer._dunning_statutory_costs(100), 40.0)
        self.assertEqual(self.consumer._dunning_statutory_costs(2_000_000), 6775.0)

    def test_a_business_follows_the_company_arrangement(self):
        # 375 + 250 + 250 = 875 on 10,000
        self.assertEqual(self.business._dunning_statutory_costs(10000), 875.0)
        # a contact person of the business is the business
        self.assertEqual(self.employee._dunning_statutory_costs(10000), 875.0)
        self.company.dunning_costs_arrangement = "fixed"
        self.assertEqual(self.business._dunning_statutory_costs(10000), 40.0)
        self.company.write(
            {
                "dunning_costs_arrangement": "percentage",
                "dunning_costs_percentage": 5.0,
                "dunning_costs_minimum": 100.0,
            }
        )
        self.assertEqual(self.business._dunning_statutory_costs(1000), 100.0)
        self.assertEqual(self.business._dunning_statutory_costs(5000), 250.0)
        self.company.dunning_costs_arrangement = "none"
        self.assertEqual(self.business._dunning_statutory_costs(5000), 0.0)

    def test_vat_on_top_when_the_company_cannot_deduct_it(self):
        self.company.write(
            {"dunning_costs_vat": True, "dunning_costs_vat_percent": 21.0}
        )
        # 375.00 + 21% = 375.00 + 78.75
        self.assertEqual(self.consumer._dunning_statutory_costs(2500), 453.75)

    def test_statutory_interest_for_a_consumer_over_a_leap_year(self):
        # 7% over all of 2024 (each day 7%/366)
        self.assertEqual(
            self.consumer._dunning_statutory_interest(
                1000, date(2024, 1, 1), date(2025, 1, 1)
            ),
            70.0,
        )

    def test_commercial_interest_splits_at_rate_changes_and_compounds_yearly(self):
        # 10.15% from 1 July 2025 and from 1 January 2026: one year, 101.50
        self.assertEqual(
            self.business._dunning_statutory_interest(
                1000, date(2025, 7, 1), date(2026, 7, 1)
            ),
            101.5,
        )
        # 2024: 12.5% (182 days) and 12.25% (184 days) of 366 -> 123.7432;
        # added to the principal; 2025: 11.15% (181 days) and 10.15% (184)
        # of 365 on 1,123.7432 -> 119.6325; together 243.3757
        self.assertEqual(
            self.business._dunning_statutory_interest(
                1000, date(2024, 1, 1), date(2026, 1, 1)
            ),
            243.38,
        )

    def test_the_eu_directive_abroad_is_simple_interest(self):
        self.company.dunning_interest_eu_directive = True
        # 123.7432 + 106.4589 without compounding
        self.assertEqual(
            self.belgian._dunning_statutory_interest(
                1000, date(2024, 1, 1), date(2026, 1, 1)
            ),
            230.2,
        )
        # a Dutch business still compounds
        self.assertEqual(
            self.business._dunning_statutory_interest(
                1000, date(2024, 1, 1), date(2026, 1, 1)
            ),
            243.38,
        )

    def test_a_new_rate_is_used_from_its_date(self):
        self.env["dunning.interest.rate"].create(
            {"kind": "consumer", "date_start": date(2026, 7, 1), "rate": 5.0}
        )
        # 181 days at 4% and 184 days at 5%, of 365
        # = 1000 * (0.04 * 181 + 0.05 * 184) / 365 = 45.04
        self.assertEqual(
            self.consumer._dunning_statutory_interest(
                1000, date(2026, 1, 1), date(2027, 1, 1)
            ),
            45.04,
        )

    def test_a_period_without_a_rate_is_refused_clearly(self):
        with self.assertRaisesRegex(UserError, "No statutory interest rate"):
            self.consumer._dunning_statutory_interest(
                1000, date(2010, 1, 1), date(2011, 1, 1)
            )
        with self.assertRaises(ValidationError):
            self.env["dunning.interest.rate"].create(
                {"kind": "consumer", "date_start": date(2027, 1, 1), "rate": -1.0}
            )
