"""The reference a transfer states, without a database."""

from hypothesis import given
from hypothesis import strategies as st

from odoo.tests.common import BaseCase

from ..tools.remittance import REMITTANCE_LIMIT, remittance_text


class TestRemittanceText(BaseCase):
    def test_the_references_joined(self):
        self.assertEqual(
            remittance_text(["INV/2026/00012", "", "INV/2026/00015"]),
            "INV/2026/00012, INV/2026/00015",
        )

    def test_too_many_say_how_many_are_left_out(self):
        references = [f"INV/2026/{number:05d}" for number in range(30)]
        text = remittance_text(references)
        # 8 references of 14 characters and 7 separators: 126; then " +22"
        self.assertEqual(text, ", ".join(references[:8]) + " +22")
        self.assertLessEqual(len(text), REMITTANCE_LIMIT)

    @given(st.lists(st.text(min_size=1, max_size=60), max_size=40))
    def test_never_longer_than_a_transfer_takes(self, references):
        self.assertLessEqual(len(remittance_text(references)), REMITTANCE_LIMIT)
