"""The image's entrypoint (ops/compose/with_secrets.py): secret files become the command's environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ops.compose.with_secrets import SecretError, load_secrets

URL = "redis://worker:0123456789abcdef@redis:6379/0"


def secrets_dir(tmp_path: Path, **files: str) -> Path:
    directory = tmp_path / "run-secrets"
    directory.mkdir()
    for name, text in files.items():
        (directory / name).write_text(text)
    return directory


def test_a_secret_file_becomes_the_variable_of_its_name(tmp_path: Path) -> None:
    env: dict[str, str] = {}
    loaded = load_secrets(env, secrets_dir(tmp_path, TURNOUT_BROKER_URL=URL + "\n", FLOWER_BASIC_AUTH="a:b"))
    assert env == {"TURNOUT_BROKER_URL": URL, "FLOWER_BASIC_AUTH": "a:b"}  # the trailing newline dropped
    assert sorted(loaded) == ["FLOWER_BASIC_AUTH", "TURNOUT_BROKER_URL"]


def test_only_known_names_are_loaded(tmp_path: Path) -> None:
    env: dict[str, str] = {}
    assert load_secrets(env, secrets_dir(tmp_path, PATH="/evil", LD_PRELOAD="/evil.so")) == []
    assert env == {}


def test_a_different_value_in_the_environment_is_an_error_not_a_silent_choice(tmp_path: Path) -> None:
    env = {"TURNOUT_BROKER_URL": "redis://other@redis:6379/0"}
    with pytest.raises(SecretError, match="both in the environment") as caught:
        load_secrets(env, secrets_dir(tmp_path, TURNOUT_BROKER_URL=URL))
    assert URL not in str(caught.value) and "other" not in str(caught.value)


def test_an_empty_secret_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SecretError, match="empty"):
        load_secrets({}, secrets_dir(tmp_path, TURNOUT_BROKER_URL="\n"))


def _entrypoint(directory: Path, *command: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; from pathlib import Path; import ops.compose.with_secrets as entry; "
        f"entry.SECRETS_DIR = Path({str(directory)!r}); sys.exit(entry.main(sys.argv[1:]))"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    with subprocess.Popen(
        [sys.executable, "-c", code, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as process:
        out, err = process.communicate(timeout=60)
    # The pid it ran as: a command that prints its own pid shows whether it replaced the entrypoint.
    return subprocess.CompletedProcess([str(process.pid)], process.returncode, out, err)


def test_the_entrypoint_execs_the_command_with_the_secret_in_its_environment_only(tmp_path: Path) -> None:
    directory = secrets_dir(tmp_path, TURNOUT_BROKER_URL=URL)
    done = _entrypoint(
        directory,
        sys.executable,
        "-c",
        "import os, sys; print(os.environ['TURNOUT_BROKER_URL'] == sys.argv[1]); print(os.getpid())",
        URL,
    )
    assert done.returncode == 0, done.stderr
    same_value, pid = done.stdout.splitlines()
    assert same_value == "True"
    assert pid == done.args[0], "exec: the command keeps the entrypoint's PID (PID 1 in a container)"


def test_the_entrypoint_reports_a_bad_secret_in_one_line_without_its_value(tmp_path: Path) -> None:
    directory = secrets_dir(tmp_path, TURNOUT_BROKER_URL="\n")
    done = _entrypoint(directory, "true")
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr
    assert "TURNOUT_BROKER_URL" in done.stderr


def test_the_entrypoint_reports_a_missing_command(tmp_path: Path) -> None:
    done = _entrypoint(secrets_dir(tmp_path), "no-such-command-here")
    assert done.returncode == 127 and "no-such-command-here" in done.stderr and "Traceback" not in done.stderr
