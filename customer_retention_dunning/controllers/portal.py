from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

PLANS_PER_PAGE = 20


class PaymentPlanPortal(CustomerPortal):
    """The customer's payment plans in Odoo's portal (/my)."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "payment_plan_count" in counters:
            Plan = request.env["payment.plan"]
            values["payment_plan_count"] = (
                Plan.search_count(self._payment_plan_domain())
                if Plan.has_access("read")
                else 0
            )
        return values

    def _payment_plan_domain(self):
        customer = request.env.user.partner_id.commercial_partner_id
        # running and ended plans, and the plans the customer asked for
        # (under review, or not accepted)
        return [
            ("partner_id", "=", customer.id),
            "|",
            ("state", "in", ("active", "broken", "done")),
            ("requested_by_customer", "=", True),
        ]

    @http.route(
        ["/my/payment_plans", "/my/payment_plans/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_payment_plans(self, page=1, **kw):
        Plan = request.env["payment.plan"]
        domain = self._payment_plan_domain()
        pager = portal_pager(
            url="/my/payment_plans",
            total=Plan.search_count(domain),
            page=page,
            step=PLANS_PER_PAGE,
        )
        plans = Plan.search(
            domain, order="id desc", limit=PLANS_PER_PAGE, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "plans": plans,
                "page_name": "payment_plan",
                "pager": pager,
                "default_url": "/my/payment_plans",
            }
        )
        return request.render(
            "customer_retention_dunning.portal_my_payment_plans", values
        )

    @http.route(
        ["/my/payment_plans/<int:plan_id>"], type="http", auth="public", website=True
    )
    def portal_payment_plan_page(self, plan_id, access_token=None, **kw):
        try:
            plan_sudo = self._document_check_access(
                "payment.plan", plan_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            plan_sudo,
            access_token,
            {
                "plan": plan_sudo,
                "page_name": "payment_plan",
                "pay_url": self._instalment_pay_url(plan_sudo),
            },
            "my_payment_plans_history",
            False,
        )
        return request.render(
            "customer_retention_dunning.portal_payment_plan_page", values
        )

    def _instalment_pay_url(self, plan_sudo):
        """Where the customer pays the next instalment online: the oldest
        open invoice's payment page for the instalment's amount, when Odoo's
        online payments (account_payment) are installed."""
        line = plan_sudo.next_line_id
        if plan_sudo.state != "active" or not line:
            return False
        if "payment.transaction" not in request.env:
            return False
        invoice, amount = plan_sudo._instalment_payment()
        if not invoice:
            return False
        # imported here: the payment module is only there with account_payment
        from odoo.addons.payment import utils as payment_utils

        invoice._portal_ensure_token()
        token = payment_utils.generate_access_token(invoice.id, amount)
        return f"{invoice.get_portal_url()}&amount={amount}&payment_token={token}"
