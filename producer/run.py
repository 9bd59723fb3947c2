"""`turnout run`: the whole job here: Redis, simulators if needed, workers, submit, wait, report."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

from rich.console import Console

from producer.calibrate import Calibration
from producer.export import open_results_file
from producer.interrupts import ignore_interrupts, stop_if_terminated
from producer.loaders import LoadedDocument, Rejection
from producer.local_stack import (
    StackError,
    WorkerProcess,
    check_hosts,
    embedded_defaults,
    wait_for_workers,
)
from producer.render import (
    print_rejections,
    print_report,
    print_taken_over,
    watch_batch,
    window_progress,
)
from producer.resume import resume_advice
from producer.submit import SubmitSummary, submission_window, submit_batch
from worker.budget.view import BudgetView, current_budget
from worker.celery_app import create_app
from worker.queues import POOLS
from worker.runtime import Policies
from worker.schema import BatchReport, Sensitivity, TaskSpec
from worker.settings import Settings
from worker.store import Store
from worker.store.lifecycle import Retention


@dataclass(frozen=True)
class RunOutcome:
    summary: SubmitSummary
    report: BatchReport
    results_path: Path
    simulated: bool
    budget: BudgetView | None = None  # the batch's cap and the providers' windows (docs/budgets.md)


def run_batch(
    settings: Settings,
    documents: Iterable[LoadedDocument | Rejection],
    task: TaskSpec,
    *,
    console: Console,
    output: Path | None,
    floor: Sensitivity | None = None,
    timeout_s: float | None = None,
    deadline_s: float | None = None,
    cloud_share: Calibration | None = None,
    max_cost_usd: Decimal | None = None,
    inputs: tuple[str, ...] = (),
    text_field: str | None = None,
) -> RunOutcome:
    Policies.load(settings)  # a bad config stops us before anything starts
    if settings.broker_url:
        ping_broker(settings.broker_url)  # one line in seconds, not kombu's retries and a traceback
    embedded = not settings.broker_url
    started: list[str] = []  # what this run started, named when Ctrl-C stops it before it submits
    created: list[str] = []  # the batch, once it exists
    with said_if_interrupted_at_start(console, started, created), ExitStack() as stack:
        settings, simulated = embedded_defaults(settings, stack, console, started)
        if not simulated:  # the built-in simulators are what they say they are
            check_hosts(settings, console)

        # The workers' logs say why a job failed or fell back: kept when one did, deleted otherwise.
        log_dir = Path(tempfile.mkdtemp(prefix="turnout-run-"))
        keep_logs = [False]

        def drop_logs() -> None:
            if not keep_logs[0]:
                shutil.rmtree(log_dir, ignore_errors=True)

        stack.callback(drop_logs)
        workers: list[WorkerProcess] = []
        for pool in POOLS:
            worker = WorkerProcess(pool, settings.worker_environment(), log_dir / f"worker-{pool}.log")
            stack.callback(worker.stop)  # before it starts: a SIGTERM in between must not orphan it
            started.append("a worker")
            workers.append(worker.start())
        app = create_app(settings)
        store = Store.from_url(str(settings.broker_url), retention=Retention.of(settings))
        stack.callback(store.close)

        def workers_alive() -> None:
            stop_if_terminated()
            for worker in workers:
                if not worker.alive():
                    log = worker.log_path.read_text(errors="replace")[-2000:]
                    raise StackError(f"the {worker.pool} worker exited; last lines of its log:\n{log}")

        try:
            wait_for_workers(app, [w.node_name for w in workers], timeout_s=90)
        except StackError:
            workers_alive()
            raise
        try:
            summary = submit_batch(
                store,
                app,
                documents,
                task,
                floor=floor,
                deadline_s=deadline_s,
                cloud_share=cloud_share,
                max_cost_usd=max_cost_usd,
                inputs=inputs,  # on the manifest: `turnout submit --resume` can finish it on a shared Redis
                text_field=text_field,
                max_in_flight=submission_window(settings, task, deadline_s),
                on_wait=window_progress(console),
                on_created=created.append,
            )
        except KeyboardInterrupt:
            if not created:
                raise  # nothing stored yet: said as a start that was interrupted
            path = output or Path(f"{created[0]}.results.jsonl")
            interrupted(store, created[0], path, console, embedded=embedded, inputs=inputs)
        print_rejections(console, summary.rejected)
        print_taken_over(console, summary)
        results_path = output or Path(f"{summary.batch_id}.results.jsonl")
        try:
            report = watch_batch(store, summary.batch_id, console, check=workers_alive, timeout_s=timeout_s)
        except KeyboardInterrupt:
            interrupted(store, summary.batch_id, results_path, console, embedded=embedded)
        write_results(store, summary.batch_id, results_path)
        print_report(console, report)
        fell_back = sum(1 for r in store.iter_results(summary.batch_id) if r.fallback_from is not None)
        if report.failed or fell_back:
            keep_logs[0] = True
            console.print(
                f"worker logs kept ({report.failed} failed, {fell_back} fell back): {log_dir}",
                highlight=False,
            )
        budget = current_budget(store, summary.batch_id, settings.config_dir)
        for line in budget.lines(bound=True) if budget is not None else []:
            console.print(line, highlight=False)
        console.print(f"results: {results_path}")
        return RunOutcome(
            summary=summary, report=report, results_path=results_path, simulated=simulated, budget=budget
        )


@contextmanager
def said_if_interrupted_at_start(console: Console, started: list[str], created: list[str]) -> Iterator[None]:
    """Ctrl-C before the batch exists: one line saying what was stopped (the stack around this block has
    stopped it by then) and that nothing was submitted, and exit 130; not click's bare "Aborted!"."""
    try:
        yield
    except KeyboardInterrupt:
        if created:
            raise
        workers = started.count("a worker")
        parts = [part for part in started if part != "a worker"]
        if workers:
            parts.append(f"{workers} worker process{'es' * (workers != 1)}")
        what = (", ".join(parts[:-1]) + " and " + parts[-1]) if len(parts) > 1 else "".join(parts)
        stopped = f"stopped {what} it had started" if what else "nothing had been started"
        console.print(
            f"interrupted while starting: {stopped}; nothing was submitted", highlight=False, soft_wrap=True
        )
        # Handled: the exit is all that is left. A second interrupt now (a late one noted while a child
        # started, or another Ctrl-C) would escape as a bare KeyboardInterrupt and end the process by
        # SIGINT (-2) instead of 130; seen once in CI on a loaded machine.
        ignore_interrupts()
        raise SystemExit(130) from None


