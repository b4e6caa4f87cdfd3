import logging

from odoo import api, models

_logger = logging.getLogger(__name__)


class MailNotification(models.Model):
    """Odoo's queues write here what became of a message: a reminder
    follows what they write of its own."""

    _inherit = "mail.notification"

    def write(self, vals):
        result = super().write(vals)
        if "notification_status" in vals:
            # an e-mail's outcome is followed once Odoo's mail queue is done
            # with it (it marks it refused for a moment while it sends, see
            # mail.mail): only a bounce, which comes later, is followed here
            self._dunning_follow(
                self.filtered(
                    lambda n: (
                        n.notification_type != "email"
                        or n.notification_status == "bounce"
                    )
                )
            )
        return result

    @api.model
    def _dunning_follow(self, notifications):
        if not notifications:
            return
        try:
            with self.env.cr.savepoint():
                self.env["dunning.communication"]._follow_notifications(notifications)
        except Exception:  # the mail queue must go on, whatever a reminder does
            _logger.exception(
                "Could not follow the delivery of notifications %s", notifications.ids
            )

    def _dunning_reason(self):
        """Why this notification's message did not arrive, in words."""
        if not self:
            return self.env._("The message was refused.")
        self.ensure_one()
        labels = dict(self._fields["failure_type"]._description_selection(self.env))
        statuses = dict(
            self._fields["notification_status"]._description_selection(self.env)
        )
        return (
            self.failure_reason
            or labels.get(self.failure_type)
            or statuses.get(self.notification_status)
        )


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(
        self, success_pids, failure_reason=False, failure_type=None
    ):
        # read before Odoo deletes the sent mail
        notifications = (
            self.env["mail.notification"]
            .sudo()
            .search(
                [("mail_mail_id", "in", self.ids), ("notification_type", "=", "email")]
            )
        )
        result = super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
        self.env["mail.notification"]._dunning_follow(notifications.exists())
        return result
