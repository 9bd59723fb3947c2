"""One document of a held-out corpus, the context its generator gets, and the corpus fingerprint."""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from typing import TypeVar

from faker import Faker

T = TypeVar("T")

SENSITIVE = "sensitive"  # should be tagged confidential or restricted
NEGATIVE = "negative"  # public or internal material that resembles sensitive material

# Faker locales per language; a document draws one, so names and addresses vary within a language.
LOCALES: dict[str, tuple[str, ...]] = {
    "en": ("en_US", "en_GB", "en_AU", "en_IE", "en_CA", "en_NZ"),
    "de": ("de_DE", "de_AT", "de_CH"),
    "fr": ("fr_FR", "fr_CH", "fr_CA"),
    "es": ("es_ES", "es_MX", "es_AR", "es_CO"),
    "sv": ("sv_SE",),
    "fi": ("fi_FI",),
    "cs": ("cs_CZ",),
    "pl": ("pl_PL",),
    "tr": ("tr_TR",),
    "ja": ("ja_JP",),
    "zh": ("zh_CN", "zh_TW"),
    "id": ("id_ID",),
    "hu": ("hu_HU",),
    "ro": ("ro_RO",),
    "el": ("el_GR",),
    "ko": ("ko_KR",),
    "ar": ("ar_SA", "ar_PS", "ar_DZ", "ar_AA"),
    "hi": ("hi_IN",),
    "vi": ("vi_VN",),
    "uk": ("uk_UA",),
    "nl": ("nl_NL", "nl_BE"),
    "pt": ("pt_PT", "pt_BR"),
    "it": ("it_IT",),
    "da": ("da_DK",),
    "no": ("no_NO",),
    "code": ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES"),
}


@cache
def _faker(locale: str) -> Faker:
    return Faker(locale)


@dataclass(frozen=True)
class Doc:
    id: str
    set: str
    kind: str
    lang: str
    label: str
    why: str
    source: str  # the file name the classifier is given (extension only carries the format)
    text: str


@dataclass
class Ctx:
    """What a generator draws from: its own seeded random source and a Faker of the document's locale."""

    rng: random.Random
    lang: str
    locale: str
    fake: Faker
    k: int = 0  # how many documents of this kind and language came before: variants cycle on it

    def variant(self, seq: Sequence[T]) -> T:
        return seq[self.k % len(seq)]

    def name(self) -> str:
        return str(self.fake.name())

    def first_last(self) -> tuple[str, str]:
        return str(self.fake.first_name()), str(self.fake.last_name())

    def company(self) -> str:
        return str(self.fake.company())

    def city(self) -> str:
        if self.lang == "ar":  # Faker's Arabic locales mix English suffixes into city names
            return self.pick(
                ["الرياض", "جدة", "القاهرة", "عمّان", "دبي", "الدار البيضاء", "الإسكندرية", "رام الله"]
            )
        if self.lang == "it":  # it_IT draws cities from a set, so its choice changes with PYTHONHASHSEED
            return self.pick(
                ["Milano", "Torino", "Bologna", "Firenze", "Napoli", "Bari", "Verona", "Padova", "Lecce"]
            )
        return str(self.fake.city())

    def address(self) -> str:
        n = self.rng.randrange(1, 140)
        if self.lang == "tr":  # tr_TR addresses come out in English ("Forest", "Plains")
            return f"{self.fake.last_name()} Sokak No:{n}, {self.rng.randrange(10000, 81999)} {self.city()}"
        if self.lang == "ar":
            return f"شارع {self.fake.last_name()} {n}، {self.city()}"
        return str(self.fake.address()).replace("\n", ", ")

    def phone(self) -> str:
        return str(self.fake.phone_number())

    def email_of(self, name: str) -> str:
        user = "".join(c for c in name.lower().replace(" ", ".") if c.isascii() and (c.isalnum() or c == "."))
        user = re.sub(r"\.+", ".", user).strip(".") or f"user{self.rng.randrange(100, 999)}"
        return f"{user}@{self.rng.choice(['gmail.com', 'outlook.com', 'proton.me', 'yahoo.com', 'web.de', 'gmx.net'])}"

    def day(self, lo: int = 2024, hi: int = 2026) -> date:
        return date(self.rng.randrange(lo, hi + 1), self.rng.randrange(1, 13), self.rng.randrange(1, 29))

    def pick(self, seq: Sequence[str]) -> str:
        return seq[self.rng.randrange(len(seq))]

    def money(self, lo: int, hi: int, step: int = 50) -> int:
        return self.rng.randrange(lo // step, hi // step) * step


@dataclass(frozen=True)
class Out:
    text: str
    why: str
    ext: str = "txt"


Gen = Callable[[Ctx], Out]


@dataclass(frozen=True)
class Spec:
    """``n`` documents of one kind, spread over ``langs`` in turn."""

    kind: str
    label: str
    gen: Gen
    langs: tuple[str, ...]
    n: int


def seed_of(*parts: object) -> int:
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:16], 16)


def build(set_name: str, specs: Sequence[Spec]) -> list[Doc]:
    """Every document of a set, generated from fixed seeds, shuffled once so ids say nothing of kind."""
    made: list[tuple[str, str, str, str, Out]] = []
    for spec in specs:
        for i in range(spec.n):
            lang = spec.langs[i % len(spec.langs)]
            seed = seed_of(set_name, spec.kind, lang, i)
            rng = random.Random(seed)
            locale = rng.choice(LOCALES[lang])
            fake = _faker(locale)
            fake.seed_instance(seed)
            out = spec.gen(
                Ctx(
                    rng,
                    lang,
                    locale,
                    fake,
                    i // len(spec.langs) * spec.langs.count(lang)
                    + spec.langs[: i % len(spec.langs)].count(lang),
                )
            )
            made.append((spec.kind, lang, spec.label, out.why, out))
    random.Random(seed_of(set_name, "order")).shuffle(made)
    docs = []
    for n, (kind, lang, label, why, out) in enumerate(made, 1):
        doc_id = f"{set_name}{n:04d}"
        docs.append(Doc(doc_id, set_name, kind, lang, label, why, f"{doc_id.lower()}.{out.ext}", out.text))
    return docs


def canonical(docs: Sequence[Doc]) -> str:
    return "".join(json.dumps(asdict(d), ensure_ascii=False, sort_keys=True) + "\n" for d in docs)


def fingerprint(docs: Sequence[Doc]) -> str:
    return hashlib.sha256(canonical(docs).encode()).hexdigest()
