"""A reminder's own page in the portal: the link every reminder e-mail
carries, opened with the reminder's access token (no account needed, as
Odoo's invoice links work). There the customer sees the reminder's
invoices that are still open and answers: disputes, promises a date or
asks for a payment plan.

The token is the reminder's own field rather than Odoo's ``portal.mixin``:
the mixin would add a customer button, a signed token and a signup check to
every message the night posts, for a page the e-mail links to already."""

import uuid

from odoo import api, fields, models

from .decision_fields import internal


class DunningCommunication(models.Model):
    _inherit = "dunning.communication"

    access_token = fields.Char(
        "Security Token", copy=False, groups="base.group_user", readonly=True
    )
    answer_url = fields.Char(
        string="Answer Link",
        compute="_compute_answer_url",
        help="The reminder's page in the portal, where the customer disputes "
        "an invoice, promises a date or asks for a payment plan.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("access_token")
    def _compute_answer_url(self):
        for communication in self:
            token = communication._answer_token()
            communication.answer_url = (
                f"{communication.get_base_url()}/my/reminders/{communication.id}"
                f"?access_token={token}"
                if token
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

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _answer_token(self):
        """The reminder's token; a reminder made before tokens existed
        gets one now."""
        self.ensure_one()
        if not self.id:
            return False
        record = internal(self.sudo())
        if not record.access_token:
            record.access_token = str(uuid.uuid4())
        return record.access_token
