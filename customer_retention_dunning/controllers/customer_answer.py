"""The customer's own say, from the reminder: the reminder's page, and the
dispute, promise and payment-plan request forms, opened with an access
token (the reminder's or the invoice's, no account needed) or as the
logged-in customer.

These routes only establish who is asking and for which invoices; the
rules of what may be asked are the models' (``account.move`` and
``payment.plan``). A refused answer writes nothing and shows the reason."""

from urllib.parse import urlencode

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import consteq, format_date

from odoo.addons.account.controllers.portal import PortalAccount

from ..models.open_invoices import is_open_invoice
from ..models.payment_plan import FREQUENCY_SELECTION
from ..models.payment_plan_request import CUSTOMER_MAX_INSTALMENTS

# what the customer was told after an answer, shown once on the next page
FLASH_KEY = "dunning_customer_answer"


class CustomerAnswerPortal(PortalAccount):
    # ------------------------------------------------------------
    # WHO IS ASKING
    # ------------------------------------------------------------

    def _logged_in_customer(self):
        user = request.env.user
        return False if user._is_public() else user.partner_id.commercial_partner_id

    def _reminder_sudo(self, reminder_id, access_token):
        """The reminder, when the token is its own or it is addressed to the
        logged-in customer; otherwise AccessError."""
        reminder = (
            request.env["dunning.communication"].sudo().browse(int(reminder_id))
        ).exists()
        if not reminder:
            raise MissingError(_("This reminder does not exist."))
        if access_token and reminder.access_token:
            if consteq(reminder.access_token, str(access_token)):
                return reminder
        elif reminder.partner_id == self._logged_in_customer():
            return reminder
        raise AccessError(_("This link is not valid."))

    def _answer_invoices_sudo(self, invoice_ids, access_token=None, reminder_id=None):
        """The invoices the asker may answer for: those of the reminder whose
        token it holds, the one invoice whose token it holds, or the
        logged-in customer's own. Anything else is refused whole."""
        ids = {int(invoice_id) for invoice_id in invoice_ids if invoice_id}
        Move = request.env["account.move"].sudo()
        invoices = Move.browse(sorted(ids)).exists()
        if not ids or len(invoices) != len(ids):
            raise MissingError(_("This invoice does not exist."))
        if reminder_id:
            reminder = self._reminder_sudo(reminder_id, access_token)
            allowed = reminder.line_ids.move_id
        elif access_token and len(invoices) == 1:
            allowed = invoices.filtered(
                lambda move: (
                    move.access_token and consteq(move.access_token, str(access_token))
                )
            )
        else:
            customer = self._logged_in_customer()
            allowed = invoices.filtered(
                lambda move: customer and move.commercial_partner_id == customer
            )
        if invoices - allowed:
            raise AccessError(_("This link is not valid for these invoices."))
        return invoices

    # ------------------------------------------------------------
    # WHERE THE CUSTOMER RETURNS
    # ------------------------------------------------------------

    def _back_url(self, invoices, access_token=None, reminder_id=None):
        if reminder_id:
            query = {"access_token": access_token} if access_token else {}
            return f"/my/reminders/{int(reminder_id)}?{urlencode(query)}"
        if access_token:
            return invoices[:1].get_portal_url()
        return f"/my/invoices/{invoices[:1].id}"

    def _flash(self, kind, message):
        request.session[FLASH_KEY] = {"kind": kind, "message": str(message)}

    def _take_flash(self):
        return request.session.pop(FLASH_KEY, None)

    def _answer(self, invoices, do, success, access_token=None, reminder_id=None):
        """Run ``do`` in a savepoint: refused, it leaves nothing behind and
        the customer reads why; done, the customer reads ``success``."""
        try:
            with request.env.cr.savepoint():
                result = do()
        except (UserError, ValidationError) as error:
            self._flash("danger", error.args[0])
            return request.redirect(self._back_url(invoices, access_token, reminder_id))
        self._flash("success", success)
        return result or request.redirect(
            self._back_url(invoices, access_token, reminder_id)
        )

    # ------------------------------------------------------------
    # THE REMINDER'S PAGE
    # ------------------------------------------------------------

    @http.route(
        ["/my/reminders/<int:reminder_id>"],
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def portal_reminder_page(self, reminder_id, access_token=None, **kw):
        try:
            reminder = self._reminder_sudo(reminder_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        lang = reminder.recipient_id.lang or reminder.partner_id.lang
        if lang and request.env.user._is_public():
            # opened from the e-mail without an account: the page speaks the
            # language the reminder was written in
            request.update_context(lang=lang)
        reminder = reminder.with_context(lang=lang or None)
        invoices = reminder.line_ids.move_id.sorted(
            lambda move: (move.invoice_date_due, move.id)
        )
        for invoice in invoices:
            invoice._portal_ensure_token()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dunning_reminder",
                "reminder": reminder,
                "invoices": invoices,
                "open_invoices": invoices.filtered(is_open_invoice),
                "access_token": access_token,
                "flash": self._take_flash(),
                "promise_max_date": self._promise_max_date(reminder.company_id),
                "today": fields.Date.context_today(reminder),
            }
        )
        return request.render("customer_retention_dunning.portal_reminder_page", values)

    def _promise_max_date(self, company):
        return fields.Date.add(
            fields.Date.context_today(company), days=company.dunning_promise_max_days
        )

    # ------------------------------------------------------------
    # ODOO'S INVOICE PAGE AND LIST
    # ------------------------------------------------------------

    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        values = super()._invoice_get_page_view_values(invoice, access_token, **kwargs)
        if invoice.move_type in ("out_invoice", "out_receipt"):
            values.update(
                {
                    "dunning_flash": self._take_flash(),
                    "dunning_can_answer": is_open_invoice(invoice),
                    "dunning_plan": invoice._dunning_active_plan(),
                    "dunning_promise_max_date": self._promise_max_date(
                        invoice.company_id
                    ),
                }
            )
        return values

    def _get_overdue_invoices_domain(self, partner_id=None):
        # an invoice in an active payment plan is paid by its instalments:
        # "Pay overdue" does not ask for the whole of it
        return [
            *super()._get_overdue_invoices_domain(partner_id=partner_id),
            ("payment_plan_id", "=", False),
        ]

    # ------------------------------------------------------------
    # THE ANSWERS
    # ------------------------------------------------------------

    @http.route(
        ["/my/invoices/<int:invoice_id>/dispute"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def portal_invoice_dispute(
        self, invoice_id, reason=None, access_token=None, reminder_id=None, **kw
    ):
        try:
            invoices = self._answer_invoices_sudo(
                [invoice_id], access_token, reminder_id
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        upload = kw.get("attachment")
        attachment = None
        if upload and getattr(upload, "filename", None):
            attachment = (upload.filename, upload.read())
        return self._answer(
            invoices,
            lambda: invoices._dunning_customer_dispute(reason, attachment) and None,
            _(
                "Thank you: we received your dispute of %s. We stopped the "
                "reminders for it and will get back to you.",
                invoices.name,
            ),
            access_token,
            reminder_id,
        )

    @http.route(
        ["/my/invoices/<int:invoice_id>/promise"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def portal_invoice_promise(
        self, invoice_id, promised_date=None, access_token=None, reminder_id=None, **kw
    ):
        try:
            invoices = self._answer_invoices_sudo(
                [invoice_id], access_token, reminder_id
            )
        except (AccessError, MissingError):
            return request.redirect("/my")

        try:
            day = fields.Date.to_date(promised_date or None)
        except ValueError:
            day = None
        return self._answer(
            invoices,
            lambda: invoices._dunning_customer_promise(day) and None,
            _(
                "Thank you: we noted your promise to pay %(invoice)s by %(date)s. "
                "You get no reminders for it until then.",
                invoice=invoices.name,
                date=format_date(request.env, day) if day else "",
            ),
            access_token,
            reminder_id,
        )

    @http.route(
        ["/my/payment_plans/request"],
        type="http",
        auth="public",
        methods=["GET", "POST"],
        website=True,
        sitemap=False,
    )
    def portal_payment_plan_request(
        self,
        invoice_ids=None,
        instalment_count="3",
        frequency="monthly",
        access_token=None,
        reminder_id=None,
        **kw,
    ):
        selected = request.httprequest.values.getlist("invoice_ids") or (
            [invoice_ids] if invoice_ids else []
        )
        try:
            invoices = self._answer_invoices_sudo(
                [int(value) for value in selected if str(value).isdigit()],
                access_token,
                reminder_id,
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        Plan = request.env["payment.plan"].sudo()
        try:
            count = int(instalment_count)
        except (TypeError, ValueError):
            count = 0
        if request.httprequest.method == "POST" and kw.get("confirm"):
            return self._answer(
                invoices,
                lambda: self._redirect_to_plan(
                    Plan._request_from_customer(invoices, count, frequency)
                ),
                _(
                    "Thank you: we received your request for a payment plan. "
                    "We will review it and let you know."
                ),
                access_token,
                reminder_id,
            )
        schedule, error = [], None
        try:
            with request.env.cr.savepoint():
                _first, schedule = Plan._customer_request_terms(
                    invoices, count, frequency
                )
        except (UserError, ValidationError) as refused:
            error = refused.args[0]
        customer = invoices.commercial_partner_id
        if customer.lang and request.env.user._is_public():
            # asked from the e-mail's link: the customer's own language
            request.update_context(lang=customer.lang)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "dunning_plan_request",
                "invoices": invoices.with_context(lang=customer.lang or None),
                "company": invoices.company_id,
                "currency": invoices.company_id.currency_id,
                "total": sum(invoices.mapped("amount_residual_signed")),
                "schedule": schedule,
                "error": error,
                "instalment_count": count,
                "frequency": frequency,
                "counts": range(2, CUSTOMER_MAX_INSTALMENTS + 1),
                "frequencies": FREQUENCY_SELECTION,
                "access_token": access_token,
                "reminder_id": reminder_id,
                "back_url": self._back_url(invoices, access_token, reminder_id),
            }
        )
        return request.render(
            "customer_retention_dunning.portal_payment_plan_request", values
        )

    def _redirect_to_plan(self, plan):
        return request.redirect(plan.get_portal_url())
