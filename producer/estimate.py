"""`turnout estimate`: what a batch would cost under the current policy, before anything is sent.

Offline and free: every document is loaded and classified, routed as if both routes existed (like
`turnout classify`), planned the way a worker would plan it (chunks for a document longer than the
model's window, map/reduce calls) and priced with configs/pricing.yaml. Input tokens are counted (exactly,
or as a labelled estimate: worker/tokens.py); output tokens are the per-task assumption of
configs/models.yaml (`estimate.output_tokens`), per call. Repairs of invalid extraction answers and
retries are not foreseen, so they are the usual reason a real batch costs more than its estimate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from producer.loaders import LoadedDocument, Rejection
from producer.names import escape_name
from producer.sensitivity_floor import document_floor
from worker.chunking import Plan, group_for_reduce, plan_job
from worker.pricing import pico_to_usd
from worker.routing import Availability, decide
from worker.runtime import Policies
from worker.schema import RouteTarget, Sensitivity, TaskKind, TaskSpec, Usage
from worker.second_line import CLOUD_TARGETS, active, messages
from worker.tokens import counter_for

_PART_LABEL_TOKENS = 6  # "[Part 12]" and the blank line around each part answer in a reduce prompt


@dataclass
class RouteEstimate:
    model: str
    jobs: int = 0
    chunks: int = 0
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_pico: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "jobs": self.jobs,
            "chunks": self.chunks,
            "calls": self.calls,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost_usd": pico_to_usd(self.cost_pico),
        }


@dataclass
class Estimate:
    task: TaskSpec
    by_route: dict[RouteTarget, RouteEstimate]
    output_tokens_per_call: int
    token_count_method: dict[RouteTarget, dict[str, str]]
    baseline_model: str
    baseline_pico: int = 0
    rejected: list[dict[str, str]] = field(default_factory=list)
    route_reasons: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)  # documents per kind of sensitive finding
    # The second line (worker/second_line.py): one local call per cloud-bound document; None when it is off.
    second_line: RouteEstimate | None = None

    @property
    def jobs(self) -> int:
        """Every input, rejected ones included, as `turnout submit` and `report` count them."""
        return sum(r.jobs for r in self.by_route.values()) + len(self.rejected)

    @property
    def cost_pico(self) -> int:
        check = self.second_line.cost_pico if self.second_line is not None else 0
        return sum(r.cost_pico for r in self.by_route.values()) + check

    def as_json(self) -> dict[str, Any]:
        savings = self.baseline_pico - self.cost_pico
        return {
            "task": self.task.kind.value,
            "jobs": self.jobs,
            "by_route": {target.value: r.as_json() for target, r in self.by_route.items()},
            "second_line": self.second_line.as_json() if self.second_line is not None else None,
            "cost_usd": pico_to_usd(self.cost_pico),
            "baseline_model": self.baseline_model,
            "baseline_cost_usd": pico_to_usd(self.baseline_pico),
            "savings_usd": pico_to_usd(savings),
            "savings_pct": round(100.0 * savings / self.baseline_pico, 2) if self.baseline_pico else 0.0,
            "rejected": self.rejected,
            "route_reasons": dict(self.route_reasons.most_common()),
            "findings": dict(self.findings.most_common()),
            "token_count_method": {
                "input": {target.value: m for target, m in self.token_count_method.items()},
                "output": {"method": "assumed", "tokens_per_call": self.output_tokens_per_call},
            },
        }


def estimate_batch(
    policies: Policies,
    documents: Iterable[LoadedDocument | Rejection],
    task: TaskSpec,
    floor: Sensitivity | None = None,
) -> Estimate:
    """Classify, route, plan and price every document; nothing leaves this process."""
    models = {
        RouteTarget.LOCAL: policies.routing.models.local,
        RouteTarget.CLOUD: policies.routing.models.cloud,
    }
    methods = {}
    for target, model in models.items():
        info = policies.models.info(model)
        methods[target] = {
            "model": model,
            "tokenizer": info.tokenizer,
            "method": counter_for(info.tokenizer).method,
        }
    estimate = Estimate(
        task=task,
        by_route={target: RouteEstimate(model=model) for target, model in models.items()},
        output_tokens_per_call=policies.models.estimate.output_tokens[task.kind],
        token_count_method=methods,
        baseline_model=policies.prices.baseline_model,
    )
    available = Availability(local=True, cloud=True)
    check_config = policies.routing.second_line
    if active(check_config, local_configured=True):  # as if a local host were configured, like the routes
        estimate.second_line = RouteEstimate(model=check_config.model or policies.routing.models.local)
    for item in documents:
        if isinstance(item, Rejection):
            # Escaped as submit stores them: a name with a newline must not forge a line (producer/names.py).
            estimate.rejected.append({"source": escape_name(item.source), "reason": escape_name(item.reason)})
            continue
        tags = policies.classifier.classify(
            item.text, task=task, source=item.source, floor=document_floor(item, floor)
        )
        route = decide(tags, policies.routing, available)
        estimate.route_reasons.update(route.reasons)
        estimate.findings.update(tags.findings.keys())
        plan = plan_job(policies.models, policies.prompts, task, item.text, route.model)
        calls, usage = project_calls(policies, task, plan, estimate.output_tokens_per_call)
        totals = estimate.by_route[route.target]
        totals.jobs += 1
        totals.chunks += len(plan.chunks)
        totals.calls += calls
        totals.input_tokens += usage.input_tokens
        totals.output_tokens += usage.output_tokens
        totals.cost_pico += policies.prices.cost_pico(route.model, usage)
        estimate.baseline_pico += policies.prices.baseline_pico(usage)
        if estimate.second_line is not None and route.target in CLOUD_TARGETS:
            add_check(policies, estimate.second_line, item.text)
    return estimate


def add_check(policies: Policies, check: RouteEstimate, text: str) -> None:
    """The second line's call for one cloud-bound document, priced like a local call: its question over
    the document's first `max_chars`, and at most `max_output_tokens` of answer (the cap, assumed)."""
    config = policies.routing.second_line
    counter = counter_for(policies.models.info(check.model).tokenizer)
    usage = Usage(
        input_tokens=counter.count_messages(messages(text, config)), output_tokens=config.max_output_tokens
    )
    check.jobs += 1
    check.chunks += 1
    check.calls += 1
    check.input_tokens += usage.input_tokens
    check.output_tokens += usage.output_tokens
    check.cost_pico += policies.prices.cost_pico(check.model, usage)


