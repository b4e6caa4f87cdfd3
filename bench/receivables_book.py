"""A deterministic receivables book: customers who pay the way real ones do.

Used by the demo command (a few dozen customers) and by the benchmark (tens
of thousands of invoices). Same seed, same size and same ``today`` give the
same book. Invoices, payments and credit notes go through the ORM (posted
moves, real reconciliations), so the addon reads them like any other.
"""

import random
from collections import Counter
from datetime import timedelta

from odoo import Command, fields

# behaviour: (share of the customers, days late when paying (low, high),
#             share of invoices never paid, share paid in two parts)
BEHAVIOURS = {
    "punctual": (0.28, (-8, 1), 0.0, 0.0),
    "slow": (0.18, (6, 30), 0.02, 0.0),
    "chronic_late": (0.16, (45, 130), 0.25, 0.1),
    "partial_payer": (0.12, (0, 25), 0.05, 0.7),
    "new": (0.12, (-3, 10), 0.0, 0.0),
    "improving": (0.07, (50, 90), 0.0, 0.0),
    "worsening": (0.07, (0, 5), 0.0, 0.0),
}

NAME_PARTS = (
    (
        "Bakkerij",
        "Installatiebedrijf",
        "Drukkerij",
        "Transport",
        "Hoveniers",
        "Schildersbedrijf",
        "Autobedrijf",
        "Adviesbureau",
        "Groothandel",
        "Kwekerij",
        "Garage",
        "Architecten",
        "Tandartspraktijk",
        "Slagerij",
        "Bouwbedrijf",
    ),
    (
        "De Vries",
        "Jansen",
        "Van Dijk",
        "Bakker",
        "Visser",
        "Smit",
        "Meijer",
        "De Boer",
        "Mulder",
        "De Groot",
        "Bos",
        "Vos",
        "Peters",
        "Hendriks",
        "Van Leeuwen",
        "Dekker",
        "Brouwer",
        "De Wit",
        "Dijkstra",
        "Smits",
    ),
    ("B.V.", "V.O.F.", "& Zn.", "Holding B.V.", "", "Noord", "Zuid", "Oost"),
)

STREETS = (
    "Kerkstraat",
    "Dorpsstraat",
    "Molenweg",
    "Industrieweg",
    "Stationsplein",
    "Havenkade",
    "Nieuwe Gracht",
    "Schoolstraat",
    "Marktplein",
    "Parallelweg",
)

CITIES = (
    "Amsterdam",
    "Rotterdam",
    "Utrecht",
    "Groningen",
    "Zwolle",
    "Breda",
    "Eindhoven",
    "Arnhem",
    "Leiden",
    "Haarlem",
    "Maastricht",
    "Delft",
)


