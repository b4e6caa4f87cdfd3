"""Where the nightly work runs: one batch after the other in the cron's own
process here; spread over job workers by the queue_job bridge
(``customer_retention_dunning_queue``), which overrides :meth:`_run_batches`
alone."""

from odoo import api, models

from .cron_batches import run_in_batches


class DunningNight(models.AbstractModel):
    _name = "dunning.night"
    _description = "Dunning Night Batches"

    @api.model
    def _run_batches(
        self, job, model_name, method_name, ids, batch_size, *args, then=None
    ):
        """Call ``env[model_name].method_name(batch_ids, *args)`` for every
        batch of ``ids``. Each batch is a transaction of its own outside
        tests and fails alone (the batch methods isolate each customer).

        :param str job: what the batches do, for the log and for the job's
            identity (``escalation``, ``score``, ``plan_monitor``,
            ``letters``): a job of the same kind, day and batch is never
            queued twice
        :param args: JSON-serialisable arguments (dates as ISO strings), the
            same for every batch
        """
        method = getattr(self.env[model_name], method_name)
        results = []
        run_in_batches(
            self.env,
            list(ids),
            batch_size,
            lambda batch: results.append(method(batch, *args)),
        )
        if then:
            then_model, then_method = then
            getattr(self.env[then_model], then_method)()
        return results