def ping_broker(url: str, timeout_s: float = 3.0) -> None:
    """Raise redis.ConnectionError (with host and port, never the password) unless the broker answers."""
    probe = Store.for_watching(url, timeout_s)  # not from_url's client, which retries for a minute
    try:
        probe.ping()
    finally:
        probe.close()


def interrupted(
    store: Store, batch_id: str, path: Path, console: Console, *, embedded: bool, inputs: tuple[str, ...] = ()
) -> NoReturn:
    """Ctrl-C while the batch runs: write the results finished so far, say where and what is left, exit
    130. The workers then stop (a running job finishes first); an embedded Redis goes with them.
    Ctrl-C while it is being submitted: the same, and how to finish the submission (shared Redis)."""
    written = write_results(store, batch_id, path)
    report = store.report(batch_id)
    left = report.pending
    console.print(f"interrupted: {written} finished results written to {path}", highlight=False)
    if not report.sealed and not embedded:
        console.print(
            f"the submission of {batch_id} stopped after {report.jobs} documents: finish it with "
            f"{resume_advice(batch_id, inputs)}",
            highlight=False,
            soft_wrap=True,
        )
    if left and embedded:
        console.print(
            f"{left} jobs were not finished and go with the embedded Redis, which stops with this "
            "command (set TURNOUT_BROKER_URL to keep a batch's queued jobs across runs)",
            highlight=False,
        )
    elif left:
        console.print(
            f"{left} jobs were not finished; they stay queued in TURNOUT_BROKER_URL's Redis: start workers "
            f"(`turnout worker --pool classify|local|cloud`), then `turnout status {batch_id} --watch` "
            f"and `turnout results {batch_id}`",
            highlight=False,
            soft_wrap=True,
        )
    raise SystemExit(130)


def write_results(store: Store, batch_id: str, path: Path) -> int:
    """Write a batch's results as JSONL to `path`, readable by its owner only (they quote documents)."""
    count = 0
    with open_results_file(path) as out:
        for result in store.iter_results(batch_id):
            out.write(result.model_dump_json() + "\n")
            count += 1
    return count
