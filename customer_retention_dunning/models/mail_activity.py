from odoo import models

from .decision_fields import internal


class MailActivity(models.Model):
    """A call or WhatsApp reminder is sent when its activity is done."""

    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        self._dunning_communications()._activity_done()
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def unlink(self):
        self._dunning_communications()._activity_cancelled()
        return super().unlink()

    def _dunning_communications(self):
        # the reminders are the run's records; whoever does the activity
        # confirms the reminder, as the run itself would
        communications = internal(self.env["dunning.communication"].sudo())
        if not self.ids:
            return communications
        return communications.search([("activity_id", "in", self.ids)])
