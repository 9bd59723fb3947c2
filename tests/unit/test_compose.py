"""The deployment files keep their promises: compose services, the image, .env.example and the config docs.

There is no Docker engine where these tests run, so the files are parsed and checked against the code they
start: the click CLI, the Settings model, the Flower app module and the healthcheck module.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from ops.compose.with_secrets import load_secrets
from producer.cli import main as cli
from worker.queues import POOLS
from worker.settings import REPO_CONFIG_DIR, Settings, SettingsError, load_settings, unknown_turnout_variables

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ADDONS = ROOT / "ops" / "compose"
DOCKERFILE = ROOT / "ops" / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
CONFIG_DOC = ROOT / "docs" / "configuration.md"

WORKERS = {f"worker-{pool}": pool for pool in POOLS}
LONG_RUNNING = {"redis", "flower", "ollama", "prometheus", *WORKERS}
# Settings a Turnout container reads from its secret files (/run/secrets/<NAME>), not its environment.
FROM_SECRETS = {"TURNOUT_BROKER_URL"}
# Which broker URL (ops/redis/acl.py role) each Turnout service gets.
ROLE_OF = {**dict.fromkeys(WORKERS, "worker"), "producer": "producer", "flower": "flower"}
# Settings that run-time flags or the image decide, not the deployment's environment.
STANDARD_SETTING_NAMES = {"OPENAI_API_KEY", "OPENAI_BASE_URL", "OLLAMA_HOST"}


# ---- helpers ---------------------------------------------------------------------------------------
class ComposeLoader(yaml.SafeLoader):
    """YAML with compose's merge tags (`!reset`, `!override`), kept as markers."""


def _merge_tag(loader: yaml.SafeLoader, node: yaml.Node) -> tuple[str, Any]:
    if isinstance(node, yaml.MappingNode):
        return node.tag, loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return node.tag, loader.construct_sequence(node, deep=True)
    return node.tag, loader.construct_scalar(node)  # type: ignore[arg-type]


ComposeLoader.add_constructor("!reset", _merge_tag)
ComposeLoader.add_constructor("!override", _merge_tag)


def load_compose(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(), Loader=ComposeLoader)  # noqa: S506 (a SafeLoader subclass)


_ESCAPED_DOLLAR = "\x00"
_INNERMOST = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|-|:\?|\?)([^${}]*))?\}")


