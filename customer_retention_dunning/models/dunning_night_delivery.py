"""How the night hands a chunk of fresh reminders on: each to its
collector's review queue or to its channel, in one savepoint each (a
reminder that cannot go fails alone, with the reason), with what they read
read once for the chunk, and the collectors' calls scheduled together
(:mod:`.dunning_night_calls`)."""

import logging
from collections import defaultdict
from contextlib import nullcontext

from odoo import models

_logger = logging.getLogger(__name__)

# the last promises a collector sees before calling
PROMISES_SHOWN = 3


class DunningCommunication(models.Model):
    _inherit = "dunning.communication"

    def _hand_over_made(self):
        """Hand these reminders, just made by the night, on. Letters wait
        to be printed (:meth:`_cron_render_letters`)."""
        promises = self._last_promises()
        emails = self.filtered(lambda c: c.channel == "email" and c.recipient_id.email)
        prepared = {}
        try:
            with self.env.cr.savepoint():
                prepared = emails._prepare_emails()
        except Exception:  # each e-mail then rendered on its own, and fails alone
            _logger.warning(
                "Dunning: the e-mails could not be rendered together", exc_info=True
            )
        try:
            # one savepoint for the chunk; should a reminder fail, each is
            # handed on again in a savepoint of its own, and fails alone
            with self.env.cr.savepoint():
                calls, queued = self._hand_over_each(promises, prepared, alone=False)
        except Exception:
            calls, queued = self._hand_over_each(promises, prepared, alone=True)
        if calls:
            self.browse([call.id for call in calls])._schedule_calls(promises)
        if queued:
            try:
                with self.env.cr.savepoint():
                    self.browse(queued)._log_emails_on_customers(promises)
            except Exception:  # the e-mails are queued: only the note is missing
                _logger.exception("Dunning: could not note the e-mails on customers")

    def _hand_over_each(self, promises, prepared, alone):
        """Hand each reminder on; ``alone``: each in a savepoint of its own,
        a reminder that cannot go failed with the reason.

        :return: ``(calls to schedule, ids of the e-mails queued)``
        """
        calls, queued = [], []
        for communication in self:
            try:
                with self.env.cr.savepoint() if alone else nullcontext():
                    if communication._needs_review():
                        # the personal touch: it waits in the collector's queue
                        communication._hold_for_review()
                        continue
                    communication._report_fallback()
                    if communication.channel == "phone":
                        calls.append(communication)
                    elif communication.channel == "email":
                        if alone or communication.id not in prepared:
                            communication._deliver_email(
                                promises=promises,
                                prepared=prepared.get(communication.id),
                                log=False,
                            )
                        # else queued with the chunk's others, below
                        queued.append(communication.id)
                    elif communication.channel != "letter":
                        getattr(communication, f"_deliver_{communication.channel}")(
                            promises=promises
                        )
            except Exception as error:
                if not alone:
                    raise
                _logger.exception("Dunning: reminder %s failed", communication.id)
                communication._mark_failed(str(error))
        if not alone:
            # the chunk's e-mails in one go: their messages, mails and
            # notifications made with one create each
            together = self.browse([id_ for id_ in queued if id_ in prepared])
            together._queue_emails(prepared)
        return calls, queued

    def _last_promises(self):
        """The last promises of these reminders' customers, each in the
        reminder's company, read at once.

        :return: ``{(partner id, company id): promises}``, newest first
        """
        found = (
            self.env["dunning.promise"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                    ("state", "!=", "cancelled"),
                ],
                order="date desc, id desc",
            )
        )
        last = defaultdict(lambda: found.browse())
        for promise in found:
            key = (promise.partner_id.id, promise.company_id.id)
            if len(last[key]) < PROMISES_SHOWN:
                last[key] |= promise
        return last

    def _promises_of(self, promises):
        """This reminder's customer's last promises, from ``promises`` (see
        :meth:`_last_promises`) when the chunk read them."""
        self.ensure_one()
        if promises is None:
            promises = self._last_promises()
        return promises[(self.partner_id.id, self.company_id.id)]
