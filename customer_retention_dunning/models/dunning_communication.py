import ast
from collections import defaultdict

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount
from odoo.tools.misc import get_lang

from ..tools.dunning_schedule import CHANNELS
from ..tools.money import money_formatter
from ..tools.phone_numbers import whatsapp_link
from .decision_fields import (
    GROUP_CREDIT_MANAGER,
    GROUP_SENIOR,
    ONLY_ACTIONS,
    check_fields,
    internal,
    is_internal,
)
from .message_bodies import write_bodies

CHANNEL_SELECTION = [
    ("email", "E-mail"),
    ("letter", "Letter"),
    ("phone", "Phone call"),
    ("sms", "SMS"),
    ("whatsapp", "WhatsApp"),
]
assert tuple(key for key, _label in CHANNEL_SELECTION) == CHANNELS

FALLBACK_SELECTION = [
    ("no_email", "No e-mail address"),
    ("no_letter", "No postal address"),
    ("no_sms", "No usable mobile number for SMS"),
    ("no_whatsapp", "No usable mobile number for WhatsApp"),
]


# what a reminder states and what happened to it: written by the nightly run
# and the actions only; a senior collector may hand it to another collector
COMMUNICATION_DECISION_FIELDS = {
    **dict.fromkeys(
        (
            "partner_id",
            "recipient_id",
            "company_id",
            "level_id",
            "profile_id",
            "tone",
            "channel",
            "channel_fallback",
            "date",
            "trigger",
            "state",
            "failure_reason",
            "line_ids",
            "move_ids",
            "amount",
            "mail_message_id",
            "activity_id",
            "attachment_id",
            "payment_plan_id",
            "payment_plan_line_id",
            "mail_template_id",
            "letter_by_post",
            "mobile",
            "statutory_costs",
            "statutory_interest",
            "is_consumer_notice",
            "assumed_receipt_date",
            "pay_by_date",
            "costs_claimable_from",
            "charge_move_id",
            "sent_date",
            "attempt",
            "retry_of_id",
            "retry_ids",
            "needs_retry",
            "hold_notice_date",
            # the customer's key to the reminder's page: made with it, never
            # set by hand
            "access_token",
            # the review queue: written by the collector's review only
            # (while the reminder waits for it) and by its actions
            "review_subject",
            "review_body",
            "review_skip_reason",
            "reviewed_by_id",
            "review_escalated",
            "review_skipped_until",
        ),
        ONLY_ACTIONS,
    ),
    "user_id": GROUP_SENIOR,
}


