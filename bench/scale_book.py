"""A large receivables book by SQL, and the night measured on it.

Build mode grows (or shrinks) a COPY of a benchmark book (bench/run.sh makes
the books; bench/run_scale.sh makes the copies) in two phases:

1. customers: whole customers are cloned, that is the commercial partner
   with its contacts, every journal entry of it (invoices, credit notes,
   payments) with their journal items, and the reconciliations between
   them (partial and full), so that the payment score reads the same paid
   history for the clone as for the original. Until the book has the asked
   number of customers with receivable history; a smaller number drops
   customers (with their entries) instead.
2. open invoices: open customer invoices, picked at random over every
   customer that has some, are cloned with the payments or credit notes
   already matched with them (and those reconciliations), until the book
   has the asked number of open customer invoices.

Every clone gets a new id (the ``*_id_seq`` sequences advance), clones of
customers a new name, reference and e-mail address, clones of entries their
number plus a suffix of letters (``INV/2025/00012/CB``: Odoo still reads the
number as 12 of ``INV/2025/``, and numbers new invoices after the highest),
the references to other cloned rows point to the clones. Amounts, dates,
residuals and payment states are copied. The dunning state is reset as if
no reminder ever went out, and the statistics are refreshed (``VACUUM
ANALYZE``). Optionally collectors and routing rules are added.

Night mode (``--measure-night``), in a fresh process: the payment-score
recompute, then the escalation from a clean slate, with wall time, SQL
queries, reminders by channel, per reminder figures and peak memory. The
letters' PDFs are timed apart (or skipped with ``--no-letters``).

    python3 bench/scale_book.py -c CONF --customers 10000 --open-invoices 100000
    python3 bench/scale_book.py -c CONF --measure-night [--no-letters]
"""

import argparse
import json
import logging
import os
import resource
import time
from contextlib import contextmanager

import psycopg2

import odoo
from odoo import SUPERUSER_ID, api

_logger = logging.getLogger("bench.scale_book")

OPEN_INVOICES = """
    SELECT id FROM account_move
     WHERE move_type = 'out_invoice' AND state = 'posted'
       AND payment_state IN ('not_paid', 'partial')
"""

# Customers as the payment score counts them: commercial partners of posted
# receivable journal items.
CUSTOMERS = """
    SELECT DISTINCT partner.commercial_partner_id AS id
      FROM account_move_line line
      JOIN account_account account ON account.id = line.account_id
      JOIN res_partner partner ON partner.id = line.partner_id
     WHERE account.account_type = 'asset_receivable'
       AND line.parent_state = 'posted'
"""

# The cloned tables in the order of insertion, each with its id map: a
# reference to a table inserted later in the round is written afterwards.
CLONED_TABLES = {
    "res_partner": "scale_map_partner",
    "account_move": "scale_map_move",
    "account_full_reconcile": "scale_map_full",
    "account_move_line": "scale_map_line",
    "account_partial_reconcile": "scale_map_partial",
}

# where the origin of every clone is kept (for the checks, and for anyone
# wondering which customer a clone copies); Odoo ignores the table
ORIGIN_TABLE = "bench_scale_origin"
BUILD_PARAMETER = "customer_retention_dunning.bench_scale_book"

# The dunning state of the invoices, as if no reminder ever went out.
RESET_MOVES = """
    UPDATE account_move
       SET dunning_level_id = NULL, dunning_last_date = NULL,
           dunning_next_date = NULL, dunning_handed_over = FALSE
     WHERE dunning_level_id IS NOT NULL OR dunning_next_date IS NOT NULL
        OR dunning_last_date IS NOT NULL OR dunning_handed_over
"""


def letters(number):
    """1 -> A, 2 -> B, ..., 27 -> AA: a suffix without digits, so that Odoo
    reads the number of a cloned entry as the original's."""
    text = ""
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


# the tables a clean slate rewrites (reset_dunning) and the night reads
RESET_TABLES = (
    "account_move",
    "dunning_communication",
    "dunning_communication_line",
    "dunning_communication_move_rel",
    "mail_activity",
    "mail_mail",
    "mail_message",
    "res_partner",
)


def vacuum_after_reset(dbname):
    """VACUUM ANALYZE what a clean slate rewrote, as autovacuum would have
    long since done before a real night: a night run straight after
    deleting thousands of reminders and rewriting every open invoice reads
    their dead rows (and the planner's stale counts), and took up to half as
    long again."""
    _db, info = odoo.sql_db.connection_info_for(dbname)
    connection = psycopg2.connect(**info)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            for table in RESET_TABLES:
                cursor.execute(f'VACUUM ANALYZE "{table}"')
    finally:
        connection.close()


def reset_dunning(cr):
    """The clean slate of bench_escalation.py: no reminder, no invoice on a
    dunning level. Also removed: what the deleted reminders left behind (the
    collectors' call activities, the queued e-mails and their messages, the
    letters' PDFs) and the credit holds their notices set.

    :return: the number of reminders deleted
    """
    cr.execute("SELECT count(*) FROM dunning_communication")
    deleted = cr.fetchone()[0]
    cr.execute(
        """DELETE FROM mail_activity WHERE id IN (
               SELECT activity_id FROM dunning_communication
                WHERE activity_id IS NOT NULL)"""
    )
    cr.execute(
        """DELETE FROM mail_mail WHERE mail_message_id IN (
               SELECT id FROM mail_message WHERE model = 'dunning.communication')"""
    )
    cr.execute("DELETE FROM mail_message WHERE model = 'dunning.communication'")
    cr.execute("DELETE FROM ir_attachment WHERE res_model = 'dunning.communication'")
    cr.execute("DELETE FROM dunning_communication")
    cr.execute(RESET_MOVES)
    cr.execute(
        """UPDATE res_partner SET credit_hold = NULL, credit_hold_date = NULL
            WHERE credit_hold IS NOT NULL OR credit_hold_date IS NOT NULL"""
    )
    return deleted


