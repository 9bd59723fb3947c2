"""Held-out corpus F for the sensitivity classifier (issue 18), written without reading the classifier.

Its kinds, formats and languages are in none of sets C, D (tests/eval/heldout4) and E (tests/eval/heldout5):
twelve new languages (ru is ga sq az mk ka hy ne bn ta zu), each with a personal-id format no earlier set
used (stdnum-validated where the format has a check digit), in WhatsApp exports, RTF letters, LaTeX sources,
protobuf text format, fixed-width reports, mbox threads and GraphQL responses; special categories with no id
(whereabouts, children in care, debt, genetic results, pregnancy); secrets in AWS credentials files, GCP
service-account keys, Azure appsettings, .pgpass, JDBC .properties, CI webhook URLs, Windows event XML and a
Vault token in shell history; an X12 834 enrolment; and look-alike negatives in the same formats.
MANIFEST.json is frozen and committed before the classifier first runs on it. Do not tune on set F.

    python -m tests.eval.heldout6 --set F            # figures, misses by id, kind, language and reasons
    python -m tests.eval.heldout6 --set F --write DIR  # the corpus as JSONL, for reading
"""
