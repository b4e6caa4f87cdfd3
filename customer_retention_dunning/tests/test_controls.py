"""The controls hold when tried as an auditor would: through the ORM as the
user concerned (what a script over XML-RPC does), not through a screen."""

import time
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.customer_retention_dunning.models.decision_fields import internal

from .common import DunningTestCommon

TODAY = date(2026, 6, 30)


@tagged("post_install", "-at_install")
class TestControls(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        ref = cls.env.ref
        cls.junior = cls._user(
            "jan.junior", ref("customer_retention_dunning.group_collector")
        )
        cls.junior_2 = cls._user(
            "joke.junior", ref("customer_retention_dunning.group_collector")
        )
        cls.junior_3 = cls._user(
            "jet.junior", ref("customer_retention_dunning.group_collector")
        )
        cls.senior = cls._user(
            "sien.senior", ref("customer_retention_dunning.group_collector_senior")
        )
        cls.manager = cls._user(
            "carla.credit", ref("customer_retention_dunning.group_credit_manager")
        )
        cls.accountant = cls._user(
            "arie.invoicing", ref("account.group_account_invoice")
        )
        cls.env.company.write(
            {
                "payment_plan_approval_amount": 5000.0,
                "payment_plan_max_months": 12,
                "payment_plan_min_instalment": 25.0,
            }
        )
        cls.first = cls._invoice(
            600, TODAY - timedelta(days=70), TODAY - timedelta(days=40)
        )
        cls.second = cls._invoice(
            300, TODAY - timedelta(days=50), TODAY - timedelta(days=20)
        )

    def _draft_plan(self, user=None):
        """A draft plan of 900 in 3 monthly instalments, as a script would
        make it: the wizard's public fields only."""
        with freeze_time(TODAY):
            wizard = (
                self.env["payment.plan.wizard"]
                .with_user(user or self.junior)
                .create(
                    {
                        "move_ids": [Command.set((self.first | self.second).ids)],
                        "installment_count": 3,
                        "frequency": "monthly",
                        "first_date": TODAY + timedelta(days=5),
                    }
                )
            )
            action = wizard.action_create()
        return self.env["payment.plan"].browse(action["res_id"])

    # ------------------------------------------------------------
    # four eyes and the plan's state machine
    # ------------------------------------------------------------

    def test_the_plan_wizard_derives_customer_and_company_from_the_invoices(self):
        plan = self._draft_plan()
        self.assertRecordValues(
            plan,
            [
                {
                    "state": "draft",
                    "partner_id": self.customer.id,
                    "company_id": self.env.company.id,
                    "amount_total": 900.0,
                    "proposed_by_id": self.junior.id,
                }
            ],
        )
        # 900 / 3, monthly from 5 July
        self.assertEqual(
            [(line.date, line.amount) for line in plan.line_ids.sorted("date")],
            [
                (date(2026, 7, 5), 300.0),
                (date(2026, 8, 5), 300.0),
                (date(2026, 9, 5), 300.0),
            ],
        )

    def test_no_one_writes_the_proposer_the_approver_or_the_state(self):
        plan = self._draft_plan()
        as_junior = plan.with_user(self.junior)
        for values in (
            {"proposed_by_id": self.junior_2.id},
            {"state": "active"},
            {"approved_by_id": self.junior_2.id},
            {"submitted_by_id": self.junior_2.id},
            {"terms_author_ids": [Command.clear()]},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                as_junior.write(values)
        # not even a credit manager, and not at creation either
        with self.assertRaises(AccessError):
            plan.with_user(self.manager).write({"state": "active"})
        with self.assertRaises(AccessError):
            self.env["payment.plan"].with_user(self.junior).create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(self.first.ids)],
                    "first_date": TODAY + timedelta(days=5),
                    "proposed_by_id": self.junior_2.id,
                }
            )
        self.assertRecordValues(
            plan, [{"state": "draft", "proposed_by_id": self.junior.id}]
        )

    def test_whoever_changed_or_submitted_the_terms_does_not_approve(self):
        plan = self._draft_plan(self.junior)
        # a colleague changes the terms of the draft, the proposer submits
        plan.with_user(self.junior_2).write({"instalment_count": 2})
        with freeze_time(TODAY):
            plan.with_user(self.junior).action_submit()
        self.assertEqual(plan.submitted_by_id, self.junior)
        self.assertEqual(plan.terms_author_ids, self.junior | self.junior_2)
        for user in (self.junior, self.junior_2):
            with (
                self.subTest(user=user.login),
                self.assertRaisesRegex(UserError, "Four eyes"),
            ):
                plan.with_user(user).action_approve()
        self.assertEqual(plan.state, "to_approve")
        # positive control: a third person approves
        with freeze_time(TODAY):
            plan.with_user(self.junior_3).action_approve()
        self.assertRecordValues(
            plan, [{"state": "active", "approved_by_id": self.junior_3.id}]
        )

    def test_the_submitter_is_kept_out_even_when_someone_else_proposed(self):
        plan = self._draft_plan(self.junior)
        with freeze_time(TODAY):
            plan.with_user(self.junior_2).action_submit()
            with self.assertRaisesRegex(UserError, "Four eyes"):
                plan.with_user(self.junior_2).action_approve()

    def test_the_terms_of_a_submitted_plan_are_frozen(self):
        plan = self._draft_plan()
        with freeze_time(TODAY):
            plan.with_user(self.junior).action_submit()
        with self.assertRaisesRegex(UserError, "only while it is a draft"):
            plan.with_user(self.junior_2).write({"instalment_count": 9})
        self.assertEqual(plan.instalment_count, 3)

    def test_instalments_of_an_approved_plan_change_only_by_payments(self):
        plan = self._draft_plan()
        # positive control: in a draft the collector may still adjust one
        plan.line_ids.sorted("date")[:1].with_user(self.junior).write(
            {"date": TODAY + timedelta(days=6)}
        )
        with freeze_time(TODAY):
            plan.with_user(self.junior).action_submit()
            plan.with_user(self.junior_2).action_approve()
        line = plan.line_ids.sorted("date")[:1].with_user(self.junior)
        with self.assertRaisesRegex(UserError, "payments received"):
            line.write({"amount": 1.0})
        with self.assertRaisesRegex(UserError, "payments received"):
            line.unlink()
        with self.assertRaisesRegex(UserError, "payments received"):
            self.env["payment.plan.line"].with_user(self.junior).create(
                {"plan_id": plan.id, "date": TODAY, "amount": 1.0}
            )
        with self.assertRaises(AccessError):
            line.write({"amount_paid": 300.0})
        self.assertEqual(len(plan.line_ids), 3)
        self.assertEqual(sum(plan.line_ids.mapped("amount")), 900.0)
        # the payments still move the instalments
        self._pay(self.first, TODAY, amount=300.0)
        self.assertEqual(plan.line_ids.sorted("date")[0].state, "paid")

    def test_a_plan_without_open_instalments_is_never_done_by_accident(self):
        plan = self._draft_plan()
        with freeze_time(TODAY):
            plan.with_user(self.junior).action_submit()
            plan.with_user(self.junior_2).action_approve()
        # instalments gone (only the superuser can do this now)
        plan.line_ids.sudo().unlink()
        with freeze_time(TODAY + timedelta(days=1)):
            self.env["payment.plan"].sudo()._cron_monitor()
        self.assertEqual(plan.state, "active")
        self.assertIn("no instalment left", plan.message_ids[0].body)
        self.assertFalse(
            plan.communication_ids.filtered(
                lambda c: (
                    c.mail_template_id
                    == self.env.ref(
                        "customer_retention_dunning.mail_template_payment_plan_done"
                    )
                )
            )
        )

    def test_nothing_sent_for_approval_is_deleted(self):
        plan = self._draft_plan()
        with freeze_time(TODAY):
            plan.with_user(self.junior).action_submit()
        with self.assertRaises(AccessError):
            plan.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "never deleted"):
            plan.sudo().unlink()
        self.assertTrue(plan.exists())
        # positive control: a draft can go
        draft = self._draft_plan(self.junior_2)
        draft.sudo().unlink()
        self.assertFalse(draft.exists())

    # ------------------------------------------------------------
    # decision fields on the customer and the invoice
    # ------------------------------------------------------------

    def test_customer_decisions_belong_to_their_role(self):
        cases = [
            ("credit_hold", True, self.senior, self.manager),
            ("dunning_excluded", True, self.senior, self.manager),
            ("dunning_collector_id", self.junior.id, self.junior, self.senior),
            ("dunning_paused_until", TODAY, self.accountant, self.junior),
        ]
        for field, value, refused, allowed in cases:
            with self.subTest(field=field):
                with self.assertRaises(AccessError):
                    self.customer.with_user(refused).write({field: value})
                self.customer.with_user(allowed).write({field: value})
                self.assertTrue(self.customer[field])

    def test_the_score_is_the_scorings_own(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.manager).write({"payment_score": 100})
        with self.assertRaises(AccessError):
            self.customer.with_user(self.accountant).action_compute_payment_score()
        # positive control: a collector recomputes it
        self.customer.with_user(self.junior).action_compute_payment_score()
        self.assertTrue(self.customer.payment_score_date)

    def test_invoice_decisions_belong_to_their_role(self):
        invoice = self.first
        with self.assertRaises(AccessError):
            invoice.with_user(self.accountant).write({"dunning_blocked": True})
        invoice.with_user(self.junior).write(
            {"dunning_blocked": True, "dunning_block_reason": "Wrong quantity"}
        )
        self.assertTrue(invoice.dunning_blocked)
        with self.assertRaises(AccessError):
            invoice.with_user(self.senior).write({"dunning_handed_over": True})
        invoice.with_user(self.manager).write({"dunning_handed_over": True})
        self.assertTrue(invoice.dunning_handed_over)
        for field, value in (
            ("promise_date", TODAY),
            ("dunning_level_id", self.env["dunning.level"].search([], limit=1).id),
            ("payment_plan_id", self._draft_plan().id),
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                invoice.with_user(self.manager).write({field: value})

    def test_a_contact_under_a_held_customer_is_still_created_by_sales(self):
        self.customer.with_user(self.manager).credit_hold = True
        sales = self._user("sam.sales", self.env.ref("base.group_partner_manager"))
        sales.groups_id |= self.env.ref("base.group_user")
        contact = (
            self.env["res.partner"]
            .with_user(sales)
            .create({"name": "Anna de Vries", "parent_id": self.customer.id})
        )
        # Odoo copied the hold onto the contact: no decision, so allowed
        self.assertTrue(contact.credit_hold)

    def test_a_customer_is_not_created_with_a_decision_taken(self):
        sales = self._user("sara.sales", self.env.ref("base.group_partner_manager"))
        sales.groups_id |= self.env.ref("base.group_user")
        for values in (
            {"credit_hold": True},
            {"dunning_excluded": True},
            {"payment_score": 100},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                self.env["res.partner"].with_user(sales).create(
                    {"name": "Nieuwe Klant", "is_company": True, **values}
                )
        # positive controls: without a decision, and a contact that copies
        # its held company's value
        self.assertTrue(
            self.env["res.partner"].with_user(sales).create({"name": "Nieuwe Klant"})
        )
        self.customer.with_user(self.manager).credit_hold = True
        contact = (
            self.env["res.partner"]
            .with_user(sales)
            .create(
                {
                    "name": "Piet",
                    "parent_id": self.customer.id,
                    "credit_hold": True,
                }
            )
        )
        self.assertTrue(contact.credit_hold)

    def test_the_portal_user_does_not_read_the_internal_assessment(self):
        contact = self.env["res.partner"].create(
            {"name": "Anna", "parent_id": self.customer.id, "email": "anna@x.nl"}
        )
        portal = self.env["res.users"].create(
            {
                "name": "Anna",
                "login": "anna.portal.controls",
                "partner_id": contact.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        customer = self.customer.with_user(portal)
        self.assertEqual(customer.name, "Bakkerij De Korenbloem")
        for field in (
            "payment_score",
            "payment_score_band",
            "dunning_value_at_risk",
            "dunning_collector_id",
            "dunning_pause_reason",
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                customer.read([field])
        # positive control: an accountant reads them
        self.assertTrue(
            self.customer.with_user(self.accountant).read(["payment_score"])
        )

    # ------------------------------------------------------------
    # reminders are evidence
    # ------------------------------------------------------------

    def _reminder(self, company=None, partner=None):
        company = company or self.env.company
        made = internal(self.env["dunning.communication"]).create(
            {
                "partner_id": (partner or self.customer).id,
                "company_id": company.id,
                "channel": "email",
                "state": "sent",
                "amount": 900.0,
                "move_ids": [Command.set((self.first | self.second).ids)]
                if company == self.env.company
                else [],
            }
        )
        # the test's own environment: without the module's internal mark
        return made.with_env(self.env)

    def test_a_reminder_is_written_by_the_run_only(self):
        reminder = self._reminder()
        for values in ({"state": "failed"}, {"amount": 1.0}, {"statutory_costs": 40.0}):
            with self.subTest(values=values), self.assertRaises(AccessError):
                reminder.with_user(self.manager).write(values)
        with self.assertRaises(AccessError):
            self.env["dunning.communication"].with_user(self.junior).create(
                {"partner_id": self.customer.id, "channel": "email", "state": "sent"}
            )
        with self.assertRaisesRegex(UserError, "evidence"):
            reminder.with_user(self.manager).unlink()
        self.assertRecordValues(reminder, [{"state": "sent", "amount": 900.0}])
        # positive control: a senior collector hands it to another collector
        reminder.with_user(self.senior).write({"user_id": self.junior.id})
        self.assertEqual(reminder.user_id, self.junior)

    def test_reminders_and_promises_are_found_by_name(self):
        reminder = self._reminder()
        started = time.monotonic()
        found = (
            self.env["dunning.communication"]
            .with_user(self.junior)
            .name_search("Korenbloem")
        )
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual([row[0] for row in found], reminder.ids)
        self.assertFalse(
            self.env["dunning.communication"].with_user(self.junior).name_search("Vos")
        )

    def test_every_model_of_the_addon_answers_a_name_search(self):
        models = self.env["ir.model"].search(
            ["|", ("model", "=like", "dunning.%"), ("model", "=like", "payment.plan%")]
        )
        self.assertIn("dunning.communication", models.mapped("model"))
        for model in models.filtered(lambda m: not m.transient):
            Model = self.env[model.model]
            if Model._abstract or not Model._auto:
                continue
            with self.subTest(model=model.model):
                self.assertIsInstance(Model.name_search("zz-no-such-name"), list)

    # ------------------------------------------------------------
    # companies
    # ------------------------------------------------------------

    def test_a_user_of_another_company_sees_none_of_this_companys_dunning(self):
        other = self.setup_other_company(name="Peters Belgie")["company"]
        stranger = self._user(
            "bart.be",
            self.env.ref("customer_retention_dunning.group_credit_manager"),
            companies=other,
        )
        reminder = self._reminder()
        with freeze_time(TODAY):
            promise = self.env["dunning.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(self.first.ids)],
                    "date": TODAY + timedelta(days=7),
                }
            )
        profile = self.env["dunning.profile"].create(
            {"name": "NL only", "company_id": self.env.company.id}
        )
        rule = self.env["dunning.collector.rule"].create(
            {"user_id": self.junior.id, "company_id": self.env.company.id}
        )
        for record in (reminder, reminder.line_ids, promise, profile, rule):
            if not record:
                continue
            with self.subTest(model=record._name):
                self.assertFalse(
                    record.with_user(stranger).search([("id", "in", record.ids)])
                )
                with self.assertRaises(AccessError):
                    record.with_user(stranger).read(["id"])
                # positive control: this company's credit manager sees it
                self.assertEqual(
                    record.with_user(self.manager).search([("id", "in", record.ids)]),
                    record,
                )
        # a profile shared by all companies is seen by both
        shared = self.env["dunning.profile"].create({"name": "Shared"})
        self.assertEqual(
            shared.with_user(stranger).search([("id", "=", shared.id)]), shared
        )

    def test_a_plan_and_a_promise_stay_inside_one_company(self):
        other = self.setup_other_company(name="Peters Belgie")["company"]
        foreign = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "company_id": other.id,
                    "invoice_date": TODAY - timedelta(days=60),
                    "invoice_date_due": TODAY - timedelta(days=30),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Services",
                                "quantity": 1,
                                "price_unit": 200.0,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        foreign.action_post()
        with freeze_time(TODAY):
            wizard = self.env["payment.plan.wizard"].create(
                {
                    "move_ids": [Command.set((self.first | foreign).ids)],
                    "installment_count": 2,
                    "frequency": "monthly",
                    "first_date": TODAY + timedelta(days=5),
                }
            )
            with self.assertRaisesRegex(UserError, "one company"):
                wizard.action_create()
            with self.assertRaisesRegex(UserError, "one company"):
                self.env["dunning.promise"].create(
                    {
                        "partner_id": self.customer.id,
                        "move_ids": [Command.set((self.first | foreign).ids)],
                        "date": TODAY + timedelta(days=7),
                    }
                )
        self.assertFalse(
            self.env["payment.plan"].search([("partner_id", "=", self.customer.id)])
        )
        # positive control: the other company's invoice alone makes its plan
        with freeze_time(TODAY):
            wizard = self.env["payment.plan.wizard"].create(
                {
                    "move_ids": [Command.set(foreign.ids)],
                    "installment_count": 2,
                    "frequency": "monthly",
                    "first_date": TODAY + timedelta(days=5),
                }
            )
            plan = self.env["payment.plan"].browse(wizard.action_create()["res_id"])
        self.assertEqual(plan.company_id, other)

    # ------------------------------------------------------------
    # the workbook
    # ------------------------------------------------------------

    def test_the_workbook_is_the_requesters_own_and_needs_no_settings_right(self):
        self.assertFalse(self.manager.has_group("base.group_system"))
        action = (
            self.env["dunning.workbook"]
            .with_user(self.manager)
            .action_download(sheets=("overview",))
        )
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        self.assertNotEqual(attachment.res_model, "res.company")
        self.assertTrue(attachment.with_user(self.manager).datas)
        with self.assertRaises(AccessError):
            attachment.with_user(self.senior).read(["datas"])
        with self.assertRaises(AccessError):
            self.env["dunning.workbook"].with_user(
                self._user("els.employee", self.env.ref("base.group_user"))
            ).action_download(sheets=("overview",))
