"""The nightly work as queue_job jobs: one job per batch on the channel
``root.dunning``, each batch of a kind, day and customers queued once, and
the follow-up (the night's letters) once every batch of the night is done."""

import hashlib
import json
import logging
import math
import threading

from odoo import api, fields, models
from odoo.tools import config
from odoo.tools.misc import formatLang, split_every

from odoo.addons.queue_job.delay import group
from odoo.addons.queue_job.job import CANCELLED
from odoo.addons.queue_job.utils import must_run_without_delay

_logger = logging.getLogger(__name__)

# a batch that hits a lock or a serialization failure is tried again; one
# that keeps failing is shown as failed in Job Queue, to be requeued there
MAX_RETRIES = 5
# a night queued in at least this many batches, each of at least that many
# customers or letters (a batch costs a commit, a letter batch an engine start)
SPREAD = 8
SMALLEST = 50


def running_tests():
    """Inside Odoo's tests (also in the threads a test starts): the tests of
    the main addon expect the night to run in their own process."""
    return bool(
        config["test_enable"] or getattr(threading.current_thread(), "testing", False)
    )


def spread_size(count, batch_size):
    """The size of the batches ``count`` ids are queued in: ``batch_size``
    at most, but small enough to make ``SPREAD`` jobs the workers share
    evenly (one long last batch keeps one worker busy while the others
    wait), never smaller than ``SMALLEST`` ids unless asked to."""
    return max(min(batch_size, math.ceil(count / SPREAD)), min(batch_size, SMALLEST))


def batch_identity(job, model_name, method_name, ids, args, day):
    """The key queue_job compares to queue a job once: the kind of job, the
    day, the method, its arguments and the batch's ids. Readable in front,
    a hash of the whole after (the ids of a batch are too long to show)."""
    digest = hashlib.sha1(
        json.dumps(
            [model_name, method_name, list(ids), list(args), day], default=str
        ).encode()
    ).hexdigest()
    return f"dunning:{job}:{day}:{digest}"


class DunningNight(models.AbstractModel):
    _inherit = "dunning.night"

    @api.model
    def _run_batches(
        self, job, model_name, method_name, ids, batch_size, *args, then=None
    ):
        """Queue one job per batch of ``ids`` (the default runs them here,
        see ``customer_retention_dunning``), and ``then`` as a job waiting
        for all of them. A batch already queued for the same day (in any
        state but cancelled) is not queued again.

        In the cron's own process as before: with the context key
        ``dunning_no_queue``, with queue_job's ``queue_job__no_delay`` (or
        its ``QUEUE_JOB__NO_DELAY`` environment variable), and in tests
        unless the test asks for jobs with ``dunning_queue_in_tests``.

        :return: the results of the batches when they ran here, else ``[]``
            (a queued batch's result is on its job)
        """
        if self._dunning_runs_in_process():
            return super()._run_batches(
                job, model_name, method_name, ids, batch_size, *args, then=then
            )
        self._enqueue_batches(job, model_name, method_name, ids, batch_size, args, then)
        return []

    @api.model
    def _dunning_runs_in_process(self):
        context = self.env.context
        if context.get("dunning_no_queue"):
            return True
        if must_run_without_delay(self.env):
            return True
        return running_tests() and not context.get("dunning_queue_in_tests")

    @api.model
    def _enqueue_batches(
        self, job, model_name, method_name, ids, batch_size, args, then
    ):
        ids = list(ids)
        day = fields.Date.to_string(fields.Date.context_today(self))
        batches = [
            list(batch) for batch in split_every(spread_size(len(ids), batch_size), ids)
        ]
        keys = [
            batch_identity(job, model_name, method_name, batch, args, day)
            for batch in batches
        ]
        queued = self._dunning_queued_identities(keys)
        model = self.env[model_name]
        delayables = []
        new_keys = []
        first = 1
        for batch, key in zip(batches, keys, strict=True):
            last = first + len(batch) - 1
            if key not in queued:
                description = self._dunning_job_description(
                    job, first, last, len(ids), day
                )
                delayables.append(
                    getattr(
                        model.delayable(
                            max_retries=MAX_RETRIES,
                            description=description,
                            identity_key=key,
                        ),
                        method_name,
                    )(batch, *args)
                )
                new_keys.append(key)
            first = last + 1
        if batches and not delayables:
            _logger.info(
                "Dunning %s: the %s batches of %s are queued already",
                job,
                day,
                len(keys),
            )
            return
        if not delayables:
            # nothing to spread: the follow-up (which queues its own
            # batches) is started here, as the default does
            if then:
                then_model, then_method = then
                getattr(self.env[then_model], then_method)()
            return
        night = group(*delayables)
        if then:
            night.on_done(self._dunning_follow_up(job, then, new_keys, day))
        night.delay()
        _logger.info(
            "Dunning %s: %s batches of %s queued for %s (%s queued already)",
            job,
            len(delayables),
            batch_size,
            day,
            len(keys) - len(delayables),
        )

    @api.model
    def _dunning_follow_up(self, job, then, batch_keys, day):
        """The job run once every batch in ``batch_keys`` is done: its
        identity follows those batches, so a night queued again in part gets
        a follow-up of its own, and one queued again whole gets none."""
        then_model, then_method = then
        key = batch_identity(
            f"{job}-then", then_model, then_method, [], batch_keys, day
        )
        return getattr(
            self.env[then_model].delayable(
                max_retries=MAX_RETRIES,
                description=self._dunning_follow_up_description(job, then, day),
                identity_key=key,
            ),
            then_method,
        )()

    @api.model
    def _dunning_follow_up_description(self, job, then, day):
        if tuple(then) == ("dunning.communication", "_cron_render_letters"):
            return self.env._(
                "Reminder letters of %(day)s, once every customer is done", day=day
            )
        return self.env._(
            "Dunning %(job)s of %(day)s, once every batch is done: %(method)s",
            job=job,
            day=day,
            method=".".join(then),
        )

    @api.model
    def _dunning_queued_identities(self, keys):
        """The keys among ``keys`` of a job queued already, whatever became
        of it since (done, failed, running, waiting), except cancelled:
        queue_job's own check only looks at jobs that did not start yet."""
        if not keys:
            return set()
        jobs = (
            self.env["queue.job"]
            .sudo()
            .search([("identity_key", "in", keys), ("state", "!=", CANCELLED)])
        )
        return set(jobs.mapped("identity_key"))

    @api.model
    def _dunning_job_description(self, job, first, last, total, day):
        """What Job Queue shows for a batch, e.g. "Dunning escalation:
        customers 1-200 of 1,800, 2026-12-03"."""
        values = {
            "first": first,
            "last": last,
            "total": formatLang(self.env, total, digits=0),
            "day": day,
        }
        _ = self.env._
        if job == "escalation":
            return _(
                "Dunning escalation: customers %(first)s-%(last)s of %(total)s, %(day)s",
                **values,
            )
        if job == "score":
            return _(
                "Payment score: customers %(first)s-%(last)s of %(total)s, %(day)s",
                **values,
            )
        if job == "plan_monitor":
            return _(
                "Payment plan check: plans %(first)s-%(last)s of %(total)s, %(day)s",
                **values,
            )
        if job == "letters":
            return _(
                "Reminder letters: letters %(first)s-%(last)s of %(total)s, %(day)s",
                **values,
            )
        return _(
            "Dunning %(job)s: %(first)s-%(last)s of %(total)s, %(day)s",
            job=job,
            **values,
        )
