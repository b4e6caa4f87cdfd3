"""The nightly crons hand their batches to queue_job: one job per batch on
root.dunning, never queued twice the same day, the night's letters after
every customer; and as before, in the cron's process, when told so."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.customer_retention_dunning.tests.common import DunningTestCommon
from odoo.addons.customer_retention_dunning_queue.models.dunning_night import (
    MAX_RETRIES,
    batch_identity,
)
from odoo.addons.queue_job.job import Job

from .common import trap_jobs

TODAY = date(2026, 6, 30)
DAY = "2026-06-30"
CHANNEL = "root.dunning"
# jobs asked for inside a test (the main addon's own tests run the night in
# their process, as without queue_job)
QUEUE = {"dunning_queue_in_tests": True}


@tagged("post_install", "-at_install")
class TestNightJobs(DunningTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._give_customer_an_address()
        cls.customers = cls.customer
        for index in range(4):
            cls.customers |= cls.env["res.partner"].create(
                {
                    "name": f"Bakkerij Nummer {index + 2}",
                    "is_company": True,
                    "email": f"administratie{index + 2}@bakkerij.example.nl",
                    "street": f"Molenstraat {index + 2}",
                    "zip": "1011 AA",
                    "city": "Amsterdam",
                    "country_id": cls.env.ref("base.nl").id,
                }
            )
        cls.invoices = cls.env["account.move"]
        for customer in cls.customers:
            cls.invoices |= cls._invoice(
                500,
                TODAY - timedelta(days=60),
                TODAY - timedelta(days=30),
                partner=customer,
            )

    def setUp(self):
        super().setUp()
        # a job that may commit runs in a cursor of its own: here, one on
        # the test's transaction (as Odoo's browser tests do)
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _escalation(self, **context):
        return self.env["dunning.escalation"].sudo().with_context(**context)

    def _due_ids(self):
        return self.env["dunning.escalation"]._escalation_partner_ids(TODAY)

    def _reminders(self):
        return self.env["dunning.communication"].search(
            [("partner_id", "in", self.customers.ids)]
        )

    def _dunning_jobs(self):
        return (
            self.env["queue.job"]
            .sudo()
            .search([("channel", "=", CHANNEL)], order="date_created, id")
        )

    def _assert_one_reminder_each(self):
        self.env.invalidate_all()
        reminders = self._reminders()
        self.assertEqual(
            sorted(reminders.partner_id.ids),
            sorted(self.customers.ids),
            "every due customer gets one reminder, none gets two",
        )
        self.assertEqual(set(reminders.mapped("date")), {TODAY})

    # ------------------------------------------------------------
    # TESTS
    # ------------------------------------------------------------

    def test_the_escalation_queues_one_job_per_batch_on_the_dunning_channel(self):
        due = self._due_ids()
        self.assertEqual(sorted(due), sorted(self.customers.ids))
        batches = [due[0:2], due[2:4], due[4:5]]
        with freeze_time(TODAY), trap_jobs() as trap:
            self._escalation(**QUEUE)._cron_escalate(batch_size=2)
            escalate = self.env["dunning.escalation"]._escalate_batch
            trap.assert_jobs_count(3, only=escalate)
            for index, batch in enumerate(batches):
                first = 2 * index + 1
                trap.assert_enqueued_job(
                    escalate,
                    args=(batch, DAY),
                    properties={
                        "identity_key": batch_identity(
                            "escalation",
                            "dunning.escalation",
                            "_escalate_batch",
                            batch,
                            (DAY,),
                            DAY,
                        ),
                        "max_retries": MAX_RETRIES,
                        "description": f"Dunning escalation: customers "
                        f"{first}-{first + len(batch) - 1} of 5, {DAY}",
                    },
                )
            # the night's letters, once
            trap.assert_jobs_count(
                1, only=self.env["dunning.communication"]._cron_render_letters
            )
            trap.assert_jobs_count(4)
            self.assertEqual({job.channel for job in trap.enqueued_jobs}, {CHANNEL})
            keys = [job.identity_key for job in trap.enqueued_jobs]
            self.assertEqual(len(set(keys)), 4, "each job has an identity of its own")
            # queued, not done: nobody was reminded yet
            self.assertFalse(self._reminders())

    def test_the_same_day_again_queues_nothing_new(self):
        with freeze_time(TODAY):
            self._escalation(**QUEUE)._cron_escalate(batch_size=2)
            first = self._dunning_jobs()
            self.assertEqual(len(first), 4, "3 batches and the night's letters")
            self._escalation(**QUEUE)._cron_escalate(batch_size=2)
            self.assertEqual(self._dunning_jobs(), first)
            # not even once the jobs ran (queue_job alone would queue them
            # again: it only compares with jobs that did not start)
            first.write({"state": "done"})
            self._escalation(**QUEUE)._cron_escalate(batch_size=2)
            self.assertEqual(self._dunning_jobs(), first)
            # a batch someone cancelled is queued again, with letters after it
            cancelled = first.filtered(lambda job: job.method_name == "_escalate_batch")
            cancelled[0].write({"state": "cancelled"})
            self._escalation(**QUEUE)._cron_escalate(batch_size=2)
            again = self._dunning_jobs() - first
            self.assertEqual(
                sorted(again.mapped("method_name")),
                ["_cron_render_letters", "_escalate_batch"],
            )
            self.assertEqual(
                again.filtered(lambda job: job.method_name == "_escalate_batch").args,
                cancelled[0].args,
            )
        with freeze_time(TODAY + timedelta(days=1)):
            self._escalation(**QUEUE)._cron_escalate(batch_size=2)
        # the next day is another night
        self.assertEqual(len(self._dunning_jobs() - first - again), 4)

    def test_the_queued_jobs_remind_every_due_customer_once(self):
        with freeze_time(TODAY), trap_jobs() as trap:
            self._escalation(**QUEUE)._cron_escalate(batch_size=2)
            self.assertFalse(self._reminders())
            trap.perform_enqueued_jobs()
            self._assert_one_reminder_each()
        # a job performed twice (a retry after a lost connection) sends
        # nothing new either: the escalation is once a day by itself
        with freeze_time(TODAY):
            self.env["dunning.escalation"].sudo()._escalate_batch(self._due_ids(), DAY)
        self._assert_one_reminder_each()

    def test_the_letters_wait_for_every_escalation_batch(self):
        with freeze_time(TODAY):
            self._escalation(**QUEUE)._cron_escalate(batch_size=2)
        jobs = self._dunning_jobs()
        batches = jobs.filtered(lambda job: job.method_name == "_escalate_batch")
        letters = jobs.filtered(lambda job: job.method_name == "_cron_render_letters")
        self.assertEqual(len(batches), 3)
        self.assertEqual(set(batches.mapped("state")), {"pending"})
        self.assertEqual(letters.state, "wait_dependencies")
        self.assertEqual(
            set(letters.dependencies["depends_on"]), set(batches.mapped("uuid"))
        )
        self.assertEqual(letters.model_name, "dunning.communication")
        self.assertEqual(len(set(jobs.mapped("graph_uuid"))), 1)
        # the letters start only once the last batch is done
        for batch in batches:
            self.assertEqual(letters.state, "wait_dependencies")
            job = Job.load(self.env, batch.uuid)
            job.set_done()
            job.store()
            # as queue_job's runner does once a job is done
            self.env.flush_all()
            job.enqueue_waiting()
        self.assertEqual(letters.state, "pending")

    def test_the_score_and_plan_crons_queue_their_batches(self):
        partners = self.env["res.partner"]
        scored = partners._payment_score_partner_ids()
        self.assertTrue(set(self.customers.ids) <= set(scored))
        self.customers.sudo().write({"payment_score_date": False})
        plans = self._active_plans()
        with freeze_time(TODAY), trap_jobs() as trap:
            partners.with_context(**QUEUE)._cron_compute_payment_score(batch_size=2)
            score = partners._payment_score_batch
            batches = [scored[index : index + 2] for index in range(0, len(scored), 2)]
            trap.assert_jobs_count(len(batches), only=score)
            for batch in batches:
                trap.assert_enqueued_job(
                    score,
                    args=(batch,),
                    properties={
                        # no day among its arguments: the key has it
                        "identity_key": batch_identity(
                            "score",
                            "res.partner",
                            "_payment_score_batch",
                            batch,
                            (),
                            DAY,
                        ),
                    },
                )
            self.env["payment.plan"].sudo().with_context(**QUEUE)._cron_monitor(
                batch_size=1
            )
            monitor = self.env["payment.plan"]._monitor_batch
            trap.assert_jobs_count(2, only=monitor)
            for plan in plans:
                trap.assert_enqueued_job(
                    monitor,
                    args=([plan.id], DAY),
                    properties={
                        "identity_key": batch_identity(
                            "plan_monitor",
                            "payment.plan",
                            "_monitor_batch",
                            [plan.id],
                            (DAY,),
                            DAY,
                        ),
                    },
                )
            self.assertEqual({job.channel for job in trap.enqueued_jobs}, {CHANNEL})
            self.assertFalse(any(self.customers.mapped("payment_score_date")))
            trap.perform_enqueued_jobs()
        self.env.invalidate_all()
        self.assertTrue(all(self.customers.mapped("payment_score_date")))

    def test_the_letters_cron_queues_its_batches(self):
        with freeze_time(TODAY):
            self._escalation(dunning_no_queue=True)._cron_escalate()
        letters = self._reminders()
        self.assertTrue(letters)
        # the letters cron picks what waits for its PDF: made so here
        letters.sudo().write({"channel": "letter", "state": "queued"})
        letters.sudo().attachment_id = False
        with freeze_time(TODAY), trap_jobs() as trap:
            self.env["dunning.communication"].with_context(
                **QUEUE
            )._cron_render_letters()
            trap.assert_jobs_count(1)
            trap.assert_enqueued_job(
                self.env["dunning.communication"]._render_letter_batch,
                args=(sorted(letters.ids),),
                properties={
                    "identity_key": batch_identity(
                        "letters",
                        "dunning.communication",
                        "_render_letter_batch",
                        sorted(letters.ids),
                        (),
                        DAY,
                    ),
                    "description": f"Reminder letters: letters 1-5 of 5, {DAY}",
                },
            )

    def _assert_the_night_runs_in_process(self, context):
        self.customers.sudo().write({"payment_score_date": False})
        with freeze_time(TODAY), trap_jobs() as trap:
            self._escalation(**context)._cron_escalate(batch_size=2)
            self.env["res.partner"].with_context(**context)._cron_compute_payment_score(
                batch_size=2
            )
            trap.assert_jobs_count(0)
        self.assertFalse(self._dunning_jobs())
        self._assert_one_reminder_each()
        self.assertTrue(all(self.customers.mapped("payment_score_date")))

    def test_with_dunning_no_queue_the_crons_work_in_process_as_before(self):
        self._assert_the_night_runs_in_process({**QUEUE, "dunning_no_queue": True})

    def test_when_queue_job_runs_jobs_at_once_the_crons_work_in_process(self):
        self._assert_the_night_runs_in_process({**QUEUE, "queue_job__no_delay": True})

    def test_a_test_that_did_not_ask_for_jobs_runs_the_night_in_process(self):
        self._assert_the_night_runs_in_process({})

    def test_a_batch_is_described_for_the_job_queue(self):
        night = self.env["dunning.night"]
        self.assertEqual(
            night._dunning_job_description("escalation", 1, 200, 1800, "2026-12-03"),
            "Dunning escalation: customers 1-200 of 1,800, 2026-12-03",
        )
        self.assertEqual(
            night._dunning_job_description("reports", 201, 300, 300, "2026-12-03"),
            "Dunning reports: 201-300 of 300, 2026-12-03",
        )

    # ------------------------------------------------------------
    # FIXTURES
    # ------------------------------------------------------------

    def _active_plans(self):
        """Two approved payment plans, as in the main addon's tests."""
        self.env.company.write({"payment_plan_min_instalment": 10.0})
        approver = self._user(
            "carla.queue",
            self.env.ref("customer_retention_dunning.group_credit_manager"),
        )
        plans = self.env["payment.plan"]
        for invoice in self.invoices[:2]:
            with freeze_time(TODAY):
                wizard = self.env["payment.plan.wizard"].create(
                    {
                        "move_ids": [Command.set(invoice.ids)],
                        "installment_count": 2,
                        "frequency": "monthly",
                        "first_date": TODAY + timedelta(days=5),
                    }
                )
                plan = plans.browse(wizard.action_create()["res_id"])
                plan.action_submit()
                plan.with_user(approver).action_approve()
            plans |= plan
        return plans.sorted("id")
