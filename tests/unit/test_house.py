"""House rules that keep the code base one a newcomer can find their way in (issue 20).

The import graph is read from the source with `ast`, nothing is imported: every `import` statement counts,
at module level, inside functions (a deferred import is still a dependency, and the circles this replaced
hid behind them) and under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from producer.submit import SubmitError
from worker.errors import ConfigError, InvalidOutput, SensitiveDataBlocked, SettingsError, TurnoutError
from worker.extraction import SchemaFileError
from worker.privacy import NEVER_TO_CLOUD, guard_cloud, never_leaves
from worker.schema import Sensitivity

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("worker", "producer", "ops")


def modules() -> dict[str, Path]:
    """Every module of our packages by dotted name (a package by its own name, for its __init__)."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imported_by(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Our modules that `name` imports: `from a.b import c` counts a.b.c when c is a module, else a.b."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's package, one level up per extra dot
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            for alias in node.names:
                if f"{target}.{alias.name}" in known:
                    found.add(f"{target}.{alias.name}")
                elif target in known:
                    found.add(target)
    found.discard(name)
    return found


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in sorted(graph[node]):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def test_no_import_circles_among_worker_producer_and_ops() -> None:
    """No module of ours imports, directly or through others, a module that imports it back."""
    known = modules()
    graph = {name: imported_by(name, path, known) for name, path in known.items()}
    circles = import_circles(graph)
    described = [
        "\n".join(f"  {m} -> {', '.join(sorted(graph[m] & set(circle)))}" for m in circle)
        for circle in circles
    ]
    assert not circles, "import circles:\n" + "\n\n".join(described)


def test_the_circle_check_finds_a_circle_hidden_in_a_deferred_import() -> None:
    """The check itself: a function-level import that closes a loop is a circle."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_circles(graph) == [["a", "b", "c"]]
    assert import_circles({"a": {"b"}, "b": set()}) == []


# The layers of docs/architecture.md, lowest first: a module may import its own layer and those below.
# A module no pattern names is not checked (name it here when it is added).
LAYERS = (
    ("leaves", r"worker(\.(schema|errors|queues|settings|config|logging|task_outcome))?"),
    (
        "policy",
        r"worker\.(classifier(\..+)?|routing|privacy|second_line|chunking|extraction|labels|prompts|pricing"
        r"|model_catalog|tco|tokens|retry|budget\.config)",
    ),
    (
        "I/O",
        r"worker\.(backends(\..+)?|store(\..+)?|store_refusal|liveness|joining|metrics|retry_notes|flow(\..+)?"
        r"|budget(\.(ledger|gate|view))?"
        r"|batch(\.(provider|jsonl|hints|progress|revive))?)",
    ),
    ("runtime", r"worker\.runtime"),
    (
        "stages",
        r"worker\.(pipeline|calls|second_line_check|second_line_stage|budget\.(policy|batch)|batch\.(calls|collector|poller|flush))",
    ),
    ("tasks", r"worker\.(tasks|batch\.tasks)"),
    ("celery", r"worker\.(main|celery_app|celery_transport|celery_events|recovery)"),
    ("producer and ops", r"(producer|ops)(\..+)?"),
)


def layer_of(module: str) -> int | None:
    for number, (_, pattern) in enumerate(LAYERS):
        if re.fullmatch(pattern, module):
            return number
    return None


def test_no_module_imports_a_layer_above_its_own() -> None:
    """The picture in docs/architecture.md holds: stages never import tasks, the store never a stage."""
    known = modules()
    upward = []
    for name, path in known.items():
        own = layer_of(name)
        if own is None:
            continue
        for imported in sorted(imported_by(name, path, known)):
            above = layer_of(imported)
            if above is not None and above > own:
                upward.append(f"  {name} ({LAYERS[own][0]}) imports {imported} ({LAYERS[above][0]})")
    assert not upward, "imports from a higher layer:\n" + "\n".join(upward)


def test_every_worker_module_has_a_layer() -> None:
    unplaced = sorted(name for name in modules() if name.startswith("worker") and layer_of(name) is None)
    assert not unplaced, f"name these modules' layer in LAYERS (and docs/architecture.md): {unplaced}"


def _strings_and_redis_attributes(tree: ast.AST) -> tuple[list[str], int]:
    """The string constants of a module, docstrings left out, and how often it reads an attribute `.redis`."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    strings = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]
    reads = sum(1 for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "redis")
    return strings, reads


