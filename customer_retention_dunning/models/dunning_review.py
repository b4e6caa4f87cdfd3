"""The review queue: the personal touch.

For a customer marked *Personal touch*, or a level that says *Review before
sending*, the night prepares the reminder as usual (level, channel,
invoices, amounts, the text in the customer's language) but does not send
it: it waits as *To Review* in the collector's queue. The collector edits
the subject and the text, may switch to another channel the customer can be
reached by, and sends it or skips it with a reason. Only a reminder that
went out moves the ladder. One left unreviewed too long goes to a senior
collector: never out unseen."""

from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import html2plaintext

from .cron_batches import run_isolated_in_batches
from .decision_fields import (
    GROUP_COLLECTOR,
    GROUP_SENIOR,
    check_group,
    internal,
    is_internal,
)

# what a collector may change on a reminder while it waits for review
REVIEW_FIELDS = {"review_subject", "review_body", "channel", "review_skip_reason"}
REVIEW_ACTIVITY = "mail.mail_activity_data_todo"


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_personal_touch = fields.Boolean(
        string="Personal Touch",
        company_dependent=True,
        groups="base.group_user",
        help="The night prepares this customer's reminders but a collector "
        "reviews, edits and sends each one.",
    )


class DunningLevel(models.Model):
    _inherit = "dunning.level"

    review_before_send = fields.Boolean(
        string="Review Before Sending",
        help="The reminders of this step wait in the collector's review queue "
        "instead of going out at night.",
    )


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_review_max_days = fields.Integer(
        string="Review Within (Days)",
        default=3,
        help="A reminder left unreviewed this many days goes to a senior "
        "collector; it is never sent unseen.",
    )

    @api.constrains("dunning_review_max_days")
    def _check_dunning_review_max_days(self):
        if any(not 1 <= company.dunning_review_max_days <= 60 for company in self):
            raise ValidationError(
                _("A reminder waits between 1 and 60 days for its review.")
            )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_review_max_days = fields.Integer(
        related="company_id.dunning_review_max_days", readonly=False
    )


