"""Sentences that carry one sensitive item each, by kind: the positives of the evaluation corpus.

Each entry: corpus kind -> (the classifier kinds that count as finding it, sentence generators).
"""

from __future__ import annotations

import random

from tests.eval import values as v
from tests.eval.prose import CITIES, COMPANIES, FIRST, LAST, person

Rng = random.Random
n = random.Random.randrange


def _phone(rng: Rng) -> str:
    d = lambda k: v.digits(rng, k)  # noqa: E731
    return rng.choice(
        [
            f"({n(rng, 201, 989)}) {n(rng, 200, 999)}-{d(4)}",
            f"{n(rng, 201, 989)}-{n(rng, 200, 999)}-{d(4)}",
            f"+1 {n(rng, 201, 989)} {n(rng, 200, 999)} {d(4)}",
            f"+1-{n(rng, 201, 989)}-{n(rng, 200, 999)}-{d(4)}",
            f"{n(rng, 201, 989)}.{n(rng, 200, 999)}.{d(4)}",
            f"020 7{d(3)} {d(4)}",
            f"+44 20 7{d(3)} {d(4)}",
            f"07{n(rng, 100, 999)} {d(6)}",
            f"+44 7{n(rng, 100, 999)} {d(6)}",
            f"0161 {d(3)} {d(4)}",
            f"+44 (0) 161 {d(3)} {d(4)}",
            f"030 {d(8)}",
            f"+49 30 {d(8)}",
            f"0171 {d(7)}",
            f"+49 171 {d(7)}",
            f"089/{d(7)}",
            f"+49 (0)89 {d(7)}",
            f"01 {d(2)} {d(2)} {d(2)} {d(2)}",
            f"+33 1 {d(2)} {d(2)} {d(2)} {d(2)}",
            f"06 {d(2)} {d(2)} {d(2)} {d(2)}",
            f"+33 6 {d(2)} {d(2)} {d(2)} {d(2)}",
            f"06.{d(2)}.{d(2)}.{d(2)}.{d(2)}",
            f"+34 6{d(2)} {d(3)} {d(3)}",
            f"+39 06 {d(3)} {d(4)}",
            f"+39 3{d(2)} {d(3)} {d(4)}",
            f"+31 20 {d(3)} {d(4)}",
            f"+91 9{d(4)} {d(5)}",
            f"+61 2 {d(4)} {d(4)}",
            f"0044 20 7{d(3)} {d(4)}",
            f"+353 1 {d(3)} {d(4)}",
        ]
    )


def _street(rng: Rng) -> str:
    return rng.choice(
        [
            f"{n(rng, 1, 9999)} {rng.choice(['Maple', 'Oak', 'Evergreen', 'Sunset', 'Cedar Hill', 'Lincoln'])} "
            f"{rng.choice(['Street', 'St.', 'Avenue', 'Ave', 'Road', 'Drive', 'Lane', 'Terrace', 'Court', 'Blvd'])}, "
            f"{rng.choice(['Springfield, IL', 'Austin, TX', 'Portland, OR', 'Columbus, OH'])} {v.digits(rng, 5)}",
            f"{n(rng, 1, 200)} {rng.choice(['Baker', 'Victoria', 'Church', 'Station', 'Mill'])} "
            f"{rng.choice(['Street', 'Road', 'Lane', 'Close', 'Crescent'])}, {rng.choice(['London', 'Leeds', 'Bristol'])} "
            f"{rng.choice(['SW1A 2AA', 'LS1 4AP', 'BS8 1TH', 'NW1 6XE', 'EC1A 1BB'])}",
            f"{rng.choice(['Haupt', 'Linden', 'Berliner ', 'Goethe', 'Bahnhof'])}{rng.choice(['straße', 'str.', 'weg'])} "
            f"{n(rng, 1, 150)}, {v.digits(rng, 5)} {rng.choice(['Berlin', 'München', 'Köln', 'Hamburg'])}",
            f"{n(rng, 1, 120)} {rng.choice(['rue de la Paix', 'avenue Victor Hugo', 'boulevard Voltaire', 'rue du Bac'])}, "
            f"{v.digits(rng, 5)} {rng.choice(['Paris', 'Lyon', 'Marseille'])}",
            f"{rng.choice(['Calle Mayor', 'Calle de Alcalá', 'Avenida de América'])} {n(rng, 1, 200)}, "
            f"{v.digits(rng, 5)} Madrid",
            f"{rng.choice(['Via Roma', 'Viale Monza', 'Corso Buenos Aires', 'Piazza Navona'])} {n(rng, 1, 200)}, "
            f"{v.digits(rng, 5)} {rng.choice(['Milano', 'Roma'])}",
        ]
    )


