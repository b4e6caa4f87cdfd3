"""The Odoo 18 way of running a long cron: batch after batch."""

import logging
import threading

from markupsafe import Markup

from odoo.tools.misc import split_every

_logger = logging.getLogger(__name__)


def testing():
    """Inside a test the test's transaction is never committed."""
    return getattr(threading.current_thread(), "testing", False)


def commit_unless_testing(env):
    """Commit what is done so far (a later failure keeps it, and the rows
    it held are free again), except inside a test."""
    if testing():
        return False
    env.cr.commit()  # pylint: disable=invalid-commit
    return True


def run_in_batches(env, ids, batch_size, process):
    """Call ``process(batch_ids)`` for every batch of ``ids``. Outside tests,
    each batch is its own transaction (a later failure keeps what was done)
    and the cron's progress is reported after it."""
    auto_commit = not testing()
    done = 0
    for batch in split_every(batch_size, ids):
        process(list(batch))
        done += len(batch)
        if auto_commit:
            env["ir.cron"]._notify_progress(done=done, remaining=len(ids) - done)
            env.cr.commit()  # pylint: disable=invalid-commit
    env["ir.cron"]._notify_progress(done=done, remaining=len(ids) - done)


def run_isolated(records, process, step):
    """Call ``process(record)`` for each record in a savepoint of its own:
    a record that fails is rolled back alone, logged, and noted on itself
    (when it has a chatter) with the reason; the others go on, and the cron
    never fails because of one customer.

    :return: the records that failed
    """
    failed = records.browse()
    for record in records:
        try:
            with records.env.cr.savepoint():
                process(record)
        except Exception as error:  # one record never stops the night
            _logger.exception("%s failed for %s", step, record)
            failed |= record
            if hasattr(record, "_message_log"):
                try:
                    with records.env.cr.savepoint():
                        record._message_log(
                            body=Markup("<p>%s</p>")
                            % records.env._(
                                "%(step)s could not handle this record and left it "
                                "as it was: %(error)s",
                                step=step,
                                error=error,
                            )
                        )
                except Exception:  # the note must not stop the night either
                    _logger.exception("Could not note the failure on %s", record)
    return failed


def run_isolated_in_batches(records, process, step, batch_size=200):
    """:func:`run_isolated` in batches: a commit and the cron's progress
    after each batch outside tests, so that a run stopped half-way keeps
    what it did and starts again where it was.

    :return: the records that failed
    """
    failed = []
    run_in_batches(
        records.env,
        records.ids,
        batch_size,
        lambda ids: failed.extend(run_isolated(records.browse(ids), process, step).ids),
    )
    return records.browse(failed)
