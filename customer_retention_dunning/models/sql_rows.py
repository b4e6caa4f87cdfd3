"""Rows the night inserts in bulk (reminders, their invoices and lines, the
collectors' activities): one parametrized INSERT per page of rows."""

from odoo.tools import SQL
from odoo.tools.misc import split_every

# rows inserted by one statement at most
PAGE = 1000


def insert_rows(cr, table, columns, rows, returning_ids=False):
    """Insert ``rows`` (tuples in the order of ``columns``) into ``table``.

    :return: the new rows' ids, in the order of ``rows``, when
        ``returning_ids`` (else an empty list)
    """
    names = SQL(", ").join(SQL.identifier(column) for column in columns)
    shape = "(" + ", ".join(["%s"] * len(columns)) + ")"
    ids = []
    for page in split_every(PAGE, rows):
        query = SQL(
            "INSERT INTO %s (%s) VALUES %s",
            SQL.identifier(table),
            names,
            SQL(", ").join(SQL(shape, *row) for row in page),
        )
        if returning_ids:
            query = SQL("%s RETURNING id", query)
        cr.execute(query)
        if returning_ids:
            ids += [row[0] for row in cr.fetchall()]
    return ids
