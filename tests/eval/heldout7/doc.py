"""Set G's documents: the heldout4 document model and set F's build (heldout6/doc.py), with set G's locales.

Names and towns of set G's languages come from g_lang.py; the Faker locale below only seeds Faker's own
draws (companies and names in the ``code`` documents)."""

from __future__ import annotations

from collections.abc import Sequence

from ..heldout6.doc import NEGATIVE, SENSITIVE, Ctx, Doc, Gen, Out, Spec, build_in, canonical, fingerprint

__all__ = ["NEGATIVE", "SENSITIVE", "Ctx", "Doc", "Gen", "Out", "Spec", "build", "canonical", "fingerprint"]

# None of these eight languages is in sets A-F.
LOCALES: dict[str, tuple[str, ...]] = {
    "ca": ("es_CA",),
    "eu": ("es_ES",),
    "cy": ("en_GB",),
    "ms": ("en_GB",),
    "ur": ("en_PK",),
    "lb": ("lb_LU",),
    "mt": ("mt_MT",),
    "uz": ("uz_UZ",),
    "code": ("en_GB", "de_DE", "fr_FR", "nl_NL", "es_ES"),
}


def build(set_name: str, specs: Sequence[Spec]) -> list[Doc]:
    return build_in(LOCALES, set_name, specs)
