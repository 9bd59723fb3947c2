"""CLI: evaluate the classifier on held-out set F, write it out, or freeze the manifest (heldout4/later_set.py)."""

from __future__ import annotations

import sys

from .evaluate import SET_F

if __name__ == "__main__":
    sys.exit(SET_F.main())
