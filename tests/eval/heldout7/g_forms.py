"""Set G's language documents in formats no earlier set used: Teams-style meeting transcripts, schema.org
JSON-LD, pipe-separated exports, RFC 5424 syslog lines, and special-category notes as plain text, Markdown
or Emacs org-mode; each sensitive kind has a look-alike in the same format that is about nobody."""

from __future__ import annotations

import json

from .doc import Ctx, Gen, Out
from .g_ids import ID_OF
from .g_lang import CITIES, NAMES, T


def name(ctx: Ctx) -> str:
    first, last = NAMES[ctx.lang]
    return f"{ctx.pick(first)} {ctx.pick(last)}"


def city(ctx: Ctx) -> str:
    return ctx.pick(CITIES[ctx.lang])


def dob(ctx: Ctx) -> str:
    d = ctx.day(1955, 2003)
    sep = "." if ctx.lang in ("lb", "uz") else "/"
    return f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}"


def fill(ctx: Ctx, key: str, **kw: str) -> str:
    base = dict(
        name=name(ctx),
        id=ID_OF[ctx.lang](ctx.rng),
        dob=dob(ctx),
        city=city(ctx),
        year=str(ctx.rng.randrange(2019, 2026)),
        ref=f"BT-{ctx.rng.randrange(10000, 99999)}",
    )
    base.update(kw)
    return T[ctx.lang][key].format(**base)


def _stamp(ctx: Ctx) -> str:
    d = ctx.day(2025, 2026)
    return f"{d.isoformat()}T{ctx.rng.randrange(7, 19):02d}:{ctx.rng.randrange(60):02d}:{ctx.rng.randrange(60):02d}Z"


def _transcript(ctx: Ctx, lines: list[tuple[str, str]]) -> str:
    out = [f"Transcript\n{ctx.day(2025, 2026).isoformat()}\n"]
    sec = ctx.rng.randrange(2, 40)
    for who, said in lines:
        out.append(f"{who}   {sec // 60}:{sec % 60:02d}\n{said}\n")
        sec += ctx.rng.randrange(8, 70)
    return "\n".join(out)


