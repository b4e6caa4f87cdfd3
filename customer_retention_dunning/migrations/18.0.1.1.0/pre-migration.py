"""18.0.1.1.0: a customer's dunning decisions become per company.

Before the columns become company-dependent (jsonb, one value per company),
their single values are set aside under another name; the post-migration
gives each value to the companies it belongs to."""

# the customer's dunning decisions that became company-dependent
PER_COMPANY = (
    "credit_hold",
    "credit_hold_date",
    "dunning_excluded",
    "dunning_paused_until",
    "dunning_pause_reason",
    "dunning_profile_manual_id",
    "dunning_collector_id",
    "dunning_collector_manual",
)
# the post-migration finds the set-aside columns by this suffix
SET_ASIDE = "_before_per_company"


def migrate(cr, version):
    for column in PER_COMPANY:
        cr.execute(
            """
            SELECT data_type FROM information_schema.columns
             WHERE table_name = 'res_partner' AND column_name = %s
            """,
            [column],
        )
        row = cr.fetchone()
        if row and row[0] != "jsonb":
            cr.execute(
                f'ALTER TABLE res_partner RENAME COLUMN "{column}" TO "{column}{SET_ASIDE}"'
            )
