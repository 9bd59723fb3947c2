"""What `turnout compare` reports: agreement and cost per complexity bucket, what was held back, and the
recommended `routes.cloud_min_score`. Built from the document runs alone; rendered as text or JSON.

Only ids, sources, tags, counts and costs appear here: never a document's text or a model's answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from producer.compare.agreement import Measure
from producer.compare.run import DocumentRun, Models
from producer.compare.sample import Sample
from producer.compare.threshold import Mix, Point, Recommendation, format_threshold, recommend
from worker.pricing import pico_to_usd
from worker.schema import Complexity, Tags

BUCKETS = (Complexity.SIMPLE, Complexity.MODERATE, Complexity.COMPLEX)
FEW_DOCUMENTS = 30  # below this many compared documents a threshold is a rough guide, and we say so


@dataclass
class ModelStats:
    """One model's answers in one bucket: agreement with the reference, failures and cost."""

    compared: int = 0
    agreeing: int = 0
    credit: float = 0.0
    failed: int = 0
    cost_pico: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def agreement(self) -> float | None:
        return self.credit / self.compared if self.compared else None

    def as_json(self) -> dict[str, Any]:
        agreement = self.agreement
        return {
            "agreement": None if agreement is None else round(agreement, 4),
            "agreeing_documents": self.agreeing,
            "compared": self.compared,
            "failed": self.failed,
            "cost_usd": pico_to_usd(self.cost_pico),
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
        }


@dataclass
class Group:
    """Documents of one bucket (or all of them), with each model's statistics."""

    documents: int = 0
    held_back: int = 0
    compared: int = 0  # cloud-allowed documents the cloud answered (the reference exists)
    models: dict[str, ModelStats] = field(default_factory=dict)

    def add(self, run: DocumentRun) -> None:
        self.documents += 1
        if not run.cloud_allowed:
            self.held_back += 1
            return
        self.add_answers(run)

    def add_answers(self, run: DocumentRun) -> None:
        if run.reference is not None and (ref := run.answers.get(run.reference)) and ref.output is not None:
            self.compared += 1
        for model, answered in run.answers.items():
            stats = self.models.setdefault(model, ModelStats())
            stats.cost_pico += answered.cost_pico
            stats.input_tokens += answered.usage.input_tokens
            stats.output_tokens += answered.usage.output_tokens
            stats.failed += answered.error is not None
            if (agreement := run.agreement.get(model)) is not None:
                stats.compared += 1
                stats.agreeing += agreement.agrees
                stats.credit += agreement.credit

    def as_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "held_back": self.held_back,
            "compared": self.compared,
            "by_model": {model: stats.as_json() for model, stats in self.models.items()},
        }


@dataclass
class HeldBack:
    """Documents never sent to the cloud, and how the local models compared on them."""

    documents: int = 0
    by_sensitivity: Counter[str] = field(default_factory=Counter)
    reference: str | None = None  # the first local model, when two or more were given
    group: Group = field(default_factory=Group)

    def add(self, run: DocumentRun) -> None:
        self.documents += 1
        self.by_sensitivity[run.tags.sensitivity.value] += 1
        if run.reference is not None:  # two or more local models: compared between them
            self.reference = run.reference
            self.group.documents += 1
            self.group.add_answers(run)

    def as_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "by_sensitivity": dict(sorted(self.by_sensitivity.items())),
            "compared_between_local_models": self.group.compared,
            "reference_model": self.reference,
            "by_model": {model: stats.as_json() for model, stats in self.group.models.items()},
        }


