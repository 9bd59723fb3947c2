"""Set E through the heldout4 evaluator (heldout4/later_set.py): corpus, run, manifest freeze and check."""

from __future__ import annotations

from pathlib import Path

from ..heldout4.evaluate import Result
from ..heldout4.later_set import LaterSet
from . import set_e
from .doc import SENSITIVE, build, canonical, fingerprint

__all__ = ["MANIFEST", "SETS", "SET_E", "Result", "corpus", "freeze", "frozen_sha", "run"]

MANIFEST = Path(__file__).with_name("MANIFEST.json")
SET_E = LaterSet(
    "heldout5", "E", set_e.SPECS, set_e.CATEGORY, MANIFEST, build, canonical, fingerprint, SENSITIVE
)
SETS = SET_E.sets
corpus = SET_E.corpus
run = SET_E.run
freeze = SET_E.freeze
frozen_sha = SET_E.frozen_sha
