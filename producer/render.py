"""What the user sees: the report table, progress, and the simulated-backends notice."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from worker.schema import BatchReport
from worker.store import Store

if TYPE_CHECKING:
    from producer.submit import SubmitSummary

SIMULATED_NOTICE = (
    "SIMULATED BACKENDS: no Ollama host (TURNOUT_OLLAMA_HOSTS / OLLAMA_HOST) and no OpenAI API "
    "(OPENAI_API_KEY / OPENAI_BASE_URL) are configured, so Turnout started its built-in simulators. "
    "Outputs are placeholders, not model answers; routing, usage and costs are computed for real."
)


def report_table(report: BatchReport) -> Table:
    title = f"Batch {report.batch_id} — {'done' if report.done else 'in progress'}"
    table = Table(title=title, title_justify="left")
    for column in ("route", "jobs", "input tokens", "output tokens", "cost (USD)", "saved (USD)"):
        table.add_column(column, justify="left" if column == "route" else "right")
    for route, totals in report.by_route.items():
        table.add_row(
            route,
            str(totals.jobs),
            f"{totals.input_tokens:,}",
            f"{totals.output_tokens:,}",
            f"{totals.cost_usd:.6f}",
            f"{totals.savings_usd:.6f}",  # against the all-cloud baseline (cloud-batch: the batch discount)
        )
    table.add_section()
    table.add_row("total", str(report.jobs), "", "", f"{report.cost_usd:.6f}", f"{report.savings_usd:.6f}")
    table.caption = (
        f"succeeded {report.succeeded} · failed {report.failed} · rejected {report.rejected} · "
        f"pending {report.pending}{taken_over(report)}\n"
        f"all-cloud baseline ${report.baseline_cost_usd:.6f} · savings ${report.savings_usd:.6f} "
        f"({report.savings_pct:.1f}%) · {report.duration_s:.1f}s"
        + cloud_share_line(report)
        + second_line_line(report)
    )
    table.caption_justify = "left"
    return table


def taken_over(report: BatchReport) -> str:
    """The jobs whose result is an identical job's: run and billed once, in the batch that ran it."""
    parts = [
        f"reused {report.reused}" if report.reused else "",
        f"joined {report.joined}" if report.joined else "",
    ]
    shown = " · ".join(part for part in parts if part)
    return f" · {shown} (no cost here: billed where they ran)" if shown else ""


def print_taken_over(console: Console, summary: SubmitSummary) -> None:
    """What a submission did not send to run: earlier results reused, identical jobs in flight joined."""
    if summary.reused:
        console.print(f"reused {summary.reused} (use --force to run again)", highlight=False)
    if summary.joined:
        console.print(f"joined {summary.joined} in flight (use --force to run again)", highlight=False)


def shown_threshold(threshold: float) -> str:
    """A calibrated threshold as every command prints it: rounded once to the 6 places the store keeps
    for display, then to 3, so `submit` and `report` never differ in the last digit (0.506 vs 0.505)."""
    return f"{round(threshold, 6):.3f}"


def cloud_share_line(report: BatchReport) -> str:
    """How much of the cloud-allowed work went to the cloud, and the calibration behind it if asked."""
    share = report.cloud_share
    if not share.cloud_allowed_jobs and share.target is None:
        return ""
    line = (
        f"\ncloud share: {share.cloud_jobs}/{share.cloud_allowed_jobs} cloud-allowed jobs routed to the cloud "
        f"({share.achieved:.1%})"
    )
    # Routed is not run: a job the cloud failed may have fallen back to local (results: fallback_reason).
    ran = sum(totals.jobs for route, totals in report.by_route.items() if route != "local")
    if report.done and ran < share.cloud_jobs:
        line += f", {share.cloud_jobs - ran} of them ran locally after the cloud failed"
    if share.target is not None and share.threshold is not None:
        line += f" · target {share.target:.0%}, complexity threshold {shown_threshold(share.threshold)}"
    return line


def second_line_line(report: BatchReport) -> str:
    """What the local model's checks of cloud-bound documents decided and cost (docs/classifier.md);
    their cost is also inside the jobs' costs above."""
    line = report.second_line
    failed = line.kept_local_unavailable + line.kept_local_unparseable
    if not line.checked and not failed:
        return ""
    latency = f" · {line.mean_latency_ms:,.0f} ms per check" if line.mean_latency_ms is not None else ""
    return (
        f"\nsecond line: {line.checked + line.kept_local_unavailable} cloud-bound documents checked locally · "
        f"kept local: {line.kept_local_sensitive} sensitive, {failed} check failed · "
        f"{line.input_tokens + line.output_tokens:,} tokens · ${line.cost_usd:.6f}{latency}"
    )