class BookScaler:
    """Clones customers and open invoices of the book in ``cr``, set-based."""

    def __init__(self, cr):
        self.cr = cr
        self.stats = {"rounds": []}
        self._column_cache = {}
        self._fk_cache = {}

    # -- schema --------------------------------------------------------------

    def columns(self, table):
        """The table's columns but ``id``, in their order."""
        if table not in self._column_cache:
            self.cr.execute(
                """SELECT column_name FROM information_schema.columns
                    WHERE table_schema = current_schema() AND table_name = %s
                      AND column_name != 'id'
                    ORDER BY ordinal_position""",
                [table],
            )
            self._column_cache[table] = [row[0] for row in self.cr.fetchall()]
        return self._column_cache[table]

    def references(self, table):
        """``{column: referenced table}`` for the table's foreign keys to the
        cloned tables (found in the schema: columns added by any module are
        remapped too)."""
        if table not in self._fk_cache:
            self.cr.execute(
                """SELECT attribute.attname, constraint_.confrelid::regclass::text
                     FROM pg_constraint constraint_
                     JOIN pg_attribute attribute
                       ON attribute.attrelid = constraint_.conrelid
                      AND attribute.attnum = constraint_.conkey[1]
                    WHERE constraint_.contype = 'f'
                      AND constraint_.conrelid = %s::regclass
                      AND array_length(constraint_.conkey, 1) = 1""",
                [table],
            )
            self._fk_cache[table] = {
                column: target
                for column, target in self.cr.fetchall()
                if target in CLONED_TABLES
            }
        return self._fk_cache[table]

    def count(self, query, params=None):
        self.cr.execute(f"SELECT count(*) FROM ({query}) AS counted", params)
        return self.cr.fetchone()[0]

    # -- the id maps of a round ----------------------------------------------

    def _new_map(self, table, select, params=None):
        """A map ``old_id -> new_id`` of the rows ``select`` returns, new ids
        taken from the table's sequence in the order of the old ones."""
        name = CLONED_TABLES.get(table, f"scale_map_{table}")
        self.cr.execute(f"DROP TABLE IF EXISTS {name}")
        self.cr.execute(
            f"""CREATE TEMP TABLE {name} AS
                SELECT old_id, nextval(pg_get_serial_sequence(%s, 'id'))::int
                       AS new_id
                  FROM (SELECT DISTINCT old_id FROM ({select}) AS rows_
                         ORDER BY old_id) AS ordered""",
            [table, *(params or [])],
        )
        self.cr.execute(f"ALTER TABLE {name} ADD PRIMARY KEY (old_id)")
        self.cr.execute(f"ANALYZE {name}")
        self.cr.execute(f"SELECT count(*) FROM {name}")
        return self.cr.fetchone()[0]

    def _map_round(self, partners_select, moves_select, params=None):
        """The maps of one round: these partners, these entries, all their
        journal items, the reconciliations between two cloned items, and
        the full reconciliations these belong to.

        :return: ``{table: rows}``
        """
        sizes = {
            "res_partner": self._new_map("res_partner", partners_select, params),
            "account_move": self._new_map("account_move", moves_select, params),
        }
        sizes["account_move_line"] = self._new_map(
            "account_move_line",
            """SELECT line.id AS old_id FROM account_move_line line
                 JOIN scale_map_move map ON map.old_id = line.move_id""",
        )
        sizes["account_partial_reconcile"] = self._new_map(
            "account_partial_reconcile",
            """SELECT part.id AS old_id FROM account_partial_reconcile part
                 JOIN scale_map_line debit ON debit.old_id = part.debit_move_id
                 JOIN scale_map_line credit ON credit.old_id = part.credit_move_id""",
        )
        sizes["account_full_reconcile"] = self._new_map(
            "account_full_reconcile",
            """SELECT line.full_reconcile_id AS old_id FROM account_move_line line
                 JOIN scale_map_line map ON map.old_id = line.id
                WHERE line.full_reconcile_id IS NOT NULL
                UNION
               SELECT part.full_reconcile_id FROM account_partial_reconcile part
                 JOIN scale_map_partial map ON map.old_id = part.id
                WHERE part.full_reconcile_id IS NOT NULL""",
        )
        # reconciliations with an item that is not cloned (another
        # customer's): not cloned, the clone's residual is then the original's
        self.cr.execute(
            """SELECT count(*) FROM account_partial_reconcile part
                WHERE (part.debit_move_id IN (SELECT old_id FROM scale_map_line))
                   != (part.credit_move_id IN (SELECT old_id FROM scale_map_line))"""
        )
        sizes["partials_cut"] = self.cr.fetchone()[0]
        return sizes

    # -- cloning ---------------------------------------------------------------

    def _insert_clones(self, table, overrides, inserted):
        """Insert the clones of the mapped rows of ``table``: every column
        copied, references to cloned rows remapped, ``overrides`` (SQL on
        ``src``, the original row, and ``m_<column>``, the map of a
        reference) instead of the copy for some columns.

        :return: the references to remap once their table is inserted
        """
        references = self.references(table)
        select, joins, deferred = [], [], []
        for column in self.columns(table):
            target = references.get(column)
            if target in inserted or target == table:
                alias = f"m_{column}"
                joins.append(
                    f"LEFT JOIN {CLONED_TABLES[target]} {alias} "
                    f"ON {alias}.old_id = src.{column}"
                )
            elif target:
                deferred.append((column, target))
            if column in overrides:
                select.append(overrides[column])
            elif target in inserted or target == table:
                select.append(f"COALESCE(m_{column}.new_id, src.{column})")
            else:
                select.append(f"src.{column}")
        columns = ", ".join(f'"{column}"' for column in self.columns(table))
        self.cr.execute(
            f"""INSERT INTO {table} (id, {columns})
                SELECT map.new_id, {", ".join(select)}
                  FROM {table} src
                  JOIN {CLONED_TABLES[table]} map ON map.old_id = src.id
                  {" ".join(joins)}"""
        )
        return [(table, column, target) for column, target in deferred]

    def _remap_later(self, table, column, target):
        self.cr.execute(
            f"""UPDATE {table} row_ SET {column} = target.new_id
                  FROM {CLONED_TABLES[table]} map, {CLONED_TABLES[target]} target
                 WHERE row_.id = map.new_id AND target.old_id = row_.{column}"""
        )

    def _clone_round(self, partner_tag, move_suffix):
        """Insert the clones of the mapped rows of every cloned table."""
        renamed = (
            "CASE WHEN src.{column} IS NULL OR src.{column} = '/' "
            f"THEN src.{{column}} ELSE src.{{column}} || '{move_suffix}' END"
        )
        overrides = {
            "res_partner": {
                "name": f"""CASE WHEN src.id = src.commercial_partner_id
                                 THEN src.name || '{partner_tag}'
                                 ELSE src.name END""",
                "commercial_company_name": f"""CASE
                    WHEN src.commercial_company_name IS NOT NULL
                    THEN src.commercial_company_name || '{partner_tag}' END""",
                "ref": f"src.ref || '{partner_tag.replace(' #', '-')}'",
                "email": self._tagged_email("src.email", partner_tag),
                "email_normalized": self._tagged_email(
                    "src.email_normalized", partner_tag
                ),
                "partner_gid": "NULL",
                "barcode": "NULL",
                "credit_hold": "NULL",
                "credit_hold_date": "NULL",
            },
            "account_move": {
                "name": renamed.format(column="name"),
                "payment_reference": f"""CASE WHEN src.payment_reference = src.name
                    THEN {renamed.format(column="name")}
                    ELSE src.payment_reference END""",
                "invoice_partner_display_name": """CASE
                    WHEN m_partner_id.new_id IS NOT NULL
                     AND src.invoice_partner_display_name IS NOT NULL
                    THEN (SELECT complete_name FROM res_partner
                           WHERE id = m_partner_id.new_id)
                    ELSE src.invoice_partner_display_name END""",
                # a portal link of its own where the original had one (as
                # an invoice sent before)
                "access_token": """CASE WHEN src.access_token IS NOT NULL
                                        THEN gen_random_uuid()::text END""",
                "inalterable_hash": "NULL",
                "secure_sequence_number": "NULL",
                "message_main_attachment_id": "NULL",
                # the clone is not part of the original's plan nor charge
                "payment_plan_id": "NULL",
                "dunning_charge_plan_id": "NULL",
                "dunning_charge_communication_id": "NULL",
                "promise_date": "NULL",
                "dunning_level_id": "NULL",
                "dunning_last_date": "NULL",
                "dunning_next_date": "NULL",
                "dunning_handed_over": "FALSE",
            },
            "account_move_line": {
                "move_name": renamed.format(column="move_name"),
                "matching_number": """CASE
                    WHEN src.full_reconcile_id IS NOT NULL
                    THEN m_full_reconcile_id.new_id::text
                    WHEN src.matching_number ~ '^P[0-9]+$'
                    THEN COALESCE('P' || (
                        SELECT new_id FROM scale_map_partial
                         WHERE old_id = substr(src.matching_number, 2)::int),
                        src.matching_number)
                    ELSE src.matching_number END""",
            },
        }
        overrides["res_partner"]["complete_name"] = self._contact_complete_name(
            partner_tag
        )
        inserted, deferred = set(), []
        for table in CLONED_TABLES:
            known = set(self.columns(table))
            table_overrides = {
                column: sql
                for column, sql in overrides.get(table, {}).items()
                if column in known
            }
            deferred += self._insert_clones(table, table_overrides, inserted)
            inserted.add(table)
        for table, column, target in deferred:
            self._remap_later(table, column, target)
        self._clone_followers()

    @staticmethod
    def _tagged_email(column, partner_tag):
        """``name@example.com`` -> ``name+3@example.com`` (copy 3)."""
        copy = partner_tag.rsplit("#", 1)[-1]
        return f"""CASE WHEN position('@' IN {column}) > 1
                        THEN split_part({column}, '@', 1) || '+{copy}@'
                             || substr({column}, position('@' IN {column}) + 1)
                        ELSE {column} END"""

    @staticmethod
    def _contact_complete_name(partner_tag):
        """The complete name: the customer's with its tag, a contact's with
        its customer's part tagged (``Customer #3, Jan``)."""
        return f"""CASE
            WHEN src.id = src.commercial_partner_id
            THEN src.complete_name || '{partner_tag}'
            ELSE COALESCE((
                SELECT commercial.complete_name || '{partner_tag}'
                       || substr(src.complete_name,
                                 length(commercial.complete_name) + 1)
                  FROM res_partner commercial
                 WHERE commercial.id = src.commercial_partner_id
                   AND position(commercial.complete_name IN src.complete_name) = 1
            ), src.complete_name) END"""

    def _clone_followers(self):
        """The followers of the cloned partners and entries (a customer
        follows its invoices), with their subtypes."""
        self._new_map(
            "mail_followers",
            """SELECT follower.id AS old_id FROM mail_followers follower
                 JOIN scale_map_move map ON map.old_id = follower.res_id
                WHERE follower.res_model = 'account.move'
                UNION ALL
               SELECT follower.id FROM mail_followers follower
                 JOIN scale_map_partner map ON map.old_id = follower.res_id
                WHERE follower.res_model = 'res.partner'""",
        )
        self.cr.execute(
            """INSERT INTO mail_followers (id, res_model, res_id, partner_id)
               SELECT map.new_id, follower.res_model,
                      COALESCE(move.new_id, partner.new_id),
                      COALESCE(follower_partner.new_id, follower.partner_id)
                 FROM mail_followers follower
                 JOIN scale_map_mail_followers map ON map.old_id = follower.id
                 LEFT JOIN scale_map_move move
                        ON follower.res_model = 'account.move'
                       AND move.old_id = follower.res_id
                 LEFT JOIN scale_map_partner partner
                        ON follower.res_model = 'res.partner'
                       AND partner.old_id = follower.res_id
                 LEFT JOIN scale_map_partner follower_partner
                        ON follower_partner.old_id = follower.partner_id"""
        )
        self.cr.execute(
            """INSERT INTO mail_followers_mail_message_subtype_rel
                      (mail_followers_id, mail_message_subtype_id)
               SELECT map.new_id, rel.mail_message_subtype_id
                 FROM mail_followers_mail_message_subtype_rel rel
                 JOIN scale_map_mail_followers map
                   ON map.old_id = rel.mail_followers_id"""
        )

    def _remember(self, phase, copy):
        """Keep where each clone comes from."""
        self.cr.execute(
            f"""INSERT INTO {ORIGIN_TABLE} (model, phase, copy, old_id, new_id)
                SELECT 'res.partner', %s, %s, old_id, new_id FROM scale_map_partner
                UNION ALL
                SELECT 'account.move', %s, %s, old_id, new_id FROM scale_map_move""",
            [phase, copy, phase, copy],
        )

    # -- the phases --------------------------------------------------------------

    def prepare(self):
        self.cr.execute(
            f"""CREATE TABLE IF NOT EXISTS {ORIGIN_TABLE} (
                    model varchar NOT NULL, phase varchar NOT NULL,
                    copy int NOT NULL, old_id int NOT NULL, new_id int NOT NULL)"""
        )
        self.stats["reminders_deleted"] = reset_dunning(self.cr)
        self.cr.commit()

    def scale_customers(self, target):
        """Clone whole customers (or drop some) until the book has ``target``
        customers with receivable history."""
        self.cr.execute("DROP TABLE IF EXISTS scale_customer")
        self.cr.execute(
            f"""CREATE TEMP TABLE scale_customer AS
                SELECT id FROM ({CUSTOMERS}) AS customers
                 WHERE id NOT IN (SELECT partner_id FROM res_company)"""
        )
        self.cr.execute("ALTER TABLE scale_customer ADD PRIMARY KEY (id)")
        originals = self.count("SELECT id FROM scale_customer")
        self.stats["customers_before"] = originals
        if target < originals:
            self._drop_customers(originals - target)
            self.stats["customers"] = self.count(CUSTOMERS)
            return
        # the entries of each original customer: those of its partners
        # (lines or the entry's partner) and of no other customer
        self.cr.execute("DROP TABLE IF EXISTS scale_move_owner")
        self.cr.execute(
            """CREATE TEMP TABLE scale_move_owner AS
               SELECT move_id, min(customer_id) AS customer_id
                 FROM (SELECT line.move_id, partner.commercial_partner_id
                              AS customer_id
                         FROM account_move_line line
                         JOIN res_partner partner ON partner.id = line.partner_id
                        UNION
                       SELECT id, commercial_partner_id FROM account_move
                        WHERE commercial_partner_id IS NOT NULL) AS owners
                GROUP BY move_id
               HAVING count(DISTINCT customer_id) = 1"""
        )
        self.cr.execute("CREATE INDEX ON scale_move_owner (customer_id)")
        self.cr.execute("ANALYZE scale_move_owner")
        self.stats["moves_of_several_customers"] = self.count(
            """SELECT move_id FROM account_move_line line
                 JOIN res_partner partner ON partner.id = line.partner_id
                GROUP BY move_id
               HAVING count(DISTINCT partner.commercial_partner_id) > 1"""
        )
        have, copy = originals, 1
        while have < target:
            copy += 1
            started = time.perf_counter()
            self.cr.execute("DROP TABLE IF EXISTS scale_round_customer")
            self.cr.execute(
                """CREATE TEMP TABLE scale_round_customer AS
                   SELECT id FROM scale_customer
                    ORDER BY md5(id::text || ':customers:' || %s)
                    LIMIT %s""",
                [copy, target - have],
            )
            sizes = self._map_round(
                """SELECT partner.id AS old_id FROM res_partner partner
                     JOIN scale_round_customer customer
                       ON customer.id = partner.commercial_partner_id""",
                """SELECT owner.move_id AS old_id FROM scale_move_owner owner
                     JOIN scale_round_customer customer
                       ON customer.id = owner.customer_id""",
            )
            self._clone_round(f" #{copy}", f"/C{letters(copy)}")
            self._remember("customers", copy)
            self.cr.commit()
            added = self.count("SELECT id FROM scale_round_customer")
            have += added
            self._log_round("customers", copy, sizes, started, customers=added)
        self.stats["customers"] = have

    def _drop_customers(self, number):
        """Remove ``number`` customers (picked at random) with their
        contacts and entries."""
        started = time.perf_counter()
        cr = self.cr
        cr.execute(
            """CREATE TEMP TABLE scale_drop_partner AS
               SELECT partner.id FROM res_partner partner
                WHERE partner.commercial_partner_id IN (
                      SELECT id FROM scale_customer
                       ORDER BY md5(id::text || ':drop') LIMIT %s)""",
            [number],
        )
        cr.execute("ALTER TABLE scale_drop_partner ADD PRIMARY KEY (id)")
        cr.execute(
            """CREATE TEMP TABLE scale_drop_move AS
               SELECT move_id AS id FROM account_move_line
                WHERE partner_id IN (SELECT id FROM scale_drop_partner)
                UNION
               SELECT id FROM account_move
                WHERE commercial_partner_id IN (SELECT id FROM scale_drop_partner)
                   OR partner_id IN (SELECT id FROM scale_drop_partner)"""
        )
        cr.execute("ALTER TABLE scale_drop_move ADD PRIMARY KEY (id)")
        cr.execute(
            """CREATE TEMP TABLE scale_drop_line AS
               SELECT id FROM account_move_line
                WHERE move_id IN (SELECT id FROM scale_drop_move)"""
        )
        cr.execute("ALTER TABLE scale_drop_line ADD PRIMARY KEY (id)")
        cr.execute(
            """CREATE TEMP TABLE scale_drop_full AS
               SELECT DISTINCT full_reconcile_id AS id FROM account_move_line
                WHERE id IN (SELECT id FROM scale_drop_line)
                  AND full_reconcile_id IS NOT NULL"""
        )
        cr.execute(
            """DELETE FROM account_partial_reconcile
                WHERE debit_move_id IN (SELECT id FROM scale_drop_line)
                   OR credit_move_id IN (SELECT id FROM scale_drop_line)"""
        )
        cr.execute("ANALYZE scale_drop_move")
        for model, table in (
            ("account.move", "scale_drop_move"),
            ("res.partner", "scale_drop_partner"),
        ):
            cr.execute(
                f"""DELETE FROM mail_followers WHERE res_model = %s
                     AND res_id IN (SELECT id FROM {table})""",
                [model],
            )
            cr.execute(
                f"""DELETE FROM mail_message WHERE model = %s
                     AND res_id IN (SELECT id FROM {table})""",
                [model],
            )
            cr.execute(
                f"""DELETE FROM mail_activity WHERE res_model = %s
                     AND res_id IN (SELECT id FROM {table})""",
                [model],
            )
        for table in ("dunning_promise", "payment_plan"):
            cr.execute(
                f"""DELETE FROM {table}
                     WHERE partner_id IN (SELECT id FROM scale_drop_partner)"""
            )
        cr.execute(
            "DELETE FROM account_move WHERE id IN (SELECT id FROM scale_drop_move)"
        )
        cr.execute(
            """DELETE FROM account_full_reconcile full_
                WHERE id IN (SELECT id FROM scale_drop_full)
                  AND NOT EXISTS (SELECT 1 FROM account_move_line line
                                   WHERE line.full_reconcile_id = full_.id)"""
        )
        cr.execute(
            """DELETE FROM res_partner WHERE id IN (SELECT id FROM scale_drop_partner)"""
        )
        cr.commit()
        self.stats["rounds"].append(
            {
                "phase": "drop",
                "customers": -number,
                "entries": -self.count("SELECT id FROM scale_drop_move"),
                "seconds": round(time.perf_counter() - started, 1),
            }
        )

    def scale_open_invoices(self, target):
        """Clone open customer invoices, picked at random over the whole
        book, with the payments and credit notes matched with them, until
        the book has ``target`` open customer invoices."""
        have = self.count(OPEN_INVOICES)
        self.stats["open_invoices_before"] = have
        self.cr.execute("DROP TABLE IF EXISTS scale_open_pool")
        self.cr.execute(f"CREATE TEMP TABLE scale_open_pool AS {OPEN_INVOICES}")
        pool = have
        copy = 1
        while have < target and pool:
            copy += 1
            started = time.perf_counter()
            self.cr.execute("DROP TABLE IF EXISTS scale_round_invoice")
            self.cr.execute(
                """CREATE TEMP TABLE scale_round_invoice AS
                   SELECT id FROM scale_open_pool
                    ORDER BY md5(id::text || ':open:' || %s)
                    LIMIT %s""",
                [copy, target - have],
            )
            sizes = self._map_round(
                "SELECT NULL::int AS old_id WHERE FALSE",
                """SELECT id AS old_id FROM scale_round_invoice
                    UNION
                   SELECT counter.move_id FROM scale_round_invoice invoice
                     JOIN account_move_line line ON line.move_id = invoice.id
                     JOIN account_partial_reconcile part
                       ON part.debit_move_id = line.id
                     JOIN account_move_line counter
                       ON counter.id = part.credit_move_id
                    UNION
                   SELECT counter.move_id FROM scale_round_invoice invoice
                     JOIN account_move_line line ON line.move_id = invoice.id
                     JOIN account_partial_reconcile part
                       ON part.credit_move_id = line.id
                     JOIN account_move_line counter
                       ON counter.id = part.debit_move_id""",
            )
            self._clone_round("", f"/O{letters(copy)}")
            self._remember("open", copy)
            self.cr.commit()
            added = self.count("SELECT id FROM scale_round_invoice")
            have += added
            self._log_round("open", copy, sizes, started, open_invoices=added)
        self.stats["open_invoices"] = have

    def _log_round(self, phase, copy, sizes, started, **added):
        entry = {
            "phase": phase,
            "copy": copy,
            **added,
            "entries": sizes["account_move"],
            "journal_items": sizes["account_move_line"],
            "reconciliations": sizes["account_partial_reconcile"],
            "reconciliations_cut": sizes["partials_cut"],
            "seconds": round(time.perf_counter() - started, 1),
        }
        self.stats["rounds"].append(entry)
        _logger.info("round %s", entry)

    def finish(self):
        """Sequences past every id, fresh statistics, and the counts of the
        book."""
        for table in (*CLONED_TABLES, "mail_followers"):
            self.cr.execute(
                f"""SELECT setval(pg_get_serial_sequence(%s, 'id'),
                        GREATEST((SELECT max(id) FROM {table}),
                                 (SELECT last_value FROM {table}_id_seq)))""",
                [table],
            )
        self.cr.execute(
            f"CREATE INDEX IF NOT EXISTS {ORIGIN_TABLE}_new ON {ORIGIN_TABLE} (model, new_id)"
        )
        # the statistics of the grown tables, before Odoo queries them
        self.cr.execute("ANALYZE")
        self.cr.commit()
        self.stats["journal_items"] = self.count("SELECT id FROM account_move_line")
        self.stats["entries"] = self.count("SELECT id FROM account_move")


