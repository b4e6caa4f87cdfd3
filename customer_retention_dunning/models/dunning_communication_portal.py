"""A reminder's own page in the portal: the link every reminder e-mail
carries, opened with the reminder's access token (no account needed, as
Odoo's invoice links work). There the customer sees the reminder's
invoices that are still open and answers: disputes, promises a date or
asks for a payment plan."""

import uuid

from odoo import api, fields, models


class DunningCommunication(models.Model):
    _name = "dunning.communication"
    _inherit = ["dunning.communication", "portal.mixin"]

    answer_url = fields.Char(
        string="Answer Link",
        compute="_compute_answer_url",
        help="The reminder's page in the portal, where the customer disputes "
        "an invoice, promises a date or asks for a payment plan.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for communication in self:
            communication.access_url = f"/my/reminders/{communication.id}"
        return result

    @api.depends("access_token")
    def _compute_answer_url(self):
        for communication in self:
            communication.answer_url = (
                communication.get_base_url() + communication.get_portal_url()
                if communication.id
                else False
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # the token is made with the reminder, not when its e-mail is
        # rendered: rendering then writes nothing
        for vals in vals_list:
            vals.setdefault("access_token", str(uuid.uuid4()))
        return super().create(vals_list)
