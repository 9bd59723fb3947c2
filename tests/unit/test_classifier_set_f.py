"""Issue 18 (set F, rules 2026.12-6): the unread_language abstention, containers the rules did not parse
(RTF, LaTeX, X12/EDIFACT, command lines, Vault tokens, webhooks) and the lowering decisions (mailing-list
addresses, key-file templates, the storage emulator's key, shell command substitution). Every example
here was written for this test, not taken from an evaluation corpus; each mechanism has a look-alike on
the other side."""

from __future__ import annotations

import time

import pytest

from worker.classifier import Classifier, ClassifierConfig
from worker.classifier.markup import strip_latex, strip_rtf
from worker.schema import Sensitivity, Tags, TaskKind, TaskSpec

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)
KEPT = (Sensitivity.CONFIDENTIAL, Sensitivity.RESTRICTED)


def tags_for(classifier: Classifier, text: str) -> Tags:
    return classifier.classify(text, task=SUMMARIZE)


# Statements about a named person in languages no lexicon reads (Welsh, Swahili-like Latin text with a
# birth date, Ukrainian, Armenian with a birth date), each with a name or a birth date.
UNREAD = [
    (
        "latin",
        "Nodiadau staff\n\nMae Gwenllian Prydderch yn aros yn yr ysbyty ers dydd Llun ac mae hi’n methu gweithio.",
    ),
    (
        "cyrillic",
        "Нотатки\n\nЗа словами лікаря, Оксана Мельничук має серйозну хворобу і їй потрібна операція.",
    ),
    # A birth date with no label (a labelled one, "Ծննդյան ամսաթիվը 14.03.1979", is a date_of_birth now).
    (
        "armenian",
        "Տվյալներ\n\n14.03.1979, նա ապրում է մենակ և ունի մեծ պարտքեր բանկում, իսկ եղբայրը ապրում է Երևանում։",
    ),
]


@pytest.mark.parametrize(("script", "text"), UNREAD)
def test_unread_language_abstains_with_its_reason(classifier: Classifier, script: str, text: str) -> None:
    tags = tags_for(classifier, text)
    assert tags.sensitivity is Sensitivity.CONFIDENTIAL
    assert f"unread_language:{script}" in tags.reasons


# A fixed-width roster of people with ids, in an unread language (Welsh headers) and script.
ROSTER = "Enw                     Rhif adnabod      Cyflog\n" + "".join(
    f"{name:<24}{number:<18}{pay}\n"
    for name, number, pay in (
        ("Gwenllian Prydderch", "4471902365", "2100"),
        ("Iolo Bowen", "9902117734", "1850"),
        ("Carys Llywelyn", "3318820467", "2475"),
    )
)


def test_a_roster_of_people_with_numbers_abstains(classifier: Classifier) -> None:
    assert "unread_language:latin" in tags_for(classifier, ROSTER).reasons


NOT_UNREAD = [
    # the same layout listing products with article numbers: no name shape opens the rows
    "Eitem                   Rhif erthygl      Pris\nbwrdd derw mawr         4471902365        210\n"
    "cadair pren             9902117734        85\nlamp desg fach          3318820467        24\n",
    # covered languages, short and about a person: read by the lexicons or left alone, never abstained
    "Notulen: Jan de Vries komt morgen later omdat de trein niet rijdt en hij moet wachten.",
    "Protokoll: Frau Anna Becker übernimmt ab Montag die Leitung des Projekts in der Abteilung.",
    # an unread language but no person (no name shape, no birth date): a notice
    "Barabara kuu itafungwa kwa matengenezo kuanzia saa nne asubuhi hadi jioni siku ya leo.",
    # a chat in an unread language: the speakers' names are labels, the messages name nobody
    "[01/02/25, 09:10] Gwyn Morgan: bydd y ffordd ar gau yfory oherwydd gwaith atgyweirio mawr iawn.\n",
    # a table of numbers in an unread script: not prose
    "Ապրանք  Քանակ\nա 12\nբ 14\nգ 99\nդ 45\nե 11\nզ 23\nէ 55\nը 66\nթ 77\nժ 88\n",
]


@pytest.mark.parametrize("text", NOT_UNREAD)
def test_no_abstention_without_an_unread_person(classifier: Classifier, text: str) -> None:
    assert not any(r.startswith("unread_language") for r in tags_for(classifier, text).reasons)


def test_abstention_is_a_policy_level_a_team_can_lower() -> None:
    quiet = Classifier(ClassifierConfig(levels={"unread_language": Sensitivity.PUBLIC}))
    assert quiet.classify(UNREAD[0][1], task=SUMMARIZE).sensitivity is Sensitivity.PUBLIC


def test_unread_gate_is_linear() -> None:
    classifier = Classifier()
    text = "Mae Gwenllian Prydderch yn aros yn yr ysbyty ers dydd Llun ac mae hi’n methu gweithio. "
    started = time.process_time()
    classifier.classify(text * 2_000, task=SUMMARIZE)
    small = time.process_time() - started
    started = time.process_time()
    classifier.classify(text * 8_000, task=SUMMARIZE)
    large = time.process_time() - started
    assert large < 8 * max(small, 0.01)