# -- checks ------------------------------------------------------------------


def check_book(env, sample=50):
    """Is the grown book still one Odoo can read as its own?

    - every posted entry balances, its items carry its number;
    - every receivable item's residual is its balance less what is
      reconciled with it (the clones' reconciliations are there);
    - no two posted entries of a journal share a number;
    - a cloned customer owes what its original owes, by Odoo's own sums
      (``read_group`` of the receivable items, leaving out the entries the
      open-invoice phase added to either of them).
    """
    cr = env.cr
    checks = {}
    cr.execute(
        """SELECT count(*) FROM (
               SELECT move_id FROM account_move_line WHERE parent_state = 'posted'
                GROUP BY move_id HAVING round(sum(balance), 2) != 0) AS unbalanced"""
    )
    checks["unbalanced_entries"] = cr.fetchone()[0]
    cr.execute(
        """SELECT count(*) FROM account_move_line line
             JOIN account_move move ON move.id = line.move_id
            WHERE line.move_name IS DISTINCT FROM move.name"""
    )
    checks["item_numbers_wrong"] = cr.fetchone()[0]
    cr.execute(
        """SELECT count(*) FROM (
               SELECT name, journal_id FROM account_move
                WHERE state = 'posted' AND name != '/'
                GROUP BY name, journal_id HAVING count(*) > 1) AS twice"""
    )
    checks["numbers_twice"] = cr.fetchone()[0]
    cr.execute(
        """WITH reconciled AS (
               SELECT debit_move_id AS line_id, amount FROM account_partial_reconcile
                UNION ALL
               SELECT credit_move_id, -amount FROM account_partial_reconcile)
           SELECT count(*) FROM (
               SELECT line.id
                 FROM account_move_line line
                 JOIN account_account account ON account.id = line.account_id
                 LEFT JOIN reconciled ON reconciled.line_id = line.id
                WHERE account.account_type = 'asset_receivable'
                  AND line.currency_id = line.company_currency_id
                GROUP BY line.id, line.balance, line.amount_residual
               HAVING round(line.balance - COALESCE(sum(reconciled.amount), 0)
                            - line.amount_residual, 2) != 0) AS wrong"""
    )
    checks["residuals_wrong"] = cr.fetchone()[0]
    cr.execute(
        f"""SELECT old_id, new_id FROM {ORIGIN_TABLE} origin
             JOIN res_partner partner ON partner.id = origin.new_id
            WHERE origin.model = 'res.partner' AND origin.phase = 'customers'
              AND partner.id = partner.commercial_partner_id
            ORDER BY md5(new_id::text) LIMIT %s""",
        [sample],
    )
    pairs = cr.fetchall()
    Line = env["account.move.line"]
    # the open-invoice phase adds entries to original and clone alike
    without_open_phase = [("move_name", "not like", "/O")]
    mismatches = [
        {"original": original, "clone": clone}
        for original, clone in pairs
        if figures_of(Line, original, without_open_phase)
        != figures_of(Line, clone, without_open_phase)
    ]
    checks["clones_compared"] = len(pairs)
    checks["clone_ledger_mismatches"] = len(mismatches)
    checks["first_mismatches"] = mismatches[:3]
    if pairs:
        # an example that owes something, if any does
        cr.execute(
            """SELECT partner.commercial_partner_id FROM account_move_line line
                 JOIN res_partner partner ON partner.id = line.partner_id
                WHERE partner.commercial_partner_id = ANY(%s)
                  AND line.amount_residual > 0 LIMIT 1""",
            [[original for original, _clone in pairs]],
        )
        owing = (cr.fetchone() or [None])[0]
        original, clone = next((pair for pair in pairs if pair[0] == owing), pairs[0])
        Partner = env["res.partner"]
        checks["example"] = {
            "original": Partner.browse(original).display_name,
            "clone": Partner.browse(clone).display_name,
            "original_receivables": figures_of(Line, original),
            "clone_receivables": figures_of(Line, clone),
            "original_receivables_before_open_phase": figures_of(
                Line, original, without_open_phase
            ),
            "clone_receivables_before_open_phase": figures_of(
                Line, clone, without_open_phase
            ),
            # Odoo's "Total Receivable" of the partner form
            "original_total_receivable": round(Partner.browse(original).credit, 2),
            "clone_total_receivable": round(Partner.browse(clone).credit, 2),
        }
    return checks


