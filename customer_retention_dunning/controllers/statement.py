from odoo import http
from odoo.exceptions import AccessError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import CustomerPortal

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StatementPortal(CustomerPortal):
    """The statement of open items in Odoo's portal (/my/statement): always
    the statement of the logged-in user's own company; the customer is
    never taken from the request."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "statement_count" in counters:
            try:
                values["statement_count"] = (
                    self._statement_customer()._statement_count()
                )
            except AccessError:
                values["statement_count"] = 0
        return values

    def _statement_customer(self):
        return request.env.user.partner_id.commercial_partner_id

    def _statement_file(self, content, mimetype, filename):
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    @http.route("/my/statement", type="http", auth="user", website=True)
    def portal_my_statement(self, **kw):
        customer = self._statement_customer()
        try:
            statement = customer._statement_values()
        except AccessError:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update({"statement": statement, "page_name": "statement"})
        return request.render("customer_retention_dunning.portal_my_statement", values)

    @http.route("/my/statement/pdf", type="http", auth="user", website=True)
    def portal_my_statement_pdf(self, **kw):
        customer = self._statement_customer()
        try:
            filename, content = customer._statement_attachment()
        except AccessError:
            return request.redirect("/my")
        return self._statement_file(content, "application/pdf", filename)

    @http.route("/my/statement/xlsx", type="http", auth="user", website=True)
    def portal_my_statement_xlsx(self, **kw):
        customer = self._statement_customer()
        try:
            content = customer._statement_xlsx()
        except AccessError:
            return request.redirect("/my")
        filename = customer._statement_filename("xlsx", customer._statement_date())
        return self._statement_file(content, XLSX_MIMETYPE, filename)
