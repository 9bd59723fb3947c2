"""Issue 18 (set E, rules 2026.12-5): national ids python-stdnum lacks, labels as keys and element names
in any script, an id answered on the next line, and the lowering decisions (documented example tokens, an
organisation's contact block, a notice's lone phone). Every example here was written for this test, not
taken from an evaluation corpus; each mechanism has a look-alike on the other side."""

from __future__ import annotations

import pytest

from worker.classifier import Classifier
from worker.classifier.detectors.national_extra import ir_national_code_ok, ph_tin_ok
from worker.schema import Sensitivity, Tags, TaskKind, TaskSpec

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)
KEPT = (Sensitivity.CONFIDENTIAL, Sensitivity.RESTRICTED)
JWT_IO = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2"
    "MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)


def tags_for(classifier: Classifier, text: str) -> Tags:
    return classifier.classify(text, task=SUMMARIZE)


def test_iranian_national_code_check_digit() -> None:
    assert ir_national_code_ok("2741839050")
    assert not ir_national_code_ok("2741839051")
    assert not ir_national_code_ok("1111111111")  # ten equal digits are not issued
    assert ph_tin_ok("123-456-789-000") and not ph_tin_ok("12-3456")


IDS = [
    ("national_id", "شماره پرونده ثبت شد. کد ملی: 2741839050\nبا تشکر"),
    ("national_id", "نام\tکد ملی\tشهر\nعلی رضایی\t2741839050\tشیراز\n"),
    ("tax_id", "Pakisuyong ilagay ang TIN 123-456-789-000 sa form."),
    ("tax_id", "Pangalan: Jose Cruz, T1N 987-654-321 para sa BIR."),
    ("national_id", 'שם: דנה לוי, ת"ז 123456782, טלפון בבית'),
    ("national_id", '<row><cell name="ЕГН">7501010004</cell></row>'),
    # under a generic key every personal format is tried; one that validates is reported (here a tax id's)
    ("tax_id", '{"user": 17, "national_id": "123456782", "tier": "gold"}'),
    ("national_id", "10:02 - Maya: can you send me your מספר זהות?\n10:05 - Dana: 123456782\n"),
    ("national_id", "Personas kods\n010170-10008, dzīvo Rīgā."),
]


@pytest.mark.parametrize(("kind", "text"), IDS)
def test_ids_stdnum_lacks_or_labels_it_does_not_give_are_found(
    classifier: Classifier, kind: str, text: str
) -> None:
    tags = tags_for(classifier, text)
    assert tags.sensitivity is Sensitivity.RESTRICTED, tags.reasons
    assert kind in tags.findings, tags.reasons


def test_iranian_postal_code_is_not_a_national_code(classifier: Classifier) -> None:
    tags = tags_for(classifier, "کد پستی: 2741839050")
    assert "national_id" not in tags.findings, tags.reasons


def test_jwt_io_example_token_is_public_and_says_so(classifier: Classifier) -> None:
    tags = tags_for(classifier, f"Paste this into the debugger:\n\nBearer {JWT_IO}\n")
    assert tags.sensitivity is Sensitivity.PUBLIC and "example_secret" in tags.findings, tags.reasons
    other = JWT_IO[:-2] + "xQ"  # one character off: somebody's token
    assert tags_for(classifier, f"Bearer {other}").sensitivity is Sensitivity.RESTRICTED


ROLE_BLOCK = (
    "From: press@ministry.example\nTo: newsroom@paper.example\nMessage-ID: <8812.331@mx.ministry.example>\n\n"
    "The ministry opens its new office on Monday.\n\nMinistry of Works\nPhone: +44 20 7946 0321\n"
    "info@ministry.example\n"
)


def test_phone_in_a_role_mailboxs_contact_block_is_the_organisations(classifier: Classifier) -> None:
    tags = tags_for(classifier, ROLE_BLOCK)
    assert tags.sensitivity is Sensitivity.PUBLIC, tags.reasons
    assert "phone_number_organisation" in tags.findings and "email_message_id" in tags.findings


def test_personal_mailbox_in_the_block_keeps_the_phone_personal(classifier: Classifier) -> None:
    text = ROLE_BLOCK.replace("info@ministry.example", "j.smith@ministry.example")
    assert tags_for(classifier, text).sensitivity in KEPT


def test_a_lone_phone_without_an_address_footer_stays_personal(classifier: Classifier) -> None:
    assert tags_for(classifier, "Mobile +44 7700 900123, ring after six.").sensitivity in KEPT


def test_a_notices_only_phone_is_public_with_its_reason(classifier: Classifier) -> None:
    text = "Permit renewals are handled at the town hall.\nPhone: +44 20 7946 0321. Address: High St 1."
    tags = tags_for(classifier, text)
    assert tags.sensitivity is Sensitivity.PUBLIC and "phone_number_no_person" in tags.findings


@pytest.mark.parametrize(
    "extra",
    ["Born 14/03/1981.", "Ref 88213406 on file.", "Visit in 2025."],
    ids=["a date", "another long number", "a year"],
)
def test_a_phone_next_to_a_date_or_unknown_number_stays_personal(classifier: Classifier, extra: str) -> None:
    text = (
        f"Permit renewals are handled at the town hall. {extra}\nPhone: +44 20 7946 0321. Address: High St 1."
    )
    assert tags_for(classifier, text).sensitivity in KEPT


def test_a_phone_in_prose_near_a_role_mailbox_stays_personal(classifier: Classifier) -> None:
    text = (
        "Questions go to info@shop.example.\nMaria asked to be called back at +34 662 187 255 about her order, "
        "before noon tomorrow."
    )
    assert tags_for(classifier, text).sensitivity in KEPT
