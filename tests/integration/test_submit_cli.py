"""`turnout submit` as a user runs it: hostile file names, nothing accepted, results reused."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from producer.local_stack import wait_until
from producer.names import unescape_name
from tests.conftest import Stack
from tests.integration.producer_process import clean_env
from worker.schema import JobStatus

pytestmark = pytest.mark.integration


def submit(*args: str, cwd: Path, stack: Stack) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "producer.cli", "submit", *args],
        cwd=cwd,
        env=clean_env(stack.settings.broker_url),
        capture_output=True,
        text=True,
        timeout=120,
    )


def write(folder: Path, raw_name: bytes, content: str) -> str:
    """A file whose name is these bytes (not necessarily UTF-8); returns the name as the walker sees it."""
    path = os.path.join(os.fsencode(folder), raw_name)
    with open(path, "wb") as out:
        out.write(content.encode())
    return os.fsdecode(path)


def test_hostile_file_names_are_stored_escaped_and_cannot_forge_console_lines(
    stack: Stack, tmp_path: Path
) -> None:
    """Names with a newline, an undecodable byte and a fake `rejected` line, among good files: the batch
    completes, every name is kept (escaped, recoverable) and the console shows only real rejections."""
    run = uuid.uuid4().hex[:8]
    docs = tmp_path / "docs"
    docs.mkdir()
    names = {
        write(docs, b"good.txt", f"A note {run} about the spring offsite."): JobStatus.SUCCEEDED,
        write(docs, b"evil\n\xffrejected forged.txt: fake.txt", f"Another note {run}."): JobStatus.SUCCEEDED,
        write(docs, b"ctl\x1b[2J\r\xfe.md", f"# Heading {run}\n\nBody."): JobStatus.SUCCEEDED,
        write(docs, b"empty\nrejected also forged.txt", ""): JobStatus.REJECTED,
        write(docs, b"odd\n\xff.bin", "binary-ish"): JobStatus.REJECTED,
    }
    done = submit("docs", cwd=tmp_path, stack=stack)
    assert done.returncode == 0, done.stderr[-3000:]
    batch_id = done.stdout.strip()
    rejected_lines = [line for line in done.stderr.splitlines() if line.startswith("rejected")]
    assert len(rejected_lines) == 2, done.stderr  # the real two, no forged ones
    assert all("\\n" in line for line in rejected_lines)  # each names its file, escaped
    assert "\r" not in done.stderr and "\x1b" not in done.stderr

    wait_until(lambda: stack.store.report(batch_id).done, 120, f"batch {batch_id} to finish")
    results = {unescape_name(r.source): r for r in stack.store.iter_results(batch_id)}
    assert {os.path.join("docs", os.path.basename(name)) for name in names} == set(results)
    for name, status in names.items():
        assert results[os.path.join("docs", os.path.basename(name))].status is status, name


def test_nothing_accepted_exits_non_zero_and_leaves_no_batch(stack: Stack, tmp_path: Path) -> None:
    (tmp_path / "empty-dir").mkdir()
    (tmp_path / "blank.txt").write_text("   \n")
    batches_before = stack.store.redis.zcard("tn:batches")
    for paths in (["nope/"], ["empty-dir/"], ["blank.txt", "nope/"]):
        done = submit(*paths, cwd=tmp_path, stack=stack)
        assert done.returncode == 1, (paths, done.stderr)
        assert "nothing submitted" in done.stderr
        assert done.stdout == ""  # no batch id to pick up
    assert "rejected nope/: no such file or directory" in done.stderr
    assert stack.store.redis.zcard("tn:batches") == batches_before


def test_reused_results_are_said_in_the_human_output(stack: Stack, tmp_path: Path) -> None:
    run = uuid.uuid4().hex[:8]
    (tmp_path / "a.txt").write_text(f"First note {run}: the lunch moved to Thursday.")
    (tmp_path / "b.txt").write_text(f"Second note {run}: bring ideas for the offsite.")
    first = submit("a.txt", "b.txt", cwd=tmp_path, stack=stack)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "reused" not in first.stderr
    first_batch = first.stdout.strip()
    wait_until(lambda: stack.store.report(first_batch).done, 120, "the first batch")

    again = submit("a.txt", "b.txt", cwd=tmp_path, stack=stack)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "reused 2 (use --force to run again)" in again.stderr
