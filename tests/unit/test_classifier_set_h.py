"""Issue 18 (after set H, rules 2026.12-8): bank statement files read by their tags (OFX, MT940, camt.053);
a birth date after the word for "birth" in many more languages, date first (YAML-quoted too); a person
whose safety depends on secrecy (protection orders, refuges, harassment complaints, whistleblowers);
Afrikaans and Serbian markers; malignant findings and HIV status in more languages. Every example was
written for this test; each has a look-alike on the other side."""

from __future__ import annotations

import pytest

from worker.classifier import Classifier
from worker.schema import Sensitivity, TaskKind, TaskSpec

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)

_OFX = (
    "OFXHEADER:100\nDATA:OFXSGML\n<OFX>\n<BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR\n"
    "<BANKACCTFROM><BANKID>204511<ACCTID>55120934<ACCTTYPE>CHECKING</BANKACCTFROM>\n<BANKTRANLIST>\n"
    "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260105<TRNAMT>3120.00<FITID>88120<NAME>PAYROLL</STMTTRN>\n"
    "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1>\n</OFX>\n"
)
_OFX_PRICES = (
    "OFXHEADER:100\nDATA:OFXSGML\n<OFX>\n<SECLISTMSGSRSV1><SECLIST>\n"
    "<STOCKINFO><SECINFO><SECID><UNIQUEID>US0378331005<UNIQUEIDTYPE>ISIN</SECID><SECNAME>APPLE INC"
    "<UNITPRICE>181.20</SECINFO></STOCKINFO>\n</SECLIST></SECLISTMSGSRSV1>\n</OFX>\n"
)
_MT940 = (
    ":20:STMT0426\n:25:BANKDEFFXXX/0532013000\n:28C:00042/001\n:60F:C260401EUR1520,00\n"
    ":61:2604020402DR84,90NTRFNONREF//PHARMACY\n:62F:C260402EUR1435,10\n"
)
_CAMT = (
    "<Document><BkToCstmrStmt><Stmt><Id>S-77</Id><Acct><Id><Othr><Id>7712004518</Id></Othr></Id></Acct>"
    '<Ntry><Amt Ccy="EUR">42.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></Ntry></Stmt></BkToCstmrStmt></Document>'
)


@pytest.mark.parametrize("text", [_OFX, _MT940, _CAMT])
def test_a_bank_statement_file_names_its_account(classifier: Classifier, text: str) -> None:
    tags = classifier.classify(text, task=SUMMARIZE)
    assert tags.sensitivity is Sensitivity.RESTRICTED
    assert any(r.startswith("bank_account") for r in tags.reasons)


@pytest.mark.parametrize(
    "text",
    [
        _OFX_PRICES,
        # an account block with no transaction: a template, not anyone's dealings
        "<OFX><BANKACCTFROM><BANKID>000000<ACCTID>00000000<ACCTTYPE>CHECKING</BANKACCTFROM></OFX>",
        # MT940 field tags quoted in documentation, with no account value in them
        "MT940 fields: :20: reference, :25: account, :28C: statement number, :61: statement line.",
    ],
)
def test_a_statement_format_without_an_account_statement_is_not_one(
    classifier: Classifier, text: str
) -> None:
    tags = classifier.classify(text, task=SUMMARIZE)
    assert "bank_account" not in tags.findings


@pytest.mark.parametrize(
    "text",
    [
        "Kliniek-lêer: Pieter Joubert, gebore 08/05/1980, woon in George.",
        "Podnosilac: Dragan Đorđević, datum rođenja 01.09.1972, Kragujevac.",
        'params:\n  Naam: "Wessel du Plessis"\n  Geboortedatum: "22/04/1995"\n',
        "Ажилтан: Батболд Дорж, төрсөн огноо 1988.03.12, Улаанбаатар.",
        "Fødd: 14.02.1991 í Klaksvík. Starvsfólk: Sjúrður Olsen.",
    ],
)
def test_a_birth_date_after_its_label_in_more_languages(classifier: Classifier, text: str) -> None:
    tags = classifier.classify(text, task=SUMMARIZE)
    assert tags.findings.get("date_of_birth", 0) >= 1


