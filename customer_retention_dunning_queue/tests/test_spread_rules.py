"""How a night is cut into jobs for the workers, without a database."""

from odoo.tests.common import BaseCase

from ..models.dunning_night import spread_size


class TestSpreadRules(BaseCase):
    def test_a_big_night_makes_eight_even_jobs(self):
        # 1,199 customers in batches of 200 would be 6 jobs, the last short
        self.assertEqual(spread_size(1199, 200), 150)  # 8 jobs: 7 x 150 + 149
        # 260 letters in batches of 100 (100, 100, 60): five of 50 and one of 10
        self.assertEqual(spread_size(260, 100), 50)

    def test_batches_never_grow_beyond_what_was_asked(self):
        self.assertEqual(spread_size(100000, 200), 200)
        self.assertEqual(spread_size(10, 2), 2)

    def test_small_nights_keep_batches_of_fifty(self):
        self.assertEqual(spread_size(120, 200), 50)
        self.assertEqual(spread_size(30, 200), 50)