def transcript_id(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    hr, other = f"{name(ctx)} ({t['speaker']})", name(ctx)
    lines = [(hr, t["subj"] + "."), (hr, fill(ctx, "s_share")), (other, fill(ctx, "n_web"))]
    return Out(_transcript(ctx, lines), "a meeting transcript dictating a named person's national id", "txt")


def transcript_webinar(ctx: Ctx) -> Out:
    host = name(ctx)
    lines = [(host, fill(ctx, "n_web")), (host, fill(ctx, "n_pol")), (name(ctx), fill(ctx, "n_dis"))]
    return Out(
        _transcript(ctx, lines), "a public webinar transcript: deadlines and published statistics", "txt"
    )


def jsonld_person(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    d = dob(ctx).replace(".", "/").split("/")
    doc = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": name(ctx),
        "birthDate": f"{d[2]}-{d[1]}-{d[0]}",
        "identifier": {"@type": "PropertyValue", "propertyID": t["idl"], "value": ID_OF[ctx.lang](ctx.rng)},
        "address": {"@type": "PostalAddress", "addressLocality": city(ctx)},
        "description": t["subj"],
    }
    return Out(
        json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "JSON-LD Person with a national id", "jsonld"
    )


def jsonld_event(ctx: Ctx) -> Out:
    d = ctx.day(2025, 2026)
    doc = {
        "@context": "https://schema.org",
        "@type": ctx.variant(["Event", "GovernmentService", "Dataset"]),
        "name": fill(ctx, "n_web")[:60],
        "startDate": d.isoformat(),
        "location": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": city(ctx)}},
        "identifier": f"urn:uuid:{ctx.rng.getrandbits(128):032x}",
        "description": fill(ctx, "n_web"),
    }
    return Out(
        json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "JSON-LD public event or dataset", "jsonld"
    )


def pipe_export_ids(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    rows = [f"{t['name']}|{t['dob']}|{t['idl']}|{t['dept']}"]
    for _ in range(ctx.rng.randrange(3, 8)):
        rows.append(
            f"{name(ctx)}|{dob(ctx)}|{ID_OF[ctx.lang](ctx.rng)}|{ctx.pick(['IT', 'QA', 'R&D', 'Ops'])}"
        )
    return Out("\n".join(rows) + "\n", "pipe-separated export of named people with national ids", "psv")


def pipe_stats(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    rows = [f"{t['town']}|{t['year']}|{t['count']}|%"]
    for c in CITIES[ctx.lang][: ctx.rng.randrange(3, 8)]:
        rows.append(
            f"{c}|{ctx.rng.randrange(2019, 2026)}|{ctx.rng.randrange(1000, 90000)}|{ctx.rng.randrange(1, 99)},{ctx.rng.randrange(10)}"
        )
    return Out("\n".join(rows) + "\n", "pipe-separated public statistics per town", "psv")


def _syslog(ctx: Ctx, app: str, msgs: list[str]) -> str:
    host = ctx.pick(["hr-app-01", "payroll-02", "intranet-web", "batch-03"])
    pid = ctx.rng.randrange(900, 40000)
    return "".join(f"<134>1 {_stamp(ctx)} {host} {app} {pid} - - {m}\n" for m in msgs)


def syslog_app_ids(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    msgs = ["import started"]
    for _ in range(ctx.rng.randrange(1, 4)):
        msgs.append(
            f'{t["subj"]}: {t["name"]}="{name(ctx)}" {t["dob"]}="{dob(ctx)}" {t["idl"]}="{ID_OF[ctx.lang](ctx.rng)}"'
        )
    msgs.append("import finished")
    return Out(_syslog(ctx, "hr-import", msgs), "syslog lines that log named people's national ids", "log")


def syslog_app_ops(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    n = ctx.rng.randrange(20, 900)
    msgs = [
        "import started",
        f"{t['subj']}: {t['count']}={n} errors=0",
        f'{t["town"]}="{city(ctx)}" status=ok',
        "import finished",
    ]
    return Out(_syslog(ctx, "hr-import", msgs), "syslog lines of the same import with counts only", "log")


def _note(key: str, why: str, sensitive: bool) -> Gen:
    def gen(ctx: Ctx) -> Out:
        t = T[ctx.lang]
        body = fill(ctx, key)
        form = ctx.variant(["txt", "md", "org"])
        if form == "md":
            text = f"## {t['subj'] if sensitive else t['town']}\n\n- {body}\n"
        elif form == "org":
            text = f"* {t['subj'] if sensitive else t['year']}\n  :PROPERTIES:\n  :CREATED: {ctx.day().isoformat()}\n  :END:\n  {body}\n"
        else:
            text = body + "\n"
        return Out(text, why, form)

    return gen


SPECIAL_S = {
    "biometric_enrolled_person": _note("s_bio", "a named person's fingerprint enrolment", True),
    "disability_person": _note("s_dis", "a named person's disability and diagnosis", True),
    "party_member_person": _note("s_pol", "a named person's political party membership", True),
    "addiction_treatment_person": _note("s_add", "a named person's addiction treatment", True),
}
SPECIAL_N = {
    "access_card_policy": _note("n_bio", "building access policy: no biometrics kept", False),
    "disability_statistics": _note("n_dis", "accessibility and disability statistics", False),
    "election_results_public": _note("n_pol", "public election turnout", False),
    "addiction_statistics": _note("n_add", "public addiction-service statistics", False),
}
CATEGORY = {
    "biometric_enrolled_person": "biometric",
    "disability_person": "health_disability",
    "party_member_person": "political_opinion",
    "addiction_treatment_person": "health_addiction",
}
