"""The Python snippets in the docs run as written, and say what they show."""

from __future__ import annotations

import ast
import re

import pytest

from tests.conftest import REPO_ROOT


def test_the_classifier_snippet_runs_and_finds_what_its_comment_says(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (REPO_ROOT / "docs" / "classifier.md").read_text()
    snippet = re.findall(r"```python\n(.*?)```", text, flags=re.S)[0]
    monkeypatch.chdir(REPO_ROOT)  # the snippet opens configs/routing.yaml, as from a checkout
    namespace: dict[str, object] = {}
    exec(compile(snippet, "docs/classifier.md", "exec"), namespace)  # noqa: S102 - the doc's own code
    tags = namespace["tags"]
    shown = re.search(r"findings=(\{.*?\})", snippet)
    assert shown is not None
    assert tags.findings == ast.literal_eval(shown.group(1))
    assert tags.sensitivity.value in snippet