def test_rtf_is_read_through(classifier: Classifier) -> None:
    rtf = (
        r"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 Name: Jane Roe\par SSN: 078\u45?05\u45?1120\par"
        r" {\*\generator Writer}Caf\'e9\par}"
    )
    plain, controls = strip_rtf(rtf)
    assert "078-05-1120" in plain and "Café" in plain and "Arial" not in plain and "Writer" not in plain
    assert controls > 0
    tags = tags_for(classifier, rtf)
    assert tags.sensitivity is Sensitivity.RESTRICTED and any(
        r.startswith("normalised:rtf") for r in tags.reasons
    )
    assert tags_for(classifier, r"{\rtf1\ansi Opening hours: 9 to 5.\par}").sensitivity is Sensitivity.PUBLIC


def test_latex_cells_read_as_labels() -> None:
    plain, _ = strip_latex(
        "\\begin{tabular}{ll}\nIBAN & \\texttt{DE44 5001 0517 5407 3249 31} \\\\\n\\end{tabular}"
    )
    assert "IBAN: DE44 5001 0517 5407 3249 31" in plain


X12 = "ISA*00*x~\nST*834*0001~\nNM1*IL*1*ROE*JANE~\nDMG*D8*19800412*F~\nSE*4*0001~\n"
X12_ORDER = "ISA*00*x~\nST*850*0001~\nN1*ST*ACME STORES~\nPO1*1*10*EA*4.5**VP*SKU123~\nSE*4*0001~\n"
EDIFACT = "UNB+UNOC:3+A+B+250101:1200+1'\nUNH+1+PAXLST:D:05B:UN:IATA'\nDTM+329:19800412'\nUNT+3+1'"


def test_edi_segments_with_people(classifier: Classifier) -> None:
    assert tags_for(classifier, X12).sensitivity in KEPT
    assert tags_for(classifier, EDIFACT).sensitivity in KEPT
    assert tags_for(classifier, X12_ORDER).sensitivity is Sensitivity.PUBLIC


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("net use \\\\fs01\\share /user:CORP\\svc /password:Blue7!Otter\n", True),
        ("mysql -u app --password=Zq9#mLp2w db\n", True),
        ('psql -h db -U admin -P "s3cr3t!Pass"\n', True),
        ("net use Z: \\\\nas\\media /user:HOME\\kim Pl4ne!tRed /persistent:no\n", True),
        ("net use Z: \\\\nas\\media /user:HOME\\kim /persistent:no\n", False),
        ("docker run -p 8080:80 nginx\n", False),
        ("mkdir -p /srv/app/data && ssh -p 2222 host\n", False),
        ('sqlcmd -S db -U sa -P "$SA_PASSWORD"\n', False),
    ],
)
def test_command_line_passwords(classifier: Classifier, text: str, kept: bool) -> None:
    assert (tags_for(classifier, text).sensitivity in KEPT) is kept


def test_tokens_and_webhooks(classifier: Classifier) -> None:
    vault = "export VAULT_TOKEN=hvs.Zk3pQ8rT2mW9xY4bN7cV1dF6\n"
    assert "vault_token x1" in tags_for(classifier, vault).reasons
    hook = (
        "curl -X POST https://discord.com/api/webhooks/112233445566/"
        + "aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5hJ7kL9\n"
    )
    assert tags_for(classifier, hook).sensitivity is Sensitivity.RESTRICTED
    assert (
        tags_for(classifier, 'export VAULT_TOKEN="$(cat ~/.vault-token)"\n').sensitivity is Sensitivity.PUBLIC
    )


def test_lowering_decisions_are_in_reasons(classifier: Classifier) -> None:
    template = '{"private_key": "-----BEGIN PRIVATE KEY-----\\nYOUR_KEY\\n-----END PRIVATE KEY-----\\n"}'
    tags = tags_for(classifier, template)
    assert tags.sensitivity is Sensitivity.PUBLIC and "secret_reference x1" in tags.reasons
    emulator = (
        "UseDevelopmentStorage: AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50u"
        "SRZ6IFsuFq2UVErCz4I6tOltq3l9Ti7g5WHHojAbiwQr8xNtJfKQ==;"
    )
    assert "example_secret x1" in tags_for(classifier, emulator).reasons
    other_key = emulator.replace("Eby8", "Fby8")
    assert tags_for(classifier, other_key).sensitivity is Sensitivity.RESTRICTED
    spring = "spring.datasource.password=${db.credentials.password}\n"
    assert tags_for(classifier, spring).sensitivity is Sensitivity.PUBLIC
    listmail = "From: dev-request@lists.example.net\nTo: dev@lists.example.net\nList-Id: <dev.lists.example.net>\n\nRelease 2.1 is out."
    tags = tags_for(classifier, listmail)
    assert tags.sensitivity is Sensitivity.PUBLIC and any(
        r.startswith("email_address_role") for r in tags.reasons
    )
    person = listmail.replace("dev-request@lists.example.net", "maria.lopez@example.net")
    assert tags_for(classifier, person).sensitivity in KEPT
