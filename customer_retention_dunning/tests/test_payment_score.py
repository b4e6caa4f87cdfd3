"""The payment score as a finance user sees it on the customer."""

from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from odoo.addons.customer_retention_dunning.models.res_partner_payment_score import (
    ResPartnerPaymentScore as ResPartner,
)

from .common import DunningTestCommon

TODAY = date(2026, 6, 30)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestPaymentScore(DunningTestCommon):
    def _score(self, partners=None):
        (partners or self.customer)._update_payment_score()
        return partners or self.customer

    def test_punctual_customer_scores_excellent_and_is_a_good_debtor(self):
        for days_ago in (150, 120, 90, 60):
            self._paid_invoice(1000, TODAY - timedelta(days=days_ago), -2)
        self._score()
        self.assertEqual(self.customer.payment_score, 100)
        self.assertEqual(self.customer.payment_score_band, "excellent")
        self.assertEqual(self.customer.payment_on_time_share, 100.0)
        self.assertEqual(self.customer.payment_avg_days_late, 0.0)
        self.assertEqual(self.customer.payment_history_count, 4)
        self.assertEqual(self.customer.trust, "good")

    def test_days_late_come_from_the_reconciliation_date(self):
        for days_ago in (200, 170, 140):
            self._paid_invoice(1000, TODAY - timedelta(days=days_ago), 45)
        self._score()
        self.assertAlmostEqual(self.customer.payment_avg_days_late, 45.0, places=1)
        self.assertEqual(self.customer.payment_on_time_share, 0.0)
        self.assertLess(self.customer.payment_score, 30)
        self.assertEqual(self.customer.payment_score_band, "risk")
        self.assertEqual(self.customer.trust, "bad")

    def test_a_new_customer_has_not_enough_history(self):
        self._paid_invoice(1000, TODAY - timedelta(days=30), 0)
        self._invoice(500, TODAY - timedelta(days=5), TODAY + timedelta(days=25))
        self._score()
        self.assertEqual(self.customer.payment_score_band, "none")
        self.assertEqual(self.customer.payment_history_count, 1)
        self.assertEqual(self.customer.trust, "normal")
        self.assertEqual(self.customer.dunning_open_amount, 500.0)

    def test_a_credit_note_reduces_what_was_owed_not_what_was_paid_late(self):
        for days_ago in (150, 120):
            self._paid_invoice(1000, TODAY - timedelta(days=days_ago), 0)
        due = TODAY - timedelta(days=100)
        invoice = self._invoice(1000, due - timedelta(days=30), due)
        # 400 credited 50 days after the due date, the rest paid on time
        refund = self._invoice(400, due + timedelta(days=50), move_type="out_refund")
        self._pay(invoice, due, amount=600)
        (invoice | refund).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(invoice.payment_state, "paid")
        self._score()
        self.assertEqual(self.customer.payment_on_time_share, 100.0)
        self.assertEqual(self.customer.payment_score, 100)
        self.assertEqual(self.customer.dunning_open_amount, 0.0)

    def test_partial_payment_leaves_the_rest_overdue_and_at_risk(self):
        for days_ago in (300, 270):
            self._paid_invoice(1000, TODAY - timedelta(days=days_ago), 0)
        due = TODAY - timedelta(days=180)
        invoice = self._invoice(1000, due - timedelta(days=30), due)
        self._pay(invoice, due, amount=400)
        self._score()
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(self.customer.dunning_open_amount, 600.0)
        self.assertEqual(self.customer.dunning_overdue_amount, 600.0)
        self.assertEqual(self.customer.dunning_value_at_risk, 216.0)
        self.assertAlmostEqual(self.customer.payment_overdue_share, 100.0)
        self.assertEqual(self.customer.payment_history_count, 3)
        self.assertLess(self.customer.payment_score, 85)

    def test_an_open_credit_note_nets_the_overdue_amount(self):
        due = TODAY - timedelta(days=60)
        self._invoice(1000, due - timedelta(days=30), due)
        self._invoice(300, TODAY - timedelta(days=5), move_type="out_refund")
        self._score()
        self.assertEqual(self.customer.dunning_open_amount, 700.0)
        self.assertEqual(self.customer.dunning_overdue_amount, 700.0)

    def test_payment_in_another_currency_counts_in_company_currency(self):
        other = self.setup_other_currency("EUR", rates=[("2025-01-01", 2.0)])
        for days_ago in (150, 120, 90):
            due = TODAY - timedelta(days=days_ago)
            invoice = self._invoice(2000, due - timedelta(days=30), due, currency=other)
            self._pay(invoice, due + timedelta(days=10), currency=other)
        overdue = self._invoice(
            400, TODAY - timedelta(days=50), TODAY - timedelta(days=20), currency=other
        )
        self._score()
        self.assertAlmostEqual(self.customer.payment_avg_days_late, 10.0, places=1)
        self.assertEqual(overdue.amount_residual_signed, 200.0)
        self.assertEqual(self.customer.dunning_overdue_amount, 200.0)

    def test_registering_a_payment_updates_the_score_at_once(self):
        for days_ago in (150, 120, 90):
            self._paid_invoice(1000, TODAY - timedelta(days=days_ago), 0)
        due = TODAY - timedelta(days=80)
        late = self._invoice(3000, due - timedelta(days=30), due)
        self._score()
        before = self.customer.payment_score
        self.assertEqual(self.customer.dunning_overdue_amount, 3000.0)

        self._pay(late, TODAY)

        self.assertEqual(self.customer.dunning_overdue_amount, 0.0)
        self.assertEqual(self.customer.payment_history_count, 4)
        self.assertNotEqual(self.customer.payment_score, before)
        self.assertAlmostEqual(
            self.customer.payment_avg_days_late, 80 * 3000 / 6000, delta=5
        )

    def test_a_cancelled_payment_updates_the_score_at_once(self):
        for days_ago in (150, 120):
            self._paid_invoice(1000, TODAY - timedelta(days=days_ago), 0)
        due = TODAY - timedelta(days=40)
        invoice = self._invoice(1000, due - timedelta(days=30), due)
        payment = self._pay(invoice, due)
        self._score()
        self.assertEqual(self.customer.payment_history_count, 3)
        self.assertEqual(self.customer.dunning_overdue_amount, 0.0)

        # the payment bounced: the bookkeeper resets and cancels it
        payment.action_draft()
        payment.action_cancel()

        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(self.customer.dunning_overdue_amount, 1000.0)
        self.assertEqual(self.customer.payment_history_count, 3)
        self.assertEqual(self.customer.payment_overdue_avg_days, 40.0)

    def test_an_unmatched_payment_counts_as_credit_not_as_behaviour(self):
        for days_ago in (150, 120):
            self._paid_invoice(1000, TODAY - timedelta(days=days_ago), 0)
        due = TODAY - timedelta(days=40)
        invoice = self._invoice(1000, due - timedelta(days=30), due)
        self._pay(invoice, due)
        self._score()
        self.assertEqual(self.customer.payment_history_count, 3)

        invoice.line_ids.remove_move_reconcile()

        # the money is there but no longer matched: nothing is overdue, and
        # the invoice no longer counts as paid on time
        self.assertEqual(self.customer.dunning_overdue_amount, 0.0)
        self.assertEqual(self.customer.payment_history_count, 2)
        self.assertEqual(self.customer.payment_score_band, "none")

    def test_contacts_show_their_company_score(self):
        contact = self.env["res.partner"].create(
            {"name": "Anna de Vries", "parent_id": self.customer.id}
        )
        for days_ago in (150, 120, 90):
            self._paid_invoice(
                1000, TODAY - timedelta(days=days_ago), 30, partner=contact
            )
        self._score(contact)
        self.assertNotEqual(self.customer.payment_score_band, "none")
        self.assertEqual(contact.payment_score, self.customer.payment_score)
        self.assertEqual(contact.payment_score_band, self.customer.payment_score_band)
        self.assertEqual(self.customer.payment_history_count, 3)

    def test_what_follows_the_band_sees_a_new_score_at_once(self):
        # the scoring stores its values in bulk, not through write(): what
        # was read before (the band, the profile that follows it, a contact's
        # copy two levels down) still shows the new score, as after a write
        contact = self.env["res.partner"].create(
            {"name": "Anna de Vries", "parent_id": self.customer.id}
        )
        assistant = self.env["res.partner"].create(
            {"name": "Bram de Vries", "parent_id": contact.id}
        )
        for days_ago in (150, 120, 90):
            self._paid_invoice(1000, TODAY - timedelta(days=days_ago), -2)
        self.customer.sudo().write({"payment_score_band": "none", "trust": False})
        self.assertEqual(
            self.customer.dunning_profile_id,
            self.env.ref("customer_retention_dunning.dunning_profile_standard"),
        )
        self.assertEqual(assistant.payment_score_band, "none")
        self._score()
        self.assertEqual(self.customer.payment_score_band, "excellent")
        self.assertEqual(self.customer.trust, "good")
        self.assertEqual(
            self.customer.dunning_profile_id,
            self.env.ref("customer_retention_dunning.dunning_profile_trusted"),
        )
        self.assertEqual(assistant.payment_score_band, "excellent")
        self.assertEqual(assistant.payment_score, self.customer.payment_score)
        self.assertEqual(assistant.dunning_open_amount, 0.0)

    def test_the_nightly_cron_scores_every_customer(self):
        other = self.env["res.partner"].create({"name": "Other customer"})
        for days_ago in (150, 120, 90):
            self._paid_invoice(1000, TODAY - timedelta(days=days_ago), 0)
            self._paid_invoice(
                1000, TODAY - timedelta(days=days_ago), 70, partner=other
            )
        cron = self.env.ref("customer_retention_dunning.ir_cron_payment_score")
        self.assertEqual(cron.model_id.model, "res.partner")
        cron.method_direct_trigger()
        self.assertEqual(self.customer.payment_score_band, "excellent")
        self.assertEqual(other.payment_score_band, "risk")
        self.assertTrue(other.payment_score_date)

    def test_a_failing_customer_does_not_stop_the_others(self):
        other = self.env["res.partner"].create({"name": "Broken data customer"})
        for days_ago in (150, 120, 90):
            self._paid_invoice(1000, TODAY - timedelta(days=days_ago), 0)
            self._paid_invoice(1000, TODAY - timedelta(days=days_ago), 0, other)
        # as if neither had been scored yet
        (self.customer | other).sudo().write(
            {"payment_score_band": "none", "payment_score_date": False}
        )
        original = ResPartner._payment_score_values

        def failing(partner, result, now):
            if partner == other:
                raise ValueError("corrupt history")
            return original(partner, result, now)

        with (
            patch.object(ResPartner, "_payment_score_values", failing),
            self.assertLogs(
                "odoo.addons.customer_retention_dunning.models.res_partner_payment_score",
                level="ERROR",
            ),
        ):
            self.env["res.partner"]._cron_compute_payment_score()
        self.assertEqual(self.customer.payment_score_band, "excellent")
        self.assertEqual(other.payment_score_band, "none")
        self.assertFalse(other.payment_score_date)

    def test_band_thresholds_come_from_settings(self):
        for days_ago in (150, 120, 90):
            self._paid_invoice(1000, TODAY - timedelta(days=days_ago), 12)
        self._score()
        score = self.customer.payment_score
        self.assertEqual(self.customer.payment_score_band, "good")
        settings = Form(self.env["res.config.settings"])
        settings.dunning_band_excellent = 95
        settings.dunning_band_good = score + 1
        settings.dunning_band_watch = 40
        settings.save().execute()
        self._score()
        self.assertEqual(self.customer.payment_score_band, "watch")

    def test_bands_that_do_not_rise_are_refused(self):
        with self.assertRaises(ValidationError):
            self.env.company.write({"dunning_band_good": 90})
        with self.assertRaises(ValidationError):
            self.env.company.write({"dunning_loss_6m": 5.0})
        with self.assertRaises(ValidationError):
            self.env.company.write({"dunning_score_half_life": 0})

    def test_half_life_changes_how_much_old_behaviour_counts(self):
        for days_ago in (700, 680, 660):
            self._paid_invoice(1000, TODAY - timedelta(days=days_ago), 60)
        for days_ago in (60, 40):
            self._paid_invoice(1000, TODAY - timedelta(days=days_ago), 0)
        self._score()
        default_score = self.customer.payment_score
        self.env.company.dunning_score_half_life = 3650
        self._score()
        self.assertLess(self.customer.payment_score, default_score)

    def test_customer_list_sorts_by_value_at_risk(self):
        small = self.env["res.partner"].create({"name": "Small debt"})
        due = TODAY - timedelta(days=200)
        self._invoice(5000, due - timedelta(days=30), due)
        self._invoice(100, due - timedelta(days=30), due, partner=small)
        self._score(self.customer | small)
        ranked = self.env["res.partner"].search(
            [("id", "in", (self.customer | small).ids)],
            order="dunning_value_at_risk desc",
        )
        self.assertEqual(ranked.ids, [self.customer.id, small.id])
        self.assertEqual(
            self.env["res.partner"].search(
                [("dunning_overdue_amount", ">", 1000), ("id", "in", ranked.ids)]
            ),
            self.customer,
        )

    def test_scores_are_kept_per_company_for_the_amounts(self):
        company_b = self.setup_other_company(name="Company B")["company"]
        due = TODAY - timedelta(days=100)
        self._invoice(1000, due - timedelta(days=30), due)
        self.env["account.move"].with_company(company_b).create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": due - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "B", "price_unit": 250, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        ).action_post()
        self._score()
        self.assertEqual(self.customer.dunning_overdue_amount, 1000.0)
        self.assertEqual(
            self.customer.with_company(company_b).dunning_overdue_amount, 250.0
        )

    def test_the_score_is_stored_as_the_orm_would_store_it(self):
        """The nightly store (one UPDATE per batch, each column an array,
        company-dependent values merged per company) leaves every column as
        the ORM's own multi-row UPDATE leaves it: an amount of a company not
        given (here B) is kept, an amount equal to the fallback (0) is left
        out, the rest rounded as the field says."""
        company_a = self.env.company
        company_b = self.setup_other_company(name="Company B")["company"]
        Partner = self.env["res.partner"].sudo()
        by_orm, by_store = Partner.create([{"name": "By the ORM"}, {"name": "Stored"}])
        for partner in by_orm | by_store:
            partner.with_company(company_b).write(
                {"dunning_open_amount": 5.0, "dunning_value_at_risk": 3.0}
            )
        values = {
            "payment_score": 81,
            "payment_score_band": "good",
            "payment_score_date": datetime(2026, 6, 30, 1, 2, 3),
            "payment_avg_days_late": 4.25,
            "payment_on_time_share": 62.5,
            "payment_overdue_share": 0.0,
            "payment_overdue_avg_days": 12.04,
            "payment_trend": "stable",
            "payment_trend_days": -1.5,
            "payment_history_count": 7,
            "dunning_open_amount": {company_a.id: 12.5},
            "dunning_overdue_amount": {company_a.id: 0.0},
            "dunning_value_at_risk": {company_a.id: 0.0},
            "dunning_expected_recovery": {company_a.id: 10.13},
            "trust": {company_a.id: "good"},
        }
        self.env.flush_all()
        # the ORM's UPDATE, with each value in the format its flush gives it
        by_orm._write_multi(
            [
                {
                    name: Partner._fields[name].convert_to_column_update(value, by_orm)
                    if Partner._fields[name].company_dependent
                    else Partner._fields[name].convert_to_column(value, by_orm)
                    for name, value in values.items()
                }
            ]
        )
        by_store._payment_score_store({by_store.id: values})
        self.env.flush_all()

        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM res_partner WHERE id IN %s",
                SQL(", ").join(SQL.identifier(name) for name in values),
                (by_orm | by_store)._ids,
            )
        )
        rows = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        self.assertEqual(rows[by_store.id], rows[by_orm.id])
        stored = dict(zip(values, rows[by_store.id], strict=True))
        a, b = str(company_a.id), str(company_b.id)
        self.assertEqual(stored["dunning_open_amount"], {a: 12.5, b: 5.0})
        self.assertEqual(stored["dunning_value_at_risk"], {b: 3.0})
        self.assertIsNone(stored["dunning_overdue_amount"])
        self.assertEqual(str(stored["payment_avg_days_late"]), "4.3")
        # and the cache reads them back, per company
        self.assertEqual(by_store.dunning_open_amount, 12.5)
        self.assertEqual(by_store.with_company(company_b).dunning_open_amount, 5.0)
        self.assertEqual(by_store.payment_score_band, "good")
