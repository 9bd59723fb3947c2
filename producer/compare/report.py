"""What `turnout compare` reports: agreement and cost per complexity bucket, what was held back, and the
recommended `routes.cloud_min_score`. Built from the document runs alone; JSON here, text in render.py.

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
from producer.compare.threshold import Mix, Point, Recommendation, recommend
from worker.pricing import pico_to_usd
from worker.schema import Complexity, Tags

BUCKETS = (Complexity.SIMPLE, Complexity.MODERATE, Complexity.COMPLEX)


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
