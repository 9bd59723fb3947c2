"""The image's entrypoint: secrets mounted as files become environment variables of this process only.

    python -m ops.compose.with_secrets turnout worker --pool local ...

Compose mounts each secret at /run/secrets/<NAME> (`secrets: [{source: ..., target: NAME}]`). For the
names below, the file's content (less a trailing newline) becomes the variable NAME, and then the
command replaces this process (exec: it keeps PID 1 and receives docker's signals). Unlike a variable
in compose's `environment:`, a secret is not shown by `docker inspect`, and unlike an argument it is
not in `ps`. The value is never printed.

`docker exec` starts processes without the entrypoint: the healthcheck calls `load_secrets()` itself.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping, Sequence
from pathlib import Path

SECRETS_DIR = Path("/run/secrets")
# Only these names: a secret file is not a way to set arbitrary variables.
SECRET_NAMES = ("TURNOUT_BROKER_URL", "OPENAI_API_KEY", "TURNOUT_OPENAI_API_KEY", "FLOWER_BASIC_AUTH")


class SecretError(RuntimeError):
    """A secret file cannot be used; the message names it, never its content."""


def load_secrets(environ: MutableMapping[str, str] | None = None, directory: Path | None = None) -> list[str]:
    """Set each secret found in `directory` in `environ`; return the names set."""
    env = os.environ if environ is None else environ
    where = directory or SECRETS_DIR
    loaded = []
    for name in SECRET_NAMES:
        path = where / name
        if not path.exists():
            continue
        try:
            value = path.read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise SecretError(f"secret {path} cannot be read ({type(exc).__name__})") from None
        if not value:
            raise SecretError(f"secret {path} is empty")
        if env.get(name, value) != value:
            raise SecretError(f"{name} is set both in the environment and in {path}: keep one")
        env[name] = value
        loaded.append(name)
    return loaded


def main(argv: Sequence[str]) -> int:
    if not argv:
        print("usage: python -m ops.compose.with_secrets COMMAND [ARGS...]", file=sys.stderr)
        return 2
    try:
        load_secrets()
    except SecretError as exc:
        print(f"turnout: {exc}", file=sys.stderr)
        return 1
    try:
        os.execvp(argv[0], list(argv))
    except OSError as exc:
        print(f"turnout: cannot run {argv[0]}: {exc.strerror}", file=sys.stderr)
        return 127
    return 0  # not reached: exec replaced this process


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
