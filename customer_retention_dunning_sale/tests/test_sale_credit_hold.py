"""A customer on credit hold and the sales team."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


@tagged("post_install", "-at_install")
class TestSaleCreditHold(AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the hold is the credit manager's decision; the tests arrange it so
        cls.env.user.groups_id |= cls.env.ref(
            "customer_retention_dunning.group_credit_manager"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Bakkerij De Korenbloem", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Anna de Vries", "parent_id": cls.customer.id}
        )
        cls.salesman = cls.env["res.users"].create(
            {
                "name": "Sam Sales",
                "login": "sam.sales",
                "groups_id": [
                    Command.set(cls.env.ref("sales_team.group_sale_manager").ids)
                ],
            }
        )
        cls.credit_manager = cls.env["res.users"].create(
            {
                "name": "Carla Credit",
                "login": "carla.credit",
                "groups_id": [
                    Command.set(
                        (
                            cls.env.ref("sales_team.group_sale_salesman_all_leads")
                            | cls.env.ref(
                                "customer_retention_dunning.group_credit_manager"
                            )
                        ).ids
                    )
                ],
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Flour, 25 kg", "list_price": 40.0}
        )

    def _order(self, user):
        return (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": self.contact.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 2}
                        )
                    ],
                }
            )
        )

    def test_a_customer_on_hold_waits_for_a_credit_manager(self):
        self.customer.credit_hold = True
        order = self._order(self.salesman)
        self.assertTrue(order.partner_credit_hold)
        with self.assertRaisesRegex(UserError, "on credit hold"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        order.with_user(self.credit_manager).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_a_customer_without_hold_is_confirmed_as_always(self):
        order = self._order(self.salesman)
        self.assertFalse(order.partner_credit_hold)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_the_hold_lifting_lets_the_order_through(self):
        self.customer.credit_hold = True
        order = self._order(self.salesman)
        with self.assertRaises(UserError):
            order.action_confirm()
        self.customer.credit_hold = False
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_the_portal_customer_gets_no_internal_detail(self):
        self.customer.credit_hold = True
        portal = self.env["res.users"].create(
            {
                "name": "Anna Portal",
                "login": "anna.portal",
                "partner_id": self.contact.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        order = self._order(self.salesman)
        message = order.with_user(portal).sudo(False)._confirmation_error_message()
        self.assertIn("cannot be confirmed online", message)
        self.assertNotIn("credit hold", message)

    def test_the_order_form_warns_the_salesman(self):
        self.customer.credit_hold = True
        form = Form(self.env["sale.order"].with_user(self.salesman))
        form.partner_id = self.contact
        self.assertTrue(form.partner_credit_hold)

    def test_code_run_as_the_superuser_is_no_credit_managers_decision(self):
        manager_group = self.env.ref("customer_retention_dunning.group_credit_manager")
        self.assertNotIn(self.env.ref("base.user_root"), manager_group.users)
        self.customer.credit_hold = True
        order = self._order(self.salesman)
        # the payment post-processing confirms orders as the superuser, for
        # whoever is logged in (here a credit manager): that is no decision,
        # so an order that is not paid in full still waits
        self.assertTrue(
            self.env.user.has_group(manager_group.get_external_id()[manager_group.id])
        )
        self.assertFalse(order.sudo()._credit_hold_may_pass())
        self.assertIn("on credit hold", order.sudo()._confirmation_error_message())
        # positive control: the credit manager's own confirmation passes
        order.with_user(self.credit_manager).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_a_hold_in_one_company_blocks_only_that_companys_sales(self):
        other = self.setup_other_company(name="Peters Belgie")["company"]
        self.env.user.company_ids |= other
        self.salesman.company_ids |= other
        self.customer.with_company(other).credit_hold = True
        order = self._order(self.salesman)
        self.assertEqual(order.company_id, self.env.company)
        self.assertFalse(order.partner_credit_hold)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        # positive control: the same customer's order in the held company
        held = (
            self.env["sale.order"]
            .with_company(other)
            .create(
                {
                    "partner_id": self.contact.id,
                    "company_id": other.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 2}
                        )
                    ],
                }
            )
        )
        self.assertTrue(held.partner_credit_hold)
        with self.assertRaisesRegex(UserError, "on credit hold"):
            held.with_user(self.salesman).with_company(other).action_confirm()
        self.assertEqual(held.state, "draft")
