"""The four containers set I's special-category notes come in, the same for both labels so that only the
sentence tells a sensitive note from its look-alike: a Telegram Desktop JSON export (result.json), a PBX
voicemail-transcription e-mail, an iCalendar invite (RFC 5545, lines folded at 75 octets) and Markdown
meeting minutes. Each takes the language's labels, the sentence, a town, a phone number and a sender."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from .doc import Ctx

Container = Callable[[Ctx, Mapping[str, str], str, str, str, str], tuple[str, str]]


def _when(ctx: Ctx) -> datetime:
    d = ctx.day(2025, 2026)
    return datetime(
        d.year, d.month, d.day, ctx.rng.randrange(7, 20), ctx.rng.randrange(60), ctx.rng.randrange(60)
    )


def telegram_export(
    ctx: Ctx, t: Mapping[str, str], sentence: str, town: str, tel: str, sender: str
) -> tuple[str, str]:
    at = _when(ctx)
    uid = ctx.rng.randrange(10**8, 10**10)
    first_id = ctx.rng.randrange(1000, 90_000)
    msgs = []
    for n, text in enumerate((t["hello"], sentence)):
        stamp = at + timedelta(seconds=40 * n + ctx.rng.randrange(5, 30))
        msgs.append(
            {
                "id": first_id + n,
                "type": "message",
                "date": stamp.isoformat(),
                "date_unixtime": str(int((stamp - datetime(1970, 1, 1)).total_seconds())),
                "from": sender,
                "from_id": f"user{uid}",
                "text": text,
                "text_entities": [{"type": "plain", "text": text}],
            }
        )
    chat = {
        "name": f"{t['meeting']} · {town}",
        "type": "private_group",
        "id": ctx.rng.randrange(10**9, 10**10),
    }
    return json.dumps({**chat, "messages": msgs}, ensure_ascii=False, indent=1) + "\n", "json"


def voicemail_mail(
    ctx: Ctx, t: Mapping[str, str], sentence: str, town: str, tel: str, sender: str
) -> tuple[str, str]:
    at = _when(ctx)
    secs = ctx.rng.randrange(18, 170)
    text = (
        "From: Voicemail <voicemail@pbx.office.example>\n"
        f"Date: {at.strftime('%a, %d %b %Y %H:%M:%S')} +0000\n"
        f"Subject: New voicemail from {tel} ({secs // 60}:{secs % 60:02d})\n"
        "Content-Type: text/plain; charset=UTF-8\n\n"
        f"Caller: {tel}\nMailbox: {ctx.rng.randrange(200, 899)}\nDuration: {secs // 60}:{secs % 60:02d}\n"
        f"Transcription ({ctx.lang}, automatic, may contain errors):\n\n"
        f"{t['hello']} {sentence}\n\n-- \nVoicemail to e-mail, {town} office\n"
    )
    return text, "eml"


def _fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets continue on the next line after a space. Folds fall between
    characters and never before a combining mark or after a virama, so a Yoruba tone mark, a Sinhala vowel
    sign or a Khmer subscript consonant stays with its letter (the standard allows either)."""
    clusters: list[str] = []
    for ch in line:
        joins = unicodedata.category(ch).startswith("M") or ch in "\u200c\u200d"
        after_virama = bool(clusters) and unicodedata.combining(clusters[-1][-1]) == 9
        if clusters and (joins or after_virama):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    out, cur, limit = [], b"", 75
    for c in clusters:
        b = c.encode()
        if len(cur) + len(b) > limit:
            out.append(cur.decode())
            cur, limit = b"", 74
        cur += b
    out.append(cur.decode())
    return "\r\n ".join(out)


def _ics_text(s: str) -> str:
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics_invite(
    ctx: Ctx, t: Mapping[str, str], sentence: str, town: str, tel: str, sender: str
) -> tuple[str, str]:
    at = _when(ctx)
    end = at + timedelta(minutes=ctx.rng.choice([30, 45, 60]))
    fmt = "%Y%m%dT%H%M%S"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Turnout eval//set I//EN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{ctx.rng.getrandbits(64):016x}@calendar.office.example",
        f"DTSTAMP:{at.strftime(fmt)}Z",
        f"DTSTART:{at.strftime(fmt)}",
        f"DTEND:{end.strftime(fmt)}",
        f"SUMMARY:{_ics_text(t['meeting'])} – {_ics_text(town)}",
        f"LOCATION:{_ics_text(town)}",
        f"ORGANIZER;CN={sender}:mailto:office{ctx.rng.randrange(10, 99)}@office.example",
        f"DESCRIPTION:{_ics_text(sentence)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(x) for x in lines) + "\r\n", "ics"


def md_minutes(
    ctx: Ctx, t: Mapping[str, str], sentence: str, town: str, tel: str, sender: str
) -> tuple[str, str]:
    at = _when(ctx)
    n = ctx.rng.randrange(3, 12)
    text = (
        f"# {t['minutes']} — {town}, {at.date().isoformat()}\n\n"
        f"**{t['present']}:** {n}\n\n"
        f"## {t['agenda']} {ctx.rng.randrange(1, 6)}\n\n{sentence}\n\n"
        "| # | Action | Due |\n|---|--------|-----|\n"
        f"| 1 | {t['meeting']} | {(at + timedelta(days=ctx.rng.randrange(7, 30))).date().isoformat()} |\n"
    )
    return text, "md"


CONTAINERS: tuple[Container, ...] = (telegram_export, voicemail_mail, ics_invite, md_minutes)
