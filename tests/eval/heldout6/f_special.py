"""Set F, special-category facts about a named person with no identifier (precise whereabouts, a child in
care, debt and wage garnishment, a genetic test result, an undisclosed pregnancy), each in a short note, and
look-alikes: the same topics as public facts, statistics and policy."""

from __future__ import annotations

from .doc import Ctx, Gen, Out
from .f_forms import _fill
from .f_lang import T


def _note(key: str, why: str, sensitive: bool) -> tuple[str, Gen]:
    def gen(ctx: Ctx) -> Out:
        t = T[ctx.lang]
        text = _fill(ctx, t[key])
        if sensitive:
            head = ctx.variant([f"{t['subj']}\n\n", "", f"— {ctx.name()}:\n"])
        else:
            head = ctx.variant(["", "# ", "> "])
        return Out(head + text + "\n", why, ctx.variant(["txt", "md", "note"]))

    return key, gen


SENSITIVE = dict(
    (k.replace("s_", "") + "_person", g)
    for k, g in (
        _note("s_geo", "a named person's daily whereabouts", True),
        _note("s_child", "a named person's child in state care", True),
        _note("s_debt", "a named person's debt and garnished wages", True),
        _note("s_bio", "a named person's genetic test result", True),
        _note("s_preg", "a named person's undisclosed pregnancy", True),
    )
)

NEGATIVE = dict(
    (k.replace("n_", "") + "_public_info", g)
    for k, g in (
        _note("n_geo", "public transport information", False),
        _note("n_child", "child-protection statistics", False),
        _note("n_debt", "household-debt statistics and advice", False),
        _note("n_bio", "genetic-testing guidance", False),
        _note("n_preg", "parental-leave policy", False),
    )
)

CATEGORY = {
    "geo_person": "precise_geolocation",
    "child_person": "childrens_data",
    "debt_person": "financial_hardship",
    "bio_person": "genetic",
    "preg_person": "health_pregnancy",
}
