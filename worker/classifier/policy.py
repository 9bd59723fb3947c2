"""Sensitivity policy: what was found, plus producer metadata, becomes a level with its reasons."""

from __future__ import annotations

import re
from collections.abc import Mapping

from worker.classifier.config import ClassifierConfig
from worker.schema import Sensitivity


def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """Compile a path glob: `**` crosses directories, `*` and `?` stay within one, case-insensitive.

    A pattern without a leading "/" matches at any depth ("hr/**" matches "hr/a.txt" and
    "exports/hr/a.txt"), like .gitignore; a leading "/" anchors it at the start of the source.
    """
    anchored = pattern.startswith("/")
    body = pattern.lstrip("/")
    out = []
    i = 0
    while i < len(body):
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(body[i]))
            i += 1
    prefix = "^" if anchored else "^(?:.*/)?"
    # A pattern naming a directory ("hr" or "hr/") covers everything below it.
    suffix = "(?:/.*)?$" if not body.endswith("**") else "$"
    return re.compile(prefix + "".join(out).rstrip("/") + suffix, re.IGNORECASE)


class SensitivityPolicy:
    """Maps finding counts, path rules and a producer floor to a level; never lowers what was found."""

    def __init__(self, config: ClassifierConfig) -> None:
        self._levels = config.effective_levels()
        self._rules = [(rule, glob_to_regex(rule.pattern)) for rule in config.path_rules]

    def decide(
        self, counts: Mapping[str, int], *, source: str, floor: Sensitivity | None
    ) -> tuple[Sensitivity, list[str]]:
        kinds = sorted(counts, key=lambda kind: (-self._levels[kind].rank, kind))
        reasons = [kind if kind.startswith("marker:") else f"{kind} x{counts[kind]}" for kind in kinds]
        levels: list[Sensitivity | None] = [self._levels[kind] for kind in kinds]
        normalised = source.replace("\\", "/")
        for rule, regex in self._rules:
            if normalised and regex.match(normalised):
                levels.append(rule.sensitivity)
                reasons.append(f"path_rule:{rule.pattern}")
        if floor is not None:
            levels.append(floor)
            reasons.append(f"floor:{floor.value}")
        return Sensitivity.max(*levels), reasons
