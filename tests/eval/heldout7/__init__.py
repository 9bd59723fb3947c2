"""Held-out corpus G for the sensitivity classifier (issue 18), written without reading the classifier.

How it was written: from the manifests and templates of sets A-F only (tests/eval/heldout*_templates.py,
heldout4/5/6 MANIFEST.json), never from worker/classifier/, docs/classifier.md, configs/classifier* or any
misses/first-run notes, and without running the classifier on G. Its kinds, formats and languages are in none
of sets A-F:

- eight new languages (ca eu cy ms ur lb mt uz), with names and towns written for this set (g_lang.py), each
  with a personal-id format no earlier set used (g_ids.py: Andorran NRT, Spanish social-security affiliation
  number, UK UTR, Malaysian MyKad, Pakistani CNIC, Luxembourg matricule, Maltese id card, Uzbek PINFL;
  stdnum-validated or with their published check digits where they have one);
- new containers: Teams-style meeting transcripts, schema.org JSON-LD, pipe-separated exports, RFC 5424
  syslog, org-mode notes, HAR captures, Postman collections, s3cmd .s3cfg, TOML service configs, sudo logs,
  UN/EDIFACT PAXLST and DESADV, ISO 20022 pain.001;
- special categories no earlier set named: biometric enrolment, disability, political party membership,
  addiction treatment; and travel documents (passenger manifests) and salary runs with IBANs;
- a look-alike negative for every sensitive kind, in the same format: public webinars, public JSON-LD events,
  per-town statistics, the same syslog import with counts only, access-card policy, disability and election
  statistics, static-asset HAR, Postman {{variables}}, a documented .s3cfg template, TOML reading
  ${ENV}/secret files, sudo lines without credentials, a goods despatch advice, a supplier payment run.

MANIFEST.json is frozen and committed before the classifier first runs on it. Do not tune on set G.

    python -m tests.eval.heldout7 --set G            # figures, misses by id, kind, language and reasons
    python -m tests.eval.heldout7 --set G --write DIR  # the corpus as JSONL, for reading
"""