def interpolate(value: str, env: Mapping[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?error}` (nested too), as `docker compose` does."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3) or ""
        current = env.get(name)
        missing = not current if op in (":-", ":?") else current is None  # ":" also treats "" as unset
        if not missing:
            return str(current)
        if op in (":?", "?"):
            raise LookupError(f"{name}: {arg}")
        return arg if op in (":-", "-") else ""

    text = value.replace("$$", _ESCAPED_DOLLAR)
    while True:
        replaced = _INNERMOST.sub(one, text)
        if replaced == text:
            return replaced.replace(_ESCAPED_DOLLAR, "$")
        text = replaced


def referenced_variables(text: str) -> set[str]:
    return set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)", text))


def default_of(value: str, name: str) -> str:
    """The default a `${name:-default}` expression in `value` falls back to."""
    match = re.search(r"\$\{" + name + r":-([^}]*)\}", value)
    assert match, f"{value!r} has no default for {name}"
    return match.group(1)


def duration_s(value: str) -> float:
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", str(value))
    assert parts and "".join(n + u for n, u in parts) == str(value), f"not a compose duration: {value!r}"
    return sum(float(n) * units[u] for n, u in parts)


def setting_names(field: str) -> list[str]:
    """Every environment name a setting accepts, its primary name first."""
    alias = Settings.model_fields[field].validation_alias
    choices = getattr(alias, "choices", None)
    return [str(c) for c in choices] if choices else [f"TURNOUT_{field.upper()}"]


def env_example_keys() -> dict[str, str | None]:
    """NAME -> value for `NAME=value` lines; None for commented-out `# NAME=value` examples."""
    keys: dict[str, str | None] = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = re.match(r"^(# )?([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            keys[match.group(2)] = None if match.group(1) else match.group(3)
    return keys


def dockerfile_stages() -> list[dict[str, Any]]:
    """Each stage of ops/Dockerfile: its base, name and instructions (continuation lines joined)."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    args: dict[str, str] = {}
    stages: list[dict[str, Any]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        op, _, rest = line.partition(" ")
        op = op.upper()
        if op == "ARG" and not stages:
            name, _, default = rest.partition("=")
            args[name.strip()] = default.strip()
        elif op == "FROM":
            match = re.match(r"(\S+)(?:\s+AS\s+(\S+))?", rest, re.IGNORECASE)
            assert match
            base = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], match.group(1))
            stages.append({"base": base, "name": match.group(2), "instructions": []})
        else:
            stages[-1]["instructions"].append((op, rest.strip()))
    return stages


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose(COMPOSE)


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def resolved_env(service: dict[str, Any], env: Mapping[str, str]) -> dict[str, str]:
    """A service's container environment for the shell environment `env` (unset passthroughs dropped)."""
    out: dict[str, str] = {}
    for key, value in service.get("environment", {}).items():
        if value is None:
            if key in env:
                out[key] = env[key]
            continue
        out[key] = interpolate(str(value), env)
    return out


COMPOSE_ENV: dict[str, str] = {}


def secret_targets(service: dict[str, Any]) -> dict[str, str]:
    """target name under /run/secrets -> the top-level secret it mounts."""
    out = {}
    for entry in service.get("secrets", []):
        source = entry if isinstance(entry, str) else entry["source"]
        target = source if isinstance(entry, str) else entry.get("target", source)
        out[target] = source
    return out


# ---- services --------------------------------------------------------------------------------------
def test_compose_has_every_service_of_the_deployment(services: dict[str, Any]) -> None:
    assert set(services) == LONG_RUNNING | {"ollama-pull", "producer"}
    assert services["producer"]["profiles"] == ["producer"]
    assert services["prometheus"]["profiles"] == ["monitoring"]


@pytest.mark.parametrize("name", sorted(LONG_RUNNING))
def test_long_running_services_have_a_healthcheck_and_restart(services: dict[str, Any], name: str) -> None:
    check = services[name]["healthcheck"]
    assert check["test"][0] in ("CMD", "CMD-SHELL") and len(check["test"]) > 1
    for key in ("interval", "timeout"):
        duration_s(check[key])
    assert services[name]["restart"] == "unless-stopped"


@pytest.mark.parametrize("name", sorted(WORKERS))
def test_worker_pools_scale(services: dict[str, Any], name: str) -> None:
    """`--scale` needs services with no fixed container name and no host port."""
    service = services[name]
    assert "container_name" not in service
    assert "ports" not in service
    assert "hostname" not in service  # every replica must keep its own, unique Celery node name


@pytest.mark.parametrize("name", sorted(WORKERS))
def test_worker_command_is_an_exec_form_turnout_worker_for_its_pool(
    services: dict[str, Any], name: str
) -> None:
    """Exec form keeps Celery PID 1, so docker's SIGTERM reaches it and it shuts down warm."""
    command = services[name]["command"]
    assert isinstance(command, list), "a string command runs under /bin/sh, which does not forward SIGTERM"
    assert command[:2] == ["turnout", "worker"]
    assert "init" not in services[name]
    worker = cli.commands["worker"]
    ctx = worker.make_context("worker", list(command[2:]))
    assert ctx.params["pool"] == WORKERS[name]
    celery_args = list(ctx.params["celery_args"])
    assert celery_args == ["--hostname", f"{WORKERS[name]}@%h"]


@pytest.mark.parametrize("name", sorted(WORKERS))
def test_worker_healthcheck_pings_this_containers_node(services: dict[str, Any], name: str) -> None:
    test = services[name]["healthcheck"]["test"]
    assert test == ["CMD", "python", "-m", "ops.compose.healthcheck", WORKERS[name]]
    assert importlib.util.find_spec("ops.compose.healthcheck") is not None
    assert duration_s(services[name]["healthcheck"]["timeout"]) > 5  # the ping's own timeout


@pytest.mark.parametrize("name", ["worker-local", "worker-cloud"])
def test_io_workers_get_longer_than_the_longest_backend_call_to_stop(
    services: dict[str, Any], name: str
) -> None:
    grace_s = duration_s(services[name]["stop_grace_period"])
    assert grace_s > Settings.model_fields["request_timeout_s"].default + 30


def test_classify_worker_has_a_grace_period_beyond_the_docker_default(services: dict[str, Any]) -> None:
    assert duration_s(services["worker-classify"]["stop_grace_period"]) > 10


# ---- settings passed to the workers ----------------------------------------------------------------
def test_every_pool_gets_the_same_settings(services: dict[str, Any]) -> None:
    """The classify pool routes by which backends are configured: it must see what the other pools see."""
    envs = [services[name]["environment"] for name in sorted(WORKERS)]
    assert envs[0] == envs[1] == envs[2]


def test_workers_can_be_given_every_setting_and_nothing_unknown(services: dict[str, Any]) -> None:
    env = services["worker-local"]["environment"]
    assert unknown_turnout_variables(env) == []
    secrets = set(secret_targets(services["worker-local"]))
    for field in Settings.model_fields:
        present = [name for name in setting_names(field) if name in env or name in secrets]
        assert len(present) == 1, (
            f"setting {field}: pass exactly one of {setting_names(field)}, got {present}"
        )


def test_worker_environment_builds_valid_settings(
    services: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for key in list(os.environ):
        if key.startswith("TURNOUT_") or key in STANDARD_SETTING_NAMES:
            monkeypatch.delenv(key)
    env = resolved_env(services["worker-local"], {**COMPOSE_ENV, "OPENAI_API_KEY": "sk-from-dotenv"})
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    # What the image's entrypoint does with the secret compose mounts at /run/secrets/TURNOUT_BROKER_URL.
    from ops.redis.acl import broker_url

    secrets_dir = tmp_path / "run-secrets"
    secrets_dir.mkdir()
    url = broker_url("worker", "pw0123456789")
    (secrets_dir / "TURNOUT_BROKER_URL").write_text(url + "\n")
    assert load_secrets(directory=secrets_dir) == ["TURNOUT_BROKER_URL"]
    try:
        settings = load_settings()
    except SettingsError as exc:
        pytest.fail(f"the compose worker environment is invalid: {exc}")
    assert settings.broker_url == "redis://worker:pw0123456789@redis:6379/0"
    assert settings.ollama_hosts == ("http://ollama:11434",)
    assert settings.ollama_parallel == int(
        interpolate(services["ollama"]["environment"]["OLLAMA_NUM_PARALLEL"], {})
    ), "Turnout's slots per host must match the Ollama server's"
    assert (
        settings.openai_api_key is not None and settings.openai_api_key.get_secret_value() == "sk-from-dotenv"
    )
    assert settings.log_format == "json"
    assert settings.metrics_port is not None and settings.metrics_address == "0.0.0.0"
    assert str(settings.config_dir) == dockerfile_env()["TURNOUT_CONFIG_DIR"]


def test_secrets_are_passed_through_never_written_in_compose(services: dict[str, Any]) -> None:
    for name, service in services.items():
        env = service.get("environment", {})
        for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
            if key in env:
                assert env[key] is None, f"{name}: {key} must come from the environment"
        for key, value in env.items():
            if value is not None and ("PASSWORD" in key or "AUTH" in key or "redis://" in str(value)):
                assert "${" in str(value), f"{name}: {key} must be interpolated, not written in the file"


def test_no_password_is_in_a_command_line_or_an_environment(compose: dict[str, Any]) -> None:
    """`ps` shows arguments and `docker inspect` shows both: passwords only travel in secret files."""
    for path in (COMPOSE, ADDONS / "workers.yaml"):
        code = "\n".join(
            line.split(" #")[0] for line in path.read_text().splitlines() if not line.lstrip().startswith("#")
        )
        for marker in ("requirepass", "REDIS_PASSWORD", "REDISCLI_AUTH", "FLOWER_BASIC_AUTH:", "redis://"):
            assert marker not in code, f"{path.name} still passes {marker}"
    for name, service in compose["services"].items():
        env = service.get("environment", {})
        assert not FROM_SECRETS & set(env), f"{name}: the broker URL must come from a secret"
        assert "FLOWER_BASIC_AUTH" not in env


@pytest.mark.parametrize("name", sorted(ROLE_OF))
def test_each_turnout_service_reads_its_own_roles_broker_url_from_a_secret(
    compose: dict[str, Any], services: dict[str, Any], name: str
) -> None:
    targets = secret_targets(services[name])
    source = targets["TURNOUT_BROKER_URL"]
    assert compose["secrets"][source]["file"].endswith(f"/broker-url-{ROLE_OF[name]}")
    from ops.compose.with_secrets import SECRET_NAMES

    assert set(targets) <= set(SECRET_NAMES), "the entrypoint only turns these names into variables"


def test_secrets_are_the_files_the_generator_writes(compose: dict[str, Any]) -> None:
    from ops.redis.acl import ROLES

    files = {Path(secret["file"]).name for secret in compose["secrets"].values()}
    assert files == {"redis-users.acl", "flower-basic-auth", *(f"broker-url-{role}" for role in ROLES)}
    for secret in compose["secrets"].values():
        assert secret["file"].startswith("${SECRETS_DIR:-./secrets}/")
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert "secrets" in ignored
    assert "/secrets/" in (ROOT / ".gitignore").read_text().splitlines()


# ---- hardening -------------------------------------------------------------------------------------
def _all_services() -> list[tuple[str, str, dict[str, Any]]]:
    out = [("docker-compose.yml", n, s) for n, s in load_compose(COMPOSE)["services"].items()]
    out += [("workers.yaml", n, s) for n, s in load_compose(ADDONS / "workers.yaml")["services"].items()]
    return out


@pytest.mark.parametrize(
    ("file", "name", "service"), _all_services(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_container_is_hardened(file: str, name: str, service: dict[str, Any]) -> None:
    """No capabilities, no privilege gain, a read-only root with a private /tmp, a memory limit."""
    assert service["cap_drop"] == ["ALL"] and "cap_add" not in service
    assert service["security_opt"] == ["no-new-privileges:true"]
    assert service["read_only"] is True
    assert any(t.startswith("/tmp:") for t in service["tmpfs"])
    assert "privileged" not in service and service.get("network_mode") != "host"
    limit = interpolate(str(service["mem_limit"]), {})
    assert re.fullmatch(r"\d+[mg]", limit), f"{file} {name}: mem_limit {limit!r}"


@pytest.mark.parametrize(
    ("file", "name", "service"), _all_services(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_image_is_pinned_to_a_version(file: str, name: str, service: dict[str, Any]) -> None:
    image = interpolate(service["image"], {})
    if "build" in service:
        assert image == "turnout:local"  # built here, from the pinned python base
        return
    repository, _, tag = image.rpartition(":")
    assert repository and tag and tag != "latest", f"{file} {name}: {image}"
    assert re.match(r"v?\d+\.\d+\.\d+", tag), f"{file} {name}: pin a full version, not {tag!r}"


def test_only_the_local_workers_reach_ollama(compose: dict[str, Any], services: dict[str, Any]) -> None:
    """Ollama's API has no authentication: it lives on an internal network of its own clients."""
    assert compose["networks"]["models"]["internal"] is True
    on_models = {n for n, s in services.items() if "models" in s.get("networks", [])}
    assert on_models == {"ollama", "ollama-pull", "worker-local"}
    assert "default" not in services["ollama"]["networks"]
    downloads = {n for n, s in services.items() if "model-downloads" in s.get("networks", [])}
    assert downloads == {"ollama"} and compose["networks"]["model-downloads"] is None
    assert services["worker-local"]["networks"] == ["default", "models"]


def test_redis_runs_as_its_image_user_without_a_root_step(services: dict[str, Any]) -> None:
    """With every capability dropped the image's entrypoint cannot chown or switch users: start as redis."""
    assert services["redis"]["user"] == "999:1000"


# ---- redis, flower, ollama, producer, prometheus ---------------------------------------------------
def _bytes(size: str) -> int:
    match = re.fullmatch(r"(\d+)(m|mb|g|gb)", size.lower())
    assert match, size
    return int(match.group(1)) * (1 << (20 if match.group(2).startswith("m") else 30))


def test_redis_persists_refuses_eviction_requires_a_password_and_stays_private(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    redis = services["redis"]
    command = redis["command"]
    assert isinstance(command, list)
    flags = dict(zip(command[1::2], command[2::2], strict=True))
    assert command[0] == "redis-server"
    assert flags["--appendonly"] == "yes"
    assert flags["--maxmemory-policy"] == "noeviction"
    assert "--requirepass" not in flags
    assert flags["--aclfile"] == "/run/secrets/redis_acl" and "redis_acl" in redis["secrets"]
    maxmemory = interpolate(flags["--maxmemory"], {})
    limit = interpolate(redis["mem_limit"], {})
    assert _bytes(maxmemory) * 2 <= _bytes(limit), "leave the AOF rewrite's fork room under the limit"
    assert "redis-cli ping" in redis["healthcheck"]["test"][1]  # the ACL's default user may PING
    assert "environment" not in redis
    assert "ports" not in redis
    assert any(v.endswith(":/data") for v in redis["volumes"])
    assert redis["volumes"][0].split(":")[0] in compose["volumes"]


def test_flower_requires_a_login_runs_the_turnout_app_and_listens_on_loopback_only(
    services: dict[str, Any],
) -> None:
    flower = services["flower"]
    command = flower["command"]
    assert command[:4] == ["celery", "--app", "ops.flower.app", "flower"]
    assert importlib.util.find_spec("ops.flower.app") is not None
    assert "--port=5555" in command
    assert not any(arg.startswith("--enable_events=") and arg.endswith("False") for arg in command)
    assert not any(arg.startswith("--basic-auth") or arg.startswith("--basic_auth") for arg in command)
    assert secret_targets(flower)["FLOWER_BASIC_AUTH"] == "flower_basic_auth"  # required: a secret file
    assert flower["ports"] == ["127.0.0.1:5555:5555"]
    assert unknown_turnout_variables(flower.get("environment", {})) == []


def test_ollama_reserves_the_gpu_and_keeps_models_in_a_volume(services: dict[str, Any]) -> None:
    ollama = services["ollama"]
    assert ollama["image"].startswith("ollama/ollama:")
    devices = ollama["deploy"]["resources"]["reservations"]["devices"]
    assert devices == [{"driver": "nvidia", "count": "all", "capabilities": ["gpu"]}]
    assert any(v.endswith(":/root/.ollama") for v in ollama["volumes"])
    assert "ports" not in ollama


def test_the_pull_step_pulls_the_local_model_of_the_routing_policy_before_local_workers_start(
    services: dict[str, Any],
) -> None:
    pull = services["ollama-pull"]
    assert pull["depends_on"]["ollama"]["condition"] == "service_healthy"
    assert pull["restart"] == "no"
    local_model = yaml.safe_load((REPO_CONFIG_DIR / "routing.yaml").read_text())["models"]["local"]
    default_models = default_of(pull["environment"]["OLLAMA_PULL_MODELS"], "OLLAMA_PULL_MODELS").split(",")
    assert local_model in default_models
    assert "OLLAMA_PULL_MODELS" in " ".join(pull["command"])
    depends = services["worker-local"]["depends_on"]
    assert depends["ollama-pull"]["condition"] == "service_completed_successfully"
    for name in WORKERS:
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_producer_is_a_run_once_turnout_command(services: dict[str, Any]) -> None:
    producer = services["producer"]
    command = producer["command"]
    assert command[0] == "turnout" and command[1] in cli.commands
    cli.commands[command[1]].make_context(command[1], list(command[2:]))
    assert producer["restart"] == "no"
    assert producer["init"] is True  # a plain CLI as PID 1 would ignore SIGTERM
    assert unknown_turnout_variables(producer["environment"]) == []


def test_prometheus_scrapes_every_worker_service_and_flower(services: dict[str, Any]) -> None:
    config = yaml.safe_load((ROOT / "ops" / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    dns = jobs["turnout-workers"]["dns_sd_configs"][0]
    assert set(dns["names"]) == set(WORKERS)
    assert str(dns["port"]) == services["worker-local"]["environment"]["TURNOUT_METRICS_PORT"]
    assert jobs["flower"]["static_configs"][0]["targets"] == ["flower:5555"]
    assert "./ops/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in services["prometheus"]["volumes"]


# ---- the image -------------------------------------------------------------------------------------
def test_every_turnout_service_runs_the_image_built_from_ops_dockerfile(services: dict[str, Any]) -> None:
    turnout = [name for name, s in services.items() if "build" in s]
    assert set(turnout) == {*WORKERS, "flower", "producer"}
    images = {services[name]["image"] for name in turnout}
    assert len(images) == 1
    for name in turnout:
        assert services[name]["build"] == {"context": ".", "dockerfile": "ops/Dockerfile"}


def dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for op, rest in dockerfile_stages()[-1]["instructions"]:
        if op == "ENV":
            env.update(dict(re.findall(r"(\w+)=(\S+)", rest)))
    return env


def test_dockerfile_is_multi_stage_with_a_slim_non_root_runtime() -> None:
    stages = dockerfile_stages()
    assert [s["name"] for s in stages] == ["builder", "runtime"]
    runtime = stages[-1]
    assert runtime["base"] == "python:3.11-slim"
    users = [rest for op, rest in runtime["instructions"] if op == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    copies = [rest for op, rest in runtime["instructions"] if op == "COPY"]
    assert any(c.startswith("--from=builder") for c in copies)
    assert not any(op == "RUN" and "pip install" in rest for op, rest in runtime["instructions"])


def test_dockerfile_installs_dependencies_in_their_own_layer_before_the_source() -> None:
    builder = dockerfile_stages()[0]["instructions"]
    steps = [f"{op} {rest}" for op, rest in builder]
    deps_copy = next(i for i, s in enumerate(steps) if s.startswith("COPY pyproject.toml constraints.txt"))
    deps_install = next(i for i, s in enumerate(steps) if "pip install -c constraints.txt" in s)
    source_copies = [i for i, s in enumerate(steps) if re.match(r"COPY (worker|producer|ops) ", s)]
    assert len(source_copies) == 3
    assert deps_copy < deps_install < min(source_copies)
    assert any("pip install --no-deps ." in s for s in steps[max(source_copies) :])


def test_dockerfile_bakes_the_configs_where_turnout_looks_and_ships_flower() -> None:
    env = dockerfile_env()
    runtime = dockerfile_stages()[-1]["instructions"]
    assert f"COPY configs {env['TURNOUT_CONFIG_DIR']}" in [f"{op} {rest}" for op, rest in runtime]
    assert env["TURNOUT_LOG_FORMAT"] == "json"
    assert unknown_turnout_variables(env) == []
    extras = re.search(r"ARG EXTRAS=(\S+)", DOCKERFILE.read_text())
    assert extras
    optional = _pyproject()["project"]["optional-dependencies"]
    for extra in extras.group(1).split(","):
        assert extra in optional
    assert any(d.startswith("flower") for e in extras.group(1).split(",") for d in optional[e])


def test_dockerfile_command_is_the_turnout_cli() -> None:
    cmds = [rest for op, rest in dockerfile_stages()[-1]["instructions"] if op == "CMD"]
    assert cmds, "the runtime stage needs a CMD"
    import json

    argv = json.loads(cmds[-1])
    assert argv[0] == "turnout"
    assert argv[1] == "--help" or argv[1] in cli.commands
    entrypoints = [rest for op, rest in dockerfile_stages()[-1]["instructions"] if op == "ENTRYPOINT"]
    # The only prefix: the secrets loader, which execs the command it is given (ops/compose/with_secrets.py).
    assert [json.loads(e) for e in entrypoints] == [["python", "-m", "ops.compose.with_secrets"]]
    assert importlib.util.find_spec("ops.compose.with_secrets") is not None


def test_build_context_keeps_secrets_and_local_state_out() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".env", ".venv", ".git"} <= ignored


def _pyproject() -> dict[str, Any]:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())


# ---- add-ons ---------------------------------------------------------------------------------------
def test_cpu_override_only_drops_the_gpu_reservation() -> None:
    override = load_compose(ADDONS / "cpu.yaml")
    assert override["services"] == {"ollama": {"deploy": ("!reset", {})}}


def test_redis_publishing_requires_an_explicit_address() -> None:
    override = load_compose(ADDONS / "redis-published.yaml")
    (port,) = override["services"]["redis"]["ports"]
    assert port.startswith("${REDIS_PUBLISH_ADDRESS:?") and port.endswith(":6379:6379")


def test_multi_host_workers_match_the_main_compose_workers(services: dict[str, Any]) -> None:
    remote = load_compose(ADDONS / "workers.yaml")["services"]
    assert set(remote) == {*WORKERS, "ollama", "ollama-pull"}
    for name in WORKERS:
        for key in ("command", "healthcheck", "stop_grace_period", "image"):
            assert remote[name][key] == services[name][key], f"{name}.{key} differs from docker-compose.yml"
        assert remote[name]["build"]["dockerfile"] == "ops/Dockerfile"
        assert (ADDONS / remote[name]["build"]["context"]).resolve() == ROOT
        assert remote[name]["environment"] == services[name]["environment"]
        assert secret_targets(remote[name]) == {"TURNOUT_BROKER_URL": "broker_url_worker"}
        for key in ("cap_drop", "security_opt", "read_only", "tmpfs", "mem_limit", "networks"):
            assert remote[name].get(key) == services[name].get(key), f"{name}.{key} differs"
    secret = load_compose(ADDONS / "workers.yaml")["secrets"]["broker_url_worker"]["file"]
    assert secret.startswith("${WORKER_BROKER_URL_FILE:?")
    for name in ("ollama", "ollama-pull"):
        assert remote[name] == services[name]


# ---- .env.example and the configuration reference -------------------------------------------------
def test_env_example_documents_every_setting_and_only_real_ones() -> None:
    keys = env_example_keys()
    assert unknown_turnout_variables(dict.fromkeys(keys, "")) == []
    for field in Settings.model_fields:
        assert set(setting_names(field)) <= set(keys), f"document every name of {field} in .env.example"


def test_env_example_documents_every_variable_the_compose_files_read() -> None:
    keys = env_example_keys()
    texts = [COMPOSE.read_text(), *(p.read_text() for p in sorted(ADDONS.glob("*.yaml")))]
    for variable in set().union(*(referenced_variables(t) for t in texts)):
        assert variable in keys, f"{variable} is read by a compose file but missing from .env.example"


def test_env_example_ships_no_secret_values() -> None:
    keys = env_example_keys()
    assert all(v is None or v == "" for v in keys.values()), "only commented examples carry values"
    assert not {"REDIS_PASSWORD", "FLOWER_BASIC_AUTH"} & set(keys), "passwords live in secret files now"


def _rendered_default(field: str) -> str:
    default = Settings.model_fields[field].default
    if default is None or default == ():
        return "unset"
    if isinstance(default, Path):
        return default.relative_to(ROOT).as_posix() + "/" if default.is_relative_to(ROOT) else str(default)
    return str(default)


def test_configuration_reference_lists_every_setting_with_its_default() -> None:
    rows: dict[str, str] = {}
    for line in CONFIG_DOC.read_text().splitlines():
        match = re.match(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|\s*`?([^|`]*?)`?\s*\|", line)
        if match is None:
            continue
        name = match.group(1)
        if name.startswith("TURNOUT_") or name in STANDARD_SETTING_NAMES:
            rows[name] = match.group(2).strip()
    expected = {setting_names(field)[0]: _rendered_default(field) for field in Settings.model_fields}
    missing = sorted(set(expected) - set(rows))
    assert not missing, f"docs/configuration.md lacks rows for {missing}"
    stale = sorted(set(rows) - set(expected) - STANDARD_SETTING_NAMES)
    assert not stale, f"docs/configuration.md documents settings that do not exist: {stale}"
    wrong = {name: (rows[name], default) for name, default in expected.items() if rows[name] != default}
    assert not wrong, f"documented defaults differ from Settings (doc, code): {wrong}"


# ---- a real compose parser, where there is one -----------------------------------------------------
def _docker_compose() -> list[str] | None:
    docker = shutil.which("docker")
    if docker is None:
        return None
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, text=True, timeout=30)
    return [docker, "compose"] if probe.returncode == 0 else None


@pytest.mark.parametrize(
    "files",
    [["docker-compose.yml"], ["docker-compose.yml", "ops/compose/cpu.yaml"], ["ops/compose/workers.yaml"]],
)
def test_docker_compose_accepts_the_files(files: list[str]) -> None:
    command = _docker_compose()
    if command is None:
        pytest.skip("the docker compose plugin is not installed here")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TURNOUT_")},
        **COMPOSE_ENV,
        "TURNOUT_BROKER_URL": "redis://:pw@10.0.0.5:6379/0",
    }
    args = list(command)
    for file in files:
        args += ["-f", str(ROOT / file)]
    result = subprocess.run(
        [*args, "--profile", "producer", "--profile", "monitoring", "config", "--quiet"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr


def test_click_cli_knows_the_worker_pools() -> None:
    """The pool names compose uses are the CLI's choices, and the CLI's choices are Celery's pools."""
    pool_option = next(p for p in cli.commands["worker"].params if p.name == "pool")
    assert isinstance(pool_option.type, click.Choice)
    assert set(pool_option.type.choices) == set(POOLS) == set(WORKERS.values())
