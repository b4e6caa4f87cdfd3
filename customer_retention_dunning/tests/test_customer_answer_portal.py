"""The customer answers from the reminder, in the portal: with the link of
the reminder e-mail (no account) or logged in. A link opens only its own
invoices, bad input is refused with the reason and writes nothing, and
invoices in a plan ask for their instalment, not their whole amount."""

import re
from datetime import timedelta

from lxml import html

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ReceivablesMixin

# the first page load builds the asset bundles: slow on a busy 2-core machine
TOUR_TIMEOUT = 180


@tagged("post_install", "-at_install")
class TestCustomerAnswerPortal(ReceivablesMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Hoveniers Groen",
                "is_company": True,
                "email": "info@groen.example.nl",
            }
        )
        cls.other = cls.env["res.partner"].create(
            {
                "name": "Slagerij Vos",
                "is_company": True,
                "email": "info@vos.example.nl",
            }
        )
        cls.today = fields.Date.context_today(cls.customer)
        cls.env.company.dunning_promise_max_days = 30
        cls.old = cls._invoice(
            800, cls.today - timedelta(days=60), cls.today - timedelta(days=30)
        )
        cls.recent = cls._invoice(
            400, cls.today - timedelta(days=45), cls.today - timedelta(days=15)
        )
        cls.foreign = cls._invoice(
            500,
            cls.today - timedelta(days=60),
            cls.today - timedelta(days=30),
            partner=cls.other,
        )
        cls.collector = new_test_user(
            cls.env,
            login="answer_collector",
            groups="base.group_user,customer_retention_dunning.group_collector",
        )
        cls.manager = new_test_user(
            cls.env,
            login="answer_manager",
            groups="base.group_user,customer_retention_dunning.group_credit_manager",
        )
        cls.env["dunning.escalation"].sudo()._cron_escalate()
        cls.reminder = cls.env["dunning.communication"].search(
            [("partner_id", "=", cls.customer.id)]
        )

    def _csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, page.url)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _reminder_url(self, token=None):
        return (
            f"/my/reminders/{self.reminder.id}"
            f"?access_token={token or self.reminder.access_token}"
        )

    def _alert(self, response):
        found = html.fromstring(response.text).xpath(
            "//*[contains(@class, 'o_dunning_answer_flash')]"
        )
        return " ".join(found[0].text_content().split()) if found else ""

    def test_the_reminder_e_mail_links_to_its_own_page(self):
        self.assertEqual(self.reminder.channel, "email")
        self.assertEqual(self.reminder.line_ids.move_id, self.old | self.recent)
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "=", self.reminder.mail_message_id.id)])
        )
        self.assertIn(self._reminder_url(), mail.body_html)
        # no account needed: the page opens with the e-mail's token
        page = self.url_open(self._reminder_url())
        self.assertEqual(page.status_code, 200)
        for name in (self.old.name, self.recent.name, "Dispute", "Promise a date"):
            self.assertIn(name, page.text)
        self.assertNotIn(self.foreign.name, page.text)
        # another token, or none, opens nothing
        for url in (
            self._reminder_url("not-the-token"),
            f"/my/reminders/{self.reminder.id}",
        ):
            refused = self.url_open(url)
            self.assertNotIn(self.old.name, refused.text)

    def test_a_customer_disputes_with_the_links_token(self):
        csrf = self._csrf(self._reminder_url())
        response = self.url_open(
            f"/my/invoices/{self.old.id}/dispute",
            data={
                "csrf_token": csrf,
                "access_token": self.reminder.access_token,
                "reminder_id": self.reminder.id,
                "reason": "The hedge on the invoice was never planted.",
            },
        )
        self.assertTrue(self.old.dunning_blocked)
        self.assertIn(
            "we received your dispute of " + self.old.name, self._alert(response)
        )
        self.assertIn("Disputed", response.text)
        # the reminder's token does not reach another customer's invoice
        self.url_open(
            f"/my/invoices/{self.foreign.id}/dispute",
            data={
                "csrf_token": csrf,
                "access_token": self.reminder.access_token,
                "reminder_id": self.reminder.id,
                "reason": "Not ours",
            },
        )
        self.assertFalse(self.foreign.dunning_blocked)
        # nor does the invoice's own token reach another invoice
        self.old._portal_ensure_token()
        self.url_open(
            f"/my/invoices/{self.recent.id}/dispute",
            data={
                "csrf_token": csrf,
                "access_token": self.old.access_token,
                "reason": "Wrong",
            },
        )
        self.assertFalse(self.recent.dunning_blocked)
        # positive control: the invoice's own token does
        self.recent._portal_ensure_token()
        self.url_open(
            f"/my/invoices/{self.recent.id}/dispute",
            data={
                "csrf_token": csrf,
                "access_token": self.recent.access_token,
                "reason": "Wrong",
            },
        )
        self.assertTrue(self.recent.dunning_blocked)

    def test_a_promise_past_the_limit_is_refused_with_the_reason(self):
        csrf = self._csrf(self._reminder_url())
        data = {
            "csrf_token": csrf,
            "access_token": self.reminder.access_token,
            "reminder_id": self.reminder.id,
        }
        too_late = self.today + timedelta(days=45)
        response = self.url_open(
            f"/my/invoices/{self.old.id}/promise",
            data={**data, "promised_date": fields.Date.to_string(too_late)},
        )
        self.assertIn("30 days ahead at most", self._alert(response))
        self.assertFalse(self.old.promise_date)
        response = self.url_open(
            f"/my/invoices/{self.old.id}/promise",
            data={**data, "promised_date": "next tuesday"},
        )
        self.assertIn("choose the date", self._alert(response))
        self.assertFalse(
            self.env["dunning.promise"].search([("partner_id", "=", self.customer.id)])
        )
        # positive control
        in_time = self.today + timedelta(days=20)
        response = self.url_open(
            f"/my/invoices/{self.old.id}/promise",
            data={**data, "promised_date": fields.Date.to_string(in_time)},
        )
        self.assertIn("we noted your promise", self._alert(response))
        self.assertEqual(self.old.promise_date, in_time)

    def test_a_logged_in_customer_answers_for_its_own_invoices_only(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Gert Groen",
                "parent_id": self.customer.id,
                "email": "gert@groen.nl",
            }
        )
        new_test_user(
            self.env,
            login="answer_portal",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        self.authenticate("answer_portal", "answer_portal")
        csrf = self._csrf(f"/my/invoices/{self.old.id}")
        self.url_open(
            f"/my/invoices/{self.foreign.id}/dispute",
            data={"csrf_token": csrf, "reason": "Not ours"},
        )
        self.assertFalse(self.foreign.dunning_blocked)
        response = self.url_open(
            f"/my/invoices/{self.old.id}/dispute",
            data={"csrf_token": csrf, "reason": "Wrong hedge"},
        )
        self.assertTrue(self.old.dunning_blocked)
        self.assertIn("we are looking into it", response.text)

    def test_invoices_in_a_plan_ask_for_the_instalment(self):
        plan = self.env["payment.plan"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [fields.Command.set((self.old | self.recent).ids)],
                "instalment_count": 4,
                "first_date": self.today + timedelta(days=5),
            }
        )
        plan.with_user(self.collector).action_submit()
        plan.with_user(self.manager).action_approve()
        # Odoo's "Pay overdue" reads the invoices of the user's own partner
        new_test_user(
            self.env,
            login="plan_answer_portal",
            groups="base.group_portal",
            partner_id=self.customer.id,
        )
        self.authenticate("plan_answer_portal", "plan_answer_portal")
        # 1,200 in four: 300 due on the first date
        page = self.url_open(f"/my/invoices/{self.old.id}").text
        self.assertIn("paid through payment plan", page)
        self.assertIn(plan.name, page)
        self.assertIn("300.00", page)
        listing = self.url_open("/my/invoices").text
        self.assertIn(f"In payment plan {plan.name}", listing)
        # "Pay overdue" leaves the plan's invoices out: only an invoice
        # outside the plan is overdue in the portal's sense
        outside = self._invoice(
            250, self.today - timedelta(days=40), self.today - timedelta(days=10)
        )
        filtered = self.url_open("/my/invoices?filterby=overdue_invoices").text
        self.assertIn(outside.name, filtered)
        self.assertNotIn(self.old.name, filtered)
        overdue = self.url_open("/my/invoices/overdue")
        self.assertTrue(overdue.url.endswith("/my/invoices/overdue"), overdue.url)
        self.assertIn(outside.name, overdue.text)
        self.assertNotIn(self.old.name, overdue.text)

    # ------------------------------------------------------------
    # tours
    # ------------------------------------------------------------

    def test_tour_a_customer_disputes_from_the_e_mail_link(self):
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("mail_message_id", "=", self.reminder.mail_message_id.id)])
        )
        link = html.fromstring(mail.body_html).xpath(
            "//a[contains(@href, '/my/reminders/')]/@href"
        )[0]
        path = link[link.index("/my/reminders/") :]
        self.start_tour(
            path, "customer_retention_dunning_dispute_from_email", timeout=TOUR_TIMEOUT
        )
        self.assertTrue(self.recent.dunning_blocked)
        self.assertIn("meters", self.recent.dunning_block_reason)
        self.assertFalse(self.old.dunning_blocked)

    def test_tour_a_customer_asks_for_a_plan_and_a_credit_manager_approves(self):
        contact = self.env["res.partner"].create(
            {
                "name": "Gert Groen",
                "parent_id": self.customer.id,
                "email": "gert@groen.nl",
            }
        )
        new_test_user(
            self.env,
            login="plan_request_portal",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        self.start_tour(
            self._reminder_url(),
            "customer_retention_dunning_plan_request",
            login="plan_request_portal",
            timeout=TOUR_TIMEOUT,
        )
        plan = self.env["payment.plan"].search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            plan,
            [{"state": "draft", "requested_by_customer": True, "instalment_count": 2}],
        )
        self.assertEqual(plan.line_ids.mapped("amount"), [600.0, 600.0])
        # the collector submits it; a credit manager approves it in the client
        plan.with_user(self.collector).action_submit()
        self.start_tour(
            "/odoo/action-customer_retention_dunning.payment_plan_action_to_approve",
            "customer_retention_dunning_plan_approve",
            login="answer_manager",
            timeout=TOUR_TIMEOUT,
        )
        self.assertRecordValues(
            plan, [{"state": "active", "approved_by_id": self.manager.id}]
        )
        self.authenticate("plan_request_portal", "plan_request_portal")
        self.assertIn("Next instalment", self.url_open(plan.get_portal_url()).text)
