"""Set F through the heldout4 evaluator (heldout4/later_set.py): corpus, run, manifest freeze and check."""

from __future__ import annotations

from pathlib import Path

from ..heldout4.evaluate import Result
from ..heldout4.later_set import LaterSet
from . import set_f
from .doc import SENSITIVE, build, canonical, fingerprint

__all__ = ["MANIFEST", "SETS", "SET_F", "Result", "corpus", "freeze", "frozen_sha", "run"]

MANIFEST = Path(__file__).with_name("MANIFEST.json")
SET_F = LaterSet(
    "heldout6", "F", set_f.SPECS, set_f.CATEGORY, MANIFEST, build, canonical, fingerprint, SENSITIVE
)
SETS = SET_F.sets
corpus = SET_F.corpus
run = SET_F.run
freeze = SET_F.freeze
frozen_sha = SET_F.frozen_sha
