import logging
from collections import defaultdict

from odoo import api, fields, models

from ..tools.payment_score import (
    OpenItem,
    PaidChunk,
    compute_payment_score,
    net_open_items,
)
from ..tools.value_at_risk import value_at_risk
from .res_partner import INTERNAL_USERS, PAYMENT_SCORE_BANDS

_logger = logging.getLogger(__name__)

# Odoo's own "Degree of trust" follows the band, so that other screens agree.
BAND_TO_TRUST = {
    "excellent": "good",
    "good": "good",
    "watch": "normal",
    "risk": "bad",
    "none": "normal",
}

# Days of difference between recent and older delays that count as a trend.
TREND_TOLERANCE_DAYS = 5.0
# the chance to pay of a customer without a score, for the work list
CHANCE_WITHOUT_HISTORY = 0.5


class ResPartnerPaymentScore(models.Model):
    """The payment score, its reasons and the amounts behind it: computed
    every night and live after a reconciliation."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    payment_score = fields.Integer(
        groups=INTERNAL_USERS,
        string="Payment Score",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="0-100: 100 means this customer always pays on time. Weighs how "
        "many days late each paid amount arrived (recent behaviour counts "
        "more), what is overdue now, and kept or broken promises and plans. "
        "Only meaningful when the band is not 'Not enough history'.",
    )

    payment_score_band = fields.Selection(
        PAYMENT_SCORE_BANDS,
        string="Payment Band",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        help="The score's band; the thresholds are in Settings. 'Not enough "
        "history' means too few paid or overdue invoices to judge.",
        groups=INTERNAL_USERS,
    )

    payment_score_date = fields.Datetime(
        groups=INTERNAL_USERS, string="Score Computed On", readonly=True, copy=False
    )

    payment_avg_days_late = fields.Float(
        groups=INTERNAL_USERS,
        string="Average Days Late",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="Days after the due date that each paid euro arrived, weighted "
        "by amount and recency; early payments count as zero.",
    )

    payment_on_time_share = fields.Float(
        groups=INTERNAL_USERS,
        string="Paid On Time (%)",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="Share of the paid amount (weighted by recency) that arrived on "
        "or before the due date.",
    )

    payment_overdue_share = fields.Float(
        groups=INTERNAL_USERS,
        string="Overdue Share of Open (%)",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="Share of what this customer owes now that is past its due date.",
    )

    payment_overdue_avg_days = fields.Float(
        groups=INTERNAL_USERS,
        string="Average Days Overdue",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="How long the overdue amount has been overdue, weighted by amount.",
    )

    payment_trend = fields.Selection(
        [
            ("unknown", "Unknown"),
            ("improving", "Improving"),
            ("stable", "Stable"),
            ("worsening", "Worsening"),
        ],
        string="Trend",
        default="unknown",
        readonly=True,
        copy=False,
        help="Average days late of the last 90 days against the time before.",
        groups=INTERNAL_USERS,
    )

    payment_trend_days = fields.Float(
        groups=INTERNAL_USERS,
        string="Trend (days)",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="Recent average days late minus the earlier average: negative "
        "means the customer pays sooner than before.",
    )

    payment_history_count = fields.Integer(
        groups=INTERNAL_USERS,
        string="Invoices Judged",
        readonly=True,
        copy=False,
        help="Number of paid or overdue invoices the score is based on.",
    )

    dunning_open_amount = fields.Float(
        groups=INTERNAL_USERS,
        string="Open Receivable",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="What this customer owes the current company, after open credit "
        "notes and unmatched payments (company currency, at the last scoring).",
    )

    dunning_overdue_amount = fields.Float(
        groups=INTERNAL_USERS,
        string="Overdue Amount",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Part of the open receivable that is past its due date.",
    )

    dunning_expected_recovery = fields.Float(
        groups=INTERNAL_USERS,
        string="Expected Recovery",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="What the work list sorts by: (open receivable - value at risk) x "
        "the chance to pay, which is the payment score / 100 (50% for a "
        "customer without enough history). At the last scoring.",
    )

    dunning_value_at_risk = fields.Float(
        groups=INTERNAL_USERS,
        string="Value at Risk",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Overdue amounts times the loss curve for their age (Settings): "
        "what the overdue money is expected to lose.",
    )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_compute_payment_score(self):
        """Recompute the score of these customers now (button on the form)."""
        self.commercial_partner_id._update_payment_score()
        return True

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_compute_payment_score(self, batch_size=500):
        """Recompute the score of every customer with receivable history, in
        batches, committing after each batch outside tests. A customer whose
        scoring fails is logged and skipped; the others go on."""
        self.env["dunning.night"]._run_batches(
            "score",
            self._name,
            "_payment_score_batch",
            self._payment_score_partner_ids(),
            batch_size,
        )

    @api.model
    def _payment_score_batch(self, partner_ids):
        """One batch of the nightly recompute (a job of its own with
        queue_job)."""
        self.browse(partner_ids).exists()._update_payment_score_isolated()

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _payment_score_partner_ids(self):
        """Commercial partners with posted receivables, or a score to reset."""
        self.env["account.move.line"].flush_model(
            ["partner_id", "account_id", "parent_state"]
        )
        self.env["res.partner"].flush_model(
            ["commercial_partner_id", "payment_score_band"]
        )
        self.env.cr.execute(
            """
            SELECT partner.commercial_partner_id
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN res_partner partner ON partner.id = line.partner_id
             WHERE account.account_type = 'asset_receivable'
               AND line.parent_state = 'posted'
             UNION
            SELECT id
              FROM res_partner
             WHERE payment_score_band != 'none'
               AND id = commercial_partner_id
             ORDER BY 1
            """
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _refresh_payment_score(self):
        """Live refresh after a reconciliation: never blocks the payment."""
        if self.env.context.get("dunning_skip_score_refresh"):
            return
        self.commercial_partner_id._update_payment_score_isolated()

    def _update_payment_score_isolated(self):
        """Update the scores; when the batch fails, retry one by one so that
        one broken customer does not stop the others."""
        try:
            with self.env.cr.savepoint():
                self._update_payment_score()
        except Exception:
            _logger.warning(
                "Payment score batch failed, retrying customer by customer",
                exc_info=True,
            )
            for partner in self:
                try:
                    with self.env.cr.savepoint():
                        partner._update_payment_score()
                except Exception:
                    _logger.exception(
                        "Payment score of customer %s (id %s) failed",
                        partner.display_name,
                        partner.id,
                    )

    def _update_payment_score(self):
        """Compute and store the score, its components and the open, overdue
        and at-risk totals of these commercial partners, and keep Odoo's
        degree of trust in step with the band."""
        # the score is the scoring's own (fields nobody writes by hand),
        # refreshed also when an accountant registers a payment
        partners = self.commercial_partner_id.sudo()
        if not partners:
            return
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        params = self.env.company._dunning_score_params()
        companies = self.env["res.company"].sudo().search([])
        curves = {company.id: company._dunning_loss_curve() for company in companies}
        history = partners._payment_score_history()
        commitments = partners._payment_score_commitments()

        amounts_by_company = defaultdict(lambda: defaultdict(list))
        partners_by_trust = defaultdict(list)
        for partner in partners:
            data = history.get(partner.id, {})
            open_items = []
            totals = {}
            for company in companies:
                items = net_open_items(
                    data.get("open", {}).get(company.id, []),
                    data.get("credit", {}).get(company.id, 0.0),
                )
                open_items += items
                totals[company] = partner._payment_open_totals(
                    items, today, curves[company.id]
                )
            result = compute_payment_score(
                data.get("paid", []),
                open_items,
                today,
                params=params,
                **commitments.get(partner.id, {}),
            )
            chance = (
                CHANCE_WITHOUT_HISTORY if result.score is None else result.score / 100
            )
            for company, (open_amount, overdue, at_risk) in totals.items():
                expected = round(max(open_amount - at_risk, 0.0) * chance, 2)
                amounts_by_company[company][
                    (open_amount, overdue, at_risk, expected)
                ].append(partner.id)
            entered_best = (
                result.band == "excellent" and partner.payment_score_band != "excellent"
            )
            partner.write(partner._payment_score_values(result, now))
            partners_by_trust[BAND_TO_TRUST[result.band]].append(partner.id)
            if entered_best:
                partner._dunning_announce_better_terms()

        for company, groups in amounts_by_company.items():
            for (open_amount, overdue_amount, at_risk, expected), ids in groups.items():
                self.sudo().browse(ids).with_company(company).write(
                    {
                        "dunning_open_amount": open_amount,
                        "dunning_overdue_amount": overdue_amount,
                        "dunning_value_at_risk": at_risk,
                        "dunning_expected_recovery": expected,
                    }
                )
            for trust, ids in partners_by_trust.items():
                self.sudo().browse(ids).with_company(company).write({"trust": trust})

    @api.model
    def _payment_open_totals(self, items, today, curve):
        """Open, overdue and at-risk amounts of already netted open items."""
        open_amount = sum(item.amount for item in items)
        overdue = [item for item in items if item.date_due < today]
        return (
            round(open_amount, 2),
            round(sum(item.amount for item in overdue), 2),
            round(
                sum(
                    value_at_risk(item.amount, (today - item.date_due).days, curve)
                    for item in overdue
                ),
                2,
            ),
        )

    def _payment_score_values(self, result, now):
        """Field values for a :class:`ScoreResult`."""
        if result.trend_days is None:
            trend = "unknown"
        elif result.trend_days < -TREND_TOLERANCE_DAYS:
            trend = "improving"
        elif result.trend_days > TREND_TOLERANCE_DAYS:
            trend = "worsening"
        else:
            trend = "stable"
        return {
            "payment_score": result.score or 0,
            "payment_score_band": result.band,
            "payment_score_date": now,
            "payment_avg_days_late": result.avg_days_late,
            "payment_on_time_share": result.on_time_share,
            "payment_overdue_share": result.overdue_share,
            "payment_overdue_avg_days": result.overdue_avg_days,
            "payment_trend": trend,
            "payment_trend_days": result.trend_days or 0.0,
            "payment_history_count": result.history_count,
        }

    def _dunning_announce_better_terms(self):
        """Aftercare: a customer who has just entered the best band hears
        about the better payment term its new invoices get."""
        self.ensure_one()
        company = self.env.company
        term = company.dunning_payment_term_excellent_id
        if (
            not company.dunning_reward_message
            or not term
            or not self.email
            or self.with_company(company).property_payment_term_id
        ):
            return
        self.env.ref(
            "customer_retention_dunning.mail_template_reward_terms"
        ).with_context(dunning_reward_term=term.name).send_mail(self.id)

    def _payment_score_commitments(self):
        """Kept and broken promises (and, with payment plans, plans) per
        commercial partner, as keyword arguments of ``compute_payment_score``."""
        counts = defaultdict(dict)
        # one score per customer over its whole history, in every company
        for partner, state, count in (
            self.env["dunning.promise"]
            .sudo()
            ._read_group(
                [("partner_id", "in", self.ids), ("state", "in", ("kept", "broken"))],
                ["partner_id", "state"],
                ["__count"],
            )
        ):
            counts[partner.id][f"promises_{state}"] = count
        Plan = self.env["payment.plan"].sudo()
        for partner, count in Plan._read_group(
            [("partner_id", "in", self.ids), ("state", "=", "done")],
            ["partner_id"],
            ["__count"],
        ):
            counts[partner.id]["plans_kept"] = count
        # a broken plan counts even after a credit manager re-opened it
        for partner, count in Plan._read_group(
            [
                ("partner_id", "in", self.ids),
                "|",
                ("state", "=", "broken"),
                ("reopen_count", ">", 0),
            ],
            ["partner_id"],
            ["__count"],
        ):
            counts[partner.id]["plans_broken"] = count
        return counts

    def _payment_score_history(self):
        """Read the receivable history of these commercial partners with two
        set-based queries (company currency).

        :return: ``{partner_id: {"paid": [PaidChunk], "open": {company_id:
            [OpenItem]}, "credit": {company_id: unallocated credit}}}``
        """
        history = defaultdict(
            lambda: {
                "paid": [],
                "open": defaultdict(list),
                "credit": defaultdict(float),
            }
        )
        if not self:
            return history
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        # Money that reached an invoice: reconciliations with anything but a
        # customer invoice or credit note (credit notes reduce what is owed,
        # they are not a payment) and but exchange-difference entries.
        self.env.cr.execute(
            """
            SELECT partner.commercial_partner_id,
                   part.amount,
                   COALESCE(line.date_maturity, move.invoice_date_due, line.date),
                   part.max_date,
                   move.id
              FROM account_partial_reconcile part
              JOIN account_move_line line ON line.id = part.debit_move_id
              JOIN account_account account ON account.id = line.account_id
              JOIN account_move move ON move.id = line.move_id
              JOIN res_partner partner ON partner.id = line.partner_id
              JOIN account_move_line counter ON counter.id = part.credit_move_id
              JOIN account_move counter_move ON counter_move.id = counter.move_id
             WHERE partner.commercial_partner_id = ANY(%(partners)s)
               AND account.account_type = 'asset_receivable'
               AND move.state = 'posted'
               AND move.move_type IN ('out_invoice', 'out_receipt')
               AND counter_move.move_type NOT IN
                   ('out_invoice', 'out_refund', 'out_receipt')
               AND NOT EXISTS (
                   SELECT 1 FROM account_partial_reconcile exchange
                    WHERE exchange.exchange_move_id = counter_move.id)
            """,
            {"partners": self.ids},
        )
        for partner_id, amount, date_due, date_paid, move_id in self.env.cr.fetchall():
            history[partner_id]["paid"].append(
                PaidChunk(amount, date_due, date_paid, move_id)
            )
        # What is open now: positive residuals are owed, negative ones are
        # credit (open credit notes, payments not matched yet).
        self.env.cr.execute(
            """
            SELECT partner.commercial_partner_id,
                   line.company_id,
                   line.amount_residual,
                   COALESCE(line.date_maturity, move.invoice_date_due, line.date),
                   move.id
              FROM account_move_line line
              JOIN account_account account ON account.id = line.account_id
              JOIN account_move move ON move.id = line.move_id
              JOIN res_partner partner ON partner.id = line.partner_id
             WHERE partner.commercial_partner_id = ANY(%(partners)s)
               AND account.account_type = 'asset_receivable'
               AND line.parent_state = 'posted'
               AND NOT line.reconciled
               AND line.amount_residual != 0
            """,
            {"partners": self.ids},
        )
        for row in self.env.cr.fetchall():
            partner_id, company_id, residual, date_due, move_id = row
            if residual > 0:
                history[partner_id]["open"][company_id].append(
                    OpenItem(residual, date_due, move_id)
                )
            else:
                history[partner_id]["credit"][company_id] -= residual
        return history
