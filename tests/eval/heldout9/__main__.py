"""CLI: evaluate the classifier on held-out set I, write it out, or freeze the manifest (heldout4/later_set.py)."""

from __future__ import annotations

import sys

from .evaluate import SET_I

if __name__ == "__main__":
    sys.exit(SET_I.main())
