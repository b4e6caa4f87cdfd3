"""Mobile numbers as customers type them, read the way gateways need them."""

from urllib.parse import parse_qs, urlparse

from odoo.tests.common import BaseCase

from ..tools.phone_numbers import (
    INVALID,
    MISSING,
    NOT_MOBILE,
    mobile_e164,
    whatsapp_link,
)


class TestPhoneNumberRules(BaseCase):
    def test_dutch_ways_of_writing_a_mobile_number_give_one_e164(self):
        for typed in (
            "06-12 34 56 78",
            "0612345678",
            "+31 6 1234 5678",
            "0031612345678",
        ):
            self.assertEqual(mobile_e164(typed, "NL"), ("+31612345678", None), typed)

    def test_the_country_is_only_a_default(self):
        self.assertEqual(mobile_e164("+32 470 12 34 56", "NL"), ("+32470123456", None))
        self.assertEqual(mobile_e164("0470 12 34 56", "be"), ("+32470123456", None))

    def test_what_cannot_take_a_text_says_why(self):
        self.assertEqual(mobile_e164("", "NL"), (None, MISSING))
        self.assertEqual(mobile_e164(None, "NL"), (None, MISSING))
        self.assertEqual(mobile_e164("12345", "NL"), (None, INVALID))
        self.assertEqual(mobile_e164("bel me", "NL"), (None, INVALID))
        self.assertEqual(mobile_e164("020 123 4567", "NL"), (None, NOT_MOBILE))
        # without a country a national number cannot be read
        self.assertEqual(mobile_e164("0612345678", None), (None, INVALID))

    def test_the_whatsapp_link_carries_the_whole_message(self):
        text = "Bakkerij & Zn: € 400,00 staat open. Betaal: https://x.nl/my?a=1&b=2"
        link = urlparse(whatsapp_link("+31612345678", text))
        self.assertEqual(
            (link.scheme, link.netloc, link.path), ("https", "wa.me", "/31612345678")
        )
        self.assertEqual(parse_qs(link.query)["text"], [text])
