"""The Lua scripts of the store, kept as files (scripts/*.lua, shipped as package data) and read once."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def source(*names: str) -> str:
    """The source of scripts/<name>.lua; several names join their files in order (shared helpers first)."""
    folder = files("worker.store").joinpath("scripts")
    return "".join(folder.joinpath(f"{name}.lua").read_text(encoding="utf-8") for name in names)