class DunningCommunication(models.Model):
    _name = "dunning.communication"
    # the review is the collector's task on the reminder itself
    _inherit = ["dunning.communication", "mail.activity.mixin"]

    review_subject = fields.Char(
        string="Subject",
        help="The e-mail's subject as the customer will read it.",
    )
    review_body = fields.Html(
        string="Text",
        sanitize_style=True,
        help="The text as the customer will read it: prepared by the night "
        "in the customer's language, edited by the collector.",
    )
    reviewed_by_id = fields.Many2one("res.users", string="Reviewed By", readonly=True)
    review_escalated = fields.Boolean(
        string="Passed to a Senior",
        readonly=True,
        help="It waited longer than the company allows and went to a senior collector.",
    )
    review_skip_reason = fields.Char(
        string="Reason to Skip",
        help="Why this reminder is not sent: kept with it as evidence.",
    )
    review_skipped_until = fields.Date(
        readonly=True,
        help="Its invoices get no other reminder before this day: the step's "
        "own interval from the day it was skipped.",
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if not is_internal(self.env) and vals and set(vals) <= REVIEW_FIELDS:
            # the collector's part of a reminder under review; everything
            # else of it stays the run's and the actions'
            check_group(self.env, GROUP_COLLECTOR)
            self.check_access("write")
            if any(communication.state != "to_review" for communication in self):
                raise UserError(_("Only a reminder waiting for review can be edited."))
            if "channel" in vals:
                self._check_review_channel(vals["channel"])
                if "review_body" not in vals:
                    # the text of the new channel, to be reviewed in turn
                    for communication in internal(self):
                        super(DunningCommunication, communication).write(
                            {
                                "channel": vals["channel"],
                                **communication._review_text_values(vals["channel"]),
                            }
                        )
                    vals = {k: v for k, v in vals.items() if k != "channel"}
                    if not vals:
                        return True
            return super(DunningCommunication, internal(self)).write(vals)
        return super().write(vals)

    def _check_review_channel(self, channel):
        for communication in self:
            customer = communication.partner_id.with_company(communication.company_id)
            reachable = customer._dunning_reachable_channels(communication.recipient_id)
            if channel not in reachable:
                raise UserError(
                    _(
                        "%(customer)s cannot be reached by %(channel)s.",
                        customer=customer.display_name,
                        channel=dict(
                            self._fields["channel"]._description_selection(self.env)
                        ).get(channel, channel),
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_send_reviewed(self):
        """Send the reviewed reminders as they now read; each goes to its
        channel and reads *Sent* only once it went out."""
        check_group(self.env, GROUP_COLLECTOR)
        self.check_access("write")
        if any(communication.state != "to_review" for communication in self):
            raise UserError(_("Only a reminder waiting for review can be sent."))
        for communication in internal(self):
            communication.write({"state": "queued", "reviewed_by_id": self.env.uid})
            communication._close_review_activities()
            communication._deliver()
        return True

    def action_skip_review(self):
        """Do not send these reminders: they are cancelled with the reason,
        and their invoices wait the step's interval before the next one."""
        check_group(self.env, GROUP_COLLECTOR)
        self.check_access("write")
        for communication in self:
            if communication.state != "to_review":
                raise UserError(_("Only a reminder waiting for review can be skipped."))
            if not (communication.review_skip_reason or "").strip():
                raise UserError(_("Please give the reason to skip this reminder."))
        today = fields.Date.context_today(self)
        for communication in internal(self):
            interval = max(communication.level_id.min_interval_days, 1)
            communication.write(
                {
                    "state": "cancelled",
                    "reviewed_by_id": self.env.uid,
                    "review_skipped_until": today + timedelta(days=interval),
                }
            )
            communication._close_review_activities()
            communication._log_on_customer(
                _("Reminder skipped on review: %s", communication.review_skip_reason)
            )
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _needs_review(self):
        """Whether this reminder waits for a collector rather than going
        out: the customer wants the personal touch or its level says so."""
        self.ensure_one()
        customer = self.partner_id.with_company(self.company_id)
        return (
            bool(self.level_id.review_before_send or customer.dunning_personal_touch)
            and self.trigger == "cron"
        )

    def _hold_for_review(self):
        """Prepare the text as it would go out, in the recipient's language,
        and put the reminder in its collector's queue."""
        self.ensure_one()
        self.write({"state": "to_review", **self._review_text_values(self.channel)})
        self.activity_schedule(
            REVIEW_ACTIVITY,
            date_deadline=self.date,
            summary=_("Review this reminder"),
            note=_(
                "Edit it if needed, then Send or Skip it. It goes to a senior "
                "collector after %s days.",
                self.company_id.dunning_review_max_days,
            ),
            user_id=(self.user_id or self.env.user).id,
        )

    def _review_text_values(self, channel):
        """The text a reminder by ``channel`` would carry, to be edited: an
        e-mail's subject and body, a text message's words; a letter and a
        call keep their own."""
        self.ensure_one()
        if channel == "email":
            rendered = self._template()._generate_template(
                self.ids, ["subject", "body_html"]
            )[self.id]
            return {
                "review_subject": rendered.get("subject"),
                "review_body": rendered.get("body_html"),
            }
        if channel in ("sms", "whatsapp"):
            text = self.with_context(dunning_original_text=True)._short_text()
            return {"review_subject": False, "review_body": Markup("<p>%s</p>") % text}
        return {"review_subject": False, "review_body": False}

    def _close_review_activities(self):
        self.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.env.ref(REVIEW_ACTIVITY)
        ).unlink()

    def _short_text(self):
        # a reviewed text message goes out as the collector left it
        if self.review_body and not self.env.context.get("dunning_original_text"):
            return self._reviewed_text()
        return super()._short_text()

    def _reviewed_text(self):
        """The reviewed text as plain text, for a text message or a call."""
        self.ensure_one()
        return html2plaintext(self.review_body or "").strip()

    @api.model
    def _cron_pass_stale_reviews(self, today=None):
        """Reminders left unreviewed longer than their company allows go
        to a senior collector, each on its own."""
        today = today or fields.Date.context_today(self)
        waiting = internal(self).search(
            [("state", "=", "to_review"), ("review_escalated", "=", False)]
        )
        stale = waiting.filtered(
            lambda c: (
                c.date + timedelta(days=c.company_id.dunning_review_max_days) <= today
            )
        )
        run_isolated_in_batches(
            stale,
            lambda communication: communication._pass_to_senior(),
            self.env._("Passing unreviewed reminders to a senior collector"),
        )

    def _senior_for_review(self):
        """A senior collector of the reminder's company, not its collector
        when there is another."""
        self.ensure_one()
        seniors = (
            self.env.ref(GROUP_SENIOR)
            .users.filtered(
                lambda user: (
                    user.active
                    and not user.share
                    and self.company_id in user.company_ids
                    and not user._is_superuser()
                )
            )
            .sorted("id")
        )
        return (seniors - self.user_id)[:1] or seniors[:1]

    def _pass_to_senior(self):
        senior = self._senior_for_review()
        self.write({"review_escalated": True, "user_id": (senior or self.user_id).id})
        self._close_review_activities()
        self.activity_schedule(
            REVIEW_ACTIVITY,
            date_deadline=fields.Date.context_today(self),
            summary=_("Reminder waiting for review too long"),
            note=Markup("<p>%s</p>")
            % _(
                "Nobody reviewed this reminder within %s days: please send or skip it.",
                self.company_id.dunning_review_max_days,
            ),
            user_id=(senior or self.user_id or self.env.user).id,
        )
