from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

from ..tools.payment_plan import add_months
from ..tools.payment_score import ScoreParams
from ..tools.statutory import EURO_FIGURES, uses_euro_figures
from ..tools.value_at_risk import LOSS_CURVE_DAYS


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    dunning_score_half_life = fields.Integer(
        string="Score half-life (days)",
        default=180,
        help="Behaviour this many days old weighs half as much as today's.",
    )
    dunning_score_min_history = fields.Integer(
        string="Minimum history (invoices)",
        default=3,
        help="A customer needs at least this many paid or overdue invoices "
        "before it gets a score; until then it shows 'Not enough history'.",
    )
    dunning_band_excellent = fields.Integer(
        string="Excellent from",
        default=85,
        help="Lowest score of the Excellent band.",
    )
    dunning_band_good = fields.Integer(
        string="Good from", default=70, help="Lowest score of the Good band."
    )
    dunning_band_watch = fields.Integer(
        string="Watch from",
        default=50,
        help="Lowest score of the Watch band; below it a customer is a Risk.",
    )
    dunning_loss_3m = fields.Float(
        string="Value lost after 3 months (%)",
        default=13.0,
        help="Share of an overdue amount expected to be lost after 90 days.",
    )
    dunning_loss_6m = fields.Float(
        string="Value lost after 6 months (%)",
        default=36.0,
        help="Share of an overdue amount expected to be lost after 180 days.",
    )
    dunning_loss_12m = fields.Float(
        string="Value lost after 12 months (%)",
        default=57.0,
        help="Share of an overdue amount expected to be lost after 365 days.",
    )
    dunning_loss_24m = fields.Float(
        string="Value lost after 24 months (%)",
        default=91.0,
        help="Share of an overdue amount expected to be lost after 730 days.",
    )

    dunning_profile_excellent_id = fields.Many2one(
        "dunning.profile",
        default=lambda self: self._default_dunning_profile("trusted"),
        string="Profile for Excellent payers",
    )
    dunning_profile_good_id = fields.Many2one(
        "dunning.profile",
        default=lambda self: self._default_dunning_profile("standard"),
        string="Profile for Good payers",
    )
    dunning_profile_watch_id = fields.Many2one(
        "dunning.profile",
        default=lambda self: self._default_dunning_profile("watch"),
        string="Profile for Watch",
    )
    dunning_profile_risk_id = fields.Many2one(
        "dunning.profile",
        default=lambda self: self._default_dunning_profile("high_risk"),
        string="Profile for Risk",
    )
    dunning_profile_none_id = fields.Many2one(
        "dunning.profile",
        default=lambda self: self._default_dunning_profile("standard"),
        string="Profile without history",
        help="For customers who have no score yet.",
    )
    dunning_payment_term_excellent_id = fields.Many2one(
        "account.payment.term",
        string="Payment Term for Excellent Payers",
        help="New invoices of customers in this band get this term, unless "
        "the customer has its own default term or the user picks another.",
    )
    dunning_payment_term_good_id = fields.Many2one(
        "account.payment.term",
        string="Payment Term for Good Payers",
        help="New invoices of customers in this band get this term, unless "
        "the customer has its own default term or the user picks another.",
    )
    dunning_payment_term_watch_id = fields.Many2one(
        "account.payment.term",
        string="Payment Term for Payers to Watch",
        help="New invoices of customers in this band get this term, unless "
        "the customer has its own default term or the user picks another.",
    )
    dunning_payment_term_risk_id = fields.Many2one(
        "account.payment.term",
        string="Payment Term for Risky Payers",
        help="New invoices of customers in this band get this term, unless "
        "the customer has its own default term or the user picks another.",
    )
    dunning_payment_term_none_id = fields.Many2one(
        "account.payment.term",
        string="Payment Term without History",
        help="New invoices of customers in this band get this term, unless "
        "the customer has its own default term or the user picks another.",
    )
    dunning_promise_grace_days = fields.Integer(
        string="Grace After a Promise (days)",
        default=3,
        help="Days after a promised payment date before dunning resumes.",
    )
    dunning_promise_max_days = fields.Integer(
        string="Promises Within (days)",
        default=60,
        help="The latest date a customer may promise to pay by, counted from "
        "today: a promise further out is a payment plan.",
    )
    dunning_dispute_max_days = fields.Integer(
        string="Review Disputes After (days)",
        default=30,
        help="Disputed invoices older than this show in the credit manager's "
        "list of disputes to review.",
    )
    dunning_minimum_amount = fields.Monetary(
        string="Do Not Chase Below",
        currency_field="currency_id",
        default=10.0,
        help="Customers whose overdue total is below this amount are not "
        "reminded (company currency).",
    )
    payment_plan_approval_amount = fields.Monetary(
        string="Plans Approved by a Credit Manager Above",
        currency_field="currency_id",
        default=5000.0,
        help="Payment plans for more than this need a credit manager's "
        "approval; smaller ones any other collector's (never the proposer's).",
    )
    payment_plan_max_months = fields.Integer(
        string="Longest Payment Plan (months)",
        default=12,
        help="The last instalment may not fall later than this.",
    )
    payment_plan_min_instalment = fields.Monetary(
        string="Smallest Instalment",
        currency_field="currency_id",
        default=25.0,
        help="No instalment but the last may be smaller.",
    )
    payment_plan_break_days = fields.Integer(
        string="Plan Broken After (days)",
        default=7,
        help="An instalment unpaid this many days after its date breaks the plan.",
    )
    payment_plan_reminder_days = fields.Integer(
        string="Instalment Reminder (days before)",
        default=3,
        help="A friendly reminder this many days before each instalment.",
    )
    dunning_costs_arrangement = fields.Selection(
        [
            ("scale", "Statutory scale (BIK)"),
            ("fixed", "Fixed EUR 40 (EU directive)"),
            ("percentage", "Agreed percentage"),
            ("none", "No collection costs"),
        ],
        string="Collection Costs for Businesses",
        default="scale",
        required=True,
        help="What business customers owe for collection outside court. "
        "Consumers always get the statutory scale (Besluit vergoeding voor "
        "buitengerechtelijke incassokosten).",
    )
    dunning_costs_percentage = fields.Float(
        string="Agreed Percentage",
        digits=(5, 2),
        help="For the agreed-percentage arrangement: this share of the principal.",
    )
    dunning_costs_minimum = fields.Monetary(
        string="Agreed Minimum",
        currency_field="currency_id",
        help="For the agreed-percentage arrangement: at least this amount.",
    )
    dunning_costs_vat = fields.Boolean(
        string="Add VAT to Collection Costs",
        help="Only when the company cannot deduct the VAT on its collection costs.",
    )
    dunning_costs_vat_percent = fields.Float(
        string="VAT on Collection Costs (%)", default=21.0, digits=(5, 2)
    )
    dunning_statutory_convert = fields.Boolean(
        string="Convert the statutory euro amounts into the company's currency",
        help="The law sets the collection costs in euros (the scale's brackets, "
        "its minimum of 40 and maximum of 6,775, the fixed 40 of the EU "
        "directive). A company keeping its books in another currency claims "
        "them only with this on: converted at the day's exchange rate.",
    )
    dunning_interest_eu_directive = fields.Boolean(
        string="EU Directive Interest Abroad",
        help="Business customers outside the Netherlands owe the ECB rate "
        "+ 8 points as simple interest (directive 2011/7/EU) instead of the "
        "Dutch commercial interest, which compounds yearly.",
    )
    dunning_reward_message = fields.Boolean(
        string="Tell Customers About Better Terms",
        help="When a customer enters the Excellent band and gets a better "
        "payment term, e-mail them about it (template 'Better payment terms').",
    )
    dunning_receipt_working_days = fields.Integer(
        string="Letters Arrive After (working days)",
        default=2,
        help="A formal demand is assumed to reach the customer this many "
        "working days after it is sent; the 14 days to pay start the day after.",
    )
    dunning_costs_product_id = fields.Many2one(
        "product.product",
        string="Collection Costs Product",
        check_company=True,
        help="The line for collection costs on the invoice that charges them. "
        "Empty: a 'Collection Costs' service made on first use.",
    )
    dunning_interest_product_id = fields.Many2one(
        "product.product",
        string="Interest Product",
        check_company=True,
        help="The line for statutory interest on the invoice that charges it. "
        "Empty: a 'Statutory Interest' service made on first use.",
    )
    dunning_costs_account_id = fields.Many2one(
        "account.account",
        string="Collection Costs Account",
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Income account for charged collection costs. Empty: the product's.",
    )
    dunning_interest_account_id = fields.Many2one(
        "account.account",
        string="Interest Account",
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        help="Income account for charged interest. Empty: the product's.",
    )
    dunning_charge_journal_id = fields.Many2one(
        "account.journal",
        string="Journal for Costs Invoices",
        check_company=True,
        domain="[('type', '=', 'sale')]",
        help="Where invoices charging collection costs and interest go. "
        "Empty: the first sales journal.",
    )
    dunning_allocate_costs_first = fields.Boolean(
        string="Payments Pay Costs and Interest First",
        help="A payment of a customer with charged costs goes first to the "
        "costs, then to the interest, then to the invoices (art. 6:44 BW).",
    )
    dunning_letter_by_post = fields.Boolean(
        string="Post Reminder Letters (Snailmail)",
        help="Hand reminder letters to Odoo's Snailmail service, which prints "
        "and posts them (a paid IAP service). Off: the PDF is attached to the "
        "customer for you to print.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS

    @api.constrains(
        "dunning_costs_percentage", "dunning_costs_minimum", "dunning_costs_vat_percent"
    )
    def _check_dunning_costs(self):
        for company in self:
            if (
                company.dunning_costs_percentage < 0
                or company.dunning_costs_minimum < 0
                or not 0 <= company.dunning_costs_vat_percent <= 100
            ):
                raise ValidationError(
                    _("Collection cost percentages and amounts cannot be negative.")
                )

    @api.constrains("currency_id", "dunning_statutory_convert")
    def _check_dunning_statutory_currency(self):
        # a formal demand in the company's own ladder states the costs (a
        # consumer's are always the scale); read whoever changes the company
        formal = (
            self.env["dunning.level"]
            .sudo()
            .search([("tone", "=", "formal"), ("company_id", "in", self.ids)])
        )
        formal.company_id._dunning_check_statutory_conversion(ValidationError)

    @api.constrains("dunning_promise_max_days", "dunning_promise_grace_days")
    def _check_dunning_promise_days(self):
        for company in self:
            if (
                company.dunning_promise_max_days < 1
                or company.dunning_promise_grace_days < 0
            ):
                raise ValidationError(
                    _(
                        "Promises need at least one day ahead, and the grace "
                        "after a promise cannot be negative."
                    )
                )

    @api.constrains(
        "dunning_band_excellent",
        "dunning_band_good",
        "dunning_band_watch",
        "dunning_score_half_life",
        "dunning_score_min_history",
    )
    def _check_dunning_score_settings(self):
        for company in self:
            if not (
                0
                < company.dunning_band_watch
                < company.dunning_band_good
                < company.dunning_band_excellent
                <= 100
            ):
                raise ValidationError(
                    _(
                        "The score bands must rise: 0 < Watch < Good < "
                        "Excellent <= 100 (now %(watch)s, %(good)s, "
                        "%(excellent)s).",
                        watch=company.dunning_band_watch,
                        good=company.dunning_band_good,
                        excellent=company.dunning_band_excellent,
                    )
                )
            if company.dunning_score_half_life <= 0:
                raise ValidationError(
                    _("The score half-life must be a positive number of days.")
                )
            if company.dunning_score_min_history < 1:
                raise ValidationError(
                    _("The minimum history must be at least one invoice.")
                )

    @api.constrains(
        "dunning_loss_3m", "dunning_loss_6m", "dunning_loss_12m", "dunning_loss_24m"
    )
    def _check_dunning_loss_curve(self):
        for company in self:
            points = [pct for _days, pct in company._dunning_loss_curve()]
            if any(p < 0 or p > 100 for p in points) or points != sorted(points):
                raise ValidationError(
                    _(
                        "The loss curve must stay between 0 and 100%% and may "
                        "not fall over time (now %(points)s).",
                        points=", ".join(f"{p:g}%" for p in points),
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _default_dunning_profile(self, name):
        return self.env.ref(
            f"customer_retention_dunning.dunning_profile_{name}",
            raise_if_not_found=False,
        )

    @api.model
    def _dunning_fill_profile_defaults(self):
        """Give every company without a profile rule the shipped default."""
        defaults = {
            "dunning_profile_excellent_id": "trusted",
            "dunning_profile_good_id": "standard",
            "dunning_profile_watch_id": "watch",
            "dunning_profile_risk_id": "high_risk",
            "dunning_profile_none_id": "standard",
        }
        for company in self.search([]):
            values = {
                field: self._default_dunning_profile(name).id
                for field, name in defaults.items()
                if not company[field] and self._default_dunning_profile(name)
            }
            if values:
                company.write(values)

    def _dunning_payment_term_for_band(self, band):
        """The payment term the rules in Settings give a payment band."""
        self.ensure_one()
        return self[f"dunning_payment_term_{band or 'none'}_id"]

    @api.model
    def _dunning_fill_reward_defaults(self):
        """At install: the best payers get the shipped early-discount term."""
        term = self.env.ref(
            "customer_retention_dunning.payment_term_reward", raise_if_not_found=False
        )
        if term:
            self.search([("dunning_payment_term_excellent_id", "=", False)]).write(
                {"dunning_payment_term_excellent_id": term.id}
            )

    def _dunning_charge_product(self, kind):
        """The product for the ``costs`` or ``interest`` line of a costs
        invoice: the one in Settings, else one made for this company the
        first time (a service without taxes: damages are no supply)."""
        self.ensure_one()
        field = f"dunning_{kind}_product_id"
        if self[field]:
            return self[field]
        names = {
            "costs": _("Collection Costs"),
            "interest": _("Statutory Interest"),
        }
        # a credit manager charging costs needs no right on products
        product = (
            self.env["product.product"]
            .sudo()
            .create(
                {
                    "name": names[kind],
                    "type": "service",
                    "sale_ok": False,
                    "purchase_ok": False,
                    "list_price": 0.0,
                    "taxes_id": [Command.clear()],
                    "company_id": self.id,
                }
            )
        )
        # made on first use by a credit manager, who has no right on the
        # company settings: the product is the setting's only sensible value
        self.sudo()[field] = product
        return product

    def _dunning_check_statutory_conversion(self, error=UserError):
        """Raise ``error`` for the first of these companies that keeps its
        books in another currency than the euro and does not convert the
        law's euro amounts."""
        euro = self.env.ref("base.EUR")
        for company in self:
            if company.currency_id == euro or company.dunning_statutory_convert:
                continue
            raise error(
                _(
                    "%(company)s keeps its books in %(currency)s, but the law sets "
                    "the statutory collection costs in euros. Turn on 'Convert the "
                    "statutory euro amounts into the company's currency' in "
                    "Settings to convert them at the day's exchange rate.",
                    company=company.name,
                    currency=company.currency_id.name,
                )
            )

    def _dunning_statutory_figures(self, arrangement, on_date=None):
        """The law's collection costs amounts (:class:`CostFigures`) in this
        company's currency, for ``arrangement``.

        In a company that does not keep its books in euros they are refused
        (``UserError``) unless the company converts them; then they are
        converted at the rate of ``on_date`` (default: today), and refused
        when no exchange rate between the two currencies is known at all.
        """
        self.ensure_one()
        euro = self.env.ref("base.EUR")
        if self.currency_id == euro or not uses_euro_figures(arrangement):
            return EURO_FIGURES
        self._dunning_check_statutory_conversion()
        # the published rates: whoever computes the costs may read them
        if not (
            self.env["res.currency.rate"]
            .sudo()
            .search_count(
                [
                    ("currency_id", "in", (euro | self.currency_id).ids),
                    ("company_id", "in", (False, self.root_id.id)),
                ],
                limit=1,
            )
        ):
            # Odoo would convert one for one: a guess, never a legal amount
            raise UserError(
                _(
                    "No exchange rate between EUR and %(currency)s is known for "
                    "%(company)s: add one under Currencies to convert the "
                    "statutory collection costs.",
                    currency=self.currency_id.name,
                    company=self.name,
                )
            )
        day = on_date or fields.Date.context_today(self)
        return EURO_FIGURES.converted(
            lambda amount: euro._convert(float(amount), self.currency_id, self, day)
        )

    def _dunning_profile_for_band(self, band):
        """The dunning profile the rules in Settings give a payment band."""
        self.ensure_one()
        return self[f"dunning_profile_{band or 'none'}_id"]

    def _dunning_score_params(self):
        """The scoring settings of this company as a :class:`ScoreParams`."""
        self.ensure_one()
        return ScoreParams(
            half_life_days=self.dunning_score_half_life,
            min_history=self.dunning_score_min_history,
            threshold_excellent=self.dunning_band_excellent,
            threshold_good=self.dunning_band_good,
            threshold_watch=self.dunning_band_watch,
        )

    def _dunning_loss_curve(self):
        """The loss curve of this company: ``(days overdue, % lost)`` points."""
        self.ensure_one()
        return tuple(
            zip(
                LOSS_CURVE_DAYS,
                (
                    self.dunning_loss_3m,
                    self.dunning_loss_6m,
                    self.dunning_loss_12m,
                    self.dunning_loss_24m,
                ),
                strict=True,
            )
        )

    def _payment_plan_check_terms(self, first_date, schedule):
        """Refuse a payment plan schedule outside this company's limits.

        :param first_date: the plan's first payment date
        :param schedule: ``(date, amount, is_down_payment)`` per line
        :raises UserError: with the limit that is broken
        """
        self.ensure_one()
        today = fields.Date.context_today(self)
        if first_date < today:
            raise UserError(_("The first payment date cannot be in the past."))
        lines = sorted(schedule)
        if self.payment_plan_max_months and lines:
            last_allowed = add_months(today, self.payment_plan_max_months)
            if lines[-1][0] > last_allowed:
                raise UserError(
                    _(
                        "This plan would run until %(end)s; plans may last at most %(months)s months.",
                        end=fields.Date.to_string(lines[-1][0]),
                        months=self.payment_plan_max_months,
                    )
                )
        minimum = self.payment_plan_min_instalment
        instalments = [amount for _day, amount, down in lines if not down][:-1]
        small = [
            amount
            for amount in instalments
            if self.currency_id.compare_amounts(float(amount), minimum) < 0
        ]
        if minimum and small:
            raise UserError(
                _(
                    "An instalment of %(amount)s is below the minimum of %(minimum)s.",
                    amount=format_amount(self.env, float(small[0]), self.currency_id),
                    minimum=format_amount(self.env, minimum, self.currency_id),
                )
            )
