"""Set I's documents: the heldout4 document model and set F's build (heldout6/doc.py), with set I's locales.

Names and towns of set I's languages come from i_lang.py and the technical documents draw from their own
seeded random source; the Faker locale below only seeds Faker (no generator of set I calls it)."""

from __future__ import annotations

from collections.abc import Sequence

from ..heldout6.doc import NEGATIVE, SENSITIVE, Ctx, Doc, Gen, Out, Spec, build_in, canonical, fingerprint

__all__ = ["NEGATIVE", "SENSITIVE", "Ctx", "Doc", "Gen", "Out", "Spec", "build", "canonical", "fingerprint"]

# None of these seven languages is in sets A-H.
LOCALES: dict[str, tuple[str, ...]] = {
    "am": ("am_ET",),
    "km": ("th_TH",),
    "si": ("si_LK",),
    "te": ("en_IN",),
    "ky": ("ru_RU",),
    "so": ("en_KE",),
    "yo": ("yo_NG",),
    "code": ("en_GB", "en_IE", "fr_FR", "en_KE", "en_NG"),
}


def build(set_name: str, specs: Sequence[Spec]) -> list[Doc]:
    return build_in(LOCALES, set_name, specs)
