"""Published test data: the card numbers payment providers document for their sandboxes and the IBANs
used as examples in standards and bank documentation (issue 18: reported as false positives).

Such a value counts as test data only with a test/example word nearby ("test card", "sandbox", "e.g.");
the same number in a document without one stays a card or an IBAN. Either way the reasons say which.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, near

TEST_CARDS = frozenset(
    ["4242424242424242", "4000056655665556", "5555555555554444", "2223003122003222", "5200828282828210", "5105105105105100", "378282246310005", "371449635398431", "6011111111111117", "6011000990139424", "3056930009020004", "36227206271667", "3566002020360505", "6200000000000005", "4111111111111111", "4012888888881881", "4222222222222", "5431111111111111", "4000000000000002", "4000000000009995", "4000002500003155", "4000000000000077", "4000000000000341", "4000000000003220", "378734493671000", "6011601160116611", "5019717010103742", "4917610000000000", "4484070000000000", "3530111333300000", "30569309025904", "38520000023237", "4035501000000008", "6304000000000000", "4000000000000010", "4000000000000028", "4000000000000036", "4000000000000101", "5454545454545454", "4444333322221111", "4988438843884305", "5500000000000004", "340000000000009", "6011000000000004", "3088000000000009", "2222400070000005", "4005550000000001", "4917300800000000"]
)  # fmt: skip
EXAMPLE_IBANS = frozenset(
    ["DE89370400440532013000", "GB82WEST12345698765432", "GB29NWBK60161331926819", "FR1420041010050500013M02606", "FR7630006000011234567890189", "NL91ABNA0417164300", "ES9121000418450200051332", "IT60X0542811101000000123456", "BE68539007547034", "CH9300762011623852957", "AT611904300234573201", "PL61109010140000071219812874", "SE4550000000058398257466", "DK5000400440116243", "NO9386011117947", "FI2112345600000785", "PT50000201231234567890154", "IE29AIBK93115212345678", "LU280019400644750000", "GB33BUKB20201555555555", "DE75512108001245126199", "DE02120300000000202051", "DE02500105170137075030", "NL02ABNA0123456789", "BE71096123456769"]
)  # fmt: skip
_TEST_WORDS = re.compile(
    r"(?<![a-z])(?:test|testing|tests|sandbox|example|examples|e\.g\.|sample|dummy|demo|fake|placeholder|"
    r"beispiel|exemple|ejemplo|esempio|voorbeeld|testkarte|testnummer|stripe|adyen|braintree|paypal)(?![a-z])"
)


def is_documented_test_value(doc: Doc, start: int, end: int, compact: str) -> bool:
    """A published test card or example IBAN with a test/example word within 120 characters, or anywhere
    in the document: a sandbox guide puts "test" in its title and the numbers in a table further down
    (issue 18, set C). A published test number is nobody's card, so the wider window risks nothing real."""
    if compact not in TEST_CARDS and compact not in EXAMPLE_IBANS:
        return False
    return (
        _TEST_WORDS.search(near(doc, start, end, 120)) is not None
        or _TEST_WORDS.search(doc.lower) is not None
    )


# Tokens printed in public documentation, identical in every copy: nobody's secret (issue 18, set E: the
# jwt.io example token in API docs). Matched exactly; a token that differs by one character stays secret.
EXAMPLE_TOKENS = frozenset(
    [
        # jwt.io's default HS256 example ("John Doe", iat 1516239022), its older "admin": true form and the
        # 2024 redesign's example
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYWRtaW4iOnRydWV9.TJVA95OrM7E2cBab30RMHrHDcEfxjoYZgeFONFh7HgQ",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYWRtaW4iOnRydWUsImlhdCI6MTUxNjIzOTAyMn0.KMUFsIDTnFmyG3nMiGM6H9FNFUROf3wh7SmqJp-QV30",
        # Stripe's API reference sample keys
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "pk_test_TYooMQauvdEDq54NiTphI7jx",
        # The storage emulators' (Azurite, the Azure Storage Emulator) account key for devstoreaccount1,
        # fixed by Microsoft and printed in their documentation: it opens nothing outside localhost.
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tOltq3l9Ti7g5WHHojAbiwQr8xNtJfKQ==",
    ]
)  # fmt: skip
