"""Coverage from libraries (issue 18, item 1): every personal identifier format of python-stdnum's
catalogue, found next to its context word with the library's own documented example; MRZ lines; cards
with any separator; markers in the EU languages."""

from __future__ import annotations

import importlib
import re

import pytest

from worker.classifier import Classifier
from worker.classifier.detectors.catalogue import catalogue_modules, context_words
from worker.schema import Sensitivity, Tags, TaskKind, TaskSpec

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)
# Documented examples that are not realistic document values: a two-digit San Marino code, and
# examples written with spaces inside letter groups ("AL J 91402501 L", "ME 2551 ...").
_UNREALISTIC_EXAMPLES = frozenset({"sm.coe", "al.nipt", "me.iban"})


def tags_for(classifier: Classifier, text: str) -> Tags:
    return classifier.classify(
        f"Record for the applicant.\n{text}\nThanks, the onboarding team.", task=SUMMARIZE
    )


def _documented_example(module: str) -> str | None:
    """The first value the module's own docstring shows as valid (a doctest of validate/compact)."""
    lines = (importlib.import_module(f"stdnum.{module}").__doc__ or "").splitlines()
    for index, line in enumerate(lines[:-1]):
        m = re.match(r"\s*>>> (?:validate|is_valid|compact)\('([^']+)'\)", line)
        if m and "Traceback" not in lines[index + 1] and "False" not in lines[index + 1]:
            return m.group(1)
    return None


CATALOGUE_CASES = [
    (module, example)
    for module in catalogue_modules()
    if module not in _UNREALISTIC_EXAMPLES and (example := _documented_example(module))
]


def test_the_catalogue_covers_most_personal_formats_of_stdnum() -> None:
    assert len(catalogue_modules()) >= 100


@pytest.mark.parametrize(("module", "example"), CATALOGUE_CASES, ids=[m for m, _ in CATALOGUE_CASES])
def test_catalogue_format_is_found_next_to_its_context_word(
    classifier: Classifier, module: str, example: str
) -> None:
    label = max(context_words(module), key=len)
    tags = tags_for(classifier, f"{label.capitalize()}: {example}")
    assert tags.sensitivity is Sensitivity.RESTRICTED, tags.reasons


@pytest.mark.parametrize(
    "text",
    [
        "CPF 529.982.247-25 do titular",
        "Cliente João Silva, CPF 52998224725, mora em Campinas.",
        "name,sin,email\nAnne Roy,046 454 286,anne@example.org\nLuc Roy,130 692 544,luc@example.org",
        "employee_id;steuer_id;cost_centre\n4411;86095742719;CC-12",
        "Your TFN 123456782 has been recorded.",
        "PESEL: 44051401359",
        "BSN 111222333 van de aanvrager",
    ],
    ids=["cpf-formatted", "cpf-prose", "sin-csv", "steuer-id-csv", "tfn-unspaced", "pesel", "bsn"],
)
def test_issue_18_identifier_misses_are_found(classifier: Classifier, text: str) -> None:
    tags = tags_for(classifier, text)
    assert tags.sensitivity is Sensitivity.RESTRICTED, tags.reasons


@pytest.mark.parametrize(
    "text",
    [
        "CPF 529.982.247-26 do titular",  # wrong check digits
        "sin embargo, 130692544 unidades vendidas",  # Spanish "sin" is not a SIN label
        "SKU 4006381333931 beside barcode 4006381333931",
        "Bake in a 900 g loaf tin for 40 minutes.",
    ],
    ids=["cpf-bad-check", "spanish-sin", "sku-barcode", "loaf-tin"],
)
def test_identifier_look_alikes_stay_public(classifier: Classifier, text: str) -> None:
    assert tags_for(classifier, text).sensitivity is Sensitivity.PUBLIC


MRZ_TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
MRZ_TD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"


@pytest.mark.parametrize("mrz", [MRZ_TD3, MRZ_TD1], ids=["passport-td3", "id-card-td1"])
def test_mrz_lines_are_found(classifier: Classifier, mrz: str) -> None:
    tags = tags_for(classifier, f"OCR output, page 2:\n{mrz}\nend of scan")
    assert "machine_readable_zone" in tags.findings


def test_mrz_like_line_with_bad_check_digits_is_not_an_mrz(classifier: Classifier) -> None:
    tags = tags_for(classifier, "L898902C37UTO7408123F1204158ZE184226B<<<<<10")
    assert "machine_readable_zone" not in tags.findings


@pytest.mark.parametrize(
    "card",
    [
        "4539.1488.0343.6467",
        "4539 1488 0343 6467",
        "4539-1488-0343-6467",
        "4539/1488/0343/6467",
        "4539148803436467",
    ],
    ids=["dots", "spaces", "dashes", "slashes", "one-block"],
)
def test_card_numbers_with_any_separator_are_found(classifier: Classifier, card: str) -> None:
    assert "credit_card" in tags_for(classifier, f"Card {card} on the booking.").findings


@pytest.mark.parametrize(
    "text",
    [
        "VERTROUWELIJK\nKwartaalcijfers 2026",
        "Alleen voor intern gebruik.",
        "Dokument ściśle poufne.",
        "POUFNE\nPlan restrukturyzacji",
        "Přísně důvěrné: rozpočet",
        "KONFIDENTIELLT\nBudget 2027",
        "Strengt fortroligt: lønninger",
        "Erittäin luottamuksellinen raportti",
        "Szigorúan bizalmas jelentés",
        "Strict confidențial: salarii",
        "Strettamente riservato",
        "ΕΜΠΙΣΤΕΥΤΙΚΟ\nΠροϋπολογισμός",
    ],
    ids=["nl", "nl-internal", "pl", "pl-banner", "cs", "sv", "da", "fi", "hu", "ro", "it", "el"],
)
def test_confidentiality_markers_in_eu_languages(classifier: Classifier, text: str) -> None:
    tags = tags_for(classifier, text)
    assert any(kind.startswith("marker:") for kind in tags.findings), tags.reasons


def test_dutch_word_in_ordinary_prose_is_not_a_marker(classifier: Classifier) -> None:
    tags = tags_for(classifier, "We behandelen uw gegevens vertrouwelijk, zoals in de overeenkomst staat.")
    assert tags.sensitivity is Sensitivity.PUBLIC


def test_vin_on_an_upper_case_dmv_notice_is_found(classifier: Classifier) -> None:
    notice = "NOTICE OF REGISTRATION RENEWAL\nOWNER: JOHN A SMITH\nVIN: 1HGCM82633A004352\nPLATE: 7ABC123"
    assert "vehicle_id" in tags_for(classifier, notice).findings


def test_vin_without_label_needs_its_check_digit(classifier: Classifier) -> None:
    assert "vehicle_id" in tags_for(classifier, "The vehicle 1HGCM82633A004352 was towed.").findings
    assert "vehicle_id" not in tags_for(classifier, "The vehicle 1HGCM82633A004353 was towed.").findings
