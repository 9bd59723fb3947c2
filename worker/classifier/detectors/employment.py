"""Employment records about a person: pay (salary, bonus, raise, settlement, with an amount) and
performance (improvement plans, ratings, warnings, dismissals).

A pay word with an amount nearby, or a performance phrase, is a candidate that counts only with a
person nearby or as its subject: "the salary band is 60-70k" in a job advert is not about anyone,
"Priya's base salary rises to $98,000" is. Merit tables ("Name | Current salary | New salary") are
caught by the pay header plus the names in their rows.
"""

from __future__ import annotations

import re

from worker.classifier.detectors.base import Doc, Finding, wordset
from worker.classifier.detectors.persons import named_subject

_PAY_WORDS = wordset(
    "salary", "salaries", "pay", "paid", "wage", "wages", "compensation", "bonus", "raise", "merit",
    "earns", "earning", "severance", "settlement", "stipend", "payout", "increment",
    "gehalt", "lohn", "jahresgehalt", "vergütung", "abfindung", "gehaltserhöhung", "salaire",
    "rémunération", "augmentation", "indemnité", "sueldo", "salario", "retribución",
    "stipendio", "retribuzione", "salário", "remuneração", "salaris", "loon", "wynagrodzenie", "pensja",
)  # fmt: skip
_PAY = re.compile(
    r"(?<![a-z])(?:(?:base|annual|gross|net|new|current|starting|monthly|yearly|hourly)\s+)?"
    r"(?:salary|salaries|pay(?:\s+(?:rise|raise|increase|cut|grade))?|wages?|compensation|bonus|raise|merit\s+"
    r"(?:increase|raise|award)|earns|severance(?:\s+pay)?|settlement(?:\s+(?:amount|sum|payment))?|"
    r"stipend|payout|gehalt|lohn|jahresgehalt|vergütung|abfindung|gehaltserhöhung|salaire|rémunération|"
    r"augmentation|prime|indemnité|sueldo|salario|retribución|stipendio|retribuzione|salário|remuneração|"
    r"salaris|loon|wynagrodzenie|pensja)(?![a-z])"
)
# An amount: a currency sign or code with digits, or digits with "k", a currency word or code after.
_AMOUNT = re.compile(
    r"(?:[$€£¥₹]|(?<![a-z])(?:usd|eur|gbp|chf|sek|nok|dkk|pln|inr|cad|aud|brl|r\$)\s?)\s?[0-9][0-9.,' ]*[0-9k]?"
    r"|[0-9][0-9.,' ]*[0-9]\s?(?:k\b|€|£|\$|(?:usd|eur|gbp|chf|sek|nok|dkk|pln|zł|euros?|dollars?|pounds)\b)"
    r"|[0-9]+(?:[.,][0-9]+)?\s?%"
)
_PERFORMANCE_WORDS = wordset(
    "performance", "pip", "disciplinary", "warning", "underperforming", "underperformance", "expectations",
    "rating", "rated", "terminated", "termination", "dismissed", "dismissal", "probationary", "misconduct",
    "grievance", "abmahnung", "kündigung", "licenciement", "avertissement", "despido",
)  # fmt: skip
_PERFORMANCE = re.compile(
    r"(?<![a-z])(?:performance\s+(?:improvement\s+plan|review|rating|warning|concerns?|issues|appraisal)|"
    r"pip(?![a-z])|disciplinary\s+(?:action|hearing|procedure|meeting)|(?:written|verbal|final)\s+warning|"
    r"underperform(?:ing|ance)|(?:does\s+not\s+meet|did\s+not\s+meet|below|meets|exceeds|not\s+meeting)\s+"
    r"expectations|rated\s+(?:as\s+)?(?:[0-9]|low|poor|unsatisfactory|outstanding)|rating\s*[:=]\s*[0-9]|"
    r"(?:was|been|be)\s+(?:terminated|dismissed)|termination\s+(?:for\s+cause|meeting|letter)|gross\s+misconduct|"
    r"grievance\s+(?:against|filed)|abmahnung|kündigung|licenciement|avertissement|despido)"
)


# A published remuneration report (listed companies must publish their executives' pay): pay next to an
# executive role there is public, reported as `pay_published` (issue 18: annual reports, sets C and D).
_PUBLISHED = re.compile(
    r"remuneration report|directors' remuneration|annual report|vergütungsbericht|geschäftsbericht|"
    r"bezoldiging|jaarverslag|rapport de rémunération|rapport annuel|document d'enregistrement|"
    r"relazione sulla remunerazione|relazione finanziaria|informe de remuneraciones|informe anual|"
    r"relatório de remunerações|relatório e contas|ersättningsrapport|årsredovisning|vederlagsrapport|"
    r"palkitsemisraportti|sprawozdanie o wynagrodzeniach|javadalmazási|raport de remunerare"
)
_EXECUTIVE = re.compile(
    r"chief executive|\bceo\b|\bcfo\b|\bcoo\b|director|board|chair|vorstand|aufsichtsrat|bestuur|"
    r"commissaris|président|directeur général|amministratore delegato|consigliere|presidente|consejero|"
    r"administrador|diretor|styrelse|verkställande|toimitusjohtaja|prezes|zarząd|vezérigazgató|director general"
)
# An amount that opens a range ("$97,000–$139,000", "50-60k", "3 000 - 4 000 zł"): a band or an offer,
# no one's pay; reported as `pay_range`.
_RANGE_AFTER = re.compile(r"\s?(?:-|–|to|bis|à|a|до|do|tot|till)\s?(?:[$€£¥₹]|[a-z]{3}\s)?\s?[0-9]")

_POSSESSOR = re.compile(
    r"(?<![\w.])(?!(?:The|Our|Their|Its|This|Company|Team)['’])[A-ZÀ-Þ][a-zà-ÿ\-]+['’]s\s+(?:\w+\s+)?$"
)


class EmploymentDetector:
    """Pay with an amount, and performance or disciplinary records: candidates needing a person."""

    def find(self, doc: Doc) -> list[Finding]:
        found: list[Finding] = []
        if doc.has(_PAY_WORDS):
            lower = doc.lower
            published: bool | None = None
            for m in _PAY.finditer(lower):
                amount = _AMOUNT.search(lower, max(0, m.start() - 40), min(len(lower), m.end() + 100))
                if amount:
                    start, end = min(m.start(), amount.start()), max(m.end(), amount.end())
                    if _RANGE_AFTER.match(lower, amount.end()):
                        found.append(Finding("pay_range", start, end))
                        continue
                    if published is None:
                        published = _PUBLISHED.search(lower) is not None
                    if published and _EXECUTIVE.search(lower, max(0, start - 150), end + 50):
                        found.append(Finding("pay_published", start, end))
                        continue
                    # "Jo's raise came through": a capitalised possessor right before the pay word is a person.
                    possessed = _POSSESSOR.search(doc.text, max(0, m.start() - 40), m.start()) is not None
                    named = possessed or named_subject(doc, start, end)
                    found.append(Finding("pay_information", start, end, needs_person=not named))
        if doc.has(_PERFORMANCE_WORDS):
            for m in _PERFORMANCE.finditer(doc.lower):
                found.append(
                    Finding(
                        "performance_record",
                        m.start(),
                        m.end(),
                        needs_person=not named_subject(doc, m.start(), m.end()),
                    )
                )
        return found
