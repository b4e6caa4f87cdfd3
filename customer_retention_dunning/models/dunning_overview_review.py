"""The overview counts the reminders waiting for a collector's review
(see ``models/dunning_review.py``) and opens them."""

from odoo import fields, models


class DunningOverview(models.TransientModel):
    _inherit = "dunning.overview"

    to_review_count = fields.Integer(
        string="Reminders to Review", compute="_compute_to_review_count"
    )

    def _compute_to_review_count(self):
        Communication = self.env["dunning.communication"]
        for overview in self:
            overview.to_review_count = Communication.search_count(
                [
                    ("state", "=", "to_review"),
                    ("company_id", "=", overview.company_id.id),
                ]
            )

    def action_open_to_review(self):
        return self._window(
            "customer_retention_dunning.dunning_communication_action_to_review",
            domain=[("state", "=", "to_review")],
            context={},
        )
