"""Filler business prose for the evaluation corpus: realistic paragraphs with no personal data.

Names appear (a name alone is not sensitive), and so do the look-alikes a classifier must not flag:
order and invoice numbers, versions, ISBNs, prices, part numbers, dates, times, tracking numbers,
hashes, role mailboxes, company addresses, health and security vocabulary in general prose.
"""

from __future__ import annotations

import random

COMPANIES = [
    "Acme Corp",
    "Northwind Traders",
    "Globex",
    "Initech",
    "Umbrella Logistics",
    "Stark Industries",
    "Contoso",
    "Fabrikam",
    "Wayne Enterprises",
    "Hooli",
    "Vandelay Imports",
    "Soylent GmbH",
]
FIRST = [
    "Maria",
    "James",
    "Priya",
    "Lukas",
    "Sophie",
    "Ahmed",
    "Chen",
    "Olivia",
    "Mateo",
    "Hannah",
    "Noah",
    "Elena",
    "David",
    "Fatima",
    "Jonas",
    "Camille",
    "Giulia",
    "Raj",
    "Emma",
    "Kenji",
]
LAST = [
    "Schmidt",
    "Garcia",
    "Patel",
    "Nguyen",
    "Dubois",
    "Rossi",
    "Kowalski",
    "Okafor",
    "Johnson",
    "Müller",
    "Martin",
    "Silva",
    "Tanaka",
    "Andersson",
    "O'Brien",
    "Fischer",
    "Moreau",
    "Haddad",
    "Lopez",
    "Weber",
]
TEAMS = ["platform", "finance", "marketing", "sales", "logistics", "customer success", "data", "procurement"]
PRODUCTS = ["Atlas", "Beacon", "Cirrus", "Delta", "Ember", "Fjord", "Granite", "Helix"]
CITIES = ["Berlin", "Lyon", "Austin", "Leeds", "Madrid", "Milan", "Rotterdam", "Toronto", "Dublin", "Oslo"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _luhn_failing_16(rng: random.Random) -> str:
    from tests.eval.values import luhn_complete

    body = str(rng.choice([4, 5])) + "".join(str(rng.randrange(10)) for _ in range(14))
    good = luhn_complete(body)
    bad = good[:-1] + str((int(good[-1]) + rng.randrange(1, 10)) % 10)
    sep = rng.choice([" ", "-", ""])
    return sep.join(bad[i : i + 4] for i in range(0, 16, 4))


def lookalike(rng: random.Random) -> str:
    """One sentence with a number or token that resembles an identifier but is not one."""
    year = rng.randrange(2019, 2027)
    n = rng.randrange
    options = [
        lambda: (
            f"Order #{n(1000, 9999)}-{n(1000, 9999)}-{n(100, 999)} shipped on {year}-{n(1, 13):02d}-{n(1, 29):02d}."
        ),
        lambda: (
            f"Invoice INV-{year}-{n(10000, 99999)} for ${n(1, 99)},{n(100, 999)}.{n(10, 99)} is due in 30 days."
        ),
        lambda: f"We upgraded the cluster to version {n(1, 20)}.{n(0, 30)}.{n(0, 12)} last week.",
        lambda: f"Release v{n(1, 9)}.{n(0, 20)}.{n(0, 9)}.{n(0, 999)} fixes the memory leak in the importer.",
        lambda: (
            f"The reference book (ISBN 978-{n(0, 2)}-{n(100, 999)}-{n(10000, 99999)}-{n(0, 9)}) is on the shelf."
        ),
        lambda: f"Reference number {_luhn_failing_16(rng)} appears on the remittance slip.",
        lambda: f"Part number PN-{n(100, 999)}-{n(1000, 9999)}-{n(10, 99)} replaces the old bracket.",
        lambda: f"Tracking 1Z{n(100, 999)}AA{n(10**9, 10**10)} shows the parcel in {rng.choice(CITIES)}.",
        lambda: (
            f"The meeting moved to {n(1, 29)} {rng.choice(MONTHS)} {year} at {n(8, 18)}:{rng.choice(['00', '30'])}."
        ),
        lambda: (
            f"Revenue grew {n(2, 40)}.{n(0, 9)}% to €{n(1, 99)}.{n(100, 999)}.{n(100, 999)} in Q{n(1, 5)}."
        ),
        lambda: (
            f"Commit {''.join(rng.choice('0123456789abcdef') for _ in range(40))} introduced the regression."
        ),
        lambda: f"Ticket #{n(10000, 99999)} was closed after the hotfix; see room {n(1, 9)}.{n(10, 40)}.",
        lambda: (
            f"SKU {rng.choice('ABCDEFGH')}{rng.choice('KLMNPRST')}-{n(1000, 99999)} is back in stock at ${n(5, 500)}.99."
        ),
        lambda: (
            f"Shipment {n(10**8, 10**9)} weighs {n(100, 9999)} kg and measures {n(10, 99)}x{n(10, 99)} cm."
        ),
        lambda: (
            f"Our support line is open 9-5; write to support@{rng.choice(COMPANIES).split()[0].lower()}.com."
        ),
        lambda: f"The serial S/N {n(10**9, 10**10)} is printed under the device.",
        lambda: f"Purchase order PO {n(4500000000, 4599999999)} covers {n(10, 500)} units.",
        lambda: f"The build {year}.{n(1, 13):02d}.{n(1, 29):02d}.{n(1, 9)} passed all {n(100, 3000)} tests.",
        lambda: (
            f"UUID {'-'.join(''.join(rng.choice('0123456789abcdef') for _ in range(k)) for k in (8, 4, 4, 4, 12))} "
            "identifies the batch."
        ),
        lambda: f"Call volume peaked at {n(1000, 9999)} on {n(1, 13)}/{n(1, 29)}/{year}.",
        lambda: (
            f"Our office is at {n(1, 300)} Market Street, {rng.choice(CITIES)}; visitors sign in at reception."
        ),
        lambda: (
            f"The {rng.choice(['Q3', 'Q4', 'H1'])} budget is {n(1, 9)},{n(100, 999)},{n(100, 999)} USD across "
            f"{n(3, 20)} cost centres."
        ),
        lambda: (
            f"Model {rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{n(100, 999)}-{n(1000, 9999)} ships with firmware "
            f"{n(1, 5)}.{n(0, 9)}.{n(0, 9)}."
        ),
        lambda: (
            f"The coordinates {n(10, 60)}.{n(1000, 9999)}, {n(1, 30)}.{n(1000, 9999)} mark the new warehouse."
        ),
        lambda: (
            f"Batch {n(100000, 999999)} of lot {n(1000, 9999)} passed QA on {year}-{n(1, 13):02d}-{n(1, 29):02d}."
        ),
        lambda: f"Account managers should log calls in the CRM within {n(2, 48)} hours.",
        lambda: f"The API key rotation policy requires new keys every {n(30, 180)} days; see the wiki page.",
        lambda: "Password resets are handled through the self-service portal, not by email.",
        lambda: f"Token usage rose to {n(1, 90)} million tokens per day after the launch.",
        lambda: "We keep customer data confidential and never sell it to third parties.",
        lambda: f"The diabetes research programme received a grant of ${n(1, 9)}.{n(1, 9)}M this year.",
        lambda: f"Our clinic partners treat thousands of patients each year across {n(3, 40)} sites.",
        lambda: f"Set timeout: {n(10, 120)} and retries: {n(1, 9)} in the client configuration.",
        lambda: f"The internal tooling survey closes on {rng.choice(MONTHS)} {n(1, 29)}.",
        lambda: f"Version string {n(1, 9)}.{n(0, 9)}.{n(0, 99)}-rc{n(1, 5)} is tagged in the repository.",
        lambda: f"Contact {rng.choice(FIRST)} in {rng.choice(TEAMS)} for the onboarding checklist.",
        lambda: f"The warehouse in {rng.choice(CITIES)} handled {n(10, 99)},{n(100, 999)} parcels in {year}.",
        lambda: f"Dial-in code {n(100, 999)} {n(100, 999)} {n(100, 999)} is valid for the all-hands.",
        lambda: f"Price list {year}: Standard €{n(10, 99)}.00, Pro €{n(100, 199)}.00, Enterprise on request.",
        lambda: "Confidential computing is one of the themes of this year's security conference.",
        lambda: (
            f"The card ending in {n(1000, 9999)} was declined; the customer will update it in the portal."
        ),
        lambda: f"Masked card **** **** **** {n(1000, 9999)} appears on the receipt.",
        lambda: f"Passwords must be at least {n(10, 16)} characters and rotated every {n(60, 120)} days.",
        lambda: "Set api_key: <YOUR_API_KEY> and token: ${GITHUB_TOKEN} in the sample config.",
        lambda: (
            "DATABASE_URL=postgres://user:password@localhost:5432/app is the default for local development."
        ),
        lambda: f"EAN {n(4000000000000, 4400000000000)} and GTIN labels were reprinted for the pallet.",
        lambda: f"IMEI {n(350000000000000, 359999999999999)} was registered to the test handset.",
        lambda: f"We signed an NDA with the vendor before the {rng.choice(['demo', 'audit', 'pilot'])}.",
        lambda: (
            f"The idea for {rng.choice(['Atlas', 'Beacon', 'Helix'])} was born in {year} during a hackathon."
        ),
        lambda: (
            f"{person(rng)} joined on {n(1, 13):02d}/{n(1, 29):02d}/{year} and leads the {rng.choice(TEAMS)} team."
        ),
        lambda: f"{person(rng)} presented the results of the diabetes prevention study to the board.",
        lambda: (
            f"Our partnership with cancer research charities raised ${n(10, 99)},{n(100, 999)} last year."
        ),
        lambda: f"Please be patient while the {rng.choice(['migration', 'export', 'backfill'])} completes.",
        lambda: f"Call 1-800-{rng.choice(['FLOWERS', 'CONTACT', 'SUPPORT'])} for retail orders.",
        lambda: f"Release {year}.{n(1, 13):02d}.{n(1, 29):02d} ships the new export wizard.",
        lambda: "The keynote covered token-based pricing, secret management and key rotation.",
        lambda: "Confidentiality agreements are standard for all suppliers in our industry.",
        lambda: f"This is an internal tooling update for the {rng.choice(TEAMS)} team.",
        lambda: f"The server listens on port {n(1024, 65535)} and retries after {n(1, 60)} seconds.",
        lambda: f"Room {n(1, 9)}.{n(10, 99)}, extension {n(1000, 9999)}, is booked for interviews.",
        lambda: f"{person(rng)} is on leave until Monday; {person(rng)} covers the escalations.",
    ]
    return rng.choice(options)()


def paragraph(rng: random.Random) -> str:
    """A business paragraph of 3-6 sentences, one in three of them a look-alike."""
    company, product, team = rng.choice(COMPANIES), rng.choice(PRODUCTS), rng.choice(TEAMS)
    sentences = [
        f"The {team} team at {company} reviewed the rollout plan for {product} this week.",
        f"{rng.choice(FIRST)} presented the roadmap and asked for feedback on the migration timeline.",
        f"{person(rng)} from the {team} team will own the vendor review.",
        f"Thanks to {person(rng)} and {person(rng)} for running the workshop in {rng.choice(CITIES)}.",
        f"Adoption of {product} grew steadily, and churn fell for the third quarter in a row.",
        f"We agreed to revisit the pricing model once the pilot in {rng.choice(CITIES)} concludes.",
        "The vendor shortlist was narrowed to three candidates after the security review.",
        f"Customer feedback highlighted onboarding friction, so the {team} team will simplify the setup wizard.",
        "Action items were assigned, and the next checkpoint is scheduled for the end of the month.",
        "Forecasts assume a moderate recovery in demand, with upside if the partnership closes early.",
        "The retrospective noted that release notes should go out before the deployment window.",
        "Please review the attached deck before Thursday's meeting and add comments inline.",
        f"{product} now supports single sign-on, audit logs and regional data residency.",
        f"Latency improved after the caching layer was moved closer to the {rng.choice(CITIES)} region.",
        "The board asked for a clearer view of unit economics across segments.",
        f"Hiring for the {team} team is on track, with two offers accepted this month.",
        "Travel should be booked through the approved portal to keep costs within policy.",
    ]
    count = rng.randrange(3, 7)
    chosen = [rng.choice(sentences) if rng.random() > 0.35 else lookalike(rng) for _ in range(count)]
    return " ".join(chosen)


def document(rng: random.Random, target_chars: int) -> list[str]:
    """Paragraphs adding up to about `target_chars`, sometimes with a heading or a small table."""
    parts: list[str] = []
    if rng.random() < 0.3:
        parts.append(f"# {rng.choice(PRODUCTS)} {rng.choice(['update', 'review', 'plan', 'notes'])}")
    while sum(len(p) for p in parts) < target_chars:
        if rng.random() < 0.08:
            parts.append(
                "| Region | Units | Growth |\n|---|---|---|\n"
                + "\n".join(
                    f"| {c} | {rng.randrange(100, 9999)} | {rng.randrange(1, 30)}% |"
                    for c in rng.sample(CITIES, 3)
                )
            )
        else:
            parts.append(paragraph(rng))
    return parts
