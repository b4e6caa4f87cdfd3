"""Amounts written as Odoo writes them, many at a time: without a database
for the rules, and against Odoo's own ``format_amount`` in two languages."""

from odoo.tests import tagged
from odoo.tests.common import BaseCase
from odoo.tools import format_amount

from ..tools.money import group_digits, money_formatter
from .common import DunningTestCommon

NBSP = "\N{NO-BREAK SPACE}"
ZWNBSP = "\N{ZERO WIDTH NO-BREAK SPACE}"


class TestMoneyRules(BaseCase):
    def test_digits_are_grouped_from_the_right(self):
        self.assertEqual(group_digits("1234567", [3, 0], ","), "1,234,567")
        self.assertEqual(group_digits("123", [3, 0], ","), "123")
        self.assertEqual(group_digits("1234", [3, 0], "."), "1.234")
        # lakhs: three, then twos
        self.assertEqual(group_digits("12345678", [3, 2, 0], ","), "1,23,45,678")
        # -1: the rest left whole
        self.assertEqual(group_digits("1234567", [3, -1], ","), "1234,567")
        self.assertEqual(group_digits("1234567", [], ","), "1234567")

    def test_an_amount_in_dutch_euros(self):
        euros = money_formatter(2, "€", True, ",", ".", [3, 0])
        self.assertEqual(euros(1234567.5), f"€{NBSP}1.234.567,50")
        self.assertEqual(euros(0.0), f"€{NBSP}0,00")
        self.assertEqual(euros(-800.0), f"€{NBSP}-{ZWNBSP}800,00")

    def test_a_symbol_after_and_a_space_between_thousands(self):
        crowns = money_formatter(2, "kr", False, ",", " ", [3, 0])
        self.assertEqual(crowns(12500.25), f"12{NBSP}500,25{NBSP}kr")

    def test_a_currency_without_decimals(self):
        yen = money_formatter(0, "¥", True, ".", ",", [3, 0])
        self.assertEqual(yen(1500.0), f"¥{NBSP}1,500")


@tagged("post_install", "-at_install")
class TestMoneyAsOdooWritesIt(DunningTestCommon):
    AMOUNTS = (0.0, 0.5, 7.125, 999.995, -1234.56, 1234567.891, 100000000.0)

    def _compare(self, env):
        Communication = env["dunning.communication"]
        euro = env.ref("base.EUR")
        usd = env.ref("base.USD")
        for currency in (euro, usd):
            money = Communication._money(currency)
            for amount in self.AMOUNTS:
                with self.subTest(lang=env.lang, currency=currency.name, amount=amount):
                    self.assertEqual(
                        money(amount), format_amount(env, amount, currency)
                    )

    def test_the_same_text_as_format_amount_in_english_and_dutch(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self._compare(self.env(context={"lang": "en_US"}))
        self._compare(self.env(context={"lang": "nl_NL"}))
        # and what that text is, worked out: Dutch groups by dots
        money = self.env(context={"lang": "nl_NL"})["dunning.communication"]._money(
            self.env.ref("base.EUR")
        )
        self.assertIn("1.234.567,89", money(1234567.891))
