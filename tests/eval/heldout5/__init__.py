"""Held-out corpus E for the sensitivity classifier (issue 18), written without reading the classifier.

Its kinds, formats and languages are in neither set C nor set D (tests/eval/heldout4): twelve new
languages (bg hr sk lt lv et he th sw fa tl sl) with each country's personal id (stdnum-validated where
the format has a check digit) in YAML, XML, TSV, Excel CSV with BOM, JSON lines, e-mail, chat, line-broken
PDF text and Markdown tables; GDPR special categories and pay tied to a named person with no id; secrets in
.npmrc, kubeconfig, JWT-bearing logs, chat, terminal dumps, .netrc and docker config.json; and look-alike
negatives in the same formats. MANIFEST.json was frozen and committed before the classifier first ran on
it; E_FIRST_RUN.md holds that first run. Do not tune on set E.

    python -m tests.eval.heldout5 --set E            # figures, misses by id, kind, language and reasons
    python -m tests.eval.heldout5 --set E --write DIR  # the corpus as JSONL, for reading
"""
