"""The Odoo 18 way of running a long cron: batch after batch."""

import threading

from odoo.tools.misc import split_every


def run_in_batches(env, ids, batch_size, process):
    """Call ``process(batch_ids)`` for every batch of ``ids``. Outside tests,
    each batch is its own transaction (a later failure keeps what was done)
    and the cron's progress is reported after it."""
    auto_commit = not getattr(threading.current_thread(), "testing", False)
    done = 0
    for batch in split_every(batch_size, ids):
        process(list(batch))
        done += len(batch)
        if auto_commit:
            env["ir.cron"]._notify_progress(done=done, remaining=len(ids) - done)
            env.cr.commit()  # pylint: disable=invalid-commit
    env["ir.cron"]._notify_progress(done=done, remaining=len(ids) - done)
