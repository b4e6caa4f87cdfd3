"""The loss curve of overdue receivables, without a database."""

from odoo.tests.common import BaseCase

from ..tools.value_at_risk import loss_percentage, value_at_risk


class TestValueAtRiskRules(BaseCase):
    def test_the_practice_points_are_met_exactly(self):
        self.assertEqual(loss_percentage(90), 13.0)
        self.assertEqual(loss_percentage(180), 36.0)
        self.assertEqual(loss_percentage(365), 57.0)
        self.assertEqual(loss_percentage(730), 91.0)

    def test_between_points_the_loss_is_interpolated(self):
        self.assertAlmostEqual(loss_percentage(45), 6.5)
        self.assertAlmostEqual(loss_percentage(135), 24.5)
        self.assertAlmostEqual(loss_percentage(547.5), 74.0)

    def test_not_overdue_loses_nothing_and_old_debt_stays_at_the_last_point(self):
        self.assertEqual(loss_percentage(0), 0.0)
        self.assertEqual(loss_percentage(-15), 0.0)
        self.assertEqual(loss_percentage(2000), 91.0)

    def test_a_custom_curve_is_used(self):
        curve = ((30, 10.0), (60, 50.0))
        self.assertAlmostEqual(loss_percentage(45, curve), 30.0)
        self.assertEqual(loss_percentage(400, curve), 50.0)

    def test_value_at_risk_is_rounded_to_the_cent(self):
        self.assertEqual(value_at_risk(1000.0, 180), 360.0)
        self.assertEqual(value_at_risk(333.33, 45), 21.67)
