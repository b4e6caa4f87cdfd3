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
            SELECT commercial_partner_id
              FROM res_partner
             WHERE id IN (
                   SELECT line.partner_id
                     FROM account_move_line line
                     JOIN account_account account ON account.id = line.account_id
                    WHERE account.account_type = 'asset_receivable'
                      AND line.parent_state = 'posted')
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
        # read only what the scoring needs, not every column of the customers
        self.sudo().fetch(["commercial_partner_id"])
        partners = self.commercial_partner_id.sudo()
        if not partners:
            return
        partners.fetch(["payment_score_band", "child_ids"])
        today = fields.Date.context_today(self)
        now = fields.Datetime.now()
        params = self.env.company._dunning_score_params()
        companies = self.env["res.company"].sudo().search([])
        curves = {company.id: company._dunning_loss_curve() for company in companies}
        history = partners._payment_score_history()
        commitments = partners._payment_score_commitments()

        values_by_partner = {}
        entered_best = []
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
                totals[company.id] = partner._payment_open_totals(
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
            values = partner._payment_score_values(result, now)
            # company-dependent fields as {company id: value}
            values["dunning_open_amount"] = {}
            values["dunning_overdue_amount"] = {}
            values["dunning_value_at_risk"] = {}
            values["dunning_expected_recovery"] = {}
            for company_id, (open_amount, overdue, at_risk) in totals.items():
                values["dunning_open_amount"][company_id] = open_amount
                values["dunning_overdue_amount"][company_id] = overdue
                values["dunning_value_at_risk"][company_id] = at_risk
                values["dunning_expected_recovery"][company_id] = round(
                    max(open_amount - at_risk, 0.0) * chance, 2
                )
            values["trust"] = dict.fromkeys(totals, BAND_TO_TRUST[result.band])
            values_by_partner[partner.id] = values
            if result.band == "excellent" and partner.payment_score_band != "excellent":
                entered_best.append(partner.id)

        partners._payment_score_store(values_by_partner)
        for partner in partners.browse(entered_best):
            partner._dunning_announce_better_terms()

    def _payment_score_store(self, values_by_partner):
        """Store the scoring's values on these commercial partners and, as
        ``write()`` does for commercial fields, on their contacts.

        The nightly scoring writes ten thousand customers with values of
        their own: one ``write()`` each (mail tracking, the contacts' sync,
        the cache) cost more than the scoring itself. This writes them with
        the ORM's own multi-row UPDATE (the same one that flushes the cache,
        so company-dependent values merge per company exactly as a write
        leaves them), then invalidates the cache of these fields and marks
        what depends on them (a customer's dunning profile follows its band)
        as modified, as ``write()`` does.

        :param values_by_partner: ``{partner id: {field: value}}`` in the
            format of ``write()``, except that a company-dependent field takes
            ``{company id: value}``
        """
        if not values_by_partner:
            return
        names = list({name for values in values_by_partner.values() for name in values})
        synced = set(names) & set(self._commercial_fields())
        # the contacts write() syncs: descendants that are no company, each
        # with the values of the customer it descends from
        customer_of = {partner_id: partner_id for partner_id in values_by_partner}
        parents = self.browse(list(values_by_partner))
        while parents:
            parents = parents.child_ids.filtered(lambda child: not child.is_company)
            for contact in parents:
                customer_of.setdefault(contact.id, customer_of[contact.parent_id.id])
        records = self.browse(list(customer_of))
        # the UPDATE also sets write_uid and write_date, as write() does
        changed = [*names, "write_uid", "write_date"]
        records.flush_recordset(changed)
        rows = []
        for record in records:
            values = values_by_partner.get(record.id) or {
                name: value
                for name, value in values_by_partner[customer_of[record.id]].items()
                if name in synced
            }
            rows.append(
                {
                    name: self._payment_score_column(record, name, value)
                    for name, value in values.items()
                }
            )
        records._write_multi(rows)
        records.invalidate_recordset(changed, flush=False)
        records.modified(changed)

    @api.model
    def _payment_score_column(self, record, name, value):
        """``value`` of field ``name`` as ``write()`` then a flush would
        store it in the column of ``record``."""
        field = self._fields[name]
        if field.company_dependent:
            # {company id: value}, as the cache holds it (the amounts are
            # rounded floats, the trust a selection key)
            return field.convert_to_column_update(value, record)
        return field.convert_to_column(value, record)

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
        """Read the receivable history of these commercial partners in one
        set-based query (company currency).

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
        # One pass over these customers' receivable lines, reached through
        # the index on their partner: a batch reads its own customers' lines,
        # not every line and reconciliation of the book.
        #
        # "paid": money that reached an invoice, i.e. reconciliations with
        # anything but a customer invoice or credit note (credit notes reduce
        # what is owed, they are not a payment) and but exchange-difference
        # entries.
        # "open": what is open now; positive residuals are owed, negative
        # ones are credit (open credit notes, payments not matched yet).
        self.env.cr.execute(
            """
            WITH customer AS MATERIALIZED (
                SELECT id, commercial_partner_id
                  FROM res_partner
                 WHERE commercial_partner_id = ANY(%(partners)s)
            ), receivable AS MATERIALIZED (
                SELECT customer.commercial_partner_id AS partner_id,
                       line.id,
                       line.move_id,
                       line.company_id,
                       line.amount_residual,
                       line.reconciled,
                       line.date_maturity,
                       line.date
                  FROM account_move_line line
                  JOIN customer ON customer.id = line.partner_id
                  JOIN account_account account ON account.id = line.account_id
                 WHERE line.partner_id = ANY(ARRAY(SELECT id FROM customer))
                   AND account.account_type = 'asset_receivable'
                   AND line.parent_state = 'posted'
            )
            SELECT 'paid',
                   receivable.partner_id,
                   receivable.company_id,
                   part.amount,
                   COALESCE(receivable.date_maturity, move.invoice_date_due,
                            receivable.date),
                   part.max_date,
                   receivable.move_id
              FROM receivable
              JOIN account_partial_reconcile part
                ON part.debit_move_id = receivable.id
              JOIN account_move move ON move.id = receivable.move_id
              JOIN account_move_line counter ON counter.id = part.credit_move_id
              JOIN account_move counter_move ON counter_move.id = counter.move_id
             WHERE move.move_type IN ('out_invoice', 'out_receipt')
               AND counter_move.move_type NOT IN
                   ('out_invoice', 'out_refund', 'out_receipt')
               AND NOT EXISTS (
                   SELECT 1 FROM account_partial_reconcile exchange
                    WHERE exchange.exchange_move_id = counter_move.id)
             UNION ALL
            SELECT 'open',
                   receivable.partner_id,
                   receivable.company_id,
                   receivable.amount_residual,
                   -- the invoice is read only for a line without a due date
                   COALESCE(receivable.date_maturity,
                            (SELECT move.invoice_date_due
                               FROM account_move move
                              WHERE move.id = receivable.move_id),
                            receivable.date),
                   NULL,
                   receivable.move_id
              FROM receivable
             WHERE NOT receivable.reconciled
               AND receivable.amount_residual != 0
            """,
            {"partners": self.ids},
        )
        for row in self.env.cr.fetchall():
            kind, partner_id, company_id, amount, date_due, date_paid, move_id = row
            if kind == "paid":
                history[partner_id]["paid"].append(
                    PaidChunk(amount, date_due, date_paid, move_id)
                )
            elif amount > 0:
                history[partner_id]["open"][company_id].append(
                    OpenItem(amount, date_due, move_id)
                )
            else:
                history[partner_id]["credit"][company_id] -= amount
        return history
