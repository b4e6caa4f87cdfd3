"""The customer's own answer to a reminder, given in the portal: a dispute
or a promise to pay. Each lands where a collector would have put it, under
the same rules, and the collector is told.

The portal routes check who is asking (the invoice's access token or the
logged-in customer) and then call these methods; every rule about what may
be asked lives here."""

from markupsafe import Markup

from odoo import _, fields, models
from odoo.exceptions import UserError

from .decision_fields import internal
from .open_invoices import is_open_invoice

# what a customer can type is bounded: a reason fits a screen, a file an
# e-mail, and a selection a page
DISPUTE_REASON_MAX_CHARS = 2000
DISPUTE_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ANSWER_MAX_INVOICES = 50


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _dunning_check_customer_can_answer(self):
        """Refuse, with the reason, invoices a customer cannot answer for
        from the portal: closed ones, several customers or companies at
        once, or too many."""
        if not self:
            raise UserError(_("Choose at least one invoice."))
        if len(self) > ANSWER_MAX_INVOICES:
            raise UserError(
                _("Choose at most %s invoices at once.", ANSWER_MAX_INVOICES)
            )
        closed = self.filtered(lambda move: not is_open_invoice(move))
        if closed:
            raise UserError(
                _(
                    "There is nothing left to pay on %s.",
                    ", ".join(closed.mapped("name")),
                )
            )
        if len(self.commercial_partner_id) > 1 or len(self.company_id) > 1:
            raise UserError(
                _("Answer for the invoices of one customer and one company at once.")
            )

    def _dunning_handler(self):
        """Who takes up the customer's answer: the customer's collector in
        the invoice's company, else the invoice's salesperson, else the
        person who sent the last reminder."""
        self.ensure_one()
        customer = self.commercial_partner_id.with_company(self.company_id)
        return (
            customer.sudo().dunning_collector_id
            or self.invoice_user_id
            or self.dunning_communication_line_ids.communication_id.sorted("id")[
                -1:
            ].user_id
        )

    def _dunning_customer_dispute(self, reason, attachment=None):
        """The customer disputes these invoices: reminders stop on them, the
        collector gets an activity and the dispute shows in *Disputed
        Invoices*, as if a collector had recorded it.

        :param reason: the customer's words (required, bounded)
        :param attachment: optional ``(file name, bytes)``
        """
        self._dunning_check_customer_can_answer()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Please tell us why you dispute the invoice."))
        if len(reason) > DISPUTE_REASON_MAX_CHARS:
            raise UserError(
                _(
                    "Please keep the reason under %s characters; you can attach a document.",
                    DISPUTE_REASON_MAX_CHARS,
                )
            )
        if attachment and len(attachment[1]) > DISPUTE_ATTACHMENT_MAX_BYTES:
            raise UserError(_("The attached file is larger than 10 MB."))
        disputed = self.filtered("dunning_blocked")
        if disputed:
            raise UserError(
                _(
                    "We received your dispute of %s already; we will get back to you.",
                    ", ".join(disputed.mapped("name")),
                )
            )
        with self.env.cr.savepoint():
            for invoice in internal(self):
                invoice.write(
                    {
                        "dunning_blocked": True,
                        "dunning_block_reason": _("Customer: %s", reason[:200]),
                    }
                )
                files = []
                if attachment:
                    files = [(attachment[0] or _("attachment"), attachment[1])]
                invoice.message_post(
                    body=Markup("<p>%s</p><p>%s</p>")
                    % (_("The customer disputes this invoice:"), reason),
                    author_id=invoice.commercial_partner_id.id,
                    attachments=files,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
                handler = invoice._dunning_handler()
                invoice.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_("Invoice disputed by the customer"),
                    note=reason,
                    user_id=handler.id or self.env.ref("base.user_root").id,
                )
        return True

    def _dunning_customer_promise(self, promised_date):
        """The customer promises to pay these invoices by ``promised_date``:
        a promise to pay, as if a collector had taken it (the same limit,
        pause, grace and broken-promise follow-up), taken in the name of
        the customer's collector.

        :return: the ``dunning.promise``
        """
        self._dunning_check_customer_can_answer()
        if not promised_date:
            raise UserError(_("Please choose the date you will pay by."))
        in_plan = self.filtered(
            lambda move: move.payment_plan_id.state == "active"
        ).sudo()
        if in_plan:
            raise UserError(
                _(
                    "%(invoices)s are paid through payment plan %(plan)s: "
                    "please pay its instalments.",
                    invoices=", ".join(in_plan.mapped("name")),
                    plan=in_plan.payment_plan_id[:1].name,
                )
            )
        Promise = internal(self.env["dunning.promise"])
        promised = Promise.search(
            [("move_ids", "in", self.ids), ("state", "=", "open")], limit=1
        )
        if promised:
            raise UserError(
                _(
                    "You promised already to pay by %s; if you need more time, "
                    "ask for a payment plan.",
                    fields.Date.to_string(promised.date),
                )
            )
        first = self.sorted(lambda move: (move.invoice_date_due, move.id))[0]
        handler = first._dunning_handler() or self.env.ref("base.user_root")
        # atomic: a promise the constraints refuse leaves no row behind,
        # whoever calls (the route, a test, another module)
        with self.env.cr.savepoint():
            promise = Promise.with_company(first.company_id).create(
                {
                    "partner_id": first.commercial_partner_id.id,
                    "move_ids": [fields.Command.set(self.ids)],
                    "date": promised_date,
                    "amount": sum(self.mapped("amount_residual_signed")),
                    "user_id": handler.id,
                    "from_customer": True,
                    "note": _("Promised by the customer in the portal."),
                }
            )
        return promise
