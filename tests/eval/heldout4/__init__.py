"""Held-out corpora C and D for the sensitivity classifier, written independently of it (issue 18).

C is the tuning set: its misses may be studied and fixed. D is sealed: its kinds, formats and languages
differ in part from C, and it is evaluated, never tuned on; if you are working on the classifier, do not
read set_d.py or the d_*.py modules. Both are generated from fixed seeds with Faker (many locales) and
python-stdnum (every id passes its own check digits); MANIFEST.json holds their counts and sha256, frozen
before the classifier first ran on them.

    python -m tests.eval.heldout4 --set C            # figures, misses by id, kind, language and reasons
    python -m tests.eval.heldout4 --set D --json     # the same as JSON
    python -m tests.eval.heldout4 --set C --write DIR  # the corpus as JSONL, for reading
"""
