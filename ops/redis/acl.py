"""Redis ACL users for a Turnout deployment: one per role, each allowed only what that role issues.

    python -m ops.redis.acl secrets/          # new passwords: the ACL file and a broker URL per role

The rules are built here, in one place, from what the code issues (kombu's Redis transport, Celery's
control and events, Turnout's store and its Lua scripts, Flower's broker view); tests/integration/
test_redis_acl.py loads them into a real redis-server and runs a real worker, producer and Flower as
these users. docs/security.md says what each role can and cannot do.

Every role loses the commands that reconfigure, wipe, replicate or dump the server, or list every key
(CONFIG, FLUSHALL/FLUSHDB, DEBUG, SHUTDOWN, MONITOR, KEYS, MIGRATE/RESTORE/DUMP, ACL, FUNCTION, MODULE, ...),
and the unauthenticated `default` user can only PING (so a healthcheck needs no password).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from worker.flow.priority import PRIORITY_SEP
from worker.queues import QUEUES
from worker.store import keys

ROLES = ("worker", "producer", "flower")

# Off for every role, on top of Redis's own @dangerous and @admin categories (which hold CONFIG, DEBUG,
# FLUSHALL, FLUSHDB, KEYS, SHUTDOWN, MONITOR, SAVE, REPLICAOF, ACL, MODULE, CLIENT KILL, INFO, SORT, ...):
# commands that would let one role wipe, copy out or rewrite what others rely on.
_NEVER = (
    "-@dangerous",
    "-@admin",
    "-flushall",
    "-flushdb",
    "-keys",
    "-config",
    "-debug",
    "-shutdown",
    "-monitor",
    "-function",
    "-script|flush",
    "-script|kill",
    "-dump",
    "-restore",
    "-migrate",
    "-move",
    "-swapdb",
    "-select",
    "-scan",
    "-randomkey",
    "-client|kill",
    "-client|list",
    "-client|pause",
)

# Workers run the pipeline: kombu's transport (queues, the unacked index, the restore lock), Celery's
# events and control replies (publish), and Turnout's store (hashes, streams, Lua). Every key, no wildcard
# reads: that is what a worker is for.
_WORKER = ("resetkeys", "~*", "resetchannels", "&*", "nocommands", "+@all", *_NEVER)

# The producer stores documents and jobs and enqueues messages; status, results and report read them.
# It never consumes a queue, so it cannot block-pop (take) a job from under the workers.
_PRODUCER = (*_WORKER, "-@blocking")


def _queue_keys() -> list[str]:
    """Read-only patterns for the job queues (one list per priority step: `local`, `local:3`)."""
    patterns = []
    for queue in QUEUES:
        patterns += [f"%R~{queue}", f"%R~{queue}{PRIORITY_SEP}*"]
    return patterns


def _flower() -> tuple[str, ...]:
    """Flower watches: it counts queue lengths, receives task events and asks workers for their state
    (Celery's control broadcast, which answers through a reply queue of its own). It cannot read the
    documents, the jobs or the results (the `tn:*` keys), nor take or read a queued message."""
    return (
        "resetkeys",
        *_queue_keys(),
        # Its own event and reply queues (with their priority lists), and kombu's exchange bindings (sets
        # of queue names, with the deadlines of expiring ones).
        "~celeryev.*",
        "~*.reply.celery.pidbox",
        f"~*.reply.celery.pidbox{PRIORITY_SEP}*",
        "~_kombu.binding.*",
        "~_kombu.binding_permanent.*",
        "~_kombu.binding_deadlines",
        # Every kombu consumer takes the restore lock and reads the unacked index (delivery tags and
        # times, no message); ops/flower/app.py makes sure Flower's sweeps never restore a message.
        f"~{keys.KOMBU_UNACKED_MUTEX}",
        f"%R~{keys.KOMBU_UNACKED_INDEX}",
        "resetchannels",
        "&*",
        "nocommands",
        "+@connection",
        "+llen",
        "+multi",
        "+exec",
        "+discard",
        "+publish",
        "+subscribe",
        "+psubscribe",
        "+unsubscribe",
        "+punsubscribe",
        "+sadd",
        "+smembers",
        "+srem",
        "+lpush",
        "+rpop",
        "+brpop",
        "+del",
        "+exists",
        "+pexpire",
        # kombu keeps an expiring queue's binding alive with a Lua script; a script can only run the
        # commands and touch the keys its user may, so these widen nothing.
        "+evalsha",
        "+eval",
        "+script|load",
        "+script|exists",
        "+time",
        "+set",
        "+get",
        "+zrange",
        "+zadd",
        "+zrangebyscore",
        "+zrem",
        *_NEVER,
    )


RULES: Mapping[str, tuple[str, ...]] = {"worker": _WORKER, "producer": _PRODUCER, "flower": _flower()}


def password_hash(password: str) -> str:
    """The form an ACL file stores a password in (`#` + SHA-256 hex): the file holds no password."""
    return "#" + hashlib.sha256(password.encode()).hexdigest()


def acl_file(passwords: Mapping[str, str]) -> str:
    """The ACL file for Redis's `aclfile` option, with a password per role."""
    missing = set(ROLES) - set(passwords)
    if missing:
        raise ValueError(f"no password for role(s) {sorted(missing)}")
    lines = ["user default on nopass resetkeys resetchannels nocommands +ping"]
    for role in ROLES:
        lines.append(
            " ".join(["user", role, "on", "resetpass", password_hash(passwords[role]), *RULES[role]])
        )
    return "\n".join(lines) + "\n"


def broker_url(role: str, password: str, host: str = "redis", port: int = 6379, db: int = 0) -> str:
    return f"redis://{role}:{password}@{host}:{port}/{db}"


def write_secrets(directory: Path, host: str = "redis") -> dict[str, Path]:
    """New passwords: `redis-users.acl` for Redis and `broker-url-<role>` for each role's containers,
    plus `flower-basic-auth` (user:password) for Flower's login. The directory is made private (0700).

    Compose bind-mounts these files into containers that run as other users, so the files themselves
    stay readable (0644): the directory's mode is what keeps other local users out."""
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    passwords = {role: secrets.token_hex(32) for role in ROLES}
    files = {"redis-users.acl": acl_file(passwords)}
    files.update({f"broker-url-{role}": broker_url(role, passwords[role], host) for role in ROLES})
    files["flower-basic-auth"] = f"turnout:{secrets.token_urlsafe(24)}"
    written = {}
    for name, text in files.items():
        path = directory / name
        temporary = path.with_name(path.name + ".new")
        temporary.write_text(text)
        temporary.chmod(0o644)
        os.replace(temporary, path)  # whole files only: a reader never sees half a password
        written[name] = path
    return written


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m ops.redis.acl SECRETS_DIR", file=sys.stderr)
        return 2
    written = write_secrets(Path(argv[0]))
    print(f"wrote {', '.join(sorted(written))} in {argv[0]} (Flower's login: {argv[0]}/flower-basic-auth)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
