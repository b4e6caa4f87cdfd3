import json
import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.payment_score import (
    OpenItem,
    PaidChunk,
    net_open_items,
    open_totals,
    score_netted_history,
)
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


def _memoized(function):
    """``function`` of one hashable argument, computed once per argument."""
    results = {}

    def memoized(argument):
        if argument not in results:
            results[argument] = function(argument)
        return results[argument]

    return memoized


def _same_json(value, other):
    """Whether two JSON values are equal as PostgreSQL compares them in
    ``jsonb``: numbers by value, a boolean never equal to a number."""
    if isinstance(value, bool) or isinstance(other, bool):
        return type(value) is type(other) and value == other
    return value == other


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
        """Commercial partners with posted receivables, or a score to reset.

        One probe of the partner index per partner (does it have a posted
        receivable line?) rather than a pass over every journal item of the
        book: a partner's first line usually answers."""
        self.env["account.move.line"].flush_model(
            ["partner_id", "account_id", "parent_state"]
        )
        self.env["res.partner"].flush_model(
            ["commercial_partner_id", "payment_score_band"]
        )
        self.env.cr.execute(
            """
            SELECT partner.commercial_partner_id
              FROM res_partner partner
             WHERE EXISTS (
                   SELECT 1
                     FROM account_move_line line
                    WHERE line.partner_id = partner.id
                      AND line.account_id = ANY(ARRAY(
                          SELECT id
                            FROM account_account
                           WHERE account_type = 'asset_receivable'))
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
        degree of trust in step with the band.

        Every customer is scored again, whether its history changed or not:
        the score weighs each payment by its age and each overdue amount by
        its days overdue, both counted to today, so a customer whose lines
        did not move since yesterday still scores differently today.
        """
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
        # per batch, not per customer: {company id: loss curve}, in the
        # order of the companies
        curves = {company.id: company._dunning_loss_curve() for company in companies}
        paid, owed, credit = partners._payment_score_history()
        commitments = partners._payment_score_commitments()

        values_by_partner = {}
        entered_best = []
        for partner in partners:
            owed_by_company = owed.get(partner.id, {})
            credit_by_company = credit.get(partner.id, {})
            open_now = []
            totals = {}
            for company_id, curve in curves.items():
                items = net_open_items(
                    owed_by_company.get(company_id, []),
                    credit_by_company.get(company_id, 0.0),
                )
                open_now += items
                totals[company_id] = open_totals(items, today, curve)
            result = score_netted_history(
                paid.get(partner.id, []),
                open_now,
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
        the cache) cost more than the scoring itself, and even the ORM's
        multi-row UPDATE (values quoted row by row, every company-dependent
        value merged with a set-returning subquery) was a fifth of the
        night's scoring. This stores them with one UPDATE per batch and set
        of fields, the values passed as one array per column (see
        :meth:`_payment_score_update`), leaving the columns exactly as that
        UPDATE would; then it invalidates the cache of these fields and marks
        what depends on them (a customer's dunning profile follows its band)
        as modified, as ``write()`` does.

        :param values_by_partner: ``{partner id: {field: value}}`` in the
            format of ``write()``, except that a company-dependent field takes
            ``{company id: value}``
        """
        if not values_by_partner:
            return
        names = list({name for values in values_by_partner.values() for name in values})
        commercial = set(self._commercial_fields())
        synced = [name for name in names if name in commercial]
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
        contacts = [
            partner_id
            for partner_id in customer_of
            if partner_id not in values_by_partner
        ]
        self._payment_score_update(
            list(values_by_partner), names, list(values_by_partner.values())
        )
        if contacts:
            self._payment_score_update(
                contacts,
                synced,
                [values_by_partner[customer_of[contact]] for contact in contacts],
            )
        records.invalidate_recordset(changed, flush=False)
        records.modified(changed)

    @api.model
    def _payment_score_update(self, ids, names, values_list):
        """UPDATE fields ``names`` of the partners ``ids`` with their
        ``values_list`` (same order) and leave the columns as the ORM's
        ``_write_multi()`` would, with one statement per set of companies
        given (a single one in practice).

        Each column travels as one array parameter: psycopg adapts a list in
        C, where it adapts the rows of a ``VALUES`` list one tuple at a time
        in Python. A company-dependent column is filtered and merged as the
        ORM does (see :meth:`_payment_score_assignment`).
        """
        if not ids:
            return
        Default = self.env["ir.default"]
        # per company-dependent field, its fallbacks as the ORM's own merge
        # reads them: a JSON object {company id: fallback}
        fallbacks = {
            name: Default._get_field_column_fallbacks(self._name, name)
            for name in names
            if self._fields[name].company_dependent
        }
        groups = defaultdict(list)
        for index, values in enumerate(values_list):
            given = tuple(tuple(sorted(values[name])) for name in fallbacks)
            groups[given].append(index)
        for given, indexes in groups.items():
            given_by_name = dict(zip(fallbacks, given, strict=True))
            columns = [SQL("id")]
            arrays = [SQL("%s::int4[]", [ids[index] for index in indexes])]
            assignments = [
                SQL("write_uid = %s", self.env.uid),
                SQL("write_date = %s", self.env.cr.now()),
            ]
            for name in names:
                field = self._fields[name]
                columns.append(SQL.identifier(name))
                values = [values_list[index][name] for index in indexes]
                if field.company_dependent:
                    arrays.append(
                        SQL(
                            "%s::jsonb[]",
                            self._payment_score_json(field, values, fallbacks[name]),
                        )
                    )
                    assignments.append(
                        self._payment_score_assignment(
                            field, given_by_name[name], fallbacks[name]
                        )
                    )
                else:
                    # the same bands, counts and dates come back often
                    converted = _memoized(
                        lambda value, field=field: field.convert_to_column(value, self)
                    )
                    arrays.append(
                        SQL(
                            "%s::%s[]",
                            [converted(value) for value in values],
                            SQL(field.column_type[1]),
                        )
                    )
                    assignments.append(SQL("%s = score.%s", columns[-1], columns[-1]))
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE res_partner AS partner
                       SET %(assignments)s
                      FROM unnest(%(arrays)s) AS score(%(columns)s)
                     WHERE partner.id = score.id
                    """,
                    assignments=SQL(", ").join(assignments),
                    arrays=SQL(", ").join(arrays),
                    columns=SQL(", ").join(columns),
                )
            )

    @api.model
    def _payment_score_json(self, field, values, fallbacks):
        """The JSON texts the ORM leaves in company-dependent column
        ``field`` for each of ``values`` (``{company id: value}``) alone: the
        values converted as the ORM converts them, without those of unknown
        companies and those equal to their company's fallback (as PostgreSQL
        compares JSON values); ``None`` when nothing is left.

        :param fallbacks: the JSON object ``{company id: fallback}``
        """
        fallback_of = json.loads(fallbacks)

        def stored(value):
            kept = {}
            for company_id, column_value in field.convert_to_column_update(
                dict(value), self
            ).adapted.items():
                key = str(company_id)
                if key in fallback_of and not _same_json(
                    column_value, fallback_of[key]
                ):
                    kept[key] = column_value
            return json.dumps(kept) if kept else None

        # the same amounts and bands come back often: convert each once
        convert = _memoized(stored)
        return [convert(tuple(value.items())) for value in values]

    @api.model
    def _payment_score_assignment(self, field, given, fallbacks):
        """SET clause of company-dependent column ``field`` from its new
        value ``score.<field>`` (:meth:`_payment_score_json` of the
        companies ``given``), as the ORM's merge leaves it.

        The ORM merges the old object with the given values, row by row, as
        ``filter(old || given)``, where the filter drops the keys of unknown
        companies and the values equal to their fallback. The filter goes key
        by key, so that is ``filter(old minus the given keys) ||
        filter(given)``. The second part is the new value, and the first is
        empty unless the old object holds a company that was not given (an
        archived one): only then does SQL filter the rest as the ORM does.
        """
        return SQL(
            """%(column)s = CASE
                WHEN COALESCE(partner.%(column)s, '{}'::jsonb)
                     - %(given)s::text[] = '{}'::jsonb
                THEN score.%(column)s
                ELSE (
                    SELECT jsonb_object_agg(d.key, d.value)
                      FROM jsonb_each(
                           (COALESCE(partner.%(column)s, '{}'::jsonb)
                            - %(given)s::text[])
                           || COALESCE(score.%(column)s, '{}'::jsonb)) d
                      JOIN jsonb_each(%(fallbacks)s::jsonb) f
                        ON d.key = f.key AND d.value != f.value)
            END""",
            column=SQL.identifier(field.name),
            given=[str(company_id) for company_id in given],
            fallbacks=fallbacks,
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

        :return: ``(paid, owed, credit)``: ``{partner_id: [PaidChunk]}``,
            ``{partner_id: {company_id: [OpenItem]}}`` and ``{partner_id:
            {company_id: unallocated credit}}``
        """
        paid = defaultdict(list)
        owed = defaultdict(lambda: defaultdict(list))
        credit = defaultdict(lambda: defaultdict(float))
        if not self:
            return paid, owed, credit
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env["account.partial.reconcile"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        # One pass over these customers' receivable lines, reached through
        # the index on their partner: a batch reads its own customers' lines,
        # not every line and reconciliation of the book. What it costs is
        # index probes (a line, a reconciliation, a move each), so the query
        # spares the ones it can: the receivable accounts are read once, not
        # looked up for every line of the customers; the counterpart of a
        # reconciliation is first looked for among the batch's own
        # receivable lines (a customer's payment is one of them); and each
        # move (invoice or counterpart) is read once, for all its lines.
        #
        # "paid": money that reached an invoice, i.e. reconciliations with
        # anything but a customer invoice or credit note (credit notes reduce
        # what is owed, they are not a payment) and but exchange-difference
        # entries.
        # "open": what is open now; positive residuals are owed, negative
        # ones are credit (open credit notes, payments not matched yet).
        # Amounts are read as float8 (the float a numeric converts to).
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
                 WHERE line.partner_id = ANY(ARRAY(SELECT id FROM customer))
                   AND line.account_id = ANY(ARRAY(
                       SELECT id
                         FROM account_account
                        WHERE account_type = 'asset_receivable'))
                   AND line.parent_state = 'posted'
            ), part AS MATERIALIZED (
                SELECT debit_move_id, credit_move_id, amount, max_date
                  FROM account_partial_reconcile
                 WHERE debit_move_id = ANY(ARRAY(SELECT id FROM receivable))
            ), paid AS MATERIALIZED (
                SELECT receivable.partner_id,
                       receivable.move_id,
                       receivable.date_maturity,
                       receivable.date,
                       part.amount,
                       part.max_date,
                       COALESCE(counter.move_id,
                                (SELECT other.move_id
                                   FROM account_move_line other
                                  WHERE other.id = part.credit_move_id))
                           AS counter_move_id
                  FROM part
                  JOIN receivable ON receivable.id = part.debit_move_id
                  LEFT JOIN receivable counter ON counter.id = part.credit_move_id
            ), move AS MATERIALIZED (
                SELECT id, move_type, invoice_date_due
                  FROM account_move
                 WHERE id = ANY(ARRAY(SELECT move_id FROM paid
                                      UNION
                                      SELECT counter_move_id FROM paid))
            )
            SELECT TRUE,
                   paid.partner_id,
                   NULL,
                   paid.amount::float8,
                   COALESCE(paid.date_maturity, move.invoice_date_due, paid.date),
                   paid.max_date,
                   paid.move_id
              FROM paid
              JOIN move ON move.id = paid.move_id
              JOIN move counter_move ON counter_move.id = paid.counter_move_id
             WHERE move.move_type IN ('out_invoice', 'out_receipt')
               AND counter_move.move_type NOT IN
                   ('out_invoice', 'out_refund', 'out_receipt')
               AND NOT EXISTS (
                   SELECT 1 FROM account_partial_reconcile exchange
                    WHERE exchange.exchange_move_id = counter_move.id)
             UNION ALL
            SELECT FALSE,
                   receivable.partner_id,
                   receivable.company_id,
                   receivable.amount_residual::float8,
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
            is_paid, partner_id, company_id, amount, date_due, date_paid, move_id = row
            if is_paid:
                paid[partner_id].append(PaidChunk(amount, date_due, date_paid, move_id))
            elif amount > 0:
                owed[partner_id][company_id].append(OpenItem(amount, date_due, move_id))
            else:
                credit[partner_id][company_id] -= amount
        return paid, owed, credit