@dataclass
class CompareReport:
    task: str
    measure: Measure
    models: Models
    sample: Sample
    seed: int
    sample_size: int | None
    runs: list[DocumentRun]
    buckets: dict[Complexity, Group]
    total: Group
    held_back: HeldBack
    current_policy: Mix | None  # what configs/routing.yaml does now
    recommendations: dict[str, Recommendation]  # per local model, the first (the routed one) first
    simulated: bool = False
    # routes.cloud_share in configs/routing.yaml: every batch then gets its own calibrated threshold, which
    # overrides cloud_min_score (the current policy was measured with it, calibrated on this sample).
    cloud_share: float | None = None

    @property
    def primary(self) -> str:
        return self.models.local[0]

    @property
    def recommendation(self) -> Recommendation:
        return self.recommendations[self.primary]

    def failures(self) -> list[dict[str, str]]:
        return [
            {"source": run.source, "model": model, "error": answered.error}
            for run in self.runs
            for model, answered in run.answers.items()
            if answered.error is not None
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "agreement_measure": self.measure.as_json(),
            "models": {"local": list(self.models.local), "cloud": self.models.cloud},
            "simulated": self.simulated,
            "sample": {
                "seed": self.seed,
                "size": self.sample_size,
                "documents": len(self.sample.documents),
                "loaded": self.sample.loaded,
                "rejected": [{"source": r.source, "reason": r.reason} for r in self.sample.rejected],
            },
            "buckets": {bucket.value: group.as_json() for bucket, group in self.buckets.items()},
            "total": self.total.as_json(),
            "held_back": self.held_back.as_json(),
            "current_policy": self.current_policy.as_json() if self.current_policy else None,
            "routing_cloud_share": self.cloud_share,
            "recommendation": {"model": self.primary, **self.recommendation.as_json()},
            "other_models": {
                model: rec.as_json() for model, rec in self.recommendations.items() if model != self.primary
            },
            "failures": self.failures(),
            "documents": [
                {
                    "source": run.source,
                    "sensitivity": run.tags.sensitivity.value,
                    "complexity": run.tags.complexity.value,
                    "complexity_score": run.tags.complexity_score,
                    "cloud_allowed": run.cloud_allowed,
                    "reference": run.reference,
                    "agreement": {model: a.as_json() for model, a in run.agreement.items()},
                    "errors": {m: a.error for m, a in run.answers.items() if a.error is not None},
                }
                for run in self.runs
            ],
        }


def build_report(
    *,
    task: str,
    measure: Measure,
    models: Models,
    sample: Sample,
    seed: int,
    sample_size: int | None,
    runs: Sequence[DocumentRun],
    target: float,
    routes_to_cloud: Callable[[Tags], bool],
    simulated: bool = False,
    cloud_share: float | None = None,
) -> CompareReport:
    """Aggregate the runs; `routes_to_cloud` is the current routing policy's decision for a job."""
    buckets = {bucket: Group() for bucket in BUCKETS}
    total, held_back = Group(), HeldBack()
    for run in runs:
        buckets[run.tags.complexity].add(run)
        total.add(run)
        if not run.cloud_allowed:
            held_back.add(run)
    recommendations = {model: recommend(points_for(runs, model), target) for model in models.local}
    return CompareReport(
        task=task,
        measure=measure,
        models=models,
        sample=sample,
        seed=seed,
        sample_size=sample_size,
        runs=list(runs),
        buckets=buckets,
        total=total,
        held_back=held_back,
        current_policy=policy_split(runs, models.local[0], routes_to_cloud),
        recommendations=recommendations,
        simulated=simulated,
        cloud_share=cloud_share,
    )


def points_for(runs: Sequence[DocumentRun], model: str) -> list[Point]:
    """The compared cloud-allowed jobs of `model`: what a score threshold can move between the routes."""
    return [
        Point(score=run.tags.complexity_score, credit=run.agreement[model].credit)
        for run in runs
        if run.cloud_allowed and model in run.agreement
    ]


def policy_split(
    runs: Sequence[DocumentRun], model: str, routes_to_cloud: Callable[[Tags], bool]
) -> Mix | None:
    """The mix the current routing policy gives on the compared jobs."""
    compared = [run for run in runs if run.cloud_allowed and model in run.agreement]
    if not compared:
        return None
    cloud = [routes_to_cloud(run.tags) for run in compared]
    credit = sum(
        1.0 if to_cloud else run.agreement[model].credit
        for run, to_cloud in zip(compared, cloud, strict=True)
    )
    return Mix(jobs=len(compared), cloud_jobs=sum(cloud), agreement=credit / len(compared))


# ------------------------------------------------------------------------------------------------- text


def render_text(report: CompareReport) -> list[str]:
    models = report.models
    lines = [
        f"Compared {len(report.sample.documents)} of {report.sample.loaded} document(s) "
        f"(sample seed {report.seed}), task {report.task}: local {', '.join(models.local)} vs cloud {models.cloud}",
        f"agreement: {report.measure.describe()}",
        "",
    ]
    lines += _table(report)
    lines += [""] + _held_back_lines(report)
    failures = report.failures()
    if failures:
        lines += [
            f"failed answers: {len(failures)} (not counted as compared unless the answer never validated)"
        ]
        lines += [f"  {f['source']}: {f['model']}: {f['error']}" for f in failures]
    if report.sample.rejected:
        lines += [f"rejected inputs: {len(report.sample.rejected)}"]
        lines += [f"  {r.source}: {r.reason}" for r in report.sample.rejected]
    lines += [""] + _recommendation_lines(report)
    return lines


