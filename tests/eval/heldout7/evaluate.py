"""Set G through the heldout4 evaluator (heldout4/later_set.py): corpus, run, manifest freeze and check."""

from __future__ import annotations

from pathlib import Path

from ..heldout4.evaluate import Result
from ..heldout4.later_set import LaterSet
from . import set_g
from .doc import SENSITIVE, build, canonical, fingerprint

__all__ = ["MANIFEST", "SETS", "SET_G", "Result", "corpus", "freeze", "frozen_sha", "run"]

MANIFEST = Path(__file__).with_name("MANIFEST.json")
SET_G = LaterSet(
    "heldout7", "G", set_g.SPECS, set_g.CATEGORY, MANIFEST, build, canonical, fingerprint, SENSITIVE
)
SETS = SET_G.sets
corpus = SET_G.corpus
run = SET_G.run
freeze = SET_G.freeze
frozen_sha = SET_G.frozen_sha
