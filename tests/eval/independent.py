"""The independent evaluation corpus (issue 18, item 4): documents generated from Faker locales and
stdnum-valid identifiers, in two parts that share no templates, locales or kinds:

- `tuning`: what rules were written against (11 locales, 12 sensitive kinds, 6 clean kinds);
- `heldout`: other locales (20), other kinds and layouts (MRZ, clinical notes, split keys, JSON and TSV
  records, markers in other languages ...) and other look-alike negatives; evaluated only at the end.

    .venv/bin/python -m tests.eval.independent            # both parts, per kind and per language

Seeded: the same seed gives the same corpus. Nothing is stored; the documents are generated each run.
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.eval import sources as src
from tests.eval.heldout2_templates import HELDOUT2_CLEAN, HELDOUT2_KINDS, HELDOUT2_LOCALES
from tests.eval.heldout3_templates import HELDOUT3_CLEAN, HELDOUT3_KINDS, HELDOUT3_LOCALES
from tests.eval.heldout_templates import HELDOUT_CLEAN, HELDOUT_KINDS, HELDOUT_LOCALES
from worker.classifier import Classifier
from worker.schema import Sensitivity, TaskKind, TaskSpec

SEED = 18_2026
DOCS_PER_KIND = 40
TASK = TaskSpec(kind=TaskKind.SUMMARIZE)
Maker = Callable[[random.Random, str], str]

TUNING_LOCALES = (
    "en_US",
    "en_CA",
    "pt_BR",
    "nl_NL",
    "pl_PL",
    "it_IT",
    "fr_FR",
    "sv_SE",
    "de_DE",
    "es_ES",
    "en_AU",
)


def _id_prose(rng: random.Random, locale: str) -> str:
    label = src.NATIONAL_IDS[locale][1]
    return f"{src.person(rng, locale)} ({label} {src.national_id(rng, locale)}) signed the form on arrival."


def _id_csv(rng: random.Random, locale: str) -> str:
    label = src.NATIONAL_IDS[locale][1].lower().replace(" ", "_")
    rows = [f"{src.person(rng, locale)},{src.national_id(rng, locale)},{rng.randint(1, 9)}" for _ in range(3)]
    return "\n".join([f"name,{label},team", *rows])


_TUNING_MARKERS = ("CONFIDENTIAL", "Strictly confidential", "VERTRAULICH", "VERTROUWELIJK", "Poufne:")

TUNING_KINDS: dict[str, Maker] = {
    "national_id_prose": _id_prose,
    "national_id_csv": _id_csv,
    "email": lambda rng, loc: f"Reply to {src.faker_for(loc, rng.randrange(1 << 30)).free_email()} today.",
    "phone": lambda rng, loc: f"{src.person(rng, loc)}, mobile {src.faker_for(loc, rng.randrange(1 << 30)).phone_number()}",
    "card": lambda rng, loc: f"Charge card {src.card_number(rng, ' ')} for the deposit.",
    "iban": lambda rng, loc: f"Refund to IBAN {src.iban(rng, loc)} please.",
    "api_key": lambda rng, loc: f"OPENAI_API_KEY={src.api_key(rng)}",
    "password": lambda rng, loc: f"db:\n  user: app\n  password: {src.token(rng, '', 14)}!",
    "marker": lambda rng, loc: rng.choice(_TUNING_MARKERS) + "\n",
    "diagnosis": lambda rng, loc: f"{src.person(rng, 'en_US')} was diagnosed with {rng.choice(('diabetes', 'epilepsy', 'breast cancer'))}.",
    "pay": lambda rng, loc: f"{src.person(rng, 'en_US')}'s salary goes up to ${rng.randint(50, 150)},000 in April.",
    "criminal": lambda rng, loc: f"{src.person(rng, 'en_US')} was convicted of {rng.choice(('theft', 'fraud', 'assault'))} in {rng.randint(2001, 2022)}.",
}  # fmt: skip

TUNING_CLEAN: dict[str, Maker] = {
    "prose": lambda rng, loc: "",
    "company_contact": lambda rng, loc: "Press office: press@example-corp.com, switchboard +44 20 7946 0000.",
    "tutorial_ips": lambda rng, loc: f"Point the client at 192.0.2.{rng.randint(1, 254)} (see RFC 5737).",
    "test_card": lambda rng, loc: "In the sandbox use the test card 4242 4242 4242 4242.",
    "example_key": lambda rng, loc: "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
    "product_codes": lambda rng, loc: f"SKU {rng.randint(10000, 99999)}, EAN {src.faker_for('en_US', rng.randrange(1 << 30)).ean13()}, v{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
}  # fmt: skip


@dataclass(frozen=True)
class Doc:
    doc_id: str
    part: str
    kind: str
    language: str
    sensitive: bool
    text: str


def generate(part: str, seed: int = SEED, docs_per_kind: int = DOCS_PER_KIND) -> list[Doc]:
    """One part of the corpus: "tuning", "heldout", "heldout2" or "heldout3"."""
    locales: tuple[str, ...]
    if part == "tuning":
        kinds, clean, locales = TUNING_KINDS, TUNING_CLEAN, TUNING_LOCALES
    elif part == "heldout":
        kinds, clean, locales = HELDOUT_KINDS, HELDOUT_CLEAN, HELDOUT_LOCALES
    elif part == "heldout2":
        kinds, clean, locales = HELDOUT2_KINDS, HELDOUT2_CLEAN, HELDOUT2_LOCALES
    elif part == "heldout3":
        kinds, clean, locales = HELDOUT3_KINDS, HELDOUT3_CLEAN, HELDOUT3_LOCALES
    else:
        raise ValueError(part)
    rng = random.Random(f"{seed}-{part}")
    docs: list[Doc] = []
    for sensitive, makers in ((True, kinds), (False, clean)):
        for kind, make in sorted(makers.items()):
            for index in range(docs_per_kind):
                locale = rng.choice(locales)
                planted = make(rng, locale)
                if sensitive and not planted:
                    continue  # a source that is absent here (the Presidio cases)
                docs.append(
                    Doc(
                        f"{part}-{kind}-{index}",
                        part,
                        kind,
                        locale[:2],
                        sensitive,
                        _embed(rng, locale, planted),
                    )
                )
    return docs


def _embed(rng: random.Random, locale: str, planted: str) -> str:
    parts = src.paragraphs(rng, locale, rng.choice((400, 1200, 2500)))
    if planted:
        parts.insert(rng.randrange(len(parts) + 1), planted)
    return "\n\n".join(parts)


@dataclass
class Tally:
    docs: int = 0
    hits: int = 0  # sensitive: flagged >= confidential; clean: flagged above public

    @property
    def rate(self) -> float:
        return self.hits / self.docs if self.docs else 0.0


@dataclass
class Result:
    recall: Tally = field(default_factory=Tally)
    false_positives: Tally = field(default_factory=Tally)
    per_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    per_language: dict[str, list[Tally]] = field(
        default_factory=lambda: defaultdict(lambda: [Tally(), Tally()])
    )
    misses: list[tuple[Doc, tuple[str, ...]]] = field(default_factory=list)
    flagged: list[tuple[Doc, tuple[str, ...]]] = field(default_factory=list)


def evaluate(classifier: Classifier, docs: list[Doc]) -> Result:
    result = Result()
    for doc in docs:
        tags = classifier.classify(doc.text, task=TASK)
        if doc.sensitive:
            hit = tags.sensitivity.at_least(Sensitivity.CONFIDENTIAL)
            tally, language = result.recall, result.per_language[doc.language][0]
            if not hit:
                result.misses.append((doc, tags.reasons))
        else:
            hit = tags.sensitivity is not Sensitivity.PUBLIC
            tally, language = result.false_positives, result.per_language[doc.language][1]
            if hit:
                result.flagged.append((doc, tags.reasons))
        for t in (tally, result.per_kind[doc.kind], language):
            t.docs += 1
            t.hits += hit
    return result


def report(name: str, result: Result) -> str:
    lines = [f"## {name}", "", "| kind | docs | rate |", "|---|---:|---:|"]
    lines += [f"| {kind} | {t.docs} | {t.rate:.1%} |" for kind, t in sorted(result.per_kind.items())]
    lines += ["", "| language | sensitive | recall | clean | FPR |", "|---|---:|---:|---:|---:|"]
    for language, (sens, clean) in sorted(result.per_language.items()):
        lines.append(f"| {language} | {sens.docs} | {sens.rate:.1%} | {clean.docs} | {clean.rate:.1%} |")
    r, f = result.recall, result.false_positives
    lines += [
        "",
        f"recall {r.rate:.2%} ({r.hits}/{r.docs}); false-positive rate {f.rate:.2%} ({f.hits}/{f.docs})",
    ]
    return "\n".join(lines)


def main() -> None:
    classifier = Classifier()
    flags = {arg for arg in sys.argv[1:] if arg.startswith("--")}
    for part in [arg for arg in sys.argv[1:] if not arg.startswith("--")] or [
        "tuning",
        "heldout",
        "heldout2",
    ]:
        result = evaluate(classifier, generate(part))
        print(report(part, result) + "\n")
        if "--misses" in flags:
            for doc, reasons in result.misses:
                print("MISS", doc.doc_id, doc.language, reasons[:3])
            for doc, reasons in result.flagged:
                print("FP  ", doc.doc_id, doc.language, reasons[:3])


if __name__ == "__main__":
    main()
