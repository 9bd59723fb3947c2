"""Set F's documents: the heldout4 document model (Doc, Ctx, Spec, fingerprint), with set F's own locales."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

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

__all__ = [
    "NEGATIVE",
    "SENSITIVE",
    "Ctx",
    "Doc",
    "Gen",
    "Out",
    "Spec",
    "build",
    "build_in",
    "canonical",
    "fingerprint",
]

# Faker locales per language; none of these twelve languages is in set C, D or E.
LOCALES: dict[str, tuple[str, ...]] = {
    "ru": ("ru_RU",),
    "is": ("is_IS",),
    "ga": ("ga_IE",),
    "sq": ("sq_AL",),
    "az": ("az_AZ",),
    "mk": ("mk_MK",),
    "ka": ("ka_GE",),
    "hy": ("hy_AM",),
    "ne": ("ne_NP",),
    "bn": ("bn_BD",),
    "ta": ("ta_IN",),
    "zu": ("zu_ZA",),
    "code": ("en_US", "en_IE", "pt_BR", "ru_RU", "is_IS"),
}


def build(set_name: str, specs: Sequence[Spec]) -> list[Doc]:
    """Every document of the set from fixed seeds, shuffled once so that ids say nothing of kind."""
    return build_in(LOCALES, set_name, specs)


def build_in(locales: Mapping[str, tuple[str, ...]], set_name: str, specs: Sequence[Spec]) -> list[Doc]:
    """``build`` with another set's Faker locales per language (set G imports this instead of a copy)."""
    made: list[tuple[str, str, str, Out]] = []
    for spec in specs:
        for i in range(spec.n):
            lang = spec.langs[i % len(spec.langs)]
            seed = seed_of(set_name, spec.kind, lang, i)
            rng = random.Random(seed)
            locale = rng.choice(locales[lang])
            fake = _faker(locale)
            fake.seed_instance(seed)
            k = i // len(spec.langs)
            made.append((spec.kind, lang, spec.label, spec.gen(Ctx(rng, lang, locale, fake, k))))
    random.Random(seed_of(set_name, "order")).shuffle(made)
    docs = []
    for n, (kind, lang, label, out) in enumerate(made, 1):
        doc_id = f"{set_name}{n:04d}"
        docs.append(
            Doc(doc_id, set_name, kind, lang, label, out.why, f"{doc_id.lower()}.{out.ext}", out.text)
        )
    return docs
