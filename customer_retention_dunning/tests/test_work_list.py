"""The collector's work list: who to act on today, ordered by what is
expected back, with the next action and the promise and plan status."""

from datetime import timedelta

from lxml import etree

from odoo import Command, fields
from odoo.tests import Form, tagged

from ..tools.value_at_risk import value_at_risk
from .common import DunningTestCommon


@tagged("post_install", "-at_install")
class TestWorkList(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.env.company.write(
            {
                "dunning_loss_3m": 13.0,
                "dunning_loss_6m": 36.0,
                "dunning_loss_12m": 57.0,
                "dunning_loss_24m": 91.0,
            }
        )
        cls.env.user.groups_id += cls.env.ref(
            "customer_retention_dunning.group_collector"
        )
        cls.collector = cls.env["res.users"].create(
            {
                "name": "Sanne Collector",
                "login": "sanne.worklist",
                "email": "sanne.worklist@example.nl",
                "groups_id": [
                    Command.link(
                        cls.env.ref("customer_retention_dunning.group_collector").id
                    )
                ],
            }
        )
        cls.big = cls.customer
        cls.small = cls.env["res.partner"].create(
            {"name": "Café Het Hoekje", "is_company": True}
        )
        cls.quiet = cls.env["res.partner"].create(
            {"name": "Drukkerij Van Dam", "is_company": True}
        )
        # 5,000 due 120 days ago; 800 due 10 days ago; 300 due 45 days ago
        cls.big_invoice = cls._overdue(5000.0, 120, cls.big)
        cls.small_invoice = cls._overdue(800.0, 10, cls.small)
        cls._overdue(300.0, 45, cls.quiet)
        customers = cls.big | cls.small | cls.quiet
        customers.write({"dunning_collector_id": cls.collector.id})
        customers._update_payment_score()

    @classmethod
    def _overdue(cls, amount, days, partner):
        due = cls.today - timedelta(days=days)
        return cls._invoice(amount, due - timedelta(days=30), due, partner=partner)

    def test_expected_recovery_is_what_is_left_weighted_by_the_chance_to_pay(self):
        # too little history for a score: a 50% chance
        self.assertEqual(self.big.payment_score_band, "none")
        expected = round((5000.0 - value_at_risk(5000.0, 120)) * 0.5, 2)
        self.assertAlmostEqual(self.big.dunning_expected_recovery, expected, 2)
        ordered = self.env["res.partner"].search(
            [("id", "in", (self.big | self.small | self.quiet).ids)],
            order="dunning_expected_recovery desc",
        )
        self.assertEqual(ordered, self.big | self.small | self.quiet)

    def test_who_to_act_on_today_and_why(self):
        self.big.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=self.today,
            summary="Call about the overdue invoice",
            user_id=self.collector.id,
        )
        action = self.small_invoice.action_record_promise()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        form.date = self.today
        form.save()
        to_act = self.env["res.partner"].search(
            [
                ("dunning_collector_id", "=", self.collector.id),
                ("dunning_act_today", "=", True),
            ]
        )
        self.assertEqual(to_act, self.big | self.small)
        self.assertRecordValues(
            self.big | self.small | self.quiet,
            [
                {"dunning_act_today": True, "dunning_promise_state": False},
                {"dunning_act_today": True, "dunning_promise_state": "due"},
                {"dunning_act_today": False, "dunning_promise_state": False},
            ],
        )
        self.assertEqual(self.big.dunning_next_action, "Call about the overdue invoice")
        self.assertIn("Check the payment promised", self.small.dunning_next_action)
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("id", "=", self.quiet.id), ("dunning_act_today", "=", False)]
            ),
            1,
        )

    def test_a_done_activity_kept_in_the_history_does_not_count(self):
        activity = self.quiet.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=self.today - timedelta(days=1),
            user_id=self.collector.id,
        )
        self.assertTrue(self.quiet.dunning_act_today)
        activity.active = False  # done, kept as history
        self.quiet.invalidate_recordset()
        self.assertFalse(self.quiet.dunning_act_today)

    def test_an_activity_on_a_contact_counts_for_its_customer(self):
        contact = self.env["res.partner"].create(
            {"name": "Petra van Dam", "parent_id": self.quiet.id}
        )
        contact.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=self.today,
            user_id=self.collector.id,
        )
        self.assertIn(
            self.quiet,
            self.env["res.partner"].search([("dunning_act_today", "=", True)]),
        )

    def test_a_late_instalment_puts_the_customer_on_the_list(self):
        plan = (
            self.env["payment.plan"]
            .sudo()
            .create(
                {
                    "partner_id": self.quiet.id,
                    "move_ids": [
                        Command.set(
                            self.env["account.move"]
                            .search([("partner_id", "=", self.quiet.id)])
                            .ids
                        )
                    ],
                    "instalment_count": 2,
                    "first_date": self.today - timedelta(days=20),
                    "state": "active",
                    "line_ids": [
                        Command.create(
                            {
                                "sequence": 1,
                                "date": self.today - timedelta(days=20),
                                "amount": 150.0,
                                "state": "late",
                            }
                        ),
                        Command.create(
                            {
                                "sequence": 2,
                                "date": self.today + timedelta(days=10),
                                "amount": 150.0,
                            }
                        ),
                    ],
                }
            )
        )
        self.assertEqual(plan.state, "active")
        self.quiet.invalidate_recordset()
        self.assertTrue(self.quiet.dunning_act_today)
        self.assertEqual(self.quiet.dunning_plan_state, "late")
        self.assertEqual(self.quiet.dunning_next_action, "Call: an instalment is late")


@tagged("post_install", "-at_install")
class TestMyCollectionsFilters(DunningTestCommon):
    """The web client ORs the filters of one group and ANDs the groups; a
    group ends at a separator. My Collections opens with "My Collections"
    and "To Act On Today": together they must mean both."""

    def _groups(self):
        action = self.env.ref(
            "customer_retention_dunning.res_partner_action_my_collections"
        )
        arch = self.env["res.partner"].get_views(
            [(action.search_view_id.id or False, "search")]
        )["views"]["search"]["arch"]
        groups, current = [], []
        for node in etree.fromstring(arch).iter("filter", "separator", "group"):
            if node.tag == "filter" and node.get("name"):
                current.append(node.get("name"))
            elif current:
                groups.append(current)
                current = []
        return [*groups, current]

    def test_mine_and_to_act_on_today_are_ands_not_ors(self):
        groups = self._groups()
        mine = next(group for group in groups if "my_collections" in group)
        today = next(group for group in groups if "act_today" in group)
        self.assertIsNot(mine, today)
        # positive control: filters meant as alternatives stay together
        self.assertIn("on_credit_hold", today)
