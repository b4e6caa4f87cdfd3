"""A payment plan the customer asks for in the portal.

The request is a draft plan, proposed by the customer, within the company's
limits; a collector reviews and submits it and a credit manager approves it
by the usual four eyes. The customer follows its status in the portal and
is told the outcome."""

from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .decision_fields import internal
from .payment_plan import FREQUENCY_SELECTION

# a customer chooses among a bounded number of instalments: the company's
# limits (months, smallest instalment) then narrow it further
CUSTOMER_MAX_INSTALMENTS = 24
# a request starts a week out, time enough for the four eyes
CUSTOMER_FIRST_PAYMENT_DAYS = 7


class PaymentPlan(models.Model):
    _inherit = "payment.plan"

    requested_by_customer = fields.Boolean(
        string="Asked for by the Customer",
        readonly=True,
        copy=False,
        help="The customer asked for this plan in the portal: a collector "
        "reviews and submits it, then it is approved as any other plan.",
    )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _customer_request_terms(self, invoices, count, frequency):
        """The plan a customer would get for ``invoices`` in ``count``
        instalments every ``frequency``: the first payment date and the
        schedule, refused with the reason when it breaks a limit.

        :return: ``(first_date, schedule)``
        """
        invoices._dunning_check_customer_can_answer()
        if frequency not in dict(FREQUENCY_SELECTION):
            raise UserError(_("Choose weekly, every two weeks or monthly."))
        if not 1 < count <= CUSTOMER_MAX_INSTALMENTS:
            raise UserError(
                _(
                    "Choose between 2 and %s instalments.",
                    CUSTOMER_MAX_INSTALMENTS,
                )
            )
        self._check_invoices(invoices)
        pending = (
            internal(self)
            .sudo()
            .search(
                [
                    ("move_ids", "in", invoices.ids),
                    ("state", "in", ("draft", "to_approve")),
                ],
                limit=1,
            )
        )
        if pending:
            raise UserError(
                _(
                    "A payment plan for these invoices is being reviewed already "
                    "(%s); we will let you know.",
                    pending.name,
                )
            )
        company = invoices.company_id
        first_date = fields.Date.context_today(self) + timedelta(
            days=CUSTOMER_FIRST_PAYMENT_DAYS
        )
        schedule = self._schedule_for(
            company,
            sum(invoices.mapped("amount_residual_signed")),
            first_date,
            frequency,
            count,
            0.0,
        )
        return first_date, schedule

    @api.model
    def _request_from_customer(self, invoices, count, frequency):
        """Record the customer's request as a draft plan and give the
        collector an activity to review it.

        :return: the draft ``payment.plan``
        """
        first_date, _schedule = self._customer_request_terms(invoices, count, frequency)
        first = invoices.sorted(lambda move: (move.invoice_date_due, move.id))[0]
        handler = first._dunning_handler()
        # atomic: a request refused half-way leaves no draft behind
        with self.env.cr.savepoint():
            plan = (
                internal(self)
                .with_company(first.company_id)
                .create(
                    {
                        "partner_id": first.commercial_partner_id.id,
                        "company_id": first.company_id.id,
                        "move_ids": [fields.Command.set(invoices.ids)],
                        "instalment_count": count,
                        "frequency": frequency,
                        "first_date": first_date,
                        "requested_by_customer": True,
                        # the customer is no user: nobody of ours proposed it,
                        # so anyone but the submitter may approve
                        "proposed_by_id": False,
                        "terms_author_ids": [fields.Command.clear()],
                    }
                )
            )
            plan.amount_principal = sum(invoices.mapped("amount_residual_signed"))
            plan._make_schedule()
            plan._portal_ensure_token()
            plan.message_post(
                body=_(
                    "The customer asked for this plan in the portal: %(count)s "
                    "instalments, %(frequency)s.",
                    count=count,
                    frequency=dict(
                        self._fields["frequency"]._description_selection(self.env)
                    )[frequency],
                ),
                author_id=plan.partner_id.id,
            )
            plan.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Payment plan asked for by the customer"),
                note=_("Review the terms and submit the plan for approval."),
                user_id=handler.id or self.env.ref("base.user_root").id,
            )
        return plan

    def action_cancel(self, reason):
        # the customer who asked is told that the plan was not accepted
        requests = self.filtered(
            lambda plan: (
                plan.requested_by_customer and plan.state in ("draft", "to_approve")
            )
        )
        result = super().action_cancel(reason)
        for plan in internal(requests):
            plan._notify_customer(
                "customer_retention_dunning.mail_template_payment_plan_declined"
            )
        return result