def figures_of(Line, partner, domain=()):
    """Open amount and balance of a customer's posted receivable items, as
    Odoo sums them (``read_group``)."""
    residual, balance, count = Line._read_group(
        [
            ("partner_id.commercial_partner_id", "=", partner),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            *domain,
        ],
        [],
        ["amount_residual:sum", "balance:sum", "__count"],
    )[0]
    return {
        "amount_residual": round(residual or 0, 2),
        "balance": round(balance or 0, 2),
        "items": count,
    }


# -- collectors ----------------------------------------------------------------


def add_collectors(env, number):
    """``number`` collectors, each with a routing rule by overdue amount so
    that they share the overdue customers evenly, and the customers routed
    to them as a previous night would have (the measured night then routes
    only those whose overdue amount changed). Nothing when the company has
    rules already."""
    company = env.company
    Rule = env["dunning.collector.rule"]
    if not number or Rule.search_count([("company_id", "=", company.id)]):
        return []
    group = env.ref("customer_retention_dunning.group_collector")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True, mail_create_nolog=True)
        .create(
            [
                {
                    "name": f"Collector {index}",
                    "login": f"scale_collector_{index}",
                    "email": f"collector{index}@scale.example.com",
                    "groups_id": [(4, group.id)],
                }
                for index in range(1, number + 1)
            ]
        )
    )
    key = str(company.id)
    shares = [index / number for index in range(number - 1, 0, -1)] or [1.0]
    env.cr.execute(
        """SELECT percentile_disc(%s::float8[]) WITHIN GROUP (ORDER BY amount)
             FROM (SELECT (dunning_overdue_amount ->> %s)::numeric AS amount
                     FROM res_partner WHERE id = commercial_partner_id) AS overdue
            WHERE amount > 0""",
        [shares, key],
    )
    thresholds = [float(value) for value in (env.cr.fetchone()[0] or [])]
    thresholds = thresholds[: number - 1] + [0.0]
    rules = Rule.create(
        [
            {
                "sequence": index,
                "min_amount": threshold,
                "user_id": user.id,
                "company_id": company.id,
            }
            for index, (user, threshold) in enumerate(
                zip(users, thresholds, strict=False), start=1
            )
        ]
    )
    rules.flush_model()
    routing = " ".join(
        f"WHEN amount >= {rule.min_amount} THEN {rule.user_id.id}" for rule in rules
    )
    # every customer the night may take, also those with nothing overdue
    # yet (a proactive reminder): the last rule takes them
    env.cr.execute(
        f"""UPDATE res_partner partner
               SET dunning_collector_id = COALESCE(partner.dunning_collector_id,
                                                   '{{}}'::jsonb)
                   || jsonb_build_object(%s, routed.user_id)
              FROM (SELECT customer.id, CASE {routing} END AS user_id
                      FROM (SELECT customers.id,
                                   COALESCE((partner.dunning_overdue_amount
                                             ->> %s)::numeric, 0) AS amount
                              FROM ({CUSTOMERS}) AS customers
                              JOIN res_partner partner ON partner.id = customers.id
                           ) AS customer) AS routed
             WHERE partner.commercial_partner_id = routed.id""",
        [key, key],
    )
    env.invalidate_all()
    return [{"login": rule.user_id.login, "from": rule.min_amount} for rule in rules]


