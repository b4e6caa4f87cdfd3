"""The rights matrix of the README, walked with each role's own user.

A new model of the addon, or a new field that only the addon's actions may
set, makes this module fail until it has its row here (and in the README's
Security section)."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.customer_retention_dunning.models.account_move import (
    INVOICE_DECISION_FIELDS,
)
from odoo.addons.customer_retention_dunning.models.dunning_communication import (
    COMMUNICATION_DECISION_FIELDS,
)
from odoo.addons.customer_retention_dunning.models.dunning_promise import (
    PROMISE_ACTION_FIELDS,
)
from odoo.addons.customer_retention_dunning.models.payment_plan import (
    PLAN_ACTION_FIELDS,
)
from odoo.addons.customer_retention_dunning.models.payment_plan_line import (
    LINE_ACTION_FIELDS,
)
from odoo.addons.customer_retention_dunning.models.res_partner_decisions import (
    PARTNER_DECISION_FIELDS,
)

from .common import DunningTestCommon

ROLES = (
    "employee",
    "invoicing",
    "collector",
    "senior",
    "credit_manager",
    "accounting_admin",
    "portal",
)
ROLE_GROUPS = {
    "employee": "base.group_user",
    "invoicing": "account.group_account_invoice",
    "collector": "customer_retention_dunning.group_collector",
    "senior": "customer_retention_dunning.group_collector_senior",
    "credit_manager": "customer_retention_dunning.group_credit_manager",
    "accounting_admin": "account.group_account_manager",
    "portal": "base.group_portal",
}

# read / write / create / delete per role, in the order of ROLES
MODEL_MATRIX = {
    "dunning.ageing.report": "- r r r r r -",
    "dunning.collector.rule": "- r r r rwcd r -",
    "dunning.communication": "- r rwc rwc rwcd r -",
    "dunning.communication.line": "- r rwc rwc rwcd r -",
    "dunning.effectiveness.report": "- r r r r r -",
    "dunning.interest.rate": "- r r r rwcd r -",
    "dunning.kpi.report": "- rwcd rwcd rwcd rwcd rwcd -",
    "dunning.kpi.report.month": "- rwcd rwcd rwcd rwcd rwcd -",
    "dunning.kpi.report.partner": "- rwcd rwcd rwcd rwcd rwcd -",
    "dunning.level": "- r r r rwcd r -",
    "dunning.outcome.report": "- r r r r r -",
    "dunning.overview": "- rwc rwc rwc rwc rwc -",
    "dunning.pause.wizard": "- - rwcd rwcd rwcd - -",
    "dunning.preview.line": "- rwcd rwcd rwcd rwcd rwcd -",
    "dunning.preview.wizard": "- rwcd rwcd rwcd rwcd rwcd -",
    "dunning.profile": "- r r r rwcd r -",
    "dunning.promise": "- rwc rwc rwc rwcd rwc -",
    "payment.plan": "- r rwc rwc rwc r r",
    "payment.plan.line": "- r rwcd rwcd rwcd r r",
    "payment.plan.reason.wizard": "- - rwcd rwcd rwcd - -",
    "payment.plan.wizard": "- - rwcd rwcd rwcd - -",
}

# a decision field and the least role that may set it by hand; "actions":
# nobody, only the addon's own actions and the nightly run
DECISION_MATRIX = {
    "res.partner": {
        "credit_hold": "credit_manager",
        "credit_hold_date": "credit_manager",
        "dunning_excluded": "credit_manager",
        "dunning_profile_id": "credit_manager",
        "dunning_profile_manual_id": "credit_manager",
        "dunning_collector_id": "senior",
        "dunning_collector_manual": "senior",
        "dunning_personal_touch": "senior",
        "dunning_paused_until": "collector",
        "dunning_pause_reason": "collector",
        **dict.fromkeys(
            (
                "payment_score",
                "payment_score_band",
                "payment_score_date",
                "payment_avg_days_late",
                "payment_on_time_share",
                "payment_overdue_share",
                "payment_overdue_avg_days",
                "payment_trend",
                "payment_trend_days",
                "payment_history_count",
                "dunning_open_amount",
                "dunning_overdue_amount",
                "dunning_expected_recovery",
                "dunning_value_at_risk",
            ),
            "actions",
        ),
    },
    "account.move": {
        "dunning_blocked": "collector",
        "dunning_block_reason": "collector",
        "dunning_paused_until": "collector",
        "dunning_pause_reason": "collector",
        "dunning_handed_over": "credit_manager",
        **dict.fromkeys(
            (
                "dunning_level_id",
                "dunning_last_date",
                "dunning_next_date",
                "promise_date",
                "payment_plan_id",
                "dunning_blocked_date",
                "dunning_is_charge",
                "dunning_charge_communication_id",
                "dunning_charge_plan_id",
                "dunning_charged_invoice_ids",
                "dunning_charge_ids",
                "dunning_costs_charged",
                "dunning_interest_charged",
            ),
            "actions",
        ),
    },
    "payment.plan": dict.fromkeys(
        (
            "name",
            "state",
            "proposed_by_id",
            "submitted_by_id",
            "terms_author_ids",
            "approved_by_id",
            "approved_date",
            "reject_reason",
            "cancel_reason",
            "reopen_count",
            "charge_move_id",
            "amount_principal",
            "requested_by_customer",
        ),
        "actions",
    ),
    "payment.plan.line": dict.fromkeys(
        ("amount_paid", "state", "reminder_sent", "plan_id"), "actions"
    ),
    "dunning.promise": dict.fromkeys(
        ("state", "user_id", "company_id", "from_customer"), "actions"
    ),
    "dunning.communication": {
        "user_id": "senior",
        **dict.fromkeys(
            (
                "partner_id",
                "recipient_id",
                "company_id",
                "level_id",
                "profile_id",
                "tone",
                "channel",
                "channel_fallback",
                "date",
                "trigger",
                "state",
                "failure_reason",
                "line_ids",
                "move_ids",
                "amount",
                "mail_message_id",
                "activity_id",
                "attachment_id",
                "payment_plan_id",
                "payment_plan_line_id",
                "mail_template_id",
                "letter_by_post",
                "mobile",
                "statutory_costs",
                "statutory_interest",
                "is_consumer_notice",
                "assumed_receipt_date",
                "pay_by_date",
                "costs_claimable_from",
                "charge_move_id",
                "sent_date",
                "attempt",
                "retry_of_id",
                "retry_ids",
                "needs_retry",
                "hold_notice_date",
                "access_token",
                # the collector edits these through the review only
                "review_subject",
                "review_body",
                "review_skip_reason",
                "reviewed_by_id",
                "review_escalated",
                "review_skipped_until",
            ),
            "actions",
        ),
    },
}
ENFORCED = {
    "res.partner": PARTNER_DECISION_FIELDS,
    "account.move": INVOICE_DECISION_FIELDS,
    "payment.plan": PLAN_ACTION_FIELDS,
    "payment.plan.line": LINE_ACTION_FIELDS,
    "dunning.promise": PROMISE_ACTION_FIELDS,
    "dunning.communication": COMMUNICATION_DECISION_FIELDS,
}
# the order of the roles that may decide: each includes the one before
LADDER = ("invoicing", "collector", "senior", "credit_manager")


@tagged("post_install", "-at_install")
class TestRightsMatrix(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {}
        for role in ROLES:
            group = cls.env.ref(ROLE_GROUPS[role])
            values = {
                "name": f"Role {role}",
                "login": f"role.{role}",
                "email": f"role.{role}@example.nl",
                "groups_id": [Command.set(group.ids)],
            }
            if role == "portal":
                values["partner_id"] = (
                    cls.env["res.partner"]
                    .create({"name": "Portal", "parent_id": cls.customer.id})
                    .id
                )
            cls.users[role] = cls.env["res.users"].create(values)

    def test_every_model_of_the_addon_has_a_row(self):
        models = self.env["ir.model"].search(
            ["|", ("model", "=like", "dunning.%"), ("model", "=like", "payment.plan%")]
        )
        concrete = {
            model.model for model in models if not self.env[model.model]._abstract
        }
        self.assertEqual(concrete, set(MODEL_MATRIX))

    def test_each_role_reads_writes_creates_and_deletes_as_the_matrix_says(self):
        for model, row in MODEL_MATRIX.items():
            for role, allowed in zip(ROLES, row.split(), strict=True):
                Model = self.env[model].with_user(self.users[role])
                for letter, operation in zip(
                    "rwcd", ("read", "write", "create", "unlink"), strict=True
                ):
                    with self.subTest(model=model, role=role, operation=operation):
                        self.assertEqual(Model.has_access(operation), letter in allowed)

    def test_every_decision_field_has_a_row_and_is_enforced(self):
        for model, rows in DECISION_MATRIX.items():
            with self.subTest(model=model):
                self.assertEqual(set(rows), set(ENFORCED[model]))
        # a field the addon sets and the screen shows read-only is a
        # decision field: it needs a row
        for model in DECISION_MATRIX:
            for name, field in self.env[model]._fields.items():
                own = field._module == "customer_retention_dunning"
                set_by_code = field.store and field.readonly and not field.compute
                if own and set_by_code and not field.automatic:
                    with self.subTest(model=model, field=name):
                        self.assertIn(name, DECISION_MATRIX[model])

    def _try_write(self, record, role, name, value):
        try:
            with self.env.cr.savepoint():
                record.with_user(self.users[role]).write({name: value})
        except AccessError:
            return False
        return True

    def test_customer_and_invoice_decisions_by_role(self):
        invoice = self._invoice(100, date(2026, 5, 1), date(2026, 5, 31))
        samples = {
            "res.partner": (
                self.customer,
                {
                    "credit_hold": True,
                    "dunning_excluded": True,
                    "dunning_collector_id": self.users["collector"].id,
                    "dunning_personal_touch": True,
                    "dunning_paused_until": date(2026, 7, 1),
                    "dunning_pause_reason": "On holiday",
                    "payment_score": 100,
                },
            ),
            "account.move": (
                invoice,
                {
                    "dunning_blocked": True,
                    "dunning_paused_until": date(2026, 7, 1),
                    "dunning_handed_over": True,
                    "promise_date": date(2026, 7, 1),
                },
            ),
        }
        for model, (record, values) in samples.items():
            for name, value in values.items():
                least = DECISION_MATRIX[model][name]
                for role in LADDER:
                    expected = least != "actions" and LADDER.index(
                        role
                    ) >= LADDER.index(least)
                    with self.subTest(model=model, field=name, role=role):
                        self.assertEqual(
                            self._try_write(record, role, name, value), expected
                        )

    def test_plan_actions_by_role(self):
        invoice = self._invoice(900, date(2026, 5, 1), date(2026, 5, 31))
        plan = self.env["payment.plan"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(invoice.ids)],
                "first_date": date.today(),
            }
        )
        for role in ("employee", "invoicing", "accounting_admin", "portal"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                plan.with_user(self.users[role]).action_submit()
        for role in ("invoicing", "collector", "senior"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                plan.with_user(self.users[role]).action_cancel("No")
        self.assertEqual(plan.state, "draft")
        plan.with_user(self.users["credit_manager"]).action_cancel("Agreed otherwise")
        self.assertEqual(plan.state, "cancelled")
