"""Document shapes shared by both sets: email headers, chat exports, CSV/JSON exports, OCR noise."""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Sequence
from datetime import date

from .doc import Ctx


def email(ctx: Ctx, sender: str, to: str, subject: str, body: str, cc: str = "") -> str:
    d = ctx.day()
    hdr = [
        f"From: {sender}",
        f"To: {to}",
        *([f"Cc: {cc}"] if cc else []),
        f"Date: {d:%a, %d %b %Y} {ctx.rng.randrange(7, 19):02d}:{ctx.rng.randrange(60):02d}:00 +0100",
        f"Subject: {subject}",
        f"Message-ID: <{ctx.rng.randrange(10**9, 10**10)}.{ctx.rng.randrange(10**5)}@mail.{ctx.rng.choice(['corp', 'intra', 'example'])}.net>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
    ]
    return "\n".join(hdr) + "\n\n" + body.strip() + "\n"


def chat(ctx: Ctx, people: Sequence[str], lines: Sequence[tuple[int, str]], style: str = "slack") -> str:
    """A chat export; each line is (speaker index, message)."""
    h, m = ctx.rng.randrange(8, 17), ctx.rng.randrange(60)
    out = []
    for who, msg in lines:
        m += ctx.rng.randrange(1, 6)
        h, m = h + m // 60, m % 60
        name = people[who % len(people)]
        if style == "slack":
            out.append(f"[{h:02d}:{m:02d}] {name}: {msg}")
        elif style == "teams":
            out.append(f"{name}  {h:02d}:{m:02d}\n{msg}\n")
        else:  # whatsapp
            d = ctx.day()
            out.append(f"{d:%d/%m/%Y}, {h:02d}:{m:02d} - {name}: {msg}")
    return "\n".join(out) + "\n"


def to_csv(header: Sequence[str], rows: Sequence[Sequence[object]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def to_json(obj: object, indent: int | None = 2) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent) + "\n"


_OCR_SWAPS = {"l": "1", "O": "0", "I": "l", "e": "c", "rn": "m", "m": "rn", "S": "5", "B": "8", "a": "o"}


def ocr_noise(rng: random.Random, text: str, rate: float = 0.04) -> str:
    """Scanner damage on words only: letter swaps, split words, stray marks. Digits are never touched, so
    the ids in an OCR dump stay the ids they were."""
    out = []
    for line in text.split("\n"):
        words = []
        for w in line.split(" "):
            if w and not any(c.isdigit() for c in w) and "<" not in w and rng.random() < rate * 4:
                for a, b in _OCR_SWAPS.items():
                    if a in w and rng.random() < 0.5:
                        w = w.replace(a, b, 1)
                        break
                if len(w) > 6 and rng.random() < 0.2:
                    cut = rng.randrange(2, len(w) - 2)
                    w = w[:cut] + "- " + w[cut:]
            words.append(w)
        line = " ".join(words)
        if rng.random() < rate:
            line += rng.choice([" ~", " '", " ,", " |"])
        out.append(line)
    return "\n".join(out)


def fmt_date(d: date, lang: str) -> str:
    if lang in ("en",):
        return f"{d:%d %B %Y}"
    if lang in ("ja", "zh"):
        return f"{d.year}年{d.month}月{d.day}日"
    if lang == "ko":
        return f"{d.year}년 {d.month}월 {d.day}일"
    if lang in ("de", "cs", "pl", "fi", "tr", "hu", "ro", "uk", "da", "no"):
        return f"{d:%d.%m.%Y}"
    if lang in ("sv", "hu"):
        return f"{d:%Y-%m-%d}"
    return f"{d:%d/%m/%Y}"


def amount(n: int, lang: str, cur: str) -> str:
    """A sum as people of the language write it."""
    s = f"{n:,}"
    if lang in ("de", "nl", "da", "id", "it", "pt", "es", "tr", "ro", "el", "vi"):
        s = s.replace(",", ".")
    elif lang in ("fr", "sv", "fi", "cs", "pl", "hu", "uk", "no"):
        s = s.replace(",", "\u00a0")
    if lang in ("en", "ja", "zh", "ko", "hi", "ar"):
        return f"{cur} {s}" if len(cur) > 1 else f"{cur}{s}"
    return f"{s} {cur}"