class DunningCommunication(models.Model):
    _name = "dunning.communication"
    _description = "Dunning Communication"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    # found by its customer or level name; searching display_name itself
    # (the old _rec_name) recursed until the worker was killed
    _rec_names_search = ["partner_id", "level_id"]
    _check_company_auto = True

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        help="The commercial partner this reminder is about.",
    )
    recipient_id = fields.Many2one(
        "res.partner",
        string="Sent To",
        help="The invoice contact, else the billing contact, else the customer.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    level_id = fields.Many2one(
        "dunning.level",
        string="Level",
        ondelete="restrict",
        check_company=True,
        help="The highest level among the invoices: it sets the tone.",
    )
    # precomputed: written with the INSERT, not by an UPDATE right after it
    profile_id = fields.Many2one(
        related="level_id.profile_id", store=True, precompute=True
    )
    tone = fields.Selection(related="level_id.tone", store=True, precompute=True)
    channel = fields.Selection(CHANNEL_SELECTION, required=True)
    channel_fallback = fields.Selection(
        FALLBACK_SELECTION,
        help="Why another channel than the first choice was used.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    trigger = fields.Selection(
        [("cron", "Nightly run"), ("manual", "By a person"), ("plan", "Payment plan")],
        required=True,
        default="manual",
    )
    state = fields.Selection(
        [
            ("to_review", "To Review"),
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="queued",
        index=True,
    )
    failure_reason = fields.Text()
    line_ids = fields.One2many(
        "dunning.communication.line", "communication_id", string="Invoices"
    )
    move_ids = fields.Many2many(
        "account.move",
        "dunning_communication_move_rel",
        "communication_id",
        "move_id",
        string="Invoices Reminded",
        check_company=True,
    )
    amount = fields.Monetary(
        currency_field="currency_id",
        help="The open amount of the reminded invoices when it was made.",
    )
    user_id = fields.Many2one("res.users", string="Collector")
    # Odoo's queues and activities are followed by these: indexed
    mail_message_id = fields.Many2one(
        "mail.message", string="Message", readonly=True, index="btree_not_null"
    )
    activity_id = fields.Many2one(
        "mail.activity", string="Activity", readonly=True, index="btree_not_null"
    )
    attachment_id = fields.Many2one("ir.attachment", string="Letter", readonly=True)
    payment_plan_id = fields.Many2one(
        "payment.plan", string="Payment Plan", index="btree_not_null", readonly=True
    )
    payment_plan_line_id = fields.Many2one(
        "payment.plan.line", string="Instalment", readonly=True
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Template",
        readonly=True,
        help="The e-mail template used instead of the level's (payment plan messages).",
    )
    letter_by_post = fields.Boolean(
        string="Sent by Post",
        readonly=True,
        help="The letter was handed to Odoo's Snailmail service to be printed "
        "and posted.",
    )
    mobile = fields.Char(
        string="Mobile Number",
        readonly=True,
        help="The number an SMS or WhatsApp message went to (E.164).",
    )
    statutory_costs = fields.Monetary(
        string="Collection Costs",
        currency_field="currency_id",
        readonly=True,
        help="The extrajudicial collection costs stated in a formal demand.",
    )
    statutory_interest = fields.Monetary(
        string="Interest to Date",
        currency_field="currency_id",
        readonly=True,
        help="The statutory interest stated in a formal demand: from the day "
        "after each due date up to and including the day it was made.",
    )
    is_consumer_notice = fields.Boolean(
        string="14-Day Letter",
        readonly=True,
        help="A formal demand to a consumer (art. 6:96 lid 6 BW): it names the "
        "exact costs and gives 14 days from the day after receipt. The dates "
        "below are kept as proof.",
    )
    assumed_receipt_date = fields.Date(string="Assumed Received On", readonly=True)
    pay_by_date = fields.Date(
        string="Pay By",
        readonly=True,
        help="The last of the 14 days, counted from the day after receipt.",
    )
    costs_claimable_from = fields.Date(
        readonly=True,
        help="Collection costs may be charged from this day on, never before.",
    )
    charge_move_id = fields.Many2one(
        "account.move",
        string="Costs Invoice",
        readonly=True,
        copy=False,
        help="The invoice that charged this demand's collection costs and "
        "interest, once its payment period had passed.",
    )
    charge_payment_state = fields.Selection(
        related="charge_move_id.payment_state", string="Costs Invoice Paid"
    )
    can_charge = fields.Boolean(
        string="Costs Can Be Charged",
        compute="_compute_can_charge",
        help="A sent formal demand whose payment period has passed and whose "
        "costs and interest are not charged yet.",
    )
    is_proactive = fields.Boolean(
        string="Before the Due Date",
        compute="_compute_is_proactive",
        help="Every invoice in it is not yet due: a friendly heads-up.",
    )
    pay_url = fields.Char(
        string="Payment Link",
        compute="_compute_pay_url",
        help="Where the customer pays online: the oldest invoice's page.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id", "level_id", "date", "channel")
    def _compute_display_name(self):
        channels = dict(CHANNEL_SELECTION)
        for communication in self:
            communication.display_name = " - ".join(
                part
                for part in (
                    communication.partner_id.name,
                    communication.level_id.name,
                    channels.get(communication.channel),
                    communication.date and fields.Date.to_string(communication.date),
                )
                if part
            )

    @api.depends("state", "costs_claimable_from", "charge_move_id.state")
    def _compute_can_charge(self):
        today = fields.Date.context_today(self)
        for communication in self:
            communication.can_charge = bool(
                communication.state == "sent"
                and communication.costs_claimable_from
                and communication.costs_claimable_from <= today
                and communication.charge_move_id.state in (False, "cancel")
            )

    @api.depends("line_ids.days_overdue")
    def _compute_is_proactive(self):
        for communication in self:
            communication.is_proactive = bool(communication.line_ids) and all(
                line.days_overdue <= 0 for line in communication.line_ids
            )

    @api.depends("line_ids.access_url")
    def _compute_pay_url(self):
        for communication in self:
            line = communication.line_ids.filtered("access_url").sorted("date_due")[:1]
            communication.pay_url = (
                communication.get_base_url() + line.access_url if line else False
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def init(self):
        # The nightly run makes at most one communication per customer,
        # channel and day, even with several cron workers at once: the
        # database refuses the second one.
        # A failed reminder tried again the next night is not the night's
        # own reminder: it has one index of its own (one retry each).
        self.env.cr.execute(
            """
            DROP INDEX IF EXISTS dunning_communication_once_a_day;
            CREATE UNIQUE INDEX IF NOT EXISTS dunning_communication_once_a_night
                ON dunning_communication (partner_id, company_id, channel, date)
             WHERE trigger = 'cron' AND state != 'cancelled'
               AND retry_of_id IS NULL
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        # a reminder is evidence: only the run and the actions make one
        for vals in vals_list:
            check_fields(self, vals, COMMUNICATION_DECISION_FIELDS, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        check_fields(self, vals, COMMUNICATION_DECISION_FIELDS)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never_evidence(self):
        if not is_internal(self.env) and self.filtered(
            lambda communication: communication.state != "cancelled"
        ):
            raise UserError(_("A reminder is kept as evidence and is never deleted."))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _deliver(self):
        """Hand each reminder to its channel: Odoo's mail or SMS queue, a
        letter to print or post, an activity for a collector. Each stays
        queued until it really went out; one that cannot go is failed with
        its reason. (The night hands its own reminders on in
        ``_hand_over_made``, its letters printed after its last batch.)"""
        for communication in self:
            communication._report_fallback()
            communication._deliver_one()

    def _deliver_one(self, **options):
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                getattr(self, f"_deliver_{self.channel}")(**options)
        except Exception as error:  # the run goes on for the others
            self._mark_failed(str(error))  # logged there

    def action_charge_costs(self):
        """Charge the collection costs a formal demand stated, and the
        interest up to today, with one customer invoice per demand. Checked
        for every demand first: a refusal leaves nothing behind."""
        if not self.env.su and not self.env.user.has_group(GROUP_CREDIT_MANAGER):
            raise AccessError(
                _("Only a credit manager can charge collection costs and interest.")
            )
        self.check_access("write")
        self = internal(self)
        today = fields.Date.context_today(self)
        prepared, problems = [], []
        for communication in self:
            try:
                prepared.append((communication, communication._charge_values(today)))
            except UserError as error:
                problems.append(f"{communication.display_name}: {error.args[0]}")
        if problems:
            raise UserError("\n".join(problems))
        charges = self.env["account.move"]
        for communication, values in prepared:
            charge = self.env["account.move"].create(values)
            charge.action_post()
            communication.charge_move_id = charge
            note = _(
                "Collection costs and interest charged with %(invoice)s: "
                "costs %(costs)s, interest %(interest)s.",
                invoice=charge._get_html_link(),
                costs=format_amount(
                    self.env, charge.dunning_costs_charged, communication.currency_id
                ),
                interest=format_amount(
                    self.env, charge.dunning_interest_charged, communication.currency_id
                ),
            )
            communication.message_post(body=note)
            communication.partner_id._message_log(body=note)
            for invoice in charge.dunning_charged_invoice_ids:
                invoice._message_log(body=note)
            charges |= charge
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(domain=[("id", "in", charges.ids)], context={})
        if len(charges) == 1:
            action.update(view_mode="form", res_id=charges.id, views=[(False, "form")])
        return action

    def _charge_values(self, today):
        """The costs invoice for this demand, or a UserError saying why
        it cannot be charged (yet)."""
        self.ensure_one()
        if not self.costs_claimable_from:
            raise UserError(
                _("Only a formal demand states costs and interest that can be charged.")
            )
        if self.state != "sent":
            raise UserError(_("This formal demand was not sent."))
        if self.charge_move_id.state not in (False, "cancel"):
            raise UserError(
                _("Already charged with %s.", self.charge_move_id.display_name)
            )
        if today < self.costs_claimable_from:
            raise UserError(
                _(
                    "Costs can be charged from %s on, after the period to pay "
                    "that the demand gave.",
                    fields.Date.to_string(self.costs_claimable_from),
                )
            )
        invoices = self.line_ids.move_id.filtered(
            lambda move: move.state == "posted" and not move.dunning_is_charge
        )
        if not invoices:
            raise UserError(_("None of the demand's invoices is still posted."))
        charged = invoices.dunning_charge_ids.filtered(
            lambda move: move.state == "posted"
        )
        if charged:
            raise UserError(
                _(
                    "Costs for these invoices were already charged with %s.",
                    ", ".join(charged.mapped("name")),
                )
            )
        paid_dates = [invoice._dunning_paid_on() for invoice in invoices]
        if all(paid and paid <= self.pay_by_date for paid in paid_dates):
            raise UserError(
                _(
                    "The customer paid within the period the demand gave "
                    "(until %s): no costs or interest can be charged.",
                    fields.Date.to_string(self.pay_by_date),
                )
            )
        company = self.company_id
        currency = company.currency_id
        interest = currency.round(
            sum(invoice._dunning_statutory_interest(today) for invoice in invoices)
        )
        costs = currency.round(self.statutory_costs)
        if currency.is_zero(costs) and currency.is_zero(interest):
            raise UserError(
                _(
                    "Nothing to charge: the demand stated no costs and no interest is due."
                )
            )
        return self.env["account.move"]._dunning_charge_values(
            self.partner_id,
            company,
            invoices,
            costs,
            interest,
            today,
            reference=_("Formal demand of %s", fields.Date.to_string(self.date)),
            extra={"dunning_charge_communication_id": self.id},
        )

    def _report_fallback(self):
        """A customer who prefers text messages but cannot get them hears
        about it on the customer form, so someone fixes the number."""
        self.ensure_one()
        if self.channel_fallback not in ("no_sms", "no_whatsapp"):
            return
        contact = (
            self.recipient_id
            if self.recipient_id.dunning_mobile_problem
            else self.partner_id
        )
        problem = dict(
            contact._fields["dunning_mobile_problem"]._description_selection(self.env)
        ).get(contact.dunning_mobile_problem) or _("No usable mobile number")
        channels = dict(self._fields["channel"]._description_selection(self.env))
        self.partner_id.message_post(
            body=_(
                "The reminder could not go by %(wanted)s (%(problem)s: %(number)s); it went by %(used)s instead. Please correct the mobile number.",
                wanted=channels[self.channel_fallback[3:]],
                problem=problem,
                number=contact.mobile or contact.phone or _("none"),
                used=channels[self.channel],
            )
        )

    def _action_show_made(self):
        """After a person's action: the reminders it made, or why none."""
        if not self:
            raise UserError(
                _(
                    "No reminder was made. The invoices may be disputed, paused, "
                    "promised, handed over, already reminded today, at the top of "
                    'their ladder or below the minimum amount; for "send again", '
                    "no reminder was sent for them yet."
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_retention_dunning.dunning_communication_action"
        )
        action["domain"] = [("id", "in", self.ids)]
        if len(self) == 1:
            action.update(view_mode="form", res_id=self.id, views=[(False, "form")])
        return action

    def _template(self, defaults=None):
        """The reminder's e-mail template (``defaults``: the tones' own
        templates found so far, filled in here)."""
        self.ensure_one()
        template = self.mail_template_id or self.level_id.email_template_id
        if template:
            return template
        defaults = {} if defaults is None else defaults
        tone = self.tone or "friendly"
        if tone not in defaults:
            defaults[tone] = self.env.ref(
                f"customer_retention_dunning.mail_template_dunning_{tone}"
            )
        return defaults[tone]

    def _deliver_email(self, promises=None, prepared=None, log=True):
        """Queue the reminder e-mail (``prepared``: its rendered values, see
        :meth:`_prepare_emails`; ``log``: note it on the customer here; a
        recipient without an address is refused by :meth:`_queue_emails`)."""
        # rendered and queued directly: the mail composer costs more than
        # the whole rest of a reminder
        self._queue_emails({self.id: prepared or self._prepare_emails()[self.id]})
        if log:
            self._log_on_customer(_("Reminder e-mail queued"), promises)

    def _prepare_emails(self):
        """These reminders' e-mails rendered, a template at a time, with the
        address replies go to (as Odoo would find it for each).

        :return: ``{id: {subject, body_html, email_from, reply_to}}``
        """
        by_template, defaults = defaultdict(list), {}
        for communication in self:
            by_template[communication._template(defaults)].append(communication.id)
        prepared = {}
        for template, ids in by_template.items():
            prepared.update(
                template._generate_template(ids, ["subject", "body_html", "email_from"])
            )
        by_sender = defaultdict(list)
        for communication in self:
            by_sender[prepared[communication.id].get("email_from")].append(
                communication.id
            )
        for email_from, ids in by_sender.items():
            reply_to = self.browse(ids)._notify_get_reply_to(default=email_from)
            for communication_id in ids:
                prepared[communication_id]["reply_to"] = reply_to[communication_id]
        return prepared

    def _log_emails_on_customers(self, promises=None):
        """Note these queued e-mails on their customers, in one go where
        each customer has one."""
        partners = self.partner_id
        if len(partners) < len(self):
            for communication in self:
                communication._log_on_customer(_("Reminder e-mail queued"), promises)
            return
        title = self.env._("Reminder e-mail queued")
        summaries = {
            communication.partner_id.id: communication._summary_html(title, promises)
            for communication in self
        }
        # the notes made empty, their bodies (built of escaped values only)
        # written after: see message_bodies.py
        notes = partners._message_log_batch(bodies=dict.fromkeys(summaries, ""))
        write_bodies(self.env, notes, [summaries[partner.id] for partner in partners])

    def _short_text(self):
        """The SMS / WhatsApp text, in the recipient's language."""
        self.ensure_one()
        template = self.level_id.sms_template_id or self.env.ref(
            f"customer_retention_dunning.sms_template_dunning_{self.tone or 'friendly'}"
        )
        return template._render_field("body", self.ids, compute_lang=True)[self.id]

    def _deliver_sms(self, promises=None):
        number = self.partner_id._dunning_mobile(self.recipient_id)
        if not number:
            raise UserError(
                _("%s has no usable mobile number.", self.partner_id.display_name)
            )
        self.mobile = number
        # queued like e-mails: Odoo's SMS cron hands it to the gateway
        self.mail_message_id = self._message_sms(
            self._short_text(),
            partner_ids=False,
            sms_numbers=[number],
            put_in_queue=True,
        )
        self._log_on_customer(_("Reminder SMS queued for %s", number), promises)
        # a text Odoo refuses at once (a number it cannot use) fails at once
        self._follow_own_notifications()

    def _deliver_whatsapp(self, promises=None):
        number = self.partner_id._dunning_mobile(self.recipient_id)
        if not number:
            raise UserError(
                _("%s has no usable mobile number.", self.partner_id.display_name)
            )
        self.mobile = number
        text = self._short_text()
        # the message itself is in the note too: the collector sees what goes
        # out, and can copy it should the link not open
        note = self._summary_html(
            _("Send this reminder by WhatsApp"), promises
        ) + Markup(
            '<p><a href="%s" target="_blank">%s</a> (%s)</p><blockquote>%s</blockquote>'
        ) % (
            whatsapp_link(number, text),
            _("Open WhatsApp with the message ready to send"),
            number,
            text,
        )
        self.activity_id = self.partner_id.activity_schedule(
            "customer_retention_dunning.mail_activity_data_whatsapp",
            date_deadline=self.date,
            summary=_("Send the WhatsApp reminder (%s)", self.level_id.name),
            note=note,
            user_id=self.user_id.id or self.env.user.id,
        )

    def _deliver_phone(self, promises=None):
        self._call_activities(promises)

    def _schedule_manual_follow_up(self, reason):
        """Never silence: a person looks at a reminder that could not go."""
        self.ensure_one()
        self.activity_id = self.partner_id.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self.date,
            summary=_("Reminder could not be sent"),
            note=self._summary_html(reason),
            user_id=self.user_id.id or self.env.user.id,
        )

    def _log_on_customer(self, title, promises=None):
        self.partner_id._message_log(body=self._summary_html(title, promises))

    def _summary_html(self, title, promises=None):
        """A short, readable summary: invoices, amounts, score, promises
        (``promises``: see :meth:`_last_promises`)."""
        self.ensure_one()
        money = self._money(self.currency_id)
        rows = Markup("").join(
            Markup("<li>%s: %s, %s</li>")
            % (
                line.move_id.name,
                money(line.amount_residual),
                # env._ here: _() finds no language in a generator's frame
                self.env._("%s days overdue", line.days_overdue)
                if line.days_overdue > 0
                else self.env._("due %s", fields.Date.to_string(line.date_due)),
            )
            for line in self.line_ids
        )
        partner = self.partner_id
        score = _(
            "payment score %(score)s (%(band)s)",
            score=partner.payment_score,
            band=dict(
                partner._fields["payment_score_band"]._description_selection(self.env)
            )[partner.payment_score_band],
        )
        return Markup("<p><b>%s</b> - %s - %s</p><ul>%s</ul><p>%s: %s</p>%s") % (
            title,
            self.level_id.name or "",
            score,
            rows,
            _("Total"),
            money(self.amount),
            self._promise_history_html(promises),
        )

    def _money(self, currency):
        """A function writing amounts in ``currency`` as ``format_amount``
        does, in this environment's language, with the settings looked up
        once (for the many amounts of a night)."""
        lang = get_lang(self.env)
        write = money_formatter(
            currency.decimal_places,
            currency.symbol or "",
            currency.position == "before",
            lang.decimal_point,
            lang.thousands_sep or "",
            ast.literal_eval(lang.grouping),
        )
        return lambda amount: write(currency.round(amount))

    def _promise_history_html(self, promises=None):
        """The customer's last promises to pay, for whoever calls them (of
        the reminder's own company only)."""
        promises = self._promises_of(promises)
        if not promises:
            return Markup("<p>%s</p>") % _("No promise to pay on record.")
        states = dict(promises._fields["state"]._description_selection(self.env))
        rows = Markup("").join(
            Markup("<li>%s %s: %s</li>")
            % (
                fields.Date.to_string(promise.date),
                promise._format_amount(),
                states[promise.state],
            )
            for promise in promises
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (_("Promises to pay"), rows)
