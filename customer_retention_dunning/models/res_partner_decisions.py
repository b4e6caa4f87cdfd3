from odoo import api, models

from .decision_fields import (
    GROUP_COLLECTOR,
    GROUP_CREDIT_MANAGER,
    GROUP_SENIOR,
    ONLY_ACTIONS,
    check_fields,
    check_group,
    is_internal,
)
from .res_partner import SCORE_FIELDS

# who decides what about a customer's dunning; the score and its parts are
# the scoring's own
PARTNER_DECISION_FIELDS = {
    **dict.fromkeys((*SCORE_FIELDS, "dunning_expected_recovery"), ONLY_ACTIONS),
    "credit_hold": GROUP_CREDIT_MANAGER,
    "credit_hold_date": GROUP_CREDIT_MANAGER,
    "dunning_excluded": GROUP_CREDIT_MANAGER,
    "dunning_profile_id": GROUP_CREDIT_MANAGER,
    "dunning_profile_manual_id": GROUP_CREDIT_MANAGER,
    "dunning_collector_id": GROUP_SENIOR,
    "dunning_collector_manual": GROUP_SENIOR,
    "dunning_personal_touch": GROUP_SENIOR,
    "dunning_paused_until": GROUP_COLLECTOR,
    "dunning_pause_reason": GROUP_COLLECTOR,
}


class ResPartner(models.Model):
    """Who may change a customer's dunning decisions, enforced on write."""

    _inherit = "res.partner"

    @api.model_create_multi
    def create(self, vals_list):
        if not is_internal(self.env):
            for vals in vals_list:
                # a field's own default (what creating a user fills in for its
                # partner) decides nothing either
                decided = {
                    key: value
                    for key, value in vals.items()
                    if key in PARTNER_DECISION_FIELDS
                    and value
                    and not (
                        self._fields[key].default
                        and value == self._fields[key].default(self)
                    )
                }
                parent = self.browse(vals.get("parent_id")).commercial_partner_id
                if decided and parent:
                    # a contact takes its company's values: no decision
                    decided = parent._dunning_changed_decisions(decided)
                check_fields(self, decided, PARTNER_DECISION_FIELDS, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        decided = {key: vals[key] for key in vals if key in PARTNER_DECISION_FIELDS}
        if decided and not is_internal(self.env):
            check_fields(
                self,
                self._dunning_changed_decisions(decided),
                PARTNER_DECISION_FIELDS,
            )
        return super().write(vals)

    def _dunning_changed_decisions(self, decided):
        """The decision fields whose new value differs from the customer's
        own. Odoo copies a company's values onto its contacts (commercial
        fields) as whoever edits a contact: that copy decides nothing."""
        changed = {}
        for name, value in decided.items():
            field = self._fields[name]
            new = field.convert_to_cache(value, self)
            for partner in self:
                current = field.convert_to_cache(
                    partner.commercial_partner_id[name], partner
                )
                if new != current:
                    changed[name] = value
                    break
        return changed

    def action_compute_payment_score(self):
        check_group(self.env, GROUP_COLLECTOR)
        return super().action_compute_payment_score()
