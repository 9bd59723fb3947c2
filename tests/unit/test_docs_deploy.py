"""docs/deploy.md's KEDA example watches every list a queue's jobs wait in, the priority lists included."""

from __future__ import annotations

import re

import yaml

from tests.conftest import REPO_ROOT
from worker.flow.priority import PRIORITY_TRANSPORT_OPTIONS, queue_lists


def test_the_keda_example_watches_every_priority_list_of_the_cloud_queue() -> None:
    text = (REPO_ROOT / "docs" / "deploy.md").read_text()
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, flags=re.S) if "ScaledObject" in b)
    scaled = next(doc for doc in yaml.safe_load_all(block) if doc["kind"] == "ScaledObject")
    watched = [trigger["metadata"]["listName"] for trigger in scaled["spec"]["triggers"]]
    assert sorted(watched) == sorted(queue_lists("cloud", PRIORITY_TRANSPORT_OPTIONS))
