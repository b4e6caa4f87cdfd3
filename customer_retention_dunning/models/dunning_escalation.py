import logging
import time
from collections import defaultdict
from datetime import timedelta

from psycopg2 import errors

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.dunning_schedule import (
    PHONE,
    InvoiceDunning,
    add_working_days,
    choose_channel,
    next_date,
    next_step,
    upcoming_level,
)
from .cron_batches import commit_unless_testing, run_isolated_in_batches
from .decision_fields import GROUP_COLLECTOR, check_group, internal
from .open_invoices import OPEN_INVOICE_DOMAIN

_logger = logging.getLogger(__name__)

# The night holds a customer's row (and its invoices') only while it handles
# that customer: it commits after this many customers, or sooner once this
# many seconds went by, and prints the letters after that, holding nothing.
LOCK_GROUP = 200
LOCK_SECONDS = 1.0
# another transaction changed or holds a row the night needs: not the
# customer's fault, the customer is taken again later
CONCURRENCY_ERRORS = (
    errors.SerializationFailure,
    errors.LockNotAvailable,
    errors.DeadlockDetected,
)


class DunningEscalation(models.AbstractModel):
    """The nightly escalation: one step up the ladder where it is due, one
    communication per customer and channel, never twice."""

    _name = "dunning.escalation"
    _description = "Dunning Escalation"

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_escalate(self, batch_size=200):
        """The night: promises, credit holds, failed reminders tried again,
        then every customer with due or overdue invoices, in batches,
        committing as it goes outside tests. Customers another transaction
        holds are taken again at the end of the run; those still held then
        are counted and taken the next night."""
        # only the night commits as it goes: a person's "escalate now" or
        # "send now" is one transaction, all or nothing
        self = self.with_context(dunning_night=True)
        today = fields.Date.context_today(self)
        Communication = self.env["dunning.communication"]
        self.env["dunning.promise"]._check_promises(today)
        self._apply_credit_holds(today)
        Communication._sweep_waiting(today)
        Communication._retry_failed(today)
        # the customers are taken in a fresh transaction: what the steps
        # above wrote is no longer held, and rows users changed meanwhile
        # are read as they are now
        self._commit()
        held = self.env["dunning.night"]._run_batches(
            "escalation",
            self._name,
            "_escalate_batch",
            self._escalation_partner_ids(today),
            batch_size,
            fields.Date.to_string(today),
            # the letters made tonight, printed in batches once every
            # customer is done, holding no customer
            then=("dunning.communication", "_cron_render_letters"),
        )
        # the customers another transaction held all night (run here)
        return [partner_id for batch in held or [] for partner_id in batch or []]

    @api.model
    def _escalate_batch(self, partner_ids, today):
        """The night for one batch of customers (a job of its own with
        queue_job). Customers another transaction holds are taken again at
        the end of the batch; those still held then are counted and taken
        the next night. Letters wait for :meth:`_cron_render_letters`.

        :return: the ids of the customers still held
        """
        self = self.with_context(dunning_night=True)
        today = fields.Date.to_date(today)
        busy = self._escalate_partners(partner_ids, today)
        if busy:
            busy = self._escalate_partners(busy, today)
        if busy:
            _logger.warning(
                "Dunning: %s customers were held by another transaction all "
                "night and are taken the next night: %s",
                len(busy),
                busy,
            )
        return busy

    def _commit(self):
        """Commit what is done so far, in the nightly run only (outside
        tests); then every wait for a lock gives up after a few seconds, so
        the night never waits long for a user either.

        :return: whether it committed
        """
        if not self.env.context.get("dunning_night"):
            return False
        committed = commit_unless_testing(self.env)
        self.env.cr.execute("SET LOCAL lock_timeout = '5s'")
        return committed

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _escalation_partner_ids(self, today):
        """Customers with open invoices that are due, or fall due within the
        earliest proactive reminder of any profile."""
        levels = self.env["dunning.level"].search([])
        earliest = min([0, *levels.mapped("days_after_due")])
        horizon = today - timedelta(days=earliest)
        self.env["account.move"].flush_model(
            ["commercial_partner_id", "move_type", "state", "payment_state"]
        )
        self.env["res.partner"].flush_model(["dunning_excluded"])
        # the exclusion is the invoice's company's (a company-dependent value)
        self.env.cr.execute(
            """
            SELECT DISTINCT move.commercial_partner_id
              FROM account_move move
              JOIN res_partner partner ON partner.id = move.commercial_partner_id
             WHERE move.move_type IN ('out_invoice', 'out_receipt')
               AND move.state = 'posted'
               AND move.payment_state IN ('not_paid', 'partial')
               AND move.invoice_date_due <= %(horizon)s
               AND (partner.dunning_excluded ->> move.company_id::text)::boolean
                   IS NOT TRUE
             ORDER BY 1
            """,
            {"horizon": horizon},
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _escalate_partners(self, partner_ids, today):
        """Escalate these customers, a small group at a time, each group
        held only while it is handled; a customer that fails is recorded
        and skipped.

        :return: the ids of the customers another transaction held (a user
            registering a payment, another worker): the night does not wait
        """
        if self.env.context.get("dunning_night"):
            # a batch starts a transaction: the night waits for nobody long
            self.env.cr.execute("SET LOCAL lock_timeout = '5s'")
        if not self.env.lang and self.env.user.lang:
            # a cron runs without a language: its notes are in its user's,
            # which Odoo would otherwise look up again for every text
            self = self.with_context(lang=self.env.user.lang)
        pending, busy = list(partner_ids), []
        letters = self.env["dunning.communication"]
        # how many reminders the next chunk makes: one to start with, then
        # as many as the pace measured so far fits in the time a customer
        # may be held (carried from group to group)
        size, take = 1, LOCK_GROUP
        while pending:
            group, pending = pending[:take], pending[take:]
            try:
                with self.env.cr.savepoint():
                    partners, held = self._lock_customers(group)
            except CONCURRENCY_ERRORS:
                # a row changed since this transaction began: afresh, later
                partners, held = self.env["res.partner"], group
            busy += held
            left, held, made, size = self._escalate_group(partners, today, size)
            busy += held
            letters |= made
            pending = left + pending
            # the next group: as many customers as this one's second held
            # (what a group reads, it reads for all of its customers)
            handled = len(group) - len(left)
            take = max(10, min(LOCK_GROUP, handled if left else 2 * take))
        if not self.env.context.get("dunning_night"):
            # a person's action: its letters printed now, in one batch (the
            # night prints all of its letters at its end)
            letters._render_letters()
        return busy

    @api.model
    def _lock_customers(self, partner_ids):
        """Take these customers and their open invoices for the night, as
        the first thing of a fresh transaction, leaving those another
        transaction holds (the customer or one of its invoices) for later.

        :return: ``(partners, held_ids)``
        """
        # the customer with its contacts: the collector routed to it is
        # written on them too
        self.env.cr.execute(
            """
            SELECT id, commercial_partner_id FROM res_partner
             WHERE commercial_partner_id = ANY(%s)
             ORDER BY id
               FOR NO KEY UPDATE SKIP LOCKED
            """,
            [partner_ids],
        )
        taken_contacts = defaultdict(int)
        for _contact, partner_id in self.env.cr.fetchall():
            taken_contacts[partner_id] += 1
        self.env.cr.execute(
            """
            SELECT commercial_partner_id, count(*) FROM res_partner
             WHERE commercial_partner_id = ANY(%s)
             GROUP BY commercial_partner_id
            """,
            [partner_ids],
        )
        whole = {
            partner_id
            for partner_id, total in self.env.cr.fetchall()
            if taken_contacts[partner_id] == total
        }
        taken = [partner_id for partner_id in partner_ids if partner_id in whole]
        self.env.cr.execute(
            """
            SELECT id, commercial_partner_id
              FROM account_move
             WHERE commercial_partner_id = ANY(%s)
               AND move_type IN ('out_invoice', 'out_receipt')
               AND state = 'posted'
               AND payment_state IN ('not_paid', 'partial')
               FOR NO KEY UPDATE SKIP LOCKED
            """,
            [taken],
        )
        locked = defaultdict(int)
        for _move, partner_id in self.env.cr.fetchall():
            locked[partner_id] += 1
        self.env.cr.execute(
            """
            SELECT commercial_partner_id, count(*)
              FROM account_move
             WHERE commercial_partner_id = ANY(%s)
               AND move_type IN ('out_invoice', 'out_receipt')
               AND state = 'posted'
               AND payment_state IN ('not_paid', 'partial')
             GROUP BY commercial_partner_id
            """,
            [taken],
        )
        partly = {
            partner_id
            for partner_id, total in self.env.cr.fetchall()
            if locked[partner_id] < total
        }
        free = [partner_id for partner_id in taken if partner_id not in partly]
        held = [partner_id for partner_id in partner_ids if partner_id not in free]
        return self.env["res.partner"].browse(free), held

    @api.model
    def _escalate_group(self, partners, today, size=1):
        """Handle these customers (held by this transaction), then release
        them. A group that takes longer than ``LOCK_SECONDS`` is cut short.
        ``size``: how many reminders the first chunk makes.

        :return: ``(left, busy, letters, size)``: the ids of the customers
            not handled yet (taken again at once) and of those a user changed
            or held while they were handled (taken again at the end of the
            run), the letters made, still to print, and the size for the
            next chunk
        """
        started = time.monotonic()
        by_partner = self._open_invoices_by_partner(partners)
        invoices = self.env["account.move"].union(*by_partner.values())
        # the payment terms (early discounts) of the group, read once for
        # all of its invoices
        invoices.invoice_payment_term_id.mapped("early_discount")
        # the payment links' tokens of those due, made at once
        self._ensure_payment_tokens(
            invoices.filtered(
                lambda move: move.invoice_date_due and move.invoice_date_due <= today
            )
        )
        waiting = self.env["dunning.communication"]._waiting_move_ids(partners)
        # the group's collectors by each company's routing rules, read and
        # applied once for the group (the overdue amounts in one read)
        Rule = self.env["dunning.collector.rule"]
        for company in invoices.company_id:
            Rule._route_customers(
                partners.filtered(lambda p, c=company: c in by_partner[p].company_id),
                company,
            )
        updates, made, left, busy = {}, self.env["dunning.communication"], [], []
        pending, pace = list(partners), size
        while pending:
            if made and time.monotonic() - started > LOCK_SECONDS:
                left += [partner.id for partner in pending]
                break
            # plan customers until ``size`` reminders are due (customers
            # with none cost next to nothing), then make those in one go
            planned, attempted, count = [], [], 0
            chunk_started = time.monotonic()
            try:
                # one savepoint for the chunk: should a customer fail, its
                # customers are planned again, each in a savepoint of its own
                with self.env.cr.savepoint():
                    while pending and count < size:
                        partner, pending = pending[0], pending[1:]
                        attempted.append(partner)
                        partner_updates, values_list = self._escalate_partner(
                            partner, by_partner[partner], today, waiting
                        )
                        planned.append((partner, partner_updates, values_list))
                        count += len(values_list)
            except Exception:
                planned, count, held = self._plan_one_by_one(
                    attempted, by_partner, today, waiting
                )
                busy += held
            chunk_updates, chunk_made, chunk_busy = self._make_reminder_chunk(planned)
            updates.update(chunk_updates)
            made |= chunk_made
            busy += chunk_busy
            now = time.monotonic()
            each = max((now - chunk_started) / max(count, 1), 0.001)
            # four times as many at most: a few quick reminders do not make
            # the next chunk run over the time the customers may be held
            size = max(1, min(4 * size, int((LOCK_SECONDS - (now - started)) / each)))
            # the next group starts from this pace, within half a second
            pace = max(1, min(4 * (count or size), int(LOCK_SECONDS / 2 / each)))
        self._release(updates)
        return left, busy, made.filtered(lambda c: c.channel == "letter"), pace

    @api.model
    def _plan_one_by_one(self, partners, by_partner, today, waiting):
        """Plan these customers each in a savepoint of its own: one that
        fails is recorded and left out, the others go on.

        :return: ``(planned, reminders planned, busy partner ids)``
        """
        planned, count, busy = [], 0, []
        for partner in partners:
            try:
                with self.env.cr.savepoint():
                    partner_updates, values_list = self._escalate_partner(
                        partner, by_partner[partner], today, waiting
                    )
                # kept only once the customer's savepoint is released
                planned.append((partner, partner_updates, values_list))
                count += len(values_list)
            except CONCURRENCY_ERRORS:
                # not this customer's fault: a user was at it too
                busy.append(partner.id)
            except Exception as error:
                self._note_failure(partner, error)
        return planned, count, busy

    @api.model
    def _note_failure(self, partner, error):
        """A customer the run could not handle: logged and said on it."""
        _logger.exception(
            "Dunning of customer %s (id %s) failed", partner.display_name, partner.id
        )
        partner.message_post(
            body=_("The dunning run could not handle this customer: %s", error)
        )

    @api.model
    def _make_reminder_chunk(self, planned):
        """Make these customers' reminders in one go (a few inserts for all
        of them), then hand each to its channel or its collector's review
        queue; letters wait to be printed. Should one customer's reminder
        be refused (another worker made it meanwhile), each customer's are
        made on their own, and only that customer is left out.

        :return: ``(updates, communications, busy partner ids)``
        """
        Communication = self.env["dunning.communication"].with_context(
            # no "created" note nor follower: its e-mail, SMS, letter or
            # activity is the record of it
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
        )
        updates, busy = {}, []
        made = Communication
        try:
            with self.env.cr.savepoint():
                made = Communication._create_reminders(
                    [
                        values
                        for _p, _u, values_list in planned
                        for values in values_list
                    ]
                )
            for _partner, partner_updates, _values in planned:
                updates.update(partner_updates)
        except Exception:  # one by one: only the customer refused is left out
            for partner, partner_updates, values_list in planned:
                try:
                    with self.env.cr.savepoint():
                        made |= Communication._create_reminders(values_list)
                    updates.update(partner_updates)
                except CONCURRENCY_ERRORS:
                    busy.append(partner.id)
                except Exception as error:
                    self._note_failure(partner, error)
        made = made.with_env(self.env)
        made._hand_over_made()
        return updates, made, busy

    @api.model
    def _release(self, updates):
        """Write the handled customers' invoices (a few writes for all of
        them), then commit outside tests so that their rows are free again."""
        self._write_invoice_updates(updates)
        # a commit empties the cache: the next group is read afresh
        self._commit()

    @api.model
    def _open_invoices_by_partner(self, partners):
        """The open customer invoices of these commercial partners, read at
        once and grouped per partner."""
        invoices = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", partners.ids),
                *OPEN_INVOICE_DOMAIN,
            ]
        )
        by_partner = defaultdict(list)
        for invoice in invoices:
            by_partner[invoice.commercial_partner_id].append(invoice.id)
        return defaultdict(
            lambda: self.env["account.move"],
            {
                partner: self.env["account.move"].browse(ids)
                for partner, ids in by_partner.items()
            },
        )

    def _escalate_partner(self, partner, invoices, today, waiting=frozenset()):
        """Plan this customer's invoices one step up where it is due, with
        one communication per company for them, each company on its own
        ladder, settings, collector and currency.

        :return: ``(updates, values_list)``: the invoices' new dunning state
            and the values of the reminders to make
        """
        updates, values_list = {}, []
        for company in invoices.company_id:
            customer = partner.with_company(company)
            profile = customer.dunning_profile_id
            if customer.dunning_excluded or not profile.level_ids:
                continue
            company_updates, values = self._escalate_company_invoices(
                customer,
                profile,
                invoices.filtered(lambda move, c=company: move.company_id == c),
                today,
                waiting,
            )
            updates.update(company_updates)
            if values:
                values_list.append(values)
        return updates, values_list

    def _invoice_state(self, invoice, waiting=frozenset(), customers=None):
        """The invoice's dunning state for the pure rules; ``customers``: a
        dict the customer's own pause is kept in, for the next invoices of
        the same customer and company (each look-up switches company)."""
        grace = invoice.company_id.dunning_promise_grace_days
        key = (invoice.commercial_partner_id.id, invoice.company_id.id)
        if customers is None or key not in customers:
            paused = invoice.commercial_partner_id.with_company(
                invoice.company_id
            ).dunning_paused_until
            if customers is not None:
                customers[key] = paused
        pauses = [
            invoice.promise_date and invoice.promise_date + timedelta(days=grace),
            invoice.dunning_paused_until,
            customers[key] if customers is not None else paused,
        ]
        pauses = [day for day in pauses if day]
        return InvoiceDunning(
            key=invoice.id,
            date_due=invoice.invoice_date_due,
            level_sequence=invoice.dunning_level_id.sequence
            if invoice.dunning_level_id
            else None,
            last_date=invoice.dunning_last_date or None,
            paused_until=max(pauses) if pauses else None,
            # a reminder naming it has not gone out yet: wait for it
            blocked=invoice.dunning_blocked
            or invoice.dunning_handed_over
            or bool(invoice.payment_plan_id)
            or invoice.id in waiting,
        )

    @api.model
    def _is_held(self, state, today):
        """Disputed, handed over or paused today: no reminder at all."""
        return state.blocked or bool(state.paused_until and state.paused_until >= today)

    def _escalate_company_invoices(self, partner, profile, invoices, today, waiting):
        """The reminder due for one customer's invoices of one company, if
        any; the invoices step up once it went out, and wait for it until.

        :return: ``(updates, values)``: the invoices' next dates and the
            values of the reminder to make (``None``: none is due)
        """
        _steps, values = self._plan_reminder(partner, profile, invoices, today, waiting)
        if values:
            # its invoices wait for it now, whatever becomes of it
            waiting = waiting | set(values["move_ids"][0][2])
        return self._planned_dates(profile, invoices, today, waiting), values

    def _planned_dates(self, profile, invoices, today, waiting):
        """The next reminder date of each invoice that changed; none while
        a reminder naming it has not gone out."""
        ladder = [level._as_rule() for level in profile.level_ids]
        customer_last = self._customer_last_date(invoices)
        updates, customers = defaultdict(dict), {}
        for invoice in invoices:
            planned = (
                None
                if invoice.id in waiting
                else next_date(
                    self._invoice_state(invoice, customers=customers),
                    ladder,
                    customer_last,
                    today,
                )
            )
            if planned != (invoice.dunning_next_date or None):
                updates[invoice]["dunning_next_date"] = planned or False
        return updates

    @api.model
    def _replan(self, partner, company, today):
        """Plan this customer's invoices in ``company`` again, after one of
        its reminders went out or bounced."""
        partner = partner.with_company(company)
        invoices = self._open_invoices_by_partner(partner)[partner].filtered(
            lambda move: move.company_id == company
        )
        profile = partner.dunning_profile_id
        if not invoices or not profile.level_ids:
            return
        waiting = self.env["dunning.communication"]._waiting_move_ids(partner)
        self._write_invoice_updates(
            self._planned_dates(profile, invoices, today, waiting)
        )

    @api.model
    def _customer_last_date(self, invoices):
        last_dates = [d for d in invoices.mapped("dunning_last_date") if d]
        return max(last_dates) if last_dates else None

    def _plan_reminder(self, partner, profile, invoices, today, waiting=frozenset()):
        """What the run does for one customer's invoices of one company,
        without doing it.

        :return: ``(steps, values)``: the level each invoice reaches, and the
            values of the communication to send; ``({}, None)`` when nothing
            goes out (no step due, or too little money to chase)
        """
        levels = profile.level_ids
        ladder = [level._as_rule() for level in levels]
        customer_last = self._customer_last_date(invoices)
        customers = {}
        states = {
            invoice: self._invoice_state(invoice, waiting, customers)
            for invoice in invoices
        }
        # "escalate now": these invoices take their next step today, without
        # waiting for its day or the interval (still one step, never held)
        forced = set(self.env.context.get("dunning_force_move_ids") or ())
        steps = {}
        for invoice, state in states.items():
            rule = self._start_step(invoice, state, levels, ladder, today) or next_step(
                state, ladder, today, customer_last
            )
            if (
                not rule
                and invoice.id in forced
                and state.last_date != today
                and not self._is_held(state, today)
            ):
                rule = upcoming_level(state, ladder, today)
            if rule:
                steps[invoice] = levels.browse(rule.key)
        if not steps:
            return {}, None
        reminded = invoices.filtered(
            lambda move: (
                move in steps
                or (
                    move.invoice_date_due <= today
                    and not self._is_held(states[move], today)
                )
            )
        )
        company = invoices.company_id
        total = sum(reminded.mapped("amount_residual_signed"))
        total -= partner._dunning_open_credit(company)
        if total < company.dunning_minimum_amount or total <= 0:
            return {}, None
        return steps, self._communication_values(
            partner, company, reminded, steps, total, today
        )

    # ------------------------------------------------------------
    # MANUAL ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _escalate_now(self, partners, invoices=None):
        """Take these customers' invoices (or only ``invoices``) one step up
        now and send the reminder, as a person's decision.

        :return: the communications made
        """
        check_group(self.env, GROUP_COLLECTOR)
        self = internal(self)
        today = fields.Date.context_today(self)
        if invoices is None:
            invoices = self._open_invoices_by_partner(partners)
            invoices = self.env["account.move"].union(*invoices.values())
        before = self.env["dunning.communication"].search(
            [("partner_id", "in", partners.ids), ("date", "=", today)]
        )
        self._refuse_busy(
            self.with_context(
                dunning_trigger="manual", dunning_force_move_ids=invoices.ids
            )._escalate_partners(partners.ids, today)
        )
        return (
            self.env["dunning.communication"].search(
                [("partner_id", "in", partners.ids), ("date", "=", today)]
            )
            - before
        )

    @api.model
    def _send_again(self, partners, invoices=None):
        """Send each customer the reminder of the level their invoices are
        at, again (a lost e-mail, a new address); nothing moves up.

        :return: the communications made
        """
        check_group(self.env, GROUP_COLLECTOR)
        self = internal(self)
        partners = partners.with_env(self.env)
        today = fields.Date.context_today(self)
        by_partner = self._open_invoices_by_partner(partners)
        Communication = self.env["dunning.communication"]
        made = Communication
        for partner in partners:
            candidates = by_partner[partner]
            if invoices is not None:
                candidates &= invoices
            for company in candidates.company_id:
                reminded = candidates.filtered(
                    lambda move, c=company: (
                        move.company_id == c
                        and move.dunning_level_id
                        and not self._is_held(self._invoice_state(move), today)
                    )
                )
                if not reminded:
                    continue
                total = sum(reminded.mapped("amount_residual_signed"))
                total -= partner._dunning_open_credit(company)
                if total <= 0:
                    continue
                communication = Communication.create(
                    self.with_context(dunning_trigger="manual")._communication_values(
                        partner, company, reminded, {}, total, today
                    )
                )
                communication._deliver()
                made |= communication
        return made

    @api.model
    def _formal_demand_values(self, partner, company, invoices, total, level, today):
        """What a formal demand states besides the invoices: the collection
        costs, the interest to date, and the 14 days to pay counted from the
        day after the assumed receipt (for a consumer: the 14-day letter of
        art. 6:96 lid 6 BW, whose dates are kept as proof)."""
        if level.tone != "formal":
            return {}
        partner = partner.with_company(company)
        # an invoice that charges costs and interest bears neither itself
        charges = invoices.filtered("dunning_is_charge")
        principal = total - sum(charges.mapped("amount_residual_signed"))
        # no rate that old: the letter states no interest for that invoice
        interest = (invoices - charges)._dunning_interest_total(today)
        receipt = add_working_days(today, company.dunning_receipt_working_days)
        pay_by = receipt + timedelta(days=14)
        return {
            "statutory_costs": partner._dunning_statutory_costs(
                max(principal, 0.0), today
            ),
            "statutory_interest": interest,
            "is_consumer_notice": partner._dunning_is_consumer(),
            "assumed_receipt_date": receipt,
            "pay_by_date": pay_by,
            "costs_claimable_from": pay_by + timedelta(days=1),
        }

    @api.model
    def _early_discount(self, invoice, today):
        """The early-payment discount an invoice still offers today (Odoo's
        own, from its payment term), for the reminder to mention it."""
        if not invoice.invoice_payment_term_id.early_discount:
            # most invoices: no need to read their journal items
            return {}
        receivable = invoice.line_ids.filtered(
            lambda line: (
                line.account_type == "asset_receivable"
                and line.discount_date
                and line.discount_date >= today
                and not line.reconciled
            )
        )
        if not receivable or invoice.payment_state != "not_paid":
            return {}
        return {
            "discount_date": min(receivable.mapped("discount_date")),
            "discount_amount": sum(receivable.mapped("discount_balance")),
        }

    @api.model
    def _write_invoice_updates(self, updates):
        """Write the new dunning state, one write per set of equal values:
        writing an invoice is costly, and most keep their state."""
        groups = defaultdict(lambda: self.env["account.move"])
        for invoice, values in updates.items():
            if values:
                groups[tuple(sorted(values.items()))] |= invoice
        for values, invoices in groups.items():
            # only dunning fields change: no journal item to resynchronise or
            # balance, no person's edit, nothing tracked
            invoices.with_context(
                skip_invoice_sync=True,
                check_move_validity=False,
                skip_is_manually_modified=True,
                tracking_disable=True,
            ).write(dict(values))

    def _apply_level_action(self, partner, communication, invoices, today):
        """What the communication's level does besides reminding."""
        level = communication.level_id
        if level.action == "credit_hold" and not partner.credit_hold:
            hold_from = today + timedelta(days=level.notice_days)
            if not partner.credit_hold_date or partner.credit_hold_date > hold_from:
                partner.credit_hold_date = hold_from
                communication.hold_notice_date = hold_from
        elif level.action == "handover":
            invoices.write({"dunning_handed_over": True})
            manager = self.env.ref(
                "customer_retention_dunning.group_credit_manager"
            ).users.filtered(lambda user: not user.share and user.active)[:1]
            partner.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today,
                summary=_("Hand over to the collection agency"),
                note=communication._summary_html(
                    _("Send this claim to the collection agency or lawyer")
                ),
                user_id=(manager or self.env.user).id,
            )
            partner._dunning_hand_over_file(communication, invoices, today)

    @api.model
    def _apply_credit_holds(self, today):
        """Put customers on hold, in each company, whose notice period there
        has passed while that company's invoices are still overdue; lift the
        hold once nothing is overdue in that company."""
        overdue = self.env["account.move"]._read_group(
            [
                *OPEN_INVOICE_DOMAIN,
                ("invoice_date_due", "<", today),
            ],
            ["company_id", "commercial_partner_id"],
        )
        overdue_pairs = {(company, partner) for company, partner in overdue}
        step = self.env._("The nightly credit hold step")
        for company in self.env["res.company"].search([]):
            Partner = self.env["res.partner"].with_company(company)
            due = Partner.search(
                [
                    ("credit_hold", "=", False),
                    ("credit_hold_date", "!=", False),
                    ("credit_hold_date", "<=", today),
                    ("dunning_excluded", "=", False),
                ]
            )
            run_isolated_in_batches(
                due.filtered(lambda p: p.commercial_partner_id == p),
                lambda partner, c=company: self._start_credit_hold(
                    partner, c, (c, partner) in overdue_pairs
                ),
                step,
            )
            held = Partner.search([("credit_hold", "=", True)])
            run_isolated_in_batches(
                held.filtered(
                    lambda p, c=company: (
                        p.commercial_partner_id == p and (c, p) not in overdue_pairs
                    )
                ),
                lambda partner, c=company: self._lift_credit_hold(partner, c),
                step,
            )

    @api.model
    def _start_credit_hold(self, partner, company, still_overdue):
        """The notice period is over: on hold if invoices are still overdue
        in that company, else the notice lapses."""
        if not still_overdue:
            partner.credit_hold_date = False
            return
        partner.credit_hold = True
        partner.message_post(
            body=_(
                "Put on credit hold by %(company)s: the notice period "
                "has passed and invoices are still overdue.",
                company=company.name,
            )
        )

    @api.model
    def _lift_credit_hold(self, partner, company):
        partner.write({"credit_hold": False, "credit_hold_date": False})
        partner.message_post(
            body=_(
                "Credit hold lifted by %(company)s: nothing is overdue there any more.",
                company=company.name,
            )
        )

    def _communication_values(self, partner, company, reminded, steps, total, today):
        """The values of the communication for one customer, before it is
        sent: the tone of the highest level, the channel by amount."""
        partner = partner.with_company(company)
        profile = partner.dunning_profile_id
        current = {
            invoice: steps.get(invoice) or invoice.dunning_level_id
            for invoice in reminded
        }
        top_level = max(
            (level for level in current.values() if level),
            key=lambda level: level.sequence,
        )
        recipient = partner._dunning_recipient(reminded)
        if top_level.action == "call":
            channel, fallback = PHONE, None
        else:
            channel, fallback = choose_channel(
                total,
                profile.letter_threshold,
                profile.call_threshold,
                preferred=partner.dunning_preferred_channel,
                reachable=partner._dunning_reachable_channels(recipient),
            )
        self._ensure_payment_tokens(reminded)
        return {
            **self._formal_demand_values(
                partner, company, reminded, total, top_level, today
            ),
            "partner_id": partner.id,
            "recipient_id": recipient.id,
            "company_id": company.id,
            "level_id": top_level.id,
            "channel": channel,
            "channel_fallback": fallback,
            "date": today,
            "trigger": self.env.context.get("dunning_trigger", "cron"),
            "state": "queued",
            "amount": total,
            "user_id": (
                partner.dunning_collector_id or partner.user_id or self.env.user
            ).id,
            "move_ids": [fields.Command.set(reminded.ids)],
            "line_ids": [
                fields.Command.create(
                    self._line_values(
                        invoice,
                        current[invoice],
                        invoice in steps,
                        invoice.dunning_level_id,
                        invoice.dunning_last_date,
                        today,
                    )
                )
                for invoice in reminded.sorted("invoice_date_due")
            ],
        }

    @api.model
    def _ensure_payment_tokens(self, invoices):
        """The payment links' tokens of these invoices, made where missing,
        in one statement for them all: only the token changes on an invoice
        (Odoo makes the same random token when a portal link is asked)."""
        missing = invoices.filtered(lambda move: not move.access_token)
        if not missing:
            return
        self.env.cr.execute(
            """
            UPDATE account_move SET access_token = gen_random_uuid()::varchar
             WHERE id = ANY(%s) AND access_token IS NULL
            """,
            [missing.ids],
        )
        missing.invalidate_recordset(["access_token"])

    @api.model
    def _line_values(self, invoice, level, is_step, before, before_date, today):
        """What a reminder states of one invoice, as it stands today: the
        level it reminds of (``is_step``: the level it takes the invoice to
        once it went out, from ``before`` reminded on ``before_date``)."""
        return {
            "move_id": invoice.id,
            "level_id": level.id,
            "is_step": is_step,
            "previous_level_id": before.id,
            "previous_last_date": before_date,
            "date_due": invoice.invoice_date_due,
            # counted from the run's day (the invoice's own field counts
            # from the user's today, and weighs its value at risk too)
            "days_overdue": max(0, (today - invoice.invoice_date_due).days)
            if invoice.invoice_date_due
            else 0,
            "amount_residual": invoice.amount_residual_signed,
            "access_url": invoice.get_portal_url(),
            **self._early_discount(invoice, today),
        }

    @api.model
    def _refuse_busy(self, partner_ids):
        """A person's action on customers another transaction holds: said
        plainly, nothing done."""
        if partner_ids:
            raise UserError(
                _(
                    "Another transaction is handling %s right now (the nightly "
                    "run, a payment): try again in a moment.",
                    ", ".join(
                        self.env["res.partner"].browse(partner_ids).mapped("name")
                    ),
                )
            )