def test_the_store_is_the_only_door_to_redis() -> None:
    """Key names (`tn:...`), Lua and the store's raw client live in worker/store/ alone (keys.py names every
    key, scripts/*.lua holds every script); everything else asks the store."""
    outside = []
    for name, path in modules().items():
        if name == "worker.store" or name.startswith("worker.store."):
            continue
        strings, reads = _strings_and_redis_attributes(ast.parse(path.read_text(encoding="utf-8")))
        named = [text for text in strings if "tn:" in text or "redis.call" in text]
        if named or reads:
            outside.append(f"  {name}: {len(named)} key names or scripts, {reads} uses of `.redis`")
    assert not outside, "Redis reached around the store:\n" + "\n".join(outside)


def test_the_door_check_sees_a_key_an_f_string_builds_and_a_client_reached_through() -> None:
    """The check itself: an f-string's key prefix and `store.redis` are found; a docstring is not."""
    tree = ast.parse('"""tn:doc: a docstring"""\nkey = f"tn:{{{b}}}:jobs"\nstore.redis.get(key)\n')
    strings, reads = _strings_and_redis_attributes(tree)
    assert [text for text in strings if "tn:" in text] == ["tn:{"] and reads == 1


def test_every_lua_script_is_a_file_shipped_as_package_data() -> None:
    """A non-editable install reads the scripts from the package: pyproject ships scripts/*.lua."""
    import tomllib

    scripts = sorted((ROOT / "worker" / "store" / "scripts").glob("*.lua"))
    assert len(scripts) > 20
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["setuptools"]["package-data"]["worker.store"] == ["scripts/*.lua"]


MAX_MODULE_LINES = 400  # STYLE.md: a module past ~400 lines is asking to be split


def test_no_module_grows_past_400_lines() -> None:
    """The worker, the producer and ops stay in small modules."""
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules().items()}
    large = sorted(f"{name} ({lines} lines)" for name, lines in sizes.items() if lines > MAX_MODULE_LINES)
    assert not large, f"split these along their seams: {large}"


@pytest.mark.parametrize(
    "error", [SettingsError, InvalidOutput, SchemaFileError, SubmitError, SensitiveDataBlocked]
)
def test_errors_raised_on_purpose_share_one_root(error: type[Exception]) -> None:
    assert issubclass(error, TurnoutError)


def test_settings_and_schema_file_errors_are_configuration_errors() -> None:
    """The CLI turns every ConfigError into one clear line; these are the user's to fix."""
    assert issubclass(SettingsError, ConfigError) and issubclass(SchemaFileError, ConfigError)


# ---- privacy: the one guard ---------------------------------------------------------------------------
@pytest.mark.parametrize("level", list(Sensitivity))
def test_the_guard_refuses_exactly_the_levels_that_never_leave(level: Sensitivity) -> None:
    if level in (Sensitivity.CONFIDENTIAL, Sensitivity.RESTRICTED):
        assert never_leaves(level) and level in NEVER_TO_CLOUD
        with pytest.raises(SensitiveDataBlocked) as blocked:
            guard_cloud("b1.000001", level, "the batch API")
        assert blocked.value.kind == "sensitive_blocked" and not blocked.value.retryable
        assert "b1.000001" in str(blocked.value) and "the batch API" in str(blocked.value)
    else:
        assert not never_leaves(level)
        guard_cloud("b1.000001", level)  # no error: the router's policy decides the rest


def test_every_module_that_builds_an_openai_client_for_the_cloud_calls_the_guard() -> None:
    """A new path to a closed API must pass the one guard: each worker module that builds an `openai`
    client calls `guard_cloud` (the local OpenAI-compatible route, if any, is named here on purpose)."""
    local_only = {"worker.backends.local_openai"}  # servers on your own hardware: sensitive jobs may go there
    builders = []
    for name, path in modules().items():
        if not name.startswith("worker."):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = {ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
        if "openai.OpenAI" in calls or "OpenAI" in calls:
            builders.append(name)
            if name not in local_only:
                assert "guard_cloud" in calls, f"{name} builds an openai client but never calls guard_cloud"
    assert sorted(builders) == [
        "worker.backends.local_openai",
        "worker.backends.openai",
        "worker.batch.provider",
    ]
