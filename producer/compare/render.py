"""`turnout compare`'s report as text: the table per complexity bucket, what was held back, and the
recommended `routes.cloud_min_score` with the lines to put in configs/routing.yaml.

Like the report itself, only sources, tags, counts and costs: never a document's text or a model's answer.
"""

from __future__ import annotations

from producer.compare.report import CompareReport
from producer.compare.threshold import format_threshold
from worker.pricing import pico_to_usd

FEW_DOCUMENTS = 30  # below this many compared documents a threshold is a rough guide, and we say so


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