def local_cost_table(report: BatchReport) -> Table | None:
    """What the local GPUs cost per million local tokens, busy and with idle hosts counted, next to the
    cloud baseline's price for the same tokens (docs/tco.md). None when nothing ran locally."""
    cost = report.local_cost
    tokens = cost.input_tokens + cost.output_tokens
    if not tokens or cost.busy_usd_per_mtok is None:
        return None
    table = Table(title="Local GPUs vs cloud, per million local tokens", title_justify="left")
    table.add_column("")
    table.add_column("USD / Mtok", justify="right")
    table.add_column("USD", justify="right")
    table.add_row("local: busy GPU time", f"{cost.busy_usd_per_mtok:.4f}", f"{cost.busy_usd:.6f}")
    if cost.fleet_usd_per_mtok is not None and cost.fleet_usd is not None:
        table.add_row(
            f"local: whole fleet, idle included ({cost.fleet_hosts} host{'s' * (cost.fleet_hosts != 1)})",
            f"{cost.fleet_usd_per_mtok:.4f}",
            f"{cost.fleet_usd:.6f}",
        )
    if cost.cloud_usd_per_mtok is not None:
        table.add_row(
            "cloud baseline: same tokens",
            f"{cost.cloud_usd_per_mtok:.4f}",
            f"{cost.cloud_usd_per_mtok * tokens / 1_000_000:.6f}",
        )
    utilization = f" · GPU utilization {cost.gpu_utilization:.0%}" if cost.gpu_utilization is not None else ""
    table.caption = (
        f"{tokens:,} local tokens ({cost.input_tokens:,} in, {cost.output_tokens:,} out) · "
        f"GPU time charged {cost.gpu_s:.1f}s{utilization}"
    )
    table.caption_justify = "left"
    return table


def models_table(report: BatchReport) -> Table | None:
    """The models the batch's calls ran on, with their licenses (configs/models.yaml)."""
    if not report.models:
        return None
    table = Table(title="Models used", title_justify="left")
    table.add_column("model")
    table.add_column("license")
    table.add_column("jobs", justify="right")
    for model, use in report.models.items():
        table.add_row(model, use.license or "not stated", str(use.jobs))
    return table


def print_report(console: Console, report: BatchReport) -> None:
    console.print(report_table(report))
    for extra in (local_cost_table(report), models_table(report)):
        if extra is not None:
            console.print(extra)


def print_simulated_notice(console: Console) -> None:
    banner = "!" * 78
    console.print(f"[bold yellow]{banner}\n{SIMULATED_NOTICE}\n{banner}[/]", highlight=False)


def watch_batch(
    store: Store,
    batch_id: str,
    console: Console,
    *,
    poll_s: float = 0.25,
    check: Callable[[], None] | None = None,
    timeout_s: float | None = None,
) -> BatchReport:
    """Show a progress bar until every job of the batch is terminal; returns the final report.

    `check` runs on every poll and may raise to abort (e.g. a worker process died).
    """
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[tail]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        bar = progress.add_task(f"batch {batch_id}", total=None, tail="")
        while True:
            report = store.report(batch_id)
            done_count = report.succeeded + report.failed + report.rejected
            progress.update(
                bar,
                completed=done_count,
                total=report.jobs or None,
                tail=f"ok {report.succeeded} · failed {report.failed} · rejected {report.rejected}",
            )
            if report.done:
                return report
            if check is not None:
                check()
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"batch {batch_id} not finished after {timeout_s:.0f}s")
            time.sleep(poll_s)


def print_rejections(console: Console, rejected: list[dict[str, str]]) -> None:
    """One `rejected NAME: REASON` line each. Names and reasons arrive escaped (producer/names.py), so
    none can start a line of its own; rich markup in them (`[red]`) is printed, not obeyed."""
    for rejection in rejected:
        console.print(
            f"[yellow]rejected[/] {escape(rejection['source'])}: {escape(rejection['reason'])}",
            highlight=False,
            soft_wrap=True,  # one line each, however long the name: a wrapped one looks like two
        )


def window_progress(console: Console, every_s: float = 5.0) -> Callable[[SubmitSummary, int, int], None]:
    """Back-pressure, seen: while a submission waits for room in its window, one line every `every_s`
    saying how far it got and what it waits for (so a stopped worker pool is noticed, not a hang)."""
    last = [0.0]

    def show(summary: SubmitSummary, in_flight: int, window: int) -> None:
        now = time.monotonic()
        if now - last[0] < every_s:
            return
        last[0] = now
        console.print(
            f"batch {summary.batch_id}: {summary.jobs:,} documents submitted; waiting for the workers: "
            f"{in_flight:,} unfinished, window {window:,} (TURNOUT_MAX_IN_FLIGHT_JOBS)",
            highlight=False,
        )

    return show
