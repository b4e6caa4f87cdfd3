"""Benchmark: the dunning night spread over queue_job workers
(customer_retention_dunning_queue), one worker process against two at once.

Runs on a copy of a benchmark book with the bridge installed (bench/
run_queue.sh makes it). Each run starts from a clean slate (communications,
invoice dunning state and the dunning jobs reset, as bench_escalation.py
does), then:

1. in-process: the night as without queue_job (``dunning_no_queue``), the
   reference for who is due and what a night costs in one process;
2. for each number of workers: the cron queues the night's jobs (here, as
   the scheduler would), then that many worker processes are started at
   once. Each is an Odoo server of its own on the same database: it takes
   the next runnable job of ``root.dunning`` with ``FOR UPDATE SKIP
   LOCKED`` (as queue_job's runner marks one enqueued) and runs it through
   queue_job's own ``/queue_job/runjob`` code (started, performed, done,
   its dependent jobs released), until none is left.

After each run: no customer has two reminders for the same day, company and
channel; the customers reminded are those of the in-process night, each
once; every letter has its PDF; no job failed. One JSON line on stdout.

    python bench/bench_queue.py -c CONFIG [--workers 1,2] [--batch-size 200] [--repeat N]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import odoo
from odoo import SUPERUSER_ID, api, fields

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench.bench_escalation import _reset as reset_book  # noqa: E402

CHANNEL = "root.dunning"
UNFINISHED = ("wait_dependencies", "pending", "enqueued", "started")
LOG = ["--log-level=warn", "--log-handler=odoo.tools.translate:ERROR"]


# ----------------------------------------------------------------------
# the worker: a process of its own, an Odoo server without HTTP
# ----------------------------------------------------------------------


def _take_job(cr):
    """The next runnable job of the channel, marked enqueued (what queue_job's
    runner does before it asks a worker to run it), or None. Two workers
    never take the same one: the row is locked and skipped by the other."""
    # as queue_job's runner (autocommit): a row another worker changed
    # since this transaction began is skipped or read anew, not an error
    cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
    cr.execute(
        """
        UPDATE queue_job
           SET state = 'enqueued', date_enqueued = now() AT TIME ZONE 'utc'
         WHERE id = (
                SELECT id FROM queue_job
                 WHERE state = 'pending'
                   AND (channel = %(channel)s OR channel LIKE %(sub)s)
                   AND (eta IS NULL OR eta <= now() AT TIME ZONE 'utc')
                 ORDER BY priority, date_created, id
                 LIMIT 1
                   FOR UPDATE SKIP LOCKED
               )
        RETURNING uuid
        """,
        {"channel": CHANNEL, "sub": f"{CHANNEL}.%"},
    )
    row = cr.fetchone()
    cr.commit()
    return row and row[0]


def _left(cr):
    """Jobs of the channel not finished: ``{state: count}``."""
    cr.execute(
        """
        SELECT state, count(*) FROM queue_job
         WHERE (channel = %s OR channel LIKE %s) AND state IN %s
         GROUP BY state
        """,
        [CHANNEL, f"{CHANNEL}.%", UNFINISHED],
    )
    counts = dict(cr.fetchall())
    cr.commit()
    return counts


def worker(config):
    odoo.tools.config.parse_config(["-c", config, *LOG])
    registry = odoo.modules.registry.Registry(odoo.tools.config["db_name"])
    # queue_job's own code that runs a job (its /queue_job/runjob route)
    from odoo.addons.queue_job.controllers.main import RunJobController

    print("ready", flush=True)
    sys.stdin.readline()  # go
    start = time.perf_counter()
    cpu_start = _own_cpu()
    database_start = _database_cpu(registry)
    done = failed = 0
    idle = 0.0
    while True:
        with registry.cursor() as cr:
            uuid = _take_job(cr)
            if not uuid:
                left = _left(cr)
                # done, or only jobs waiting for one that failed
                if set(left) <= {"wait_dependencies"}:
                    break
                # another worker runs the last batches the letters wait for
                time.sleep(0.05)
                idle += 0.05
                continue
            env = api.Environment(cr, SUPERUSER_ID, {})
            job = RunJobController._acquire_job(env, uuid)
            if not job:
                continue
            try:
                RunJobController._runjob(env, job)
                done += 1
            except Exception:  # marked failed by queue_job, with the reason
                failed += 1
    print(
        json.dumps(
            {
                "pid": os.getpid(),
                "jobs": done,
                "failed": failed,
                "seconds": round(time.perf_counter() - start, 2),
                "idle_seconds": round(idle, 2),
                # Odoo's Python (and the PDF engine it starts), then the
                # database server's work for it
                "cpu_seconds": round(_own_cpu() - cpu_start, 1),
                "database_cpu_seconds": round(
                    sum(
                        seconds - database_start.get(pid, 0)
                        for pid, seconds in _database_cpu(registry).items()
                    ),
                    1,
                ),
            }
        ),
        flush=True,
    )


def _own_cpu():
    """CPU seconds of this process and of the processes it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _database_cpu(registry):
    """CPU seconds so far of the PostgreSQL server processes of this
    process's connections (read from /proc: the database is on this
    machine), by server process."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for connection, _used, _last in odoo.sql_db._Pool._connections:
        pid = connection.get_backend_pid()
        try:
            with open(f"/proc/{pid}/stat") as stat:
                values = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        seconds[pid] = (int(values[11]) + int(values[12])) / ticks
    return seconds


# ----------------------------------------------------------------------
# the bench
# ----------------------------------------------------------------------


def _reset(env):
    """A clean slate, as bench_escalation.py makes it, and no job of the
    channel (their identities would keep the night from being queued)."""
    env.cr.execute(
        "DELETE FROM queue_job WHERE channel = %s OR channel LIKE %s",
        [CHANNEL, f"{CHANNEL}.%"],
    )
    reset_book(env)


def _outcome(env, today):
    """What the night did: reminders per customer, duplicates, letters."""
    env.cr.execute(
        """
        SELECT count(*) FROM (
            SELECT partner_id, company_id, channel, date
              FROM dunning_communication
             GROUP BY partner_id, company_id, channel, date
            HAVING count(*) > 1
        ) twice
        """
    )
    duplicates = env.cr.fetchone()[0]
    env.cr.execute(
        "SELECT partner_id, count(*) FROM dunning_communication WHERE date = %s "
        "GROUP BY partner_id",
        [today],
    )
    per_partner = dict(env.cr.fetchall())
    env.cr.execute(
        """
        SELECT channel, count(*), count(attachment_id)
          FROM dunning_communication WHERE date = %s GROUP BY channel
        """,
        [today],
    )
    by_channel, letters_without_pdf = {}, 0
    for channel, count, with_pdf in env.cr.fetchall():
        by_channel[channel] = count
        if channel == "letter":
            letters_without_pdf = count - with_pdf
    env.cr.execute(
        "SELECT state, count(*) FROM queue_job WHERE channel = %s OR channel LIKE %s "
        "GROUP BY state",
        [CHANNEL, f"{CHANNEL}.%"],
    )
    jobs = dict(env.cr.fetchall())
    env.cr.commit()
    return {
        "per_partner": per_partner,
        "duplicates": duplicates,
        "by_channel": by_channel,
        "letters_without_pdf": letters_without_pdf,
        "jobs": jobs,
    }


def _in_process(registry, today, batch_size):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        _reset(env)
        start = time.perf_counter()
        env["dunning.escalation"].with_context(dunning_no_queue=True)._cron_escalate(
            batch_size=batch_size
        )
        cr.commit()
        seconds = time.perf_counter() - start
        return seconds, _outcome(env, today)


def _with_workers(registry, config, today, batch_size, workers):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        _reset(env)
        # the processes start (and load Odoo) before the clock does, as the
        # workers of a running server are there before the night
        processes = [
            subprocess.Popen(
                [sys.executable, __file__, "--worker", "-c", config],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _i in range(workers)
        ]
        for process in processes:
            if process.stdout.readline().strip() != "ready":
                raise RuntimeError("a worker did not start")
        start = time.perf_counter()
        env["dunning.escalation"]._cron_escalate(batch_size=batch_size)
        cr.commit()
        enqueued = time.perf_counter() - start
        env.cr.execute("SELECT count(*) FROM queue_job WHERE channel = %s", [CHANNEL])
        queued = env.cr.fetchone()[0]
        env.cr.commit()
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        reports = []
        for process in processes:
            reports.append(json.loads(process.stdout.readline()))
            process.wait()
        seconds = time.perf_counter() - start
        return enqueued, queued, seconds, reports, _outcome(env, today)


def _check(outcome, reference):
    """The night's promises: nobody twice, everybody due once, every letter
    printed, no job failed."""
    return {
        "duplicates": outcome["duplicates"],
        "customers_reminded": len(outcome["per_partner"]),
        "customers_reminded_twice": sum(
            1 for count in outcome["per_partner"].values() if count > 1
        ),
        "due_customers_missed": len(
            set(reference["per_partner"]) - set(outcome["per_partner"])
        ),
        "reminded_beyond_reference": len(
            set(outcome["per_partner"]) - set(reference["per_partner"])
        ),
        "by_channel": outcome["by_channel"],
        "letters_without_pdf": outcome["letters_without_pdf"],
        "jobs": outcome["jobs"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument(
        "--batch-size",
        type=int,
        default=200,
        help="customers a job (200, the cron's own; each job costs a few "
        "transactions more, so smaller batches cost more than they share)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each configuration"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.config)
    odoo.tools.config.parse_config(["-c", args.config, *LOG])
    registry = odoo.modules.registry.Registry(odoo.tools.config["db_name"])
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if "customer_retention_dunning_queue" not in env.registry._init_modules:
            sys.exit("customer_retention_dunning_queue is not installed here")
        today = fields.Date.context_today(env["res.partner"])
        # the scores the profiles follow, as bench_escalation.py does first
        env["res.partner"].with_context(
            dunning_no_queue=True
        )._cron_compute_payment_score()
        cr.commit()
        env.cr.execute(
            "SELECT count(*) FROM account_move WHERE move_type = 'out_invoice' "
            "AND state = 'posted' AND payment_state IN ('not_paid', 'partial')"
        )
        open_invoices = env.cr.fetchone()[0]
        due = len(env["dunning.escalation"]._escalation_partner_ids(today))
    seconds, reference = _in_process(registry, today, args.batch_size)
    result = {
        "database": odoo.tools.config["db_name"],
        "cpus": os.cpu_count(),
        "open_invoices": open_invoices,
        "customers_due_or_nearly": due,
        "batch_size": args.batch_size,
        "in_process": {
            "wall_seconds": round(seconds, 1),
            **_check(reference, reference),
        },
    }
    counts = [int(count) for count in args.workers.split(",")]
    walls = {workers: [] for workers in counts}
    # the configurations in turn, each ``--repeat`` times: a machine that is
    # busy with something else for a while weighs on all of them alike; the
    # best of each is reported (the checks hold for every run)
    for _round in range(args.repeat):
        for workers in counts:
            enqueued, queued, wall, reports, outcome = _with_workers(
                registry, args.config, today, args.batch_size, workers
            )
            walls[workers].append(wall)
            checked = _check(outcome, reference)
            key = f"workers_{workers}"
            if key in result and result[key]["wall_seconds"] <= wall:
                result[key]["wall_seconds_all"].append(round(wall, 1))
                result[key]["duplicates"] += checked["duplicates"]
                result[key]["due_customers_missed"] += checked["due_customers_missed"]
                continue
            result[key] = {
                "wall_seconds": round(wall, 1),
                "wall_seconds_all": [
                    *result.get(key, {}).get("wall_seconds_all", []),
                    round(wall, 1),
                ],
                "cron_seconds": round(enqueued, 1),
                "jobs_queued_by_cron": queued,
                "per_worker": reports,
                **checked,
                # the checks of the other runs of this configuration
                "duplicates": checked["duplicates"]
                + result.get(key, {}).get("duplicates", 0),
                "due_customers_missed": checked["due_customers_missed"]
                + result.get(key, {}).get("due_customers_missed", 0),
            }
    best = {workers: min(seconds) for workers, seconds in walls.items()}
    if 1 in best and len(best) > 1:
        most = max(best)
        result[f"speedup_{most}_workers"] = round(best[1] / best[most], 2)
    result["speedup_2_workers_vs_in_process"] = (
        round(seconds / best[2], 2) if 2 in best else None
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
