"""Detectors, one module per concern, and how their findings are combined into one list."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from worker.classifier.config import ClassifierConfig
from worker.classifier.detectors.bank_files import BankStatementDetector
from worker.classifier.detectors.base import Detector, Doc, Finding
from worker.classifier.detectors.catalogue import CatalogueDetector
from worker.classifier.detectors.clinical import ClinicalDetector
from worker.classifier.detectors.contact import ContactDetector
from worker.classifier.detectors.edi import EdiDetector
from worker.classifier.detectors.employment import EmploymentDetector
from worker.classifier.detectors.encoded import EncodedSecretsDetector
from worker.classifier.detectors.financial import FinancialDetector
from worker.classifier.detectors.health import HealthDetector
from worker.classifier.detectors.identifiers import IdentifierDetector
from worker.classifier.detectors.markers import MarkerDetector
from worker.classifier.detectors.markers_eu import EuMarkerDetector
from worker.classifier.detectors.mrz import MrzDetector
from worker.classifier.detectors.network import NetworkDetector
from worker.classifier.detectors.personal import PersonalDetector
from worker.classifier.detectors.persons import PersonDetector
from worker.classifier.detectors.secrets import SecretsDetector
from worker.classifier.detectors.secrets_files import CredentialFileDetector
from worker.classifier.detectors.special import SpecialCategoryDetector
from worker.classifier.detectors.statements_eu import EuStatementDetector
from worker.classifier.detectors.statements_world import WorldStatementDetector
from worker.classifier.detectors.structured import StructuredDetector, issuer_spans, product_code_spans
from worker.classifier.detectors.vehicle import VehicleDetector
from worker.classifier.kinds import category
from worker.schema import Sensitivity

__all__ = ["Detector", "Doc", "Finding", "Resolver", "build_detectors"]

# When two findings overlap, the more specific one wins: a checksum-validated card beats the phone
# number its digits also look like; a connection string beats the "email" inside it. Markers never
# compete (they are phrases, not values).
_PRIORITY = {
    "secret": 6, "financial": 5, "national_id": 5, "health": 4, "special": 4, "employment": 4, "contact": 3,
    "network": 2,
}  # fmt: skip
# A provider-specific key beats the generic "password=..." assignment that contains it.
_LOW_PRIORITY = {"phone_number": 1, "postal_address": 1, "health_condition": 0, "password_assignment": 5}
# Kinds that make a nearby name worth reporting as `person_name`.
_PERSONAL_CATEGORIES = frozenset({"contact", "national_id", "financial", "health", "special", "employment"})
# Statements about a person (a diagnosis, an arrest, a salary) are also confirmed by a role reference
# ("the patient", "the employee", "she was"), not only by a name.
_ROLE_CONFIRMED = frozenset({"health", "special", "employment"})


def build_detectors(config: ClassifierConfig) -> list[Detector]:
    secrets = SecretsDetector()
    return [
        secrets,
        EncodedSecretsDetector(secrets),
        CredentialFileDetector(),
        FinancialDetector(),
        IdentifierDetector(),
        CatalogueDetector(),
        MrzDetector(),
        StructuredDetector(),
        EdiDetector(),
        BankStatementDetector(),
        VehicleDetector(),
        HealthDetector(),
        ClinicalDetector(),
        SpecialCategoryDetector(),
        EuStatementDetector(),
        WorldStatementDetector(),
        EmploymentDetector(),
        ContactDetector(),
        PersonalDetector(),
        NetworkDetector(),
        MarkerDetector(prose_confidential_is_marker=config.prose_confidential_is_marker),
        EuMarkerDetector(),
    ]


class Resolver:
    """Runs the detectors, drops overlaps, and settles candidates that need a person nearby."""

    def __init__(self, config: ClassifierConfig) -> None:
        self._detectors = build_detectors(config)
        self._persons = PersonDetector()
        self._window = config.person_window_chars
        # Kinds reported but public (role mailboxes, test cards, ...): a name next to them is not personal data.
        self._public_kinds = frozenset(
            kind for kind, level in config.effective_levels().items() if level is Sensitivity.PUBLIC
        )

    def findings(self, doc: Doc) -> list[Finding]:
        raw = _outside_hex_tokens(doc, [f for detector in self._detectors for f in detector.find(doc)])
        raw = _issuer_numbers(doc, raw)
        values, markers = _drop_overlaps(raw)
        candidates = [f for f in values if f.needs_person]
        settled = [f for f in values if not f.needs_person]
        personal = [
            f
            for f in settled
            if f.kind not in self._public_kinds and category(f.kind) in _PERSONAL_CATEGORIES
        ]
        if not candidates and not personal:
            return settled + markers
        names = self._persons.names(doc)
        role_confirmed = [c for c in candidates if category(c.kind) in _ROLE_CONFIRMED]
        # A policy or procedure speaks of "the employee" in general: there only names confirm.
        roles = self._persons.roles(doc) if role_confirmed and not _POLICY_TITLE.match(doc.lower) else []
        name_index = _SpanIndex(names)
        role_index = _SpanIndex(names + roles)
        for candidate in candidates:
            index = role_index if category(candidate.kind) in _ROLE_CONFIRMED else name_index
            if index.near(candidate, self._window):
                confirmed = Finding(candidate.kind, candidate.start, candidate.end)
                settled.append(confirmed)
                personal.append(confirmed)
        if not names and {f.kind for f in personal} == {"phone_number"} and _only_phones(doc, personal):
            # Only phone numbers, in a document that names nobody and holds nothing else about a person
            # (no date, no other long number an unknown id could be): an office's or a notice's line
            # (issue 18, set E public notices). Reported under its own kind, so the lowering is in reasons.
            settled = [
                Finding("phone_number_no_person", f.start, f.end) if f.kind == "phone_number" else f
                for f in settled
            ]
            return settled + markers
        anchors = _SpanIndex(personal)
        nearby_names = [
            name for name in names if anchors.near(name, self._window) and not anchors.overlaps(name)
        ]
        return settled + nearby_names + markers


_YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")


# A phone label in the languages Turnout sees, right before the number ("Telefon: ", "تلفن: ").
_PHONE_LABEL = re.compile(
    r"(?:phone|tel|telephone|mobile|telefon\w*|telef[óo]n|t[āa]lrunis|simu|telepono|puhelin|τηλ[έε]φωνο|"
    r"телефон|تلفن|טלפון|โทรศัพท์|电话|電話|전화)\.?\s?:?\s*$"
)


# An address label ("Address:", "Adresa:", "نشانی:"): with the phone, an office's contact footer.
_ADDRESS_LABEL = re.compile(
    r"(?<![^\W\d_])(?:address|adres[aeis]?|aadress|adresse|anschrift|direcci[óo]n|indirizzo|endere[çc]o|"
    r"osoite|naslov|nas1ov|anwani|tirahan|tirohan|адрес|نشانی|آدرس|כתובת|ที่อยู่)\s?:"
)


def _only_phones(doc: Doc, phones: list[Finding]) -> bool:
    """An office's contact footer: every phone is written as one (an international "+" or a phone label
    before it) with an address label within 60 characters, and there are no digits in the document but the
    phones' and short numbers (a house number): an unknown id read as a phone number must not be lowered,
    and neither must a lone "Mobile +44 ..." line."""
    for f in phones:
        if doc.text[f.start] != "+" and not _PHONE_LABEL.search(doc.lower, max(0, f.start - 24), f.start):
            return False
        if not _ADDRESS_LABEL.search(doc.lower, max(0, f.start - 60), f.end + 60):
            return False
    spans = [(f.start, f.end) for f in phones]
    for run in doc.runs:
        inside = any(lo <= run.start and run.end <= hi for lo, hi in spans)
        if not inside and (run.digits >= 6 or _YEAR.search(run.text)):
            return False
    return not any(_YEAR.search(doc.text, lo, hi) for lo, hi in _gaps(spans, len(doc.text)))


def _gaps(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    out, at = [], 0
    for lo, hi in sorted(spans):
        out.append((at, lo))
        at = max(at, hi)
    return [*out, (at, length)]


class _SpanIndex:
    """Sorted spans, for "is any span within `window` characters of this one?" in O(log n)."""

    def __init__(self, spans: Sequence[Finding]) -> None:
        ordered = sorted(spans, key=lambda f: f.start)
        self._starts = [f.start for f in ordered]
        self._ends = [f.end for f in ordered]
        self._max_len = max((f.end - f.start for f in ordered), default=0)

    def near(self, finding: Finding, window: int) -> bool:
        # Any span starting before finding.end + window whose end reaches finding.start - window.
        hi = bisect_right(self._starts, finding.end + window)
        lo = bisect_left(self._starts, finding.start - window - self._max_len)
        return any(self._ends[i] >= finding.start - window for i in range(lo, hi))

    def overlaps(self, finding: Finding) -> bool:
        hi = bisect_left(self._starts, finding.end)
        lo = bisect_left(self._starts, finding.start - self._max_len)
        return any(self._ends[i] > finding.start for i in range(lo, hi))


# A UUID or a long hex hash (calendar UIDs, commit ids, lockfile digests) is no person's number: digits
# read inside one as a national id, card or phone are dropped (issue 18, set D: event UIDs as ids).
_HEX_TOKEN = re.compile(
    r"(?<![\w\-])(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|"
    r"(?=[0-9]*[a-f])[0-9a-f]{16,})(?![\w\-])"
)
_HEX_DROPPED = frozenset({"national_id", "financial", "contact"})


def _outside_hex_tokens(doc: Doc, findings: list[Finding]) -> list[Finding]:
    if not any(category(f.kind) in _HEX_DROPPED for f in findings):
        return findings
    if "-" not in doc.text and not doc.long_tokens:
        return findings
    spans = [m.span() for m in _HEX_TOKEN.finditer(doc.text)]
    if not spans:
        return findings
    starts = [lo for lo, _ in spans]

    def inside(f: Finding) -> bool:
        at = bisect_right(starts, f.start) - 1
        return at >= 0 and f.end <= spans[at][1]

    return [f for f in findings if category(f.kind) not in _HEX_DROPPED or not inside(f)]


# In an issuer's block or a department's vCard (structured.issuer_spans), phone and tax numbers are the
# organisation's: reported under their public kinds, so the lowering is in `reasons`.
_ISSUER_KINDS = {"phone_number": "phone_number_organisation", "tax_id": "organisation_id"}


# A document titled as a policy, procedure or guideline (its first line).
_POLICY_TITLE = re.compile(
    r"\s*[^\n]{0,60}(?<![^\W\d_])(?:policy|policies|procedure|guideline|guidelines|handbook|code of conduct|"
    r"richtlinie|verfahren|leitfaden|betriebsvereinbarung|règlement|procédure|politique|política|"
    r"procedimiento|regolamento|procedura|beleid|reglement|regulamin|směrnice|riktlinje|policy)"
)
_PRODUCT_READ_AS = frozenset({"credit_card", "tax_id", "national_id", "phone_number", "bank_account"})


def _issuer_numbers(doc: Doc, findings: list[Finding]) -> list[Finding]:
    if any(f.kind in _PRODUCT_READ_AS for f in findings):
        products = set(product_code_spans(doc))
        if products:
            findings = [
                Finding("product_code", f.start, f.end)
                if f.kind in _PRODUCT_READ_AS and (f.start, f.end) in products
                else f
                for f in findings
            ]
    if not any(f.kind in _ISSUER_KINDS for f in findings):
        return findings
    spans = issuer_spans(doc)
    if not spans:
        return findings
    return [
        Finding(_ISSUER_KINDS[f.kind], f.start, f.end, f.needs_person)
        if f.kind in _ISSUER_KINDS and any(lo <= f.start and f.end <= hi for lo, hi in spans)
        else f
        for f in findings
    ]


def _priority(finding: Finding) -> int:
    return _LOW_PRIORITY.get(finding.kind) or _PRIORITY.get(category(finding.kind), 0)


def _drop_overlaps(findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    markers = _dedupe_markers([f for f in findings if f.kind.startswith("marker:")])
    values = sorted(
        (f for f in findings if not f.kind.startswith("marker:")),
        # On a tie, a settled finding beats a candidate that still needs a person: two detectors reading
        # the same word ("sygemeldt"), one of which already saw the addressee, must not lose it.
        key=lambda f: (-_priority(f), f.start, f.end, f.kind, f.needs_person),
    )
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Finding] = []
    for finding in values:
        index = bisect_left(starts, finding.start)
        overlaps_prev = index > 0 and ends[index - 1] > finding.start
        overlaps_next = index < len(starts) and starts[index] < finding.end
        if overlaps_prev or overlaps_next:
            continue
        starts.insert(index, finding.start)
        ends.insert(index, finding.end)
        kept.append(finding)
    return kept, markers


def _dedupe_markers(markers: list[Finding]) -> list[Finding]:
    """One marker per place: a banner matched by two patterns counts once."""
    kept: list[Finding] = []
    for finding in sorted(markers, key=lambda f: (f.start, -f.end, f.kind)):
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept
