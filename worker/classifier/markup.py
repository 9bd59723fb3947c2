"""Document markup the detectors cannot read through, reduced to its text before detection.

RTF spells every non-ASCII letter as a control word ("\\u1060?" is "Ф", "\\'e9" is "é") and ends lines
with "\\par"; LaTeX wraps values in commands ("\\texttt{160343167790}") and puts a label and its value
in two table cells ("ИНН & 1603... \\\\"). A label-led identifier there is invisible to rules written
for "label: value" (issue 18, set F: RTF letters and LaTeX sheets with ids). Both reductions are one
linear pass; the count of what was reduced is reported (`normalised:rtf x…`, `normalised:latex x…`).
"""

from __future__ import annotations

import re

# One RTF token: a control word with its optional numeric parameter and delimiting space, a hex byte,
# a control symbol, a brace, or a run of plain text.
_RTF_TOKEN = re.compile(
    r"\\([a-z]{1,32})(-?[0-9]{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}]+)", re.S
)
# Groups whose content is not document text (font and colour tables, metadata, pictures).
_RTF_SKIP = frozenset(
    {"fonttbl", "colortbl", "stylesheet", "info", "pict", "themedata", "colorschememapping", "latentstyles",
     "datastore", "xmlnstbl", "listtable", "listoverridetable", "rsidtbl", "generator", "header", "footer"}
)  # fmt: skip
_RTF_BREAKS = {"par": "\n", "line": "\n", "row": "\n", "sect": "\n", "page": "\n", "tab": "\t", "cell": "\t"}


def is_rtf(text: str) -> bool:
    return text.lstrip()[:5] == "{\\rtf"


def strip_rtf(text: str) -> tuple[str, int]:
    """The text of an RTF document, and how many control words were read."""
    out: list[str] = []
    skip_depth = 0  # > 0 while inside a group that holds no text, at that group's depth
    depth = 0
    group_start = False  # the previous token opened a group: its first control word names it
    skip_chars = 0  # characters after \uN that stand in for readers without Unicode (\uc1: one)
    controls = 0
    for match in _RTF_TOKEN.finditer(text):
        word, param, hex_byte, symbol, brace, plain = match.groups()
        opened = group_start
        group_start = False
        if brace == "{":
            depth += 1
            group_start = True
            continue
        if brace == "}":
            if skip_depth and depth == skip_depth:
                skip_depth = 0
            depth = max(0, depth - 1)
            continue
        if word is not None:
            controls += 1
            if opened and word in _RTF_SKIP and not skip_depth:
                skip_depth = depth
            elif word == "u" and param is not None and not skip_depth:
                code = int(param)
                out.append(chr(code + 65536 if code < 0 else code))
                skip_chars = 1
            elif word in _RTF_BREAKS and not skip_depth:
                out.append(_RTF_BREAKS[word])
            continue
        if symbol is not None:
            if symbol == "*" and opened and not skip_depth:
                skip_depth = depth  # {\* ...}: an optional destination, not text
            elif symbol in "\\{}" and not skip_depth:
                out.append(symbol)
            elif symbol == "~" and not skip_depth:
                out.append(" ")
            continue
        if skip_depth:
            continue
        if hex_byte is not None:
            if skip_chars:
                skip_chars -= 1
                continue
            out.append(bytes([int(hex_byte, 16)]).decode("cp1252", "replace"))
            continue
        if plain:
            if skip_chars:
                plain = plain[1:]
                skip_chars = 0
            out.append(plain.replace("\r", "").replace("\n", ""))
    return "".join(out), controls


_LATEX_MARK = re.compile(r"\\(?:documentclass|begin\{(?:document|tabular|table|longtable|tabularx))")
# A control sequence with its optional [..] argument, a row end, a cell separator, braces, a tie.
_LATEX_TOKEN = re.compile(
    r"\\\\(?:\[[^\]\n]{0,20}\])?|\\[A-Za-z]+\*?(?:\[[^\]\n]{0,80}\])?|\\[%&$#_ ]|[ \t]*&|[{}~]"
)


def is_latex(text: str) -> bool:
    return "\\" in text and _LATEX_MARK.search(text, 0, 4096) is not None


def strip_latex(text: str) -> tuple[str, int]:
    """LaTeX with its commands and braces removed, rows on their own lines and a cell's value after its
    label as "label: value"; and how many commands were removed."""
    count = 0

    def token(match: re.Match[str]) -> str:
        nonlocal count
        tok = match.group()
        if tok.startswith("\\\\"):
            return "\n"
        if tok.endswith("&"):
            return ":"
        if tok == "~":
            return " "
        if tok[0] == "\\":
            count += 1
            return tok[1] if len(tok) == 2 and not tok[1].isalpha() else ""
        return ""

    return _LATEX_TOKEN.sub(token, text), count
