"""Set H's language documents in formats no earlier set used: Hugo/Jekyll pages with YAML front matter,
"SMS Backup & Restore" XML exports, and special-category case notes as AsciiDoc, reStructuredText or Jira
wiki markup; each sensitive kind has a look-alike in the same format that is about nobody."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from .doc import Ctx, Gen, Out
from .h_ids import ID_OF
from .h_lang import CITIES, NAMES, T

_PHONE = {"af": "+27 82", "gl": "+34 6", "sr": "+381 6", "kk": "+7 70", "fo": "+298 2", "mn": "+976 9"}


def name(ctx: Ctx) -> str:
    first, last = NAMES[ctx.lang]
    return f"{ctx.pick(first)} {ctx.pick(last)}"


def city(ctx: Ctx) -> str:
    return ctx.pick(CITIES[ctx.lang])


def _date(ctx: Ctx, lo: int = 2025, hi: int = 2026) -> str:
    d = ctx.day(lo, hi)
    return (
        f"{d.day:02d}.{d.month:02d}.{d.year}"
        if ctx.lang in ("sr", "kk", "fo", "mn")
        else f"{d.day:02d}/{d.month:02d}/{d.year}"
    )


def fill(ctx: Ctx, key: str) -> str:
    return T[ctx.lang][key].format(
        name=name(ctx),
        dob=_date(ctx, 1956, 2004),
        date=_date(ctx),
        city=city(ctx),
        year=str(ctx.rng.randrange(2020, 2027)),
        ref=f"{ctx.rng.choice('KPVZ')}-{ctx.rng.randrange(2024, 2027)}/{ctx.rng.randrange(10, 999):03d}",
    )


# ---- pages with YAML front matter ------------------------------------------------------------------------
def frontmatter_staff(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    who = name(ctx)
    slug = (
        "".join(c for c in who.lower().replace(" ", "-") if c.isascii() and (c.isalnum() or c == "-")) or "p"
    )
    text = (
        "---\n"
        f'title: "{t["title"]}: {who}"\n'
        f"date: {ctx.day(2025, 2026).isoformat()}\n"
        "draft: true\n"
        f"slug: {slug}-{ctx.rng.randrange(100, 999)}\n"
        "params:\n"
        f'  {t["name"]}: "{who}"\n'
        f'  {t["dob"]}: "{_date(ctx, 1956, 2004)}"\n'
        f'  {t["idl"]}: "{ID_OF[ctx.lang](ctx.rng)}"\n'
        f'  {t["town"]}: "{city(ctx)}"\n'
        "---\n\n"
        f"{t['title']}\n"
    )
    return Out(text, "a draft page whose front matter holds a named person's id and birth date", "md")


def frontmatter_event(ctx: Ctx) -> Out:
    t = T[ctx.lang]
    text = (
        "---\n"
        f'title: "{fill(ctx, "n_evt").split(":")[0]}"\n'
        f"date: {ctx.day(2025, 2026).isoformat()}\n"
        "draft: false\n"
        f"slug: event-{ctx.rng.randrange(100, 999)}\n"
        "params:\n"
        f'  {t["town"]}: "{city(ctx)}"\n'
        f'  {t["year"]}: "{ctx.rng.randrange(2025, 2027)}"\n'
        f'  {t["count"]}: "{ctx.rng.randrange(40, 900)}"\n'
        "---\n\n"
        f"{fill(ctx, 'n_evt')}\n"
    )
    return Out(text, "a published event page with front matter about a place and a date", "md")


# ---- SMS Backup & Restore exports ------------------------------------------------------------------------
def _sms_xml(ctx: Ctx, bodies: list[str], sender: str, contact: str) -> str:
    ms = 1_735_689_600_000 + ctx.rng.randrange(0, 40_000_000) * 1000
    rows = []
    for body in bodies:
        ms += ctx.rng.randrange(60, 90_000) * 1000
        rows.append(
            f'  <sms protocol="0" address={quoteattr(sender)} date="{ms}" type="1" subject="null" '
            f'body={quoteattr(body)} toa="null" sc_toa="null" service_center="null" read="1" status="-1" '
            f'locked="0" contact_name={quoteattr(contact)} />'
        )
    head = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
    return (
        f'{head}<smses count="{len(rows)}" backup_set="{ctx.rng.getrandbits(64):016x}">\n'
        + "\n".join(rows)
        + "\n</smses>\n"
    )


def sms_clinic_result(ctx: Ctx) -> Out:
    bodies = [fill(ctx, "s_sms")]
    if ctx.k % 2:
        bodies.insert(0, fill(ctx, "n_sms"))
    sender = f"{_PHONE[ctx.lang]}{ctx.rng.randrange(1000000, 9999999)}"
    return Out(
        _sms_xml(ctx, bodies, sender, "(Unknown)"), "an SMS export with a named person's biopsy result", "xml"
    )


def sms_public_alert(ctx: Ctx) -> Out:
    bodies = [fill(ctx, "n_sms"), fill(ctx, "n_evt")][: 1 + ctx.k % 2]
    return Out(
        _sms_xml(ctx, bodies, city(ctx)[:11], "(Unknown)"), "an SMS export of public service alerts", "xml"
    )


# ---- special-category case notes in AsciiDoc, reStructuredText or Jira wiki markup -----------------------
def _note(key: str, why: str) -> Gen:
    def gen(ctx: Ctx) -> Out:
        t = T[ctx.lang]
        head = f"{t['town']}: {city(ctx)}"  # the same neutral heading for both labels
        body = fill(ctx, key)
        form = ctx.variant(["adoc", "rst", "jira"])
        if form == "adoc":
            text = f"= {head}\n:revdate: {ctx.day(2025, 2026).isoformat()}\n\n{body}\n"
        elif form == "rst":
            text = f"{head}\n{'=' * len(head)}\n\n:Date: {ctx.day(2025, 2026).isoformat()}\n\n{body}\n"
        else:
            text = f"h2. {head}\n\n{{panel}}\n{body}\n{{panel}}\n"
        return Out(text, why, "txt" if form == "jira" else form)

    return gen


SPECIAL_S = {
    "harassment_complaint_named": _note("s_har", "a named complainant's sexual-harassment complaint"),
    "protection_order_named": _note("s_dv", "a protection order naming the victim and her shelter"),
    "hiv_status_named": _note("s_hiv", "a named patient's HIV-positive result"),
    "whistleblower_identity": _note("s_wb", "the identity of a protected whistleblower"),
}
SPECIAL_N = {
    "harassment_policy": _note("n_har", "an anti-harassment policy about nobody"),
    "violence_helpline_info": _note("n_dv", "public domestic-violence helpline information"),
    "hiv_testing_statistics": _note("n_hiv", "public HIV-testing campaign figures"),
    "whistleblowing_channel_policy": _note("n_wb", "a whistleblowing-channel policy"),
}
CATEGORY = {
    "harassment_complaint_named": "workplace_complaint",
    "protection_order_named": "victim_protection",
    "hiv_status_named": "health_hiv",
    "whistleblower_identity": "whistleblower",
}
