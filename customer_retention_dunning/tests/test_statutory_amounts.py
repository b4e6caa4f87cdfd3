"""The two public methods other modules call for collection costs and
statutory interest, for consumers and businesses."""

from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestStatutoryAmounts(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the law's amounts are euros: a company that keeps its books in them
        # (the database's own may be in another currency)
        cls.company = cls.env["res.company"].create(
            {
                "name": "Incasso Nederland B.V.",
                "currency_id": cls.env.ref("base.EUR").id,
            }
        )
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company.ids)
        )
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


@tagged("post_install", "-at_install")
class TestStatutoryAmountsInAnotherCurrency(TransactionCase):
    """The law's amounts are euros: a company keeping its books in dollars
    claims them only converted, at the day's rate, when it says so."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.env.ref("base.USD")
        cls.usd.active = True
        cls.euro = cls.env.ref("base.EUR")
        cls.euro.active = True
        cls.company = cls.env["res.company"].create(
            {
                "name": "Peters Inc.",
                "currency_id": cls.usd.id,
                "dunning_costs_arrangement": "scale",
                "dunning_costs_vat": False,
            }
        )
        # 1 USD = 0.40 EUR (1 EUR = 2.50 USD) in June, 0.50 (2.00) from July
        cls.env["res.currency.rate"].create(
            [
                {
                    "currency_id": cls.euro.id,
                    "company_id": cls.company.id,
                    "name": day,
                    "rate": rate,
                }
                for day, rate in ((date(2026, 6, 1), 0.4), (date(2026, 7, 1), 0.5))
            ]
        )
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company.ids)
        )
        Partner = cls.env["res.partner"]
        cls.consumer = Partner.create({"name": "John Smith"})
        cls.business = Partner.create({"name": "Smith Ltd", "is_company": True})
        cls.manager = cls.env["res.users"].create(
            {
                "name": "Carla Credit",
                "login": "carla.dollars",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "groups_id": [
                    Command.link(
                        cls.env.ref(
                            "customer_retention_dunning.group_credit_manager"
                        ).id
                    )
                ],
            }
        )

    def test_without_the_setting_the_euro_amounts_are_refused(self):
        refusal = "Peters Inc. keeps its books in USD, but the law sets"
        with self.assertRaisesRegex(UserError, refusal) as caught:
            self.consumer._dunning_statutory_costs(1000, date(2026, 6, 15))
        self.assertIn("Convert the statutory euro amounts", str(caught.exception))
        self.company.dunning_costs_arrangement = "fixed"
        with self.assertRaisesRegex(UserError, refusal):
            self.business._dunning_statutory_costs(1000, date(2026, 6, 15))
        # positive controls: an agreed percentage and minimum are the
        # company's own figures, and interest is a rate, not an amount
        self.company.write(
            {
                "dunning_costs_arrangement": "percentage",
                "dunning_costs_percentage": 5.0,
                "dunning_costs_minimum": 100.0,
            }
        )
        self.assertEqual(self.business._dunning_statutory_costs(5000), 250.0)
        self.company.dunning_costs_arrangement = "none"
        self.assertEqual(self.business._dunning_statutory_costs(5000), 0.0)
        # 7% over all of 2024
        self.assertEqual(
            self.consumer._dunning_statutory_interest(
                1000, date(2024, 1, 1), date(2025, 1, 1)
            ),
            70.0,
        )

    def test_with_the_setting_they_are_converted_at_the_days_rate(self):
        self.company.dunning_statutory_convert = True
        june, july = date(2026, 6, 15), date(2026, 7, 15)
        # brackets of 6,250 (EUR 2,500): 15% of 6,250 + 10% of 750
        self.assertEqual(self.consumer._dunning_statutory_costs(7000, june), 1012.5)
        # brackets of 5,000: 15% of 5,000 + 10% of 2,000
        self.assertEqual(self.consumer._dunning_statutory_costs(7000, july), 950.0)
        # the minimum of EUR 40 and the maximum of EUR 6,775
        self.assertEqual(self.consumer._dunning_statutory_costs(100, june), 100.0)
        self.assertEqual(self.consumer._dunning_statutory_costs(100, july), 80.0)
        self.assertEqual(
            self.consumer._dunning_statutory_costs(10_000_000, june), 16937.5
        )
        # the fixed EUR 40 of the directive
        self.company.dunning_costs_arrangement = "fixed"
        self.assertEqual(self.business._dunning_statutory_costs(1000, june), 100.0)

    def test_without_an_exchange_rate_nothing_is_guessed(self):
        self.company.dunning_statutory_convert = True
        self.env["res.currency.rate"].search(
            [
                ("currency_id", "in", (self.euro | self.usd).ids),
                ("company_id", "in", (False, self.company.id)),
            ]
        ).unlink()
        with self.assertRaisesRegex(UserError, "No exchange rate between EUR and USD"):
            self.consumer._dunning_statutory_costs(1000, date(2026, 6, 15))

    def test_a_formal_demand_in_the_companys_own_ladder_needs_the_setting(self):
        Profile = self.env["dunning.profile"].with_user(self.manager)
        refusal = "Peters Inc. keeps its books in USD"

        def ladder(tone, company=self.company):
            return {
                "name": f"Ladder {tone}",
                "company_id": company.id if company else False,
                "level_ids": [
                    Command.create(
                        {
                            "sequence": 10,
                            "name": tone,
                            "days_after_due": 30,
                            "tone": tone,
                        }
                    )
                ],
            }

        with (
            self.assertRaisesRegex(ValidationError, refusal),
            self.env.cr.savepoint(),
        ):
            Profile.create(ladder("formal"))
        # positive control: a firm reminder states no statutory costs
        profile = Profile.create(ladder("firm"))
        with (
            self.assertRaisesRegex(ValidationError, refusal),
            self.env.cr.savepoint(),
        ):
            profile.level_ids.tone = "formal"
        # a shared ladder with a formal demand, taken into the company
        shared = self.env["dunning.profile"].create(ladder("formal", company=None))
        with (
            self.assertRaisesRegex(ValidationError, refusal),
            self.env.cr.savepoint(),
        ):
            shared.company_id = self.company
        self.assertFalse(shared.company_id)
        # with the setting the formal demand is fine; turning it off is not
        self.company.dunning_statutory_convert = True
        profile.level_ids.tone = "formal"
        self.assertEqual(profile.level_ids.tone, "formal")
        with (
            self.assertRaisesRegex(ValidationError, refusal),
            self.env.cr.savepoint(),
        ):
            self.company.dunning_statutory_convert = False
        self.assertTrue(self.company.dunning_statutory_convert)
