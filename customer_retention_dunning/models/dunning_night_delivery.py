"""How the night hands a chunk of fresh reminders on: each to its
collector's review queue or to its channel, in one savepoint each (a
reminder that cannot go fails alone, with the reason), with what they read
read once for the chunk, and the collectors' calls scheduled together."""

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

    def _schedule_calls(self, promises):
        """The collectors' calls for these reminders, scheduled together;
        should that fail, each on its own (and a call that cannot be
        scheduled fails its reminder alone)."""
        try:
            with self.env.cr.savepoint():
                self._call_activities(promises)
        except Exception:
            _logger.warning(
                "Dunning: the calls could not be scheduled together", exc_info=True
            )
            for call in self:
                try:
                    with self.env.cr.savepoint():
                        call._call_activities(promises)
                except Exception as error:
                    _logger.exception("Dunning: reminder %s failed", call.id)
                    call._mark_failed(str(error))

    def _call_activities(self, promises):
        call_type = self.env.ref("mail.mail_activity_data_call")
        ask = self.env._("Ask for a date of payment")
        # no e-mail to the collector per call: the calls wait in
        # their activities and My Collections (Odoo would send one each)
        activities = (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "activity_type_id": call_type.id,
                        "summary": self.env._(
                            "Call about overdue invoices (%s)", call.level_id.name
                        ),
                        "automated": True,
                        "note": call._summary_html(ask, promises=promises),
                        "date_deadline": call.date,
                        "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                        "res_id": call.partner_id.id,
                        "user_id": call.user_id.id or self.env.user.id,
                    }
                    for call in self
                ]
            )
        )
        for call, activity in zip(self, activities, strict=True):
            call.activity_id = activity