class ReceivablesBook:
    """Builds the book into ``env`` (a superuser environment)."""

    def __init__(
        self,
        env,
        customers=48,
        months=15,
        seed=2026,
        today=None,
        invoices_per_month=1.0,
        commit=False,
    ):
        self.env = env(
            context=dict(
                env.context,
                dunning_skip_score_refresh=True,
                tracking_disable=True,
                mail_notrack=True,
            )
        )
        self.customers = customers
        self.months = months
        self.rng = random.Random(seed)
        self.today = today or fields.Date.context_today(env["res.partner"])
        self.invoices_per_month = invoices_per_month
        self.company = self.env.company
        self.stats = Counter()
        # commit after each batch: a book of tens of thousands of invoices in
        # one transaction slows PostgreSQL down (no statistics, huge undo)
        self.commit = commit

    # -- setup ---------------------------------------------------------------

    def _journals(self):
        Journal = self.env["account.journal"]
        sale = Journal.search(
            [("type", "=", "sale"), ("company_id", "=", self.company.id)], limit=1
        )
        misc = Journal.search(
            [("type", "=", "general"), ("company_id", "=", self.company.id)], limit=1
        )
        bank_account = Journal.search(
            [("type", "=", "bank"), ("company_id", "=", self.company.id)], limit=1
        ).default_account_id
        return sale, misc, bank_account

    def _behaviour_plan(self):
        plan = []
        for name, (share, *_rest) in BEHAVIOURS.items():
            plan += [name] * max(1, round(share * self.customers))
        while len(plan) < self.customers:
            plan.append("punctual")
        plan = plan[: self.customers]
        self.rng.shuffle(plan)
        return plan

    def _create_customers(self, behaviours):
        country = self.env.ref("base.nl", raise_if_not_found=False)
        used = Counter()
        vals = []
        for behaviour in behaviours:
            base = " ".join(
                p
                for p in (
                    self.rng.choice(NAME_PARTS[0]),
                    self.rng.choice(NAME_PARTS[1]),
                    self.rng.choice(NAME_PARTS[2]),
                )
                if p
            )
            used[base] += 1
            name = base if used[base] == 1 else f"{base} {used[base]}"
            slug = "".join(c for c in name.lower() if c.isalnum())[:24]
            vals.append(
                {
                    "name": name,
                    "is_company": True,
                    "street": f"{self.rng.choice(STREETS)} {self.rng.randint(1, 180)}",
                    "zip": f"{self.rng.randint(1000, 9999)} {self.rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}"
                    f"{self.rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}",
                    "city": self.rng.choice(CITIES),
                    "country_id": country.id if country else False,
                    "email": f"administratie@{slug}.example.nl",
                    "comment": f"Demo behaviour: {behaviour.replace('_', ' ')}",
                }
            )
        return self.env["res.partner"].create(vals)

    # -- the book ------------------------------------------------------------

    def _days_late(self, behaviour, due):
        low, high = BEHAVIOURS[behaviour][1]
        age = (self.today - due).days
        if behaviour == "improving" and age < 150:
            low, high = -5, 3
        if behaviour == "worsening" and age < 120:
            low, high = 35, 80
        return self.rng.randint(low, high)

    def build(self):
        """Create customers, invoices, credit notes and payments; return the
        customers."""
        sale, misc, bank_account = self._journals()
        behaviours = self._behaviour_plan()
        customers = self._create_customers(behaviours)
        start = self.today - timedelta(days=round(self.months * 30.5))
        invoice_vals, plans = [], []
        for customer, behaviour in zip(customers, behaviours, strict=True):
            first = (
                self.today - timedelta(days=self.rng.randint(20, 70))
                if behaviour == "new"
                else start
            )
            gap = max(5, round(30 / self.invoices_per_month))
            day = first + timedelta(days=self.rng.randint(0, gap))
            while day <= self.today - timedelta(days=2):
                amount = round(self.rng.lognormvariate(6.6, 0.8), 2)
                term = self.rng.choice((14, 30, 30, 30, 45))
                invoice_vals.append(
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "journal_id": sale.id,
                        "invoice_date": day,
                        "date": day,
                        "invoice_date_due": day + timedelta(days=term),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Levering en diensten",
                                    "quantity": 1,
                                    "price_unit": amount,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                )
                plans.append(behaviour)
                day += timedelta(days=self.rng.randint(gap - gap // 3, gap + gap // 3))
        order = sorted(
            range(len(invoice_vals)), key=lambda i: (invoice_vals[i]["invoice_date"], i)
        )
        invoice_vals = [invoice_vals[i] for i in order]
        plans = [plans[i] for i in order]
        for vals in invoice_vals:
            vals["name"] = self._next_name("INV", vals["invoice_date"])

        Move = self.env["account.move"]
        invoices = Move
        for start_index in range(0, len(invoice_vals), 250):
            batch = Move.create(invoice_vals[start_index : start_index + 250])
            batch.action_post()
            invoices |= batch
            self._commit()
        self.stats["invoices"] = len(invoices)

        settlements = []  # (invoice, amount, date, kind)
        for invoice, behaviour in zip(invoices, plans, strict=True):
            _share, _late, never, split = BEHAVIOURS[behaviour]
            due = invoice.invoice_date_due
            total = invoice.amount_total
            if self.rng.random() < 0.05:
                credit = round(total * self.rng.choice((0.1, 0.2, 0.5, 1.0)), 2)
                credit_date = invoice.invoice_date + timedelta(
                    days=self.rng.randint(3, 20)
                )
                if credit_date <= self.today:
                    settlements.append((invoice, credit, credit_date, "credit"))
                    total = round(total - credit, 2)
            if total <= 0 or self.rng.random() < never:
                continue
            paid_on = due + timedelta(days=self._days_late(behaviour, due))
            if self.rng.random() < split:
                first_part = round(total * self.rng.uniform(0.3, 0.7), 2)
                settlements.append((invoice, first_part, paid_on, "payment"))
                total = round(total - first_part, 2)
                paid_on += timedelta(days=self.rng.randint(20, 90))
            settlements.append((invoice, total, paid_on, "payment"))
        settlements = [s for s in settlements if s[2] <= self.today]
        self._settle(settlements, sale, misc, bank_account)
        return customers

    def _commit(self):
        if self.commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _next_name(self, prefix, on_date):
        """Numbers given up front, in date order: posting thousands of moves
        is then not slowed down by looking up each next sequence number."""
        key = (prefix, on_date.year)
        self.stats[key] += 1
        return f"{prefix}/{on_date.year}/{self.stats[key]:05d}"

    def _settle(self, settlements, sale, misc, bank_account):
        Move = self.env["account.move"]
        settlements.sort(key=lambda s: (s[2], s[0].id))
        for start_index in range(0, len(settlements), 250):
            batch = settlements[start_index : start_index + 250]
            vals = [self._settlement_vals(s, sale, misc, bank_account) for s in batch]
            moves = Move.create(vals)
            moves.action_post()
            for (invoice, _amount, _date, kind), move in zip(batch, moves, strict=True):
                self.stats[kind] += 1
                receivable = invoice.line_ids.filtered(
                    lambda line: (
                        line.account_type == "asset_receivable" and not line.reconciled
                    )
                )
                counter = move.line_ids.filtered(
                    lambda line: (
                        line.account_type == "asset_receivable" and not line.reconciled
                    )
                )
                if receivable and counter:
                    (receivable | counter).reconcile()
            self._commit()

    def _settlement_vals(self, settlement, sale, misc, bank_account):
        invoice, amount, on_date, kind = settlement
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )[:1]
        if kind == "credit":
            return {
                "name": self._next_name("RINV", on_date),
                "move_type": "out_refund",
                "partner_id": invoice.partner_id.id,
                "journal_id": sale.id,
                "invoice_date": on_date,
                "date": on_date,
                "invoice_date_due": on_date,
                "reversed_entry_id": invoice.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": f"Creditering {invoice.name}",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        return {
            "name": self._next_name("BNK", on_date),
            "move_type": "entry",
            "journal_id": misc.id,
            "date": on_date,
            "ref": f"Bankontvangst {invoice.name}",
            "line_ids": [
                Command.create(
                    {
                        "name": f"Betaling {invoice.name}",
                        "account_id": bank_account.id,
                        "partner_id": invoice.partner_id.id,
                        "debit": amount,
                    }
                ),
                Command.create(
                    {
                        "name": f"Betaling {invoice.name}",
                        "account_id": receivable.account_id.id,
                        "partner_id": invoice.partner_id.id,
                        "credit": amount,
                    }
                ),
            ],
        }
