"""Set E, sensitivity without an identifier: a named person's diagnosis, pay, disciplinary outcome,
immigration status, criminal record, sexual orientation, union membership or religion (GDPR Art. 9/10 and
pay), in twelve languages and three wrappers (e-mail, memo, chat); and the look-alikes that say the same
kind of thing about nobody: statistics, published pay scales, procedures, news, a census."""

from __future__ import annotations

from collections.abc import Callable

from ..heldout4.shapes import chat, email, fmt_date
from .doc import Ctx, Gen, Out
from .e_forms import amt, city
from .e_lang import T


def _wrap(ctx: Ctx, text: str, subject: str) -> tuple[str, str]:
    who = ctx.name()
    style = ctx.variant(["email", "memo", "chat"])
    if style == "email":
        return email(ctx, ctx.email_of(who), ctx.email_of(ctx.name()), subject, f"{text}\n\n{who}"), "eml"
    if style == "memo":
        return f"{subject}\n{fmt_date(ctx.day(), ctx.lang)}\n\n{text}\n\n— {who}\n", "txt"
    return chat(
        ctx, [who, ctx.name()], [(0, text), (1, "ok")], ctx.variant(["slack", "whatsapp", "teams"])
    ), "txt"


def named(key: str, category: str) -> Gen:
    def gen(ctx: Ctx) -> Out:
        t = T[ctx.lang]
        name = ctx.name()
        text = t[key].format(name=name, amt=amt(ctx), year=ctx.rng.randrange(2015, 2026), city=city(ctx))
        body, ext = _wrap(ctx, text, name)
        return Out(body, f"{category} of a named person, no identifier", ext)

    return gen


def public(key: str, what: str) -> Gen:
    def gen(ctx: Ctx) -> Out:
        t = T[ctx.lang]
        text = t[key].format(amt=amt(ctx), year=ctx.rng.randrange(2015, 2026), city=city(ctx))
        style = ctx.variant(["news", "web", "email"])
        if style == "news":
            return Out(f"{city(ctx)} ({fmt_date(ctx.day(), ctx.lang)})\n\n{text}\n", what)
        if style == "web":
            return Out(f"<article>\n<h1>{ctx.company()}</h1>\n<p>{text}</p>\n</article>\n", what, "html")
        return Out(
            email(ctx, "news@agency.example", "subscribers@list.example", ctx.company(), text), what, "eml"
        )

    return gen


SENSITIVE: dict[str, Callable[[Ctx], Out]] = {
    "diagnosis_named": named("s_diag", "health"),
    "pay_raise_named": named("s_pay", "pay"),
    "disciplinary_named": named("s_disc", "employment/disciplinary"),
    "immigration_named": named("s_immig", "immigration status"),
    "criminal_named": named("s_crim", "criminal record"),
    "orientation_named": named("s_orient", "sexual orientation"),
    "union_named": named("s_union", "trade-union membership"),
    "religion_named": named("s_relig", "religious belief"),
}

NEGATIVE: dict[str, Callable[[Ctx], Out]] = {
    "health_statistics": public("n_health", "national health statistic"),
    "pay_scale_public": public("n_pay", "published pay scale"),
    "immigration_guide": public("n_immig", "how to apply for a residence permit"),
    "crime_statistics": public("n_crime", "police crime statistic"),
    "union_press": public("n_union", "union press statement (aggregate)"),
    "religion_census": public("n_census", "census on religion"),
    "lgbt_policy_news": public("n_lgbt", "parliament debate and opinion poll"),
    "disciplinary_policy": public("n_disc", "disciplinary procedure, no person"),
}
