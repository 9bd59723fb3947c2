"""Set I through the heldout4 evaluator (heldout4/later_set.py): corpus, run, manifest freeze and check."""

from __future__ import annotations

from pathlib import Path

from ..heldout4.evaluate import Result
from ..heldout4.later_set import LaterSet
from . import set_i
from .doc import SENSITIVE, build, canonical, fingerprint

__all__ = ["MANIFEST", "SETS", "SET_I", "Result", "corpus", "freeze", "frozen_sha", "run"]

MANIFEST = Path(__file__).with_name("MANIFEST.json")
SET_I = LaterSet(
    "heldout9", "I", set_i.SPECS, set_i.CATEGORY, MANIFEST, build, canonical, fingerprint, SENSITIVE
)
SETS = SET_I.sets
corpus = SET_I.corpus
run = SET_I.run
freeze = SET_I.freeze
frozen_sha = SET_I.frozen_sha