# -- the night ----------------------------------------------------------------


class LogCounter(logging.Handler):
    """Counts the warnings and errors logged, keeps the first few."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.counts = {"WARNING": 0, "ERROR": 0}
        self.first = []

    def emit(self, record):
        level = "ERROR" if record.levelno >= logging.ERROR else "WARNING"
        self.counts[level] += 1
        if len(self.first) < 3:
            self.first.append(
                f"{record.levelname} {record.name}: {record.getMessage()[:300]}"
            )


@contextmanager
def timed_letters(env, stats, print_them=True):
    """Time the printing of the night's letters apart (the escalation calls
    ``dunning.communication._cron_render_letters`` once every customer is
    done); without ``print_them`` the letters are left unprinted."""
    model_class = type(env["dunning.communication"])
    original = model_class._cron_render_letters

    def _cron_render_letters(self, *args, **kwargs):
        queries = odoo.sql_db.sql_counter
        start = time.perf_counter()
        try:
            if print_them:
                return original(self, *args, **kwargs)
            return None
        finally:
            stats["seconds"] += time.perf_counter() - start
            stats["queries"] += odoo.sql_db.sql_counter - queries
            stats["calls"] += 1

    model_class._cron_render_letters = _cron_render_letters
    try:
        yield stats
    finally:
        model_class._cron_render_letters = original


def _cpu_seconds():
    """CPU time of this process so far (the machine may be shared: wall
    time then includes waiting for a core)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _rss_mb():
    """Peak resident memory of this process so far (the PDF engine, a
    process of its own, is not counted)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure_night(config, print_letters=True):
    """The payment score and the escalation, as the night runs them, in
    this (fresh) process: one JSON line."""
    odoo.tools.config.parse_config(["-c", config, "--log-level=warn"])
    log_counter = LogCounter()
    logging.getLogger().addHandler(log_counter)
    registry = odoo.modules.registry.Registry(odoo.tools.config["db_name"])
    result = {"db": odoo.tools.config["db_name"], "date": time.strftime("%Y-%m-%d")}
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        book = env["ir.config_parameter"].get_param(BUILD_PARAMETER)
        result["open_invoices"] = BookScaler(cr).count(OPEN_INVOICES)
        customers = len(env["res.partner"]._payment_score_partner_ids())
        result["customers"] = customers
        result["rss_before_mb"] = _rss_mb()
        result["load_average"] = [round(load, 1) for load in os.getloadavg()]

        queries = odoo.sql_db.sql_counter
        start, cpu = time.perf_counter(), _cpu_seconds()
        env["res.partner"]._cron_compute_payment_score()
        score = time.perf_counter() - start
        result.update(
            score_seconds=round(score, 1),
            score_cpu_seconds=round(_cpu_seconds() - cpu, 1),
            score_queries=odoo.sql_db.sql_counter - queries,
            score_ms_per_customer=round(1000 * score / max(customers, 1), 2),
            score_max_rss_mb=_rss_mb(),
        )

        reset_dunning(cr)
        cr.commit()
        vacuum_after_reset(cr.dbname)
        env.invalidate_all()
        letters = {"seconds": 0.0, "queries": 0, "calls": 0}
        with timed_letters(env, letters, print_them=print_letters):
            queries = odoo.sql_db.sql_counter
            start, cpu = time.perf_counter(), _cpu_seconds()
            held = env["dunning.escalation"]._cron_escalate()
            escalation = time.perf_counter() - start
            escalation_cpu = _cpu_seconds() - cpu
            queries = odoo.sql_db.sql_counter - queries
        cr.commit()
        env.invalidate_all()

        cr.execute(
            """SELECT channel, state, count(*), count(DISTINCT partner_id)
                 FROM dunning_communication GROUP BY channel, state"""
        )
        by_channel, by_state, reminders = {}, {}, 0
        for channel, state, count, _partners in cr.fetchall():
            by_channel[channel] = by_channel.get(channel, 0) + count
            by_state[state] = by_state.get(state, 0) + count
            reminders += count
        cr.execute("SELECT count(DISTINCT partner_id) FROM dunning_communication")
        customers_reminded = cr.fetchone()[0]
        cr.execute(
            """SELECT count(*) FROM dunning_communication
                WHERE channel = 'letter' AND attachment_id IS NULL"""
        )
        letters_without_pdf = cr.fetchone()[0]
        without_letters = escalation - letters["seconds"]
        letter_count = by_channel.get("letter", 0)
        result.update(
            escalation_seconds=round(escalation, 1),
            escalation_cpu_seconds=round(escalation_cpu, 1),
            escalation_queries=queries,
            letters="printed" if print_letters else "not printed (--no-letters)",
            letters_seconds=round(letters["seconds"], 1),
            letters_queries=letters["queries"],
            escalation_without_letters_seconds=round(without_letters, 1),
            reminders=reminders,
            customers_reminded=customers_reminded,
            by_channel=by_channel,
            by_state=by_state,
            failed=by_state.get("failed", 0),
            letters_without_pdf=letters_without_pdf,
            customers_held=len(held or []),
            ms_per_reminder=round(1000 * without_letters / max(reminders, 1), 1),
            queries_per_reminder=round(
                (queries - letters["queries"]) / max(reminders, 1), 1
            ),
            ms_per_letter=round(1000 * letters["seconds"] / letter_count, 1)
            if print_letters and letter_count
            else None,
            night_seconds=round(score + escalation, 1),
            night_without_letters_seconds=round(score + without_letters, 1),
            max_rss_mb=_rss_mb(),
            warnings_logged=log_counter.counts["WARNING"],
            errors_logged=log_counter.counts["ERROR"],
            first_logged=log_counter.first,
            book=json.loads(book) if book else None,
        )
    print(json.dumps(result))


# -- build ----------------------------------------------------------------------


def vacuum_analyze(db_name):
    """``VACUUM ANALYZE`` (outside a transaction): the statistics and the
    visibility map a production database has after autovacuum."""
    _name, info = odoo.sql_db.connection_info_for(db_name)
    connection = psycopg2.connect(**info)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.close()


def build(config, customers, open_invoices, collectors=0):
    odoo.tools.config.parse_config(["-c", config, "--log-level=warn"])
    db_name = odoo.tools.config["db_name"]
    if db_name in ("crd_bench_500", "crd_bench_2000"):
        raise SystemExit(f"{db_name} is a source book: scale a copy of it")
    registry = odoo.modules.registry.Registry(db_name)
    started = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        scaler = BookScaler(cr)
        scaler.prepare()
        scaler.scale_customers(customers)
        scaler.scale_open_invoices(open_invoices)
        scaler.finish()
        # the scores (and the open and overdue amounts the routing reads) as
        # the last night left them: the measured night is then a usual one
        start_scores = time.perf_counter()
        env["res.partner"]._cron_compute_payment_score()
        scaler.stats["scores_seconds"] = round(time.perf_counter() - start_scores, 1)
        routed = add_collectors(env, collectors)
        cr.commit()
        stats = {
            "customers": scaler.stats["customers"],
            "open_invoices": scaler.stats["open_invoices"],
            "asked": {"customers": customers, "open_invoices": open_invoices},
            "entries": scaler.stats["entries"],
            "journal_items": scaler.stats["journal_items"],
            "collectors": routed,
            **{
                key: value
                for key, value in scaler.stats.items()
                if key not in ("customers", "open_invoices", "entries", "journal_items")
            },
        }
    start_vacuum = time.perf_counter()
    vacuum_analyze(db_name)
    stats["vacuum_analyze_seconds"] = round(time.perf_counter() - start_vacuum, 1)
    stats["build_seconds"] = round(time.perf_counter() - started, 1)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        start_check = time.perf_counter()
        stats["check"] = check_book(env)
        stats["check_seconds"] = round(time.perf_counter() - start_check, 1)
        stats["date"] = time.strftime("%Y-%m-%d %H:%M")
        env["ir.config_parameter"].set_param(BUILD_PARAMETER, json.dumps(stats))
        cr.commit()
    print(json.dumps({"db": db_name, **stats}))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--customers", type=int, help="customers with receivables")
    parser.add_argument("--open-invoices", type=int, help="open customer invoices")
    parser.add_argument(
        "--collectors",
        type=int,
        default=0,
        help="add this many collectors with routing rules (none when the "
        "company has rules)",
    )
    parser.add_argument(
        "--measure-night",
        action="store_true",
        help="measure the payment score and the escalation instead of building",
    )
    parser.add_argument(
        "--no-letters",
        action="store_true",
        help="with --measure-night: leave the letters unprinted",
    )
    parser.add_argument(
        "--check", action="store_true", help="only check the book (JSON)"
    )
    args = parser.parse_args()
    if args.measure_night:
        measure_night(args.config, print_letters=not args.no_letters)
    elif args.check:
        odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
        registry = odoo.modules.registry.Registry(odoo.tools.config["db_name"])
        with registry.cursor() as cr:
            print(json.dumps(check_book(api.Environment(cr, SUPERUSER_ID, {}))))
    else:
        if args.customers is None or args.open_invoices is None:
            parser.error("--customers and --open-invoices are required to build")
        build(args.config, args.customers, args.open_invoices, args.collectors)


if __name__ == "__main__":
    main()