@pytest.mark.parametrize(
    "text",
    [
        "Datum prijave: 19.05.2025. Predmet: zahtev za dozvolu.",
        "Die maatskappy is op 12/03/1985 in Paarl gestig.",
        "Pushkin, born 06.06.1799 in Moscow, wrote verse and prose.",  # nobody alive
        "Birth registrations for 2024: 1,204; ceremony held 03/04/2025 at the town hall.",
    ],
)
def test_a_date_that_is_not_a_birth_date_is_not_one(classifier: Classifier, text: str) -> None:
    tags = classifier.classify(text, task=SUMMARIZE)
    assert "date_of_birth" not in tags.findings


@pytest.mark.parametrize(
    "text",
    [
        "Beskermingsbevel K-2025/555 ten gunste van Lizelle Venter: die respondent mag nie nader as 200 meter"
        " kom nie.",
        "Orde de protección Z-2026/520 a favor de Roi Louro: o denunciado non pode achegarse a menos de 200"
        " metros.",
        "Internal note: the whistleblower in case 2025/653 is Jane Porter from procurement; do not disclose.",
        "Hitna mera zaštite K-2026/922. Zaštićeno lice: Dragana Kostić. Učiniocu je zabranjeno približavanje.",
    ],
)
def test_a_person_whose_safety_depends_on_secrecy_is_restricted(classifier: Classifier, text: str) -> None:
    tags = classifier.classify(text, task=SUMMARIZE)
    assert tags.sensitivity is Sensitivity.RESTRICTED
    assert any(r.startswith("personal_safety") for r in tags.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "Precisas axuda? O teléfono contra a violencia de xénero atende as 24 horas. En Lugo hai tres centros"
        " de acollida; a orde de protección solicítase no xulgado.",
        "Potrebna Vam je pomoć? SOS linija radi 24 sata. U gradu Valjevo postoje tri sigurne kuće; mere"
        " zaštite određuje sud.",
        "Whistleblowers are protected under this policy. Reports go to the ethics office, which answers"
        " within seven days.",
        "Sexual harassment is never acceptable. Speak to any manager or call the confidential line.",
    ],
)
def test_a_notice_or_policy_names_no_one_and_stays_public(classifier: Classifier, text: str) -> None:
    tags = classifier.classify(text, task=SUMMARIZE)
    assert "personal_safety" not in tags.findings
    assert not tags.sensitivity.at_least(Sensitivity.CONFIDENTIAL)


@pytest.mark.parametrize(
    "text",
    [
        "Intern, streng vertroulik: verslag oor die aankoopafdeling.",
        "Interno, strogo poverljivo: izveštaj sektora nabavke.",
        "ПОВЕРЉИВО\n\nИзвештај сектора набавке за март.",
    ],
)
def test_afrikaans_and_serbian_markers(classifier: Classifier, text: str) -> None:
    tags = classifier.classify(text, task=SUMMARIZE)
    assert tags.sensitivity.at_least(Sensitivity.CONFIDENTIAL)
    assert any(r.startswith("marker:confidential") for r in tags.reasons)


@pytest.mark.parametrize(
    ("text", "sensitive"),
    [
        ("Ola Brais Seoane: o resultado da súa biopsia do 12/12/2026 xa está dispoñible e é maligno.", True),
        ("Góðan dag Sjúrður Joensen, úrslitið er klárt: illkynja. Læknin hevur bílagt tær tíð.", True),
        ("Ein tumor maligno é un crecemento anormal de células; a biopsia confirma o diagnóstico.", False),
    ],
)
def test_a_malignant_finding_about_a_person(classifier: Classifier, text: str, sensitive: bool) -> None:
    tags = classifier.classify(text, task=SUMMARIZE)
    assert ("health_condition" in tags.findings) is sensitive
