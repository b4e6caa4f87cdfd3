import logging

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..tools.statutory import collection_costs, statutory_interest

_logger = logging.getLogger(__name__)


class ResPartnerStatutory(models.Model):
    """The customer's statutory collection costs and interest (the public
    methods other modules call)."""

    _inherit = "res.partner"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _dunning_is_consumer(self):
        """A consumer is a natural person, not a company: the customer's
        commercial entity is an individual."""
        self.ensure_one()
        return not self.commercial_partner_id.is_company

    def _dunning_statutory_costs(self, principal, on_date=None):
        """The extrajudicial collection costs the current company may claim
        from this customer for ``principal`` (company currency).

        Consumers: always the statutory scale (Besluit vergoeding voor
        buitengerechtelijke incassokosten, Stb. 2012, 141, art. 2: 15 % of
        the first 2,500, 10 % of the next 2,500, 5 % of the next 5,000, 1 %
        of the next 190,000, 0.5 % above; at least 40, at most 6,775).
        Businesses: the company's arrangement in Settings (the scale, the
        fixed 40 of the EU directive, an agreed percentage with a minimum,
        or none). VAT is added when the company says it cannot deduct it.
        Rounded to the cent, half up. The law's amounts are euros: a company
        in another currency converts them at the day's rate when its
        Settings say so, and is refused otherwise (``UserError``).

        :param principal: the unpaid principal, without interest or costs
        :param on_date: the date of the claim (the scale has applied since
            1 July 2012), and of the exchange rate; default today
        :return: the amount as a float
        """
        self.ensure_one()
        company = self.env.company
        arrangement = (
            "scale"
            if self._dunning_is_consumer()
            else company.dunning_costs_arrangement
        )
        costs = collection_costs(
            principal,
            arrangement=arrangement,
            percentage=company.dunning_costs_percentage,
            minimum=company.dunning_costs_minimum,
            vat_percent=company.dunning_costs_vat_percent
            if company.dunning_costs_vat
            else 0,
            figures=company._dunning_statutory_figures(arrangement, on_date),
        )
        return float(costs)

    def _dunning_statutory_interest(self, principal, date_from, date_to):
        """The statutory interest on ``principal`` from ``date_from``
        (included) to ``date_to`` (excluded).

        Consumers owe the statutory interest (art. 6:119 BW), businesses the
        commercial interest (art. 6:119a BW), with the dated rates of
        *Statutory Interest Rates*. A day's interest is the yearly rate / 365
        (/ 366 in a leap year); a period crossing a rate change is split at
        it; after each full year from ``date_from`` that year's interest is
        added to the principal (art. 6:119 lid 2 BW); the result is rounded
        once, to the cent, half up. When the company chooses the EU directive
        for business customers outside the Netherlands, they owe the ECB rate
        + 8 points as simple interest instead.

        :return: the amount as a float
        """
        self.ensure_one()
        company = self.env.company
        commercial = self.commercial_partner_id
        consumer = self._dunning_is_consumer()
        abroad = commercial.country_id and commercial.country_id.code != "NL"
        compound = not (
            not consumer and abroad and company.dunning_interest_eu_directive
        )
        rates = self.env["dunning.interest.rate"]._rate_table(
            "consumer" if consumer else "commercial"
        )
        try:
            interest = statutory_interest(
                principal, date_from, date_to, rates, compound=compound
            )
        except ValueError as error:
            raise UserError(
                _(
                    "No statutory interest rate covers %(date)s: add the rate under "
                    "Statutory Interest Rates. (%(error)s)",
                    date=fields.Date.to_string(date_from),
                    error=error,
                )
            ) from error
        return float(interest)