def _condition(rng: Rng) -> str:
    return rng.choice(
        [
            "type 2 diabetes",
            "breast cancer",
            "major depression",
            "an anxiety disorder",
            "epilepsy",
            "multiple sclerosis",
            "HIV",
            "bipolar disorder",
            "hypertension",
            "asthma",
            "long COVID",
        ]
    )


POSITIVES: dict[str, tuple[frozenset[str], list]] = {
    "email_address": (
        frozenset({"email_address"}),
        [
            lambda r: (
                f"You can reach {person(r)} at {r.choice(FIRST).lower()}.{r.choice(LAST).lower().replace(chr(39), '')}"
                f"@{r.choice(['gmail.com', 'outlook.com', 'acme-corp.com', 'web.de', 'orange.fr', 'example.org'])}."
            ),
            lambda r: (
                f"Please cc {r.choice(FIRST).lower()}{n(r, 1, 99)}@{r.choice(['yahoo.com', 'proton.me', 'gmx.net'])} "
                "on the follow-up."
            ),
            lambda r: (
                f"Reply-To: {r.choice(FIRST)}.{r.choice(LAST)}+{r.choice(['billing', 'hr'])}@northwind.io"
            ),
            lambda r: (
                f"The applicant ({r.choice(FIRST)[0].lower()}{r.choice(LAST).lower()}@uni-{r.choice(CITIES).lower()}.edu) "
                "sent the documents."
            ),
            lambda r: f"From: {person(r)} <{r.choice(FIRST).lower()}_{n(r, 10, 99)}@hotmail.co.uk>",
            lambda r: (
                f"Her private address is {r.choice(FIRST).lower()} [at] {r.choice(['gmail', 'gmx'])} [dot] com."
            ),
        ],
    ),
    "phone_number": (
        frozenset({"phone_number"}),
        [
            lambda r: f"Call {person(r)} on {_phone(r)} if the delivery is late.",
            lambda r: f"Mobile: {_phone(r)}",
            lambda r: f"{person(r)} left a voicemail and asked to be called back at {_phone(r)}.",
            lambda r: f"Tel. {_phone(r)} (after 5 pm).",
            lambda r: f"Her direct line is {_phone(r)}; the switchboard can transfer you as well.",
            lambda r: f"For urgent issues text {_phone(r)}.",
            lambda r: f"| {person(r)} | {r.choice(CITIES)} | {_phone(r)} |",
            lambda r: f"WhatsApp {_phone(r)} or Signal, whichever you prefer.",
        ],
    ),
    "postal_address": (
        frozenset({"postal_address"}),
        [
            lambda r: f"{person(r)}, {_street(r)}",
            lambda r: f"Please send the contract to {person(r)} at {_street(r)}.",
            lambda r: f"Ship to: {_street(r)}",
            lambda r: f"{person(r)} moved last month; the new home address is {_street(r)}.",
            lambda r: f"Anschrift: {person(r)}, {_street(r)}",
            lambda r: f"{r.choice(['Mr.', 'Ms.', 'Dr.'])} {r.choice(LAST)}\n{_street(r)}",
            lambda r: f"Mailing address: Apt 4B, {_street(r)}",
        ],
    ),
    "date_of_birth": (
        frozenset({"date_of_birth"}),
        [
            lambda r: f"{person(r)}, DOB {v.date_text(r)}, joined the programme in {r.choice(CITIES)}.",
            lambda r: f"Date of birth: {v.date_text(r)}",
            lambda r: f"{person(r)} (born {v.date_text(r)}) is the named beneficiary.",
            lambda r: f"Geburtsdatum: {n(r, 1, 29):02d}.{n(r, 1, 13):02d}.{n(r, 1940, 2005)}",
            lambda r: f"D.O.B. {v.date_text(r)}",
            lambda r: f"{person(r)}'s birthday: {v.date_text(r)}",
            lambda r: (
                f"{person(r)}, née le {n(r, 1, 29)} {r.choice(['janvier', 'mars', 'juillet', 'octobre'])} "
                f"{n(r, 1940, 2005)}, réside à Lyon."
            ),
        ],
    ),
    "us_ssn": (
        frozenset({"us_ssn"}),
        [
            lambda r: f"Employee {person(r)} provided SSN {v.ssn(r)} for the payroll setup.",
            lambda r: f"Social Security Number: {v.ssn(r)}",
            lambda r: f"The form lists {v.ssn(r)} as the taxpayer's social security number.",
            lambda r: f"SSN: {v.ssn(r).replace('-', '').replace(' ', '')}",
            lambda r: f"| {person(r)} | {v.ssn(r)} | W-2 |",
        ],
    ),
    "uk_nino": (
        frozenset({"uk_nino"}),
        [
            lambda r: f"National Insurance number {v.nino(r)} was added to the HR record of {person(r)}.",
            lambda r: f"NI No: {v.nino(r)}",
            lambda r: f"Please confirm {v.nino(r)} before the payroll run.",
        ],
    ),
    "passport_number": (
        frozenset({"passport_number"}),
        [
            lambda r: f"Passport number: {v.passport(r)} (expires {n(r, 2027, 2035)}).",
            lambda r: f"{person(r)} travelled on passport {v.passport(r)} for the {r.choice(CITIES)} visit.",
            lambda r: f"Reisepass Nr. {v.passport(r)}",
            lambda r: f"Numéro de passeport : {v.passport(r)}",
        ],
    ),
    "credit_card": (
        frozenset({"credit_card"}),
        [
            lambda r: (
                f"Please charge the deposit to card {v.card(r)}, expiry {n(r, 1, 13):02d}/{n(r, 26, 31)}."
            ),
            lambda r: f"The customer read out {v.card(r)} over the phone.",
            lambda r: f"Card number: {v.card(r)}",
            lambda r: f"Refund issued to {v.card(r)} on the original invoice.",
            lambda r: f"| {person(r)} | {v.card(r)} | {n(r, 1, 13):02d}/{n(r, 26, 31)} |",
            lambda r: f"cc={v.card(r).replace(' ', '').replace('-', '')}&exp={n(r, 1, 13):02d}{n(r, 26, 31)}",
        ],
    ),
    "iban": (
        frozenset({"iban"}),
        [
            lambda r: f"Please transfer the balance to IBAN {v.iban(r)} by Friday.",
            lambda r: f"Bankverbindung: {v.iban(r)}",
            lambda r: f"Salary for {person(r)} goes to {v.iban(r)} from next month.",
            lambda r: f"Beneficiary account {v.iban(r)}, reference {n(r, 1000, 9999)}.",
        ],
    ),
    "bank_routing": (
        frozenset({"aba_routing", "bank_account"}),
        [
            lambda r: (
                f"Routing number {v.aba(r)}, account number {v.digits(r, n(r, 8, 13))} at {r.choice(COMPANIES)} Bank."
            ),
            lambda r: f"ABA: {v.aba(r)}",
            lambda r: f"Wire to checking account {v.digits(r, 10)} (bank routing {v.aba(r)}).",
            lambda r: (
                f"Direct deposit: bank account no. {v.digits(r, 11)}, sort code {n(r, 10, 99)}-{n(r, 10, 99)}-{n(r, 10, 99)}."
            ),
        ],
    ),
    "national_id": (
        frozenset({"national_id", "tax_id"}),
        [
            lambda r: f"Steuer-ID: {v.steuer_id(r)}",
            lambda r: f"Numéro de sécurité sociale {v.nir(r)} pour {person(r)}.",
            lambda r: f"DNI {v.dni(r)} del titular {person(r)}.",
            lambda r: f"Her Steuer-Identifikationsnummer {v.steuer_id(r)} was missing from the form.",
            lambda r: f"The applicant's DNI is {v.dni(r)}.",
            lambda r: f"Aadhaar: {v.aadhaar(r)}",
        ],
    ),
    "medical": (
        frozenset({"medical_record_number", "health_insurance_id"}),
        [
            lambda r: f"MRN: {v.digits(r, 8)}",
            lambda r: (
                f"Medical record number {r.choice(['', 'MR-'])}{v.digits(r, 7)} was merged with the duplicate chart."
            ),
            lambda r: f"NHS number {v.nhs(r)} belongs to the referred patient.",
            lambda r: f"Patient ID: {v.digits(r, 9)}",
        ],
    ),
    "health_condition": (
        frozenset({"health_condition"}),
        [
            lambda r: (
                f"{person(r)} was diagnosed with {_condition(r)} in {n(r, 2015, 2025)} and is responding to treatment."
            ),
            lambda r: f"The patient has {_condition(r)} and was prescribed metformin 500 mg twice daily.",
            lambda r: f"{person(r)} is on sick leave until further notice following surgery.",
            lambda r: (
                f"{r.choice(['Mr.', 'Ms.'])} {r.choice(LAST)} is being treated for {_condition(r)} at the clinic."
            ),
            lambda r: f"I was diagnosed with {_condition(r)} last year, so I may need flexible hours.",
            lambda r: f"{person(r)} ist seit Montag krankgeschrieben.",
        ],
    ),
    "secret": (
        frozenset(
            {
                "aws_access_key",
                "aws_secret_key",
                "openai_api_key",
                "github_token",
                "slack_token",
                "google_api_key",
                "stripe_key",
                "private_key",
                "password_assignment",
                "connection_string",
                "jwt",
                "slack_webhook",
                "huggingface_token",
                "sendgrid_key",
                "gitlab_token",
            }
        ),
        [
            lambda r: f"export AWS_ACCESS_KEY_ID=AKIA{v.token(r, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}",
            lambda r: (
                f"aws_secret_access_key = {v.token(r, 40, v.string.ascii_letters + v.string.digits + '/+')}"
            ),
            lambda r: (
                f"OPENAI_API_KEY=sk-proj-{v.token(r, 48, v.string.ascii_letters + v.string.digits + '_-')}"
            ),
            lambda r: f"Use sk-{v.token(r, 48)} for the staging bot.",
            lambda r: f"The CI token ghp_{v.token(r, 36)} was pasted into the channel.",
            lambda r: f"SLACK_BOT_TOKEN: xoxb-{v.digits(r, 12)}-{v.digits(r, 12)}-{v.token(r, 24)}",
            lambda r: f"maps key AIza{v.token(r, 35, v.string.ascii_letters + v.string.digits + '_-')}",
            lambda r: f'stripe.api_key = "sk_live_{v.token(r, 24)}"',
            lambda r: (
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEow" + v.token(r, 60) + "\n-----END RSA PRIVATE KEY-----"
            ),
            lambda r: f"DB_PASSWORD={v.token(r, 14, v.string.ascii_letters + v.string.digits + '!#%')}",
            lambda r: f'password: "{v.token(r, 12)}{n(r, 10, 99)}!"',
            lambda r: (
                f"DATABASE_URL=postgres://app_user:{v.token(r, 16)}@db.{r.choice(COMPANIES).split()[0].lower()}.internal:5432/prod"
            ),
            lambda r: f"mongodb+srv://admin:{v.token(r, 12)}@cluster0.mongodb.net/test",
            lambda r: f"Authorization: Bearer eyJ{v.token(r, 20)}.eyJ{v.token(r, 40)}.{v.token(r, 43)}",
            lambda r: (
                f"hooks: https://hooks.slack.com/services/T{v.token(r, 8)}/B{v.token(r, 8)}/{v.token(r, 24)}"
            ),
            lambda r: f"The wifi password is {r.choice(['Summer', 'Winter', 'Blue'])}{n(r, 2000, 2030)}!",
            lambda r: f"GITHUB_TOKEN=github_pat_{v.token(r, 22)}_{v.token(r, 59)}",
            lambda r: f"client_secret: {v.token(r, 32, v.string.ascii_letters + v.string.digits + '~._-')}",
            lambda r: (
                f"SECRET_KEY = '{v.token(r, 50, v.string.ascii_letters + v.string.digits + '!@#%^&*(-_=+)')}'"
            ),
            lambda r: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA" + v.token(r, 40),
            lambda r: f"HF_TOKEN=hf_{v.token(r, 34)}",
            lambda r: (
                f"Cookie: session={v.token(r, 12)}; jwt=eyJ{v.token(r, 24)}.eyJ{v.token(r, 48)}.{v.token(r, 43)}"
            ),
        ],
    ),
    "marker": (
        frozenset({"marker:confidential", "marker:privileged", "marker:internal_only", "marker:restricted"}),
        [
            lambda r: "CONFIDENTIAL",
            lambda r: "Privileged & Confidential – Attorney-Client Communication",
            lambda r: (
                "This email and any attachments are confidential and intended solely for the addressee."
            ),
            lambda r: "INTERNAL USE ONLY",
            lambda r: "Classification: Restricted",
            lambda r: "Confidential: do not forward outside the deal team.",
            lambda r: "Please treat this memo as strictly confidential.",
            lambda r: "For internal use only. Not for distribution.",
            lambda r: "Streng vertraulich",
            lambda r: "TOP SECRET//NOFORN",
            lambda r: f"{r.choice(COMPANIES)} Confidential and Proprietary",
            lambda r: "ATTORNEY WORK PRODUCT – PREPARED AT THE REQUEST OF COUNSEL",
            lambda r: "SECRET//REL TO USA, GBR",
            lambda r: "OFFICIAL-SENSITIVE",
            lambda r: "Vertraulich – nur für den internen Gebrauch",
            lambda r: "Do not distribute without written approval from Legal.",
        ],
    ),
    "ip_address": (
        frozenset({"ip_address"}),
        [
            lambda r: (
                f"{v.public_ip(r)} - - [12/Mar/2025:10:{n(r, 10, 59)}:01 +0000] "
                f'"GET /account HTTP/1.1" 200 {n(r, 100, 9999)}'
            ),
            lambda r: f"Failed login for user {r.choice(FIRST).lower()} from {v.public_ip(r)} at 03:12 UTC.",
            lambda r: f"client_ip={v.public_ip(r)} status=403",
            lambda r: f"upstream connect error to {v.public_ip(r)}:{n(r, 1024, 65535)}, retrying",
            lambda r: f"X-Forwarded-For: {v.public_ip(r)}, 10.0.0.{n(r, 1, 254)}",
            lambda r: (
                f"Connection from 2a02:{v.token(r, 4, 'abcdef0123456789')}:{v.token(r, 4, 'abcdef0123456789')}::"
                f"{v.token(r, 3, 'abcdef0123456789')} refused"
            ),
        ],
    ),
}