def _table(report: CompareReport) -> list[str]:
    models = report.models
    header = ["bucket", "docs", "held back", "compared"]
    header += [f"agree {m}" for m in models.local]
    header += [f"cost {m}" for m in (*models.local, models.cloud)]
    rows = [header]
    named = [(bucket.value, group) for bucket, group in report.buckets.items()] + [("total", report.total)]
    for name, group in named:
        row = [name, str(group.documents), str(group.held_back), str(group.compared)]
        for model in models.local:
            stats = group.models.get(model)
            agreement = stats.agreement if stats else None
            row.append("-" if stats is None or agreement is None else f"{agreement:.1%} ({stats.compared})")
        for model in (*models.local, models.cloud):
            stats = group.models.get(model)
            row.append(f"${pico_to_usd(stats.cost_pico):,.6f}" if stats else "-")
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    out = []
    for n, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0 or n == len(rows) - 2:
            out.append("-" * len(out[-1]))
    out.append(
        "agree: share of compared documents whose local answer agrees with the cloud answer "
        "(extract: share of matching fields); cost: the answers' calls at configs/pricing.yaml prices"
    )
    return out


def _held_back_lines(report: CompareReport) -> list[str]:
    held = report.held_back
    if not held.documents:
        return ["held back: none (every sampled document may go to the cloud under the routing policy)"]
    levels = ", ".join(f"{level} {n}" for level, n in sorted(held.by_sensitivity.items()))
    lines = [f"held back: {held.documents} document(s) never sent to the cloud ({levels})"]
    if held.reference is None:
        lines.append("  not compared: give two or more --models to compare them between local models")
        return lines
    for model, stats in held.group.models.items():
        if model == held.reference:
            continue
        agreement = stats.agreement
        shown = "no answers to compare" if agreement is None else f"{agreement:.1%} of {stats.compared}"
        lines.append(f"  between local models: {model} agrees with {held.reference} on {shown}")
    return lines


def _recommendation_lines(report: CompareReport) -> list[str]:
    rec = report.recommendation
    model, cloud = report.primary, report.models.cloud
    lines = [f"Recommendation for {model} (target agreement {rec.target:.0%}):"]
    if report.current_policy is not None:
        now = report.current_policy
        rule = (
            "configs/routing.yaml"
            if report.cloud_share is None
            else f"configs/routing.yaml, routes.cloud_share {report.cloud_share:.0%} calibrated on this sample"
        )
        lines.append(
            f"  now ({rule}): {now.cloud_jobs} of {now.jobs} compared jobs to the cloud "
            f"({now.cloud_share:.1%}), agreement {now.agreement:.1%}"
        )
    split = rec.split
    if split is None:
        lines.append(
            "  no cloud-allowed document could be compared (all held back or failed): no recommendation"
        )
        return lines
    share = f"expected cloud share {split.cloud_share:.1%} ({split.cloud_jobs} of {split.jobs} compared jobs)"
    threshold = format_threshold(split.threshold)
    if rec.outcome == "all_local":
        lines.append(
            f"  the local answers reach the target on their own: keep every job local (a threshold above "
            f"every score); {share}, expected agreement {split.agreement:.1%}"
        )
    elif rec.outcome == "unreachable":
        lines.append(
            f"  the target is out of reach even with every cloud-allowed job on {cloud}: send them all "
            f"(threshold {threshold}); {share}, expected agreement {split.agreement:.1%}"
        )
    else:
        lines.append(
            f"  send cloud-allowed jobs with complexity_score >= {threshold} to {cloud}: {share}, "
            f"expected agreement {split.agreement:.1%}"
        )
    sampled = len(report.sample.documents)
    if report.held_back.documents:
        lines.append(
            f"  counting the held-back documents (they always stay local): {split.cloud_jobs} of {sampled} "
            f"sampled jobs ({split.cloud_jobs / sampled:.1%}) would go to the cloud"
        )
    if split.jobs < FEW_DOCUMENTS:
        lines.append(
            f"  only {split.jobs} compared documents: treat the threshold as rough (try a larger --sample)"
        )
    for other, other_rec in report.recommendations.items():
        if other == model or (s := other_rec.split) is None:
            continue
        need = (
            "could keep everything local"
            if other_rec.outcome == "all_local"
            else f"would need cloud_min_score {format_threshold(s.threshold)}"
        )
        lines.append(
            f"  {other} {need} (cloud share {s.cloud_share:.1%}, agreement {s.agreement:.1%}; "
            "it would also need models.local)"
        )
    if report.cloud_share is not None:
        lines.append(
            f"  routes.cloud_share ({report.cloud_share:.0%}) is set in configs/routing.yaml and overrides "
            "cloud_min_score for every batch: set it to null for this threshold to apply"
        )
    snippet = rec.routing_yaml() or ""
    lines += [
        "",
        "Set it in configs/routing.yaml: replace the `cloud_min_score:` line under `routes:` (shipped as null;",
        "a second `cloud_min_score` line is no error, but YAML keeps only the last one):",
        "",
        *snippet.splitlines(),
    ]
    return lines
