"""Aftercare: a thank-you once a late payment came in.

A customer who needed at least a firm reminder and then paid everything
that was overdue in a company gets one short thank-you e-mail from that
company, in the customer's language: the relationship continues. One per
episode: an episode starts with the first firm reminder after the last
thank-you (a payment plan's own thank-you counts too) and ends when nothing
is overdue any more. The thank-you is a communication of its own trigger,
so that the effectiveness report shows it beside the reminders.
"""

from datetime import timedelta

from odoo import api, fields, models

from .cron_batches import run_isolated_in_batches
from .decision_fields import internal
from .open_invoices import OPEN_INVOICE_DOMAIN

# the tones that make a reminder firm enough to thank for the payment after it
FIRM_TONES = ("firm", "formal", "final")
THANKS_TEMPLATE = "customer_retention_dunning.mail_template_thank_late_payment"
PLAN_THANKS_TEMPLATE = "customer_retention_dunning.mail_template_payment_plan_done"
# a payment that came in longer ago is not thanked any more: the first night
# after going live does not thank for last year's payments
THANK_WITHIN_DAYS = 30
# the firm reminders the night looks at: an episode older than this was
# closed, thanked or not, long ago
LOOK_BACK_DAYS = 365
PAID_STATES = ("paid", "in_payment")
AFTERCARE_TRIGGER = [("aftercare", "Thank-you after payment")]


class DunningProfile(models.Model):
    _inherit = "dunning.profile"

    thank_after_payment = fields.Boolean(
        string="Thank After a Late Payment",
        default=True,
        help="A customer of this profile who received a firm reminder (or "
        "a firmer one) and then paid everything overdue gets one short "
        "thank-you e-mail.",
    )


class DunningEffectivenessReport(models.Model):
    _inherit = "dunning.effectiveness.report"

    trigger = fields.Selection(selection_add=AFTERCARE_TRIGGER)


class DunningCommunication(models.Model):
    _inherit = "dunning.communication"

    trigger = fields.Selection(
        selection_add=AFTERCARE_TRIGGER, ondelete={"aftercare": "set default"}
    )

    def init(self):
        result = super().init()
        # one thank-you per customer and day, whatever runs at once
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS dunning_communication_thanks_once
                ON dunning_communication (partner_id, company_id, date)
             WHERE trigger = 'aftercare' AND state != 'cancelled'
            """
        )
        return result

    def _customer_mail_kind(self):
        """A thank-you is not a reminder: the layout heads it *Thank you*."""
        self.ensure_one()
        if self.trigger == "aftercare":
            return "thanks"
        return super()._customer_mail_kind()

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_thank_late_payers(self, batch_size=200):
        """Every night, in each company: thank the customers whose episode
        of firm reminders ended with everything overdue paid; each customer
        in a savepoint of its own, in batches.

        :return: the thank-you communications made
        """
        today = fields.Date.context_today(self)
        Communication = internal(self)
        made = []
        step = self.env._("The nightly thank-you after a late payment")
        for company in self.env["res.company"].search([]):
            partners = Communication._late_payers(company, today)
            run_isolated_in_batches(
                partners.with_company(company),
                lambda partner, c=company: made.extend(
                    Communication._thank_late_payer(partner, c, today).ids
                ),
                step,
                batch_size=batch_size,
            )
        return self.browse(made)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _late_payers(self, company, today):
        """The customers of ``company`` whose last firm reminder came after
        their last thank-you and who have nothing overdue there: read in
        three grouped queries, whatever the size of the book."""
        firm = dict(
            self._read_group(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "sent"),
                    ("tone", "in", FIRM_TONES),
                    ("date", ">=", today - timedelta(days=LOOK_BACK_DAYS)),
                ],
                ["partner_id"],
                ["id:max"],
            )
        )
        if not firm:
            return self.env["res.partner"]
        thanked = dict(
            self._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", [partner.id for partner in firm]),
                    *self._thanks_domain(),
                ],
                ["partner_id"],
                ["id:max"],
            )
        )
        overdue = {
            partner
            for [partner] in self.env["account.move"]._read_group(
                [
                    *OPEN_INVOICE_DOMAIN,
                    ("company_id", "=", company.id),
                    ("commercial_partner_id", "in", [partner.id for partner in firm]),
                    ("invoice_date_due", "<", today),
                ],
                ["commercial_partner_id"],
            )
        }
        return self.env["res.partner"].union(
            *(
                partner
                for partner, last_firm in firm.items()
                if last_firm > thanked.get(partner, 0) and partner not in overdue
            )
        )

    @api.model
    def _thanks_domain(self):
        """The messages that thank a customer and close an episode."""
        plan_thanks = self.env.ref(PLAN_THANKS_TEMPLATE, raise_if_not_found=False)
        return [
            ("state", "!=", "cancelled"),
            "|",
            ("trigger", "=", "aftercare"),
            ("mail_template_id", "=", plan_thanks.id if plan_thanks else False),
        ]

    @api.model
    def _thank_late_payer(self, partner, company, today):
        """The thank-you for ``partner`` in ``company``, when its episode
        asks for one: not excluded from dunning, a profile that thanks,
        something of the episode paid (not only credited) within the last
        days, and an e-mail address.

        :return: the communication made, or an empty recordset
        """
        nothing = self.browse()
        partner = partner.with_company(company)
        if (
            partner.dunning_excluded
            or not partner.dunning_profile_id.thank_after_payment
        ):
            return nothing
        last_thanks = self.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                *self._thanks_domain(),
            ],
            order="id desc",
            limit=1,
        )
        episode = self.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("state", "=", "sent"),
                ("tone", "in", FIRM_TONES),
                ("id", ">", last_thanks.id or 0),
            ]
        )
        paid = episode.move_ids.filtered(lambda move: move.payment_state in PAID_STATES)
        if not episode or not paid:
            return nothing
        paid_on = max(move._dunning_paid_on() or move.invoice_date for move in paid)
        if paid_on < today - timedelta(days=THANK_WITHIN_DAYS):
            return nothing
        still_overdue = self.env["account.move"].search_count(
            [
                *OPEN_INVOICE_DOMAIN,
                ("company_id", "=", company.id),
                ("commercial_partner_id", "=", partner.id),
                ("invoice_date_due", "<", today),
            ],
            limit=1,
        )
        recipient = partner._dunning_recipient(paid)
        if still_overdue or not recipient.email:
            return nothing
        communication = self.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(
            {
                "partner_id": partner.id,
                "recipient_id": recipient.id,
                "company_id": company.id,
                "channel": "email",
                "trigger": "aftercare",
                "state": "queued",
                "date": today,
                "amount": 0.0,
                "user_id": partner.dunning_collector_id.id,
                "move_ids": [fields.Command.set(paid.ids)],
                "mail_template_id": self.env.ref(THANKS_TEMPLATE).id,
            }
        )
        communication = communication.with_context(
            mail_create_nolog=False, mail_create_nosubscribe=False
        )
        communication._deliver()
        return communication
