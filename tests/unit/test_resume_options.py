"""`turnout submit --resume`: the batch's own options win; one given again must repeat them."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from producer.resume import option_conflicts, resume_advice, resumed_documents
from worker.schema import Sensitivity, SubmitOptions, TaskKind, TaskSpec
from worker.store import BatchManifest

TASK = TaskSpec(kind=TaskKind.EXTRACT, fields=("invoice_number", "total"))


def manifest(cwd: str | None = "/data", **options: object) -> BatchManifest:
    values: dict[str, object] = {
        "floor": Sensitivity.RESTRICTED,
        "priority": "bulk",
        "max_cost_usd": "5.00",
        "inputs": ("docs/",),
        "cwd": cwd,
    }
    values.update(options)
    return BatchManifest(
        batch_id="b1",
        task=TASK,
        created_at=0.0,
        jobs_expected=None,
        finished_at=None,
        options=SubmitOptions(**values),  # type: ignore[arg-type]
    )


def test_nothing_given_means_no_conflict() -> None:
    assert option_conflicts(manifest(), {}) == []


def test_the_same_options_given_again_are_accepted() -> None:
    given = {
        "floor": "restricted",
        "priority": "bulk",
        "task_kind": "extract",
        "fields": " invoice_number, total ",
        "max_cost_usd": Decimal("5"),
    }
    assert option_conflicts(manifest(), given) == []


def test_a_lower_floor_on_resume_is_refused() -> None:
    assert option_conflicts(manifest(), {"floor": "public"}) == ["--sensitivity restricted (given: public)"]


def test_a_floor_given_on_resume_of_a_batch_without_one_is_refused() -> None:
    conflicts = option_conflicts(manifest(floor=None), {"floor": "restricted"})
    assert conflicts == ["--sensitivity (none) (given: restricted)"]


@pytest.mark.parametrize(
    ("given", "flag"),
    [
        ({"task_kind": "summarize"}, "--task"),
        ({"fields": "invoice_number"}, "--fields"),
        ({"priority": "urgent"}, "--priority"),
        ({"force": True}, "--force"),
        ({"deadline_s": 86400.0}, "--deadline"),
        ({"cloud_share": 0.3}, "--cloud-share"),
        ({"max_cost_usd": Decimal("6")}, "--max-cost-usd"),
        ({"text_field": "body"}, "--text-field"),
        ({"prompt": "Summarise {text}"}, "--prompt"),
    ],
)
def test_every_other_option_that_differs_is_refused(given: dict[str, object], flag: str) -> None:
    conflicts = option_conflicts(manifest(), given)
    assert len(conflicts) == 1 and conflicts[0].startswith(flag)


def test_a_prompt_is_not_echoed_in_the_refusal() -> None:
    task = TaskSpec(kind=TaskKind.CUSTOM, prompt="secret instruction {text}")
    recorded = BatchManifest("b1", task, 0.0, None, None, SubmitOptions())
    (conflict,) = option_conflicts(recorded, {"prompt": "another instruction {text}"})
    assert "instruction" not in conflict


def test_paths_given_again_may_be_spelt_differently_but_must_name_the_same_files(tmp_path: Path) -> None:
    recorded = manifest(cwd=str(tmp_path), inputs=("docs/", "-"))
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert option_conflicts(recorded, {"paths": ("./docs", "-")}) == []
        assert option_conflicts(recorded, {"paths": ("other/", "-")}) != []
    finally:
        os.chdir(here)


def test_the_printed_resume_advice_carries_no_option() -> None:
    assert resume_advice("b1", ("docs/",)) == "`turnout submit --resume b1`"
    assert "standard input" in resume_advice("b1", ("docs/", "-"))


def test_a_resume_reads_the_first_runs_paths_with_the_same_names_from_anywhere(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("first document")
    (tmp_path / "docs" / "b.txt").write_text("second document")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    here = os.getcwd()
    os.chdir(elsewhere)
    try:
        items = list(resumed_documents(manifest(cwd=str(tmp_path), inputs=("docs",)), 1_000_000))
    finally:
        os.chdir(here)
    assert [item.source for item in items] == ["docs/a.txt", "docs/b.txt"]


def test_a_batch_that_recorded_no_paths_is_read_from_the_paths_given(tmp_path: Path) -> None:
    (tmp_path / "only.txt").write_text("the one document")
    recorded = manifest(inputs=(), cwd=None)
    assert option_conflicts(recorded, {"paths": (str(tmp_path),)}) == []
    items = list(resumed_documents(recorded, 1_000_000, (str(tmp_path),)))
    assert [item.source for item in items] == [str(tmp_path / "only.txt")]
