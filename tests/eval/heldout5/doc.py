"""Set E's documents: the heldout4 document model (Doc, Ctx, Spec, fingerprint), with set E's own locales."""

from __future__ import annotations

import random
from collections.abc import Sequence

from ..heldout4.doc import (
    NEGATIVE,
    SENSITIVE,
    Ctx,
    Doc,
    Gen,
    Out,
    Spec,
    _faker,
    canonical,
    fingerprint,
    seed_of,
)

__all__ = ["NEGATIVE", "SENSITIVE", "Ctx", "Doc", "Gen", "Out", "Spec", "build", "canonical", "fingerprint"]

# Faker locales per language; none of these twelve languages is in set C or D.
LOCALES: dict[str, tuple[str, ...]] = {
    "bg": ("bg_BG",),
    "hr": ("hr_HR",),
    "sk": ("sk_SK",),
    "lt": ("lt_LT",),
    "lv": ("lv_LV",),
    "et": ("et_EE",),
    "he": ("he_IL",),
    "th": ("th_TH",),
    "sw": ("sw",),
    "fa": ("fa_IR",),
    "tl": ("tl_PH", "fil_PH"),
    "sl": ("sl_SI",),
    "code": ("en_US", "en_IN", "pt_BR", "pl_PL", "ja_JP"),
}


def build(set_name: str, specs: Sequence[Spec]) -> list[Doc]:
    """Every document of the set from fixed seeds, shuffled once so that ids say nothing of kind."""
    made: list[tuple[str, str, str, Out]] = []
    for spec in specs:
        for i in range(spec.n):
            lang = spec.langs[i % len(spec.langs)]
            seed = seed_of(set_name, spec.kind, lang, i)
            rng = random.Random(seed)
            locale = rng.choice(LOCALES[lang])
            fake = _faker(locale)
            fake.seed_instance(seed)
            k = spec.langs[:i].count(lang) if i < len(spec.langs) else i // len(spec.langs)
            made.append((spec.kind, lang, spec.label, spec.gen(Ctx(rng, lang, locale, fake, k))))
    random.Random(seed_of(set_name, "order")).shuffle(made)
    docs = []
    for n, (kind, lang, label, out) in enumerate(made, 1):
        doc_id = f"{set_name}{n:04d}"
        docs.append(
            Doc(doc_id, set_name, kind, lang, label, out.why, f"{doc_id.lower()}.{out.ext}", out.text)
        )
    return docs
