"""What became of a reminder: queued, sent, failed, tried again.

A reminder is evidence. It reads *sent* only once Odoo's queue says its
message left (the mail server accepted the e-mail, the gateway the SMS, the
post the letter) or a person says so (the call was made, the WhatsApp
message sent, the printed letter posted). What it sets off waits for that:
the invoices' step up the ladder, the credit hold's notice, the hand-over,
the formal demand's 14 days. A reminder that did not arrive reads *failed*
with the reason and is tried again the next night by the next channel.
"""

import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.delivery import FAILED, QUEUED, SENT, delivery_state, retry_channel
from ..tools.dunning_schedule import add_working_days
from .cron_batches import run_isolated
from .decision_fields import GROUP_COLLECTOR, check_group, internal
from .open_invoices import is_open_invoice

_logger = logging.getLogger(__name__)

# the notification type of each channel's message in Odoo's queues
NOTIFICATION_TYPE = {"email": "email", "sms": "sms", "letter": "snail"}
# a person confirms these: the activity done, the letter posted
BY_A_PERSON = ("phone", "whatsapp")
WAITING_STATES = ("to_review", "queued")


class DunningCommunication(models.Model):
    _inherit = "dunning.communication"

    sent_date = fields.Date(
        string="Sent On",
        readonly=True,
        copy=False,
        help="The day the reminder really went out: its e-mail or SMS left "
        "Odoo, its letter was posted, its call made. What the reminder sets "
        "off counts from this day.",
    )
    attempt = fields.Integer(
        default=1,
        readonly=True,
        help="1 for the first try; a failed reminder is tried again by the "
        "next channel, each attempt a reminder of its own.",
    )
    retry_of_id = fields.Many2one(
        "dunning.communication",
        string="Attempt After",
        readonly=True,
        index="btree_not_null",
        help="The failed reminder this one tries again.",
    )
    retry_ids = fields.One2many(
        "dunning.communication", "retry_of_id", string="Tried Again By"
    )
    needs_retry = fields.Boolean(
        string="To Try Again",
        readonly=True,
        help="Failed, and the next night tries it again by the next channel.",
    )
    hold_notice_date = fields.Date(
        string="Hold Notice Until",
        readonly=True,
        help="The credit hold date this reminder's notice set.",
    )

    def init(self):
        result = super().init()
        # one retry per failed reminder, whatever runs at once
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS dunning_communication_one_retry
                ON dunning_communication (retry_of_id)
             WHERE retry_of_id IS NOT NULL
            """
        )
        return result

    # ------------------------------------------------------------
    # FOLLOWING ODOO'S QUEUES
    # ------------------------------------------------------------

    @api.model
    def _follow_notifications(self, notifications):
        """Odoo's mail, SMS or Snailmail queue changed these notifications:
        the reminders whose own message they are follow them."""
        Communication = internal(self.sudo())
        communications = Communication.search(
            [
                ("mail_message_id", "in", notifications.mail_message_id.ids),
                ("channel", "in", ("email", "sms")),
            ]
        )
        if "letter_id" in notifications._fields:
            letters = notifications.letter_id.filtered(
                lambda letter: letter.model == self._name
            )
            communications |= Communication.browse(letters.mapped("res_id"))
        # a failed message Odoo sends again (a person's "Retry" or
        # "Resend", Snailmail's own retries) is followed too
        for communication in communications.filtered(
            lambda c: c.state in ("queued", "sent", "failed")
        ):
            communication._follow_own_notifications()

    def _own_notifications(self):
        """The notifications of this reminder's message to its recipient."""
        self.ensure_one()
        kind = NOTIFICATION_TYPE.get(self.channel)
        if not kind:
            return self.env["mail.notification"]
        if kind == "snail":
            if "snailmail.letter" not in self.env:
                return self.env["mail.notification"]
            return (
                self.env["snailmail.letter"]
                .sudo()
                .search([("model", "=", self._name), ("res_id", "=", self.id)])
                .notification_ids
            )
        notifications = (
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("mail_message_id", "=", self.mail_message_id.id),
                    ("notification_type", "=", kind),
                ]
            )
        )
        if kind == "email":
            # the followers' copies say nothing of the customer's
            own = notifications.filtered(
                lambda n: n.res_partner_id == self.recipient_id
            )
            return own or notifications
        return notifications

    def _follow_own_notifications(self):
        self.ensure_one()
        notifications = self._own_notifications()
        state = delivery_state(
            self.channel, notifications.mapped("notification_status")
        )
        if state == self.state:
            return
        if state == SENT:
            self._mark_sent()
            # it went after all: a later attempt not out yet is withdrawn
            self.retry_ids._withdraw()
        elif state == QUEUED and self.state == "failed":
            # sent again by a person: it waits in the queue again
            self.write({"state": "queued", "needs_retry": False})
        elif state == FAILED:
            refused = notifications.filtered(
                lambda n: n.notification_status in ("exception", "bounce", "canceled")
            )[:1]
            self._mark_failed(refused._dunning_reason())

    # ------------------------------------------------------------
    # SENT
    # ------------------------------------------------------------

    def _mark_sent(self, day=None):
        """It went out: the reminder is sent, and what it sets off starts
        from ``day`` (today by default)."""
        for communication in internal(self):
            sent_on = day or fields.Date.context_today(communication)
            communication.write(
                {
                    "state": "sent",
                    "sent_date": sent_on,
                    "failure_reason": False,
                    "needs_retry": False,
                    **communication._demand_dates_from(sent_on),
                }
            )
            communication._take_effect(sent_on)

    def _demand_dates_from(self, sent_on):
        """A formal demand that went out later than the day it was made
        gives its 14 days from the day it went out: never fewer than the
        law's, never a date before the one it states."""
        self.ensure_one()
        if not self.pay_by_date or sent_on <= self.date:
            return {}
        receipt = add_working_days(
            sent_on, self.company_id.dunning_receipt_working_days
        )
        pay_by = receipt + timedelta(days=14)
        if pay_by <= self.pay_by_date:
            return {}
        return {
            "assumed_receipt_date": receipt,
            "pay_by_date": pay_by,
            "costs_claimable_from": pay_by + timedelta(days=1),
        }

    def _take_effect(self, sent_on):
        """The invoices take the step this reminder was for, and the level
        does what it does besides reminding (notice, hand-over)."""
        self.ensure_one()
        steps = self.line_ids.filtered(
            lambda line: (
                line.is_step
                and is_open_invoice(line.move_id)
                and (
                    not line.move_id.dunning_level_id
                    or line.move_id.dunning_level_id.sequence < line.level_id.sequence
                )
            )
        )
        Escalation = self.env["dunning.escalation"]
        # grouped into a few writes by equal values
        Escalation._write_invoice_updates(
            {
                line.move_id: {
                    "dunning_level_id": line.level_id.id,
                    "dunning_last_date": sent_on,
                }
                for line in steps
            }
        )
        partner = self.partner_id.with_company(self.company_id)
        if any(self.line_ids.mapped("is_step")):
            Escalation._apply_level_action(
                partner, self, self.line_ids.move_id, sent_on
            )
        Escalation._replan(partner, self.company_id, sent_on)

    # ------------------------------------------------------------
    # FAILED
    # ------------------------------------------------------------

    def _mark_failed(self, reason):
        """It did not reach the customer: failed with the reason, undone
        where a bounce came after it was sent, and tried again the next
        night by the next channel, else handed to a person."""
        for communication in internal(self):
            if communication.state == "sent":
                communication._undo_effect()
            retry = communication._can_retry()
            communication.write(
                {
                    "state": "failed",
                    "failure_reason": reason,
                    "needs_retry": retry,
                    "sent_date": False,
                }
            )
            _logger.warning("Dunning reminder %s failed: %s", communication.id, reason)
            communication.partner_id._message_log(
                body=communication._summary_html(
                    _("The reminder did not reach the customer: %s", reason)
                    + " "
                    + (
                        _("The next nightly run tries it again by another channel.")
                        if retry
                        else _("A person follows it up.")
                    )
                )
            )
            if not retry:
                communication._schedule_manual_follow_up(reason)

    def _can_retry(self):
        """The dunning run's reminders are tried again while they still name
        an open invoice; a payment plan's messages go to a person."""
        self.ensure_one()
        return bool(
            not self.payment_plan_id
            and self.channel != "phone"
            and any(is_open_invoice(move) for move in self.line_ids.move_id)
        )

    def _undo_effect(self):
        """A bounce after it was sent: the invoices step back and the
        notice it gave lapses (a hand-over stays with the person it went to)."""
        self.ensure_one()
        Escalation = self.env["dunning.escalation"]
        Escalation._write_invoice_updates(
            {
                line.move_id: {
                    "dunning_level_id": line.previous_level_id.id,
                    "dunning_last_date": line.previous_last_date,
                }
                for line in self.line_ids.filtered(
                    lambda line: (
                        line.is_step and line.move_id.dunning_level_id == line.level_id
                    )
                )
            }
        )
        partner = self.partner_id.with_company(self.company_id)
        if (
            self.hold_notice_date
            and not partner.credit_hold
            and partner.credit_hold_date == self.hold_notice_date
        ):
            partner.credit_hold_date = False
        Escalation._replan(partner, self.company_id, fields.Date.context_today(self))

    def _withdraw(self):
        """A later attempt that is no longer needed: the earlier one went
        out after all. Cancelled before it goes, its call or letter too."""
        waiting = internal(self).filtered(lambda c: c.state in WAITING_STATES)
        if not waiting:
            return
        waiting.write(
            {
                "state": "cancelled",
                "failure_reason": _("The earlier attempt went out after all."),
            }
        )
        waiting.activity_id.unlink()
        waiting._cancel_snailmail()

    def _cancel_snailmail(self):
        """The post must not print these reminders' letters any more."""
        if "snailmail.letter" not in self.env or not self:
            return
        self.env["snailmail.letter"].sudo().search(
            [
                ("model", "=", self._name),
                ("res_id", "in", self.ids),
                ("state", "in", ("pending", "error")),
            ]
        ).cancel()

    @api.model
    def _sweep_waiting(self, today):
        """The nightly look at reminders still waiting for Odoo's queues
        since before today: what the queues said meanwhile is taken (a
        result that could not be recorded then), and one whose message left
        the queues without any result is failed, so that the night tries it
        again rather than its invoices waiting for ever."""
        waiting = internal(self).search(
            [
                ("state", "=", "queued"),
                ("date", "<", today),
                "|",
                ("channel", "in", ("email", "sms")),
                "&",
                ("channel", "=", "letter"),
                ("letter_by_post", "=", True),
            ],
            order="id",
        )
        return run_isolated(
            waiting,
            lambda communication: communication._sweep_one(),
            self.env._("The nightly check of reminders still waiting"),
        )

    def _sweep_one(self):
        self.ensure_one()
        self._follow_own_notifications()
        if self.state != "queued" or self._still_in_a_queue():
            return
        self._mark_failed(
            _(
                "The message left Odoo's queue without being reported sent "
                "(it was deleted or cancelled there)."
            )
        )

    def _still_in_a_queue(self):
        """Whether Odoo still has this reminder's message to send."""
        self.ensure_one()
        if self.channel == "letter":
            return bool(
                self._own_notifications().filtered(
                    lambda n: n.notification_status in ("ready", "process")
                )
            )
        queue = "mail.mail" if self.channel == "email" else "sms.sms"
        return bool(
            self.env[queue]
            .sudo()
            .search_count(
                [
                    ("mail_message_id", "=", self.mail_message_id.id),
                    ("state", "in", ("outgoing", "process")),
                ],
                limit=1,
            )
        )

    # ------------------------------------------------------------
    # TRIED AGAIN
    # ------------------------------------------------------------

    @api.model
    def _retry_failed(self, today):
        """The nightly step: every failed reminder still to try is tried
        again by its next channel, each in a savepoint of its own."""
        failed = internal(self).search(
            [("needs_retry", "=", True), ("state", "=", "failed")], order="id"
        )
        return run_isolated(
            failed,
            lambda communication: communication._retry(today),
            self.env._("The nightly retry of failed reminders"),
        )

    def _retry(self, today):
        """Try this failed reminder again, once: the next channel, the
        invoices still open, amounts and dates of today."""
        self.ensure_one()
        self.env.cr.execute(
            """
            SELECT id FROM dunning_communication
             WHERE id = %s AND needs_retry
               FOR NO KEY UPDATE SKIP LOCKED
            """,
            [self.id],
        )
        if not self.env.cr.fetchone():
            return self.browse()  # another worker tries it, or did already
        company = self.company_id
        partner = self.partner_id.with_company(company)
        Escalation = self.env["dunning.escalation"]
        # what holds an invoice since (paid, disputed, paused, promised,
        # a plan, handed over) holds its retry too
        lines = self.line_ids.filtered(
            lambda line: (
                is_open_invoice(line.move_id)
                and not Escalation._is_held(
                    Escalation._invoice_state(line.move_id), today
                )
            )
        )
        if partner.dunning_excluded:
            lines = lines.browse()
        self._cancel_snailmail()
        invoices = lines.move_id
        recipient = partner._dunning_recipient(invoices)
        total = sum(invoices.mapped("amount_residual_signed"))
        total -= partner._dunning_open_credit(company)
        channel = retry_channel(
            self.channel,
            self.attempt - 1,
            company.dunning_retry_limit,
            partner._dunning_reachable_channels(recipient),
        )
        if not lines or total <= 0 or not channel:
            self.needs_retry = False
            if lines and total > 0:
                self._schedule_manual_follow_up(self.failure_reason or "")
            return self.browse()
        if channel == "email" and not recipient.email and partner.email:
            recipient = partner  # the contact has no address, the customer has
        values = Escalation._formal_demand_values(
            partner, company, invoices, total, self.level_id, today
        )
        retry = self.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(
            {
                **values,
                "partner_id": partner.id,
                "recipient_id": recipient.id,
                "company_id": company.id,
                "level_id": self.level_id.id,
                "channel": channel,
                "date": today,
                "trigger": self.trigger,
                "state": "queued",
                "amount": total,
                "user_id": self.user_id.id,
                "attempt": self.attempt + 1,
                "retry_of_id": self.id,
                "mail_template_id": self.mail_template_id.id,
                "move_ids": [fields.Command.set(invoices.ids)],
                "line_ids": [
                    fields.Command.create(
                        Escalation._line_values(
                            line.move_id,
                            line.level_id,
                            line.is_step,
                            line.previous_level_id,
                            line.previous_last_date,
                            today,
                        )
                    )
                    for line in lines.sorted("date_due")
                ],
            }
        )
        self.needs_retry = False
        channels = dict(self._fields["channel"]._description_selection(self.env))
        partner._message_log(
            body=Markup("<p>%s</p>")
            % _(
                "Attempt %(attempt)s: the reminder that failed by %(failed)s "
                "(%(reason)s) goes by %(channel)s.",
                attempt=retry.attempt,
                failed=channels[self.channel],
                reason=self.failure_reason or "",
                channel=channels[channel],
            )
        )
        retry._deliver()
        return retry

    # ------------------------------------------------------------
    # A PERSON'S CONFIRMATION
    # ------------------------------------------------------------

    def action_mark_posted(self):
        """The printed letters are in the post: they are sent today."""
        check_group(self.env, GROUP_COLLECTOR)
        self.check_access("write")
        letters = self.filtered(lambda c: c.channel == "letter" and c.state == "queued")
        if letters != self or letters.filtered("letter_by_post"):
            raise UserError(
                _(
                    "Only a printed letter that waits to be posted can be marked "
                    "as posted; Snailmail reports its own letters."
                )
            )
        if letters.filtered(lambda c: not c.attachment_id):
            raise UserError(_("The letter is not printed yet."))
        letters._mark_sent()
        return True

    def _activity_done(self):
        """The collector marked the call or the WhatsApp message done."""
        self.filtered(
            lambda c: c.state == "queued" and c.channel in BY_A_PERSON
        )._mark_sent()

    def _activity_cancelled(self):
        """The activity was deleted without being done: the call was not
        made, the reminder did not go; the ladder takes it up again."""
        waiting = internal(self).filtered(
            lambda c: c.state == "queued" and c.channel in BY_A_PERSON
        )
        if waiting:
            waiting.write(
                {
                    "state": "cancelled",
                    "failure_reason": _("The activity was removed without being done."),
                }
            )
            for communication in waiting:
                communication.partner_id._message_log(
                    body=communication._summary_html(
                        _("The reminder's activity was removed without being done")
                    )
                )

    # ------------------------------------------------------------
    # WHAT WAITS FOR A REMINDER
    # ------------------------------------------------------------

    @api.model
    def _waiting_move_ids(self, partners):
        """The invoices of these customers named by a reminder that has not
        gone out yet, or that failed and is still to be tried again: the
        ladder waits for it rather than sending another."""
        self.flush_model(["state", "needs_retry", "partner_id", "review_skipped_until"])
        self.env["dunning.communication.line"].flush_model(["move_id"])
        self.env.cr.execute(
            """
            SELECT DISTINCT line.move_id
              FROM dunning_communication comm
              JOIN dunning_communication_line line
                ON line.communication_id = comm.id
             WHERE comm.partner_id = ANY(%s)
               AND (comm.state IN %s
                    OR (comm.state = 'failed' AND comm.needs_retry)
                    OR (comm.state = 'cancelled' AND comm.review_skipped_until >= %s))
            """,
            [partners.ids, WAITING_STATES, fields.Date.context_today(self)],
        )
        return {row[0] for row in self.env.cr.fetchall()}


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_retry_limit = fields.Integer(
        string="Tries Again By Another Channel",
        default=2,
        help="How many times a reminder that did not arrive is tried again "
        "by the next channel (an SMS by e-mail, an e-mail by letter) before "
        "a collector calls.",
    )

    @api.constrains("dunning_retry_limit")
    def _check_dunning_retry_limit(self):
        for company in self:
            if not 0 <= company.dunning_retry_limit <= 5:
                raise ValidationError(
                    _("A failed reminder is tried again between 0 and 5 times.")
                )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_retry_limit = fields.Integer(
        related="company_id.dunning_retry_limit", readonly=False
    )
