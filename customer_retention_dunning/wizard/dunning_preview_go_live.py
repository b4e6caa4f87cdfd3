"""The preview of the dunning run, as the first night would be if the
company went live another way (see ``models/dunning_go_live.py``)."""

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..models.dunning_go_live import START_MODES


class DunningPreviewWizard(models.TransientModel):
    _inherit = "dunning.preview.wizard"

    start_mode = fields.Selection(
        START_MODES,
        string="Going Live",
        readonly=True,
        help="This preview shows the first night as if the company went live this way.",
    )

    def _plan(self):
        if self.start_mode:
            self = self.with_context(dunning_start_mode=self.start_mode)
        return super()._plan()

    def action_send_now(self):
        if self.start_mode and self.start_mode != self.env.company.dunning_start_mode:
            raise UserError(
                _(
                    "This preview shows another way of going live than the "
                    "company's: choose it in Settings first."
                )
            )
        return super().action_send_now()