def project_calls(policies: Policies, task: TaskSpec, plan: Plan, output_per_call: int) -> tuple[int, Usage]:
    """The calls a worker would make for `plan`, and their projected usage."""
    n = len(plan.chunks)
    if task.kind is TaskKind.CLASSIFY:
        n = min(n, plan.vote_chunks)
    calls = n
    input_tokens = sum(plan.chunk_tokens[:n]) + n * plan.overhead_tokens
    if plan.chunked and task.kind in (TaskKind.SUMMARIZE, TaskKind.CUSTOM):
        reduce_overhead = plan.counter.count_messages(policies.prompts.reduce_messages(task, []))
        partials = [output_per_call + _PART_LABEL_TOKENS] * n
        while len(partials) > 1:
            if sum(partials) <= plan.budget_tokens:
                groups = [list(range(len(partials)))]
            else:
                groups = group_for_reduce(partials, plan.budget_tokens)
            calls += len(groups)
            input_tokens += sum(reduce_overhead + sum(partials[i] for i in g) for g in groups)
            partials = [output_per_call + _PART_LABEL_TOKENS] * len(groups)
    return calls, Usage(input_tokens=input_tokens, output_tokens=calls * output_per_call)


def render_text(estimate: Estimate) -> list[str]:
    """The human summary `turnout estimate` prints."""
    data = estimate.as_json()
    lines = [
        f"Estimate for {data['jobs']} document(s), task {data['task']}: nothing was sent anywhere.",
        "",
        f"{'route':<6} {'model':<16} {'jobs':>7} {'chunks':>7} {'calls':>7} {'input tok':>12} "
        f"{'output tok':>11} {'cost USD':>14}",
    ]
    for name, r in data["by_route"].items():
        lines.append(
            f"{name:<6} {r['model']:<16} {r['jobs']:>7,} {r['chunks']:>7,} {r['calls']:>7,} "
            f"{r['input_tokens']:>12,} {r['output_tokens']:>11,} {_usd(r['cost_usd']):>14}"
        )
    routes = list(data["by_route"].values())
    check = data["second_line"]
    if check is not None:  # its jobs are the routes' cloud-bound ones: counted once, in the routes' rows
        lines.append(
            f"{'check':<6} {check['model']:<16} {check['jobs']:>7,} {check['chunks']:>7,} {check['calls']:>7,} "
            f"{check['input_tokens']:>12,} {check['output_tokens']:>11,} {_usd(check['cost_usd']):>14}"
        )
    calls = [*routes, check] if check is not None else routes
    lines.append(
        f"{'total':<23} {sum(r['jobs'] for r in routes):>7,} {sum(r['chunks'] for r in calls):>7,} "
        f"{sum(r['calls'] for r in calls):>7,} {sum(r['input_tokens'] for r in calls):>12,} "
        f"{sum(r['output_tokens'] for r in calls):>11,} {_usd(data['cost_usd']):>14}"
    )
    if check is not None:
        lines.append(
            "check: the second line's local call per cloud-bound document (output tokens: its cap, assumed)"
        )
    lines += [
        f"{'all-cloud baseline (' + data['baseline_model'] + ')':<77} {_usd(data['baseline_cost_usd']):>14}",
        f"{'savings':<77} {_usd(data['savings_usd']):>14}  ({data['savings_pct']}%)",
        "",
        "routing reasons (documents):",
        *(f"  {count:>7,}  {reason}" for reason, count in data["route_reasons"].items()),
    ]
    if data["findings"]:
        lines += ["sensitive findings (documents):"]
        lines += [f"  {count:>7,}  {kind}" for kind, count in data["findings"].items()]
    lines += ["", "token counts:"]
    for name, m in data["token_count_method"]["input"].items():
        label = "exact" if m["method"].startswith("exact:") else "ESTIMATE"
        lines.append(f"  {name} input: {label} ({m['method']}; {m['model']} uses {m['tokenizer']})")
    lines.append(
        f"  output: ASSUMED {estimate.output_tokens_per_call} tokens per call "
        f"(estimate.output_tokens in configs/models.yaml)"
    )
    if estimate.rejected:
        lines += ["", f"rejected: {len(estimate.rejected)}"]
        lines += [f"  {r['source']}: {r['reason']}" for r in estimate.rejected]
    return lines


def _usd(value: float) -> str:
    return f"${value:,.6f}"
