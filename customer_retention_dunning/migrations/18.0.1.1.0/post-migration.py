"""18.0.1.1.0: every value set aside by the pre-migration goes to the
companies it belongs to, then the old column is dropped.

Which company a value belongs to: a credit hold (and its date) to the
companies where the customer has overdue invoices; everything else (pause,
exclusion, profile and collector chosen by hand, the routed collector) to
the companies where the customer has customer invoices. A customer without
such invoices keeps the value in its own company, or, when it has none,
in every company: nothing that was decided is lost."""

from collections import defaultdict

from odoo import SUPERUSER_ID, api, fields

SET_ASIDE = "_before_per_company"
# the hold belongs to the companies where invoices are overdue
HOLD_FIELDS = ("credit_hold", "credit_hold_date")


def _companies_by_partner(cr, overdue_only):
    cr.execute(
        f"""
        SELECT commercial_partner_id, array_agg(DISTINCT company_id)
          FROM account_move
         WHERE move_type IN ('out_invoice', 'out_refund', 'out_receipt')
           AND state = 'posted'
           {
            "AND payment_state IN ('not_paid', 'partial')"
            " AND invoice_date_due < %(today)s"
            if overdue_only
            else ""
        }
         GROUP BY commercial_partner_id
        """,
        {"today": fields.Date.today()},
    )
    return dict(cr.fetchall())


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
    all_companies = env["res.company"].search([]).ids
    invoiced = _companies_by_partner(cr, overdue_only=False)
    overdue = _companies_by_partner(cr, overdue_only=True)
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'res_partner' AND column_name LIKE %s
        """,
        [f"%{SET_ASIDE}"],
    )
    for (old,) in cr.fetchall():
        column = old.removesuffix(SET_ASIDE)
        cr.execute(
            f"""
            SELECT id, company_id, "{old}" FROM res_partner
             WHERE "{old}" IS NOT NULL AND "{old}"::text NOT IN ('', 'false')
            """
        )
        groups = defaultdict(list)
        for partner_id, own_company, value in cr.fetchall():
            targets = (
                (overdue.get(partner_id) if column in HOLD_FIELDS else None)
                or invoiced.get(partner_id)
                or ([own_company] if own_company else all_companies)
            )
            for company_id in targets:
                groups[(company_id, value)].append(partner_id)
        field = env["res.partner"]._fields[column]
        for (company_id, value), partner_ids in groups.items():
            if (
                field.type == "many2one"
                and not env[field.comodel_name].browse(value).exists()
            ):
                continue
            env["res.partner"].browse(partner_ids).with_company(company_id).write(
                {column: value}
            )
        env["res.partner"].flush_model([column])
        cr.execute(f'ALTER TABLE res_partner DROP COLUMN "{old}"')
