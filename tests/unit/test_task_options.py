"""The task options of submit/run/classify: an option the chosen task does not use is refused, not ignored."""

from __future__ import annotations

import click
import pytest

from producer.cli.options import build_task


@pytest.mark.parametrize("task", ["classify", "summarize", "custom"])
def test_fields_with_a_task_other_than_extract_is_refused(task: str) -> None:
    with pytest.raises(click.UsageError, match=f"--fields is for --task extract, not --task {task}"):
        build_task(task, "party,amount", "invoice,contract", "Say {text}" if task == "custom" else None, None)


def test_fields_with_extract_is_accepted() -> None:
    assert build_task("extract", "party,amount", "", None, None).fields == ("party", "amount")
