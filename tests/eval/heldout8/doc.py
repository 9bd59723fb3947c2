"""Set H's documents: the heldout4 document model and set F's build (heldout6/doc.py), with set H's locales.

Names and towns of set H's languages come from h_lang.py and the technical documents draw from their own
seeded random source; the Faker locale below only seeds Faker (no generator of set H calls it)."""

from __future__ import annotations

from collections.abc import Sequence

from ..heldout6.doc import NEGATIVE, SENSITIVE, Ctx, Doc, Gen, Out, Spec, build_in, canonical, fingerprint

__all__ = ["NEGATIVE", "SENSITIVE", "Ctx", "Doc", "Gen", "Out", "Spec", "build", "canonical", "fingerprint"]

# None of these six languages is in sets A-G.
LOCALES: dict[str, tuple[str, ...]] = {
    "af": ("zu_ZA",),
    "gl": ("es_ES",),
    "sr": ("hr_HR",),
    "kk": ("ru_RU",),
    "fo": ("da_DK",),
    "mn": ("ru_RU",),
    "code": ("en_GB", "en_IE", "nl_NL", "de_DE", "fr_FR"),
}


def build(set_name: str, specs: Sequence[Spec]) -> list[Doc]:
    return build_in(LOCALES, set_name, specs)
