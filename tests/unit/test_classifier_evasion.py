"""Issue 19, row 2: the fourteen documents that went to the cloud tagged `public`, each now kept local;
and one test per evasion (look-alike dashes, invisible characters, full-width digits, split and
base64-wrapped keys, key containers beyond a PEM header)."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.serialization import pkcs12

from worker.classifier import Classifier
from worker.schema import Sensitivity, Tags, TaskKind, TaskSpec

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)
# A key with the OpenAI project-key shape (not a real key).
KEY = "sk-proj-Ab3dEf6hIj9kLmN2oPq5rSt8uVw1xYz4Ab7cD"


def tags_for(classifier: Classifier, text: str) -> Tags:
    return classifier.classify(
        f"Notes from the weekly sync.\n{text}\nNext steps are in the tracker.", task=SUMMARIZE
    )


# The fourteen documents of issue 19 row 2 (rewritten with synthetic people and values).
ISSUE_19_ROW_2 = [
    ("health_condition", "Follow-up: Daniel Weber tested HIV positive in March; keep this between us."),
    ("health_condition", "Maria Lopez has stage 3 pancreatic cancer and will step back from the project."),
    ("medication", "Kevin Brooks has been on antidepressants since the spring, so go easy on deadlines."),
    ("criminal_record", "HR note: Tom Reyes was arrested for DUI last weekend and will miss Monday."),
    ("sexual_orientation", "Between us: Sarah Klein is gay and has not told the team yet."),
    ("pay_information", "Priya Nair's base salary is $98,000; she is on a performance improvement plan."),
    ("lab_result", "Lab summary for Ahmed Hassan: HbA1c 8.2%, up from 7.1% in June."),
    ("medication", "Ahmed Hassan started pembrolizumab 200 mg every three weeks."),
    ("us_ssn", "SSN 078\u201305\u20131123 (en-dashes) on the intake form."),
    ("us_ssn", "SSN 078\u201105\u20111123 (non-breaking hyphens) on the intake form."),
    ("us_ssn", "SSN 078\u200b-05\u200b-1123 with zero-width spaces on the intake form."),
    ("credit_card", "Card 4539\u20131488\u20130343\u20136467 exp 09/28, CVV on the back."),
    ("openai_api_key", f"Deploy key (split so the linter won't see it):\n{KEY[:22]}\n{KEY[22:]}"),
    ("openai_api_key", f"echo {base64.b64encode(KEY.encode()).decode()} | base64 -d > ~/.openai"),
]


@pytest.mark.parametrize(
    ("kind", "text"), ISSUE_19_ROW_2, ids=[f"{k}-{i}" for i, (k, _) in enumerate(ISSUE_19_ROW_2)]
)
def test_issue_19_document_stays_local(classifier: Classifier, kind: str, text: str) -> None:
    tags = tags_for(classifier, text)
    assert kind in tags.findings, tags.reasons
    assert tags.sensitivity.at_least(Sensitivity.CONFIDENTIAL)


@pytest.mark.parametrize(
    "dash",
    ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\ufe63", "\uff0d"],
    ids=[
        "hyphen",
        "non-breaking-hyphen",
        "figure-dash",
        "en-dash",
        "em-dash",
        "minus",
        "small-hyphen",
        "fullwidth",
    ],
)
def test_look_alike_dashes_are_folded(classifier: Classifier, dash: str) -> None:
    tags = tags_for(classifier, f"SSN 078{dash}05{dash}1123 on file.")
    assert "us_ssn" in tags.findings
    assert "normalised:dashes x2" in tags.reasons


@pytest.mark.parametrize(
    "invisible",
    ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u2066", "\u200f", "\u3164"],
    ids=["zwsp", "zwnj", "zwj", "word-joiner", "bom", "soft-hyphen", "rlo", "lri", "rlm", "hangul-filler"],
)
def test_invisible_and_bidi_characters_are_removed(classifier: Classifier, invisible: str) -> None:
    card = invisible.join(["4539", "1488", "0343", "6467"])
    tags = tags_for(classifier, f"Card {card} exp 09/28.")
    assert "credit_card" in tags.findings
    assert "normalised:invisible x3" in tags.reasons


def test_full_width_digits_and_dashes_are_folded(classifier: Classifier) -> None:
    tags = tags_for(
        classifier, "SSN \uff10\uff17\uff18\uff0d\uff10\uff15\uff0d\uff11\uff11\uff12\uff13 on file."
    )
    assert "us_ssn" in tags.findings


@pytest.mark.parametrize(
    "zero",
    ["\u0660", "\u06f0", "\u0966", "\u09e6", "\u0e50", "\uff10"],
    ids=["arabic-indic", "extended-arabic-indic", "devanagari", "bengali", "thai", "full-width"],
)
def test_other_scripts_digits_are_read_as_digits(classifier: Classifier, zero: str) -> None:
    ssn = "".join(chr(ord(zero) + int(c)) if c.isdigit() else c for c in "078-05-1123")
    tags = tags_for(classifier, f"Employee record: Maria Lopez, SSN {ssn}.")
    assert "us_ssn" in tags.findings


def test_combining_marks_on_digits_are_removed(classifier: Classifier) -> None:
    tags = tags_for(classifier, "SSN 0\u03017\u03018-05-11\u20dd23 on the intake form.")
    assert "us_ssn" in tags.findings
    assert "normalised:invisible x3" in tags.reasons


def test_key_split_inside_a_quoted_concatenation_is_rejoined(classifier: Classifier) -> None:
    text = f'api_base = "https://api.example.net"\nkey = ("{KEY[:18]}" +\n       "{KEY[18:]}")'
    assert "openai_api_key" in tags_for(classifier, text).findings


def test_key_split_over_three_lines_is_rejoined(classifier: Classifier) -> None:
    text = f"{KEY[:15]}\n{KEY[15:30]}\n{KEY[30:]}"
    assert "openai_api_key" in tags_for(classifier, text).findings


def test_base64_wrapped_config_with_a_password_is_found(classifier: Classifier) -> None:
    inner = base64.b64encode(b"DB_PASSWORD=Xk9#vL2qPz7w\nDB_HOST=db.internal\n").decode()
    tags = tags_for(classifier, f"apiVersion: v1\nkind: Secret\ndata:\n  env: {inner}")
    assert "password_assignment" in tags.findings


def test_base64_of_ordinary_text_is_not_a_secret(classifier: Classifier) -> None:
    inner = base64.b64encode(b"The quarterly review is on Thursday at ten.").decode()
    tags = tags_for(classifier, f"Encoded banner: {inner}")
    assert tags.sensitivity is Sensitivity.PUBLIC


def test_putty_private_key_is_found(classifier: Classifier) -> None:
    ppk = (
        "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy@build\nPublic-Lines: 2\n"
        "AAAAC3NzaC1lZDI1NTE5AAAAIBZ3c2VydmVyLWRlcGxveS1rZXktZXhhbXBsZQ\nPrivate-Lines: 1\n"
        "AAAAIHB7qS0kQ2J3lI2bQ0dE5nZ8vW3xY6zA1bC2dE3fG4hI\nPrivate-MAC: 3f0c"
    )
    assert "private_key" in tags_for(classifier, ppk).findings


def _pem_body(pem: bytes) -> str:
    return "\n".join(line for line in pem.decode().splitlines() if not line.startswith("-----"))


def test_openssh_private_key_body_without_its_header_is_found(classifier: Classifier) -> None:
    key = ed25519.Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    )
    assert "private_key" in tags_for(classifier, _pem_body(key)).findings


def test_pkcs8_private_key_body_without_its_header_is_found(classifier: Classifier) -> None:
    key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert "private_key" in tags_for(classifier, _pem_body(key)).findings


def test_pkcs12_bundle_in_base64_is_found(classifier: Classifier) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    bundle = pkcs12.serialize_key_and_certificates(b"client", key, None, None, serialization.NoEncryption())
    text = f"client.p12 (base64): {base64.b64encode(bundle).decode()}"
    assert "private_key" in tags_for(classifier, text).findings


def test_pgp_private_key_block_is_found(classifier: Classifier) -> None:
    text = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGVx2abc...\n-----END PGP PRIVATE KEY BLOCK-----"
    assert "private_key" in tags_for(classifier, text).findings


def test_evasion_reasons_carry_counts_not_text(classifier: Classifier) -> None:
    tags = tags_for(classifier, "SSN 078\u201305\u20131123 and card 4539\u200b1488\u200b0343\u200b6467.")
    joined = " ".join(tags.reasons)
    for fragment in ("078", "1123", "4539", "6467"):
        assert fragment not in joined


_ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Refund\r\n"
    "DESCRIPTION:Please refund the deposit to the tenant's account DE89 3704 00\r\n"
    " 44 0532 0130 00 before Friday.\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_a_folded_icalendar_line_is_read_unfolded(classifier: Classifier) -> None:
    """RFC 5545 folds every line at 75 octets: an IBAN cut by the fold is still an IBAN, and the reasons
    say the lines were unfolded."""
    tags = classifier.classify(_ICS, task=SUMMARIZE)
    assert tags.findings.get("iban") == 1
    assert "normalised:unfolded x1" in tags.reasons


def test_indented_lines_outside_a_calendar_or_card_are_not_joined(classifier: Classifier) -> None:
    """Only iCalendar and vCard fold: the same lines in a plain note keep their break."""
    tags = classifier.classify(_ICS.replace("BEGIN:VCALENDAR", "BEGIN CALENDAR"), task=SUMMARIZE)
    assert "iban" not in tags.findings
    assert not any(r.startswith("normalised:unfolded") for r in tags.reasons)
