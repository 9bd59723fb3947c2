"""Held-out corpus I for the sensitivity classifier (issue 18), written without reading the classifier.

How it was written: from the package structure of sets G and H (heldout7/8 generator code, heldout4's
LaterSet) and the kind and language names in the heldout4-8 manifests only, never from worker/,
docs/classifier.md or any first-run/misses notes, and without running the classifier on I. It reuses set F's
build (heldout6/doc.py) and heldout4's ids helpers and LaterSet. Its kinds, formats and languages are in none
of sets A-H:

- seven new languages (am km si te ky so yo), with names, towns and sentences written for this set
  (i_lang_a.py, i_lang_b.py; local date styles, currencies and phone prefixes in i_lang.py), each with an
  identifier no earlier set used (i_ids.py: Ethiopian Fayda FIN with a Verhoeff digit, Cambodian identity card,
  Sri Lankan 12-digit NIC, Aadhaar Virtual ID validated by stdnum in_.vid, Kyrgyz ПИН, Kenyan identity card
  for Somali speakers in northern Kenya, Nigerian NIN);
- new containers: UBL 2.1 invoices, Excel 2003 XML (SpreadsheetML), Telegram Desktop JSON exports, PBX
  voicemail-transcription e-mails, iCalendar invites and Markdown minutes for special-category notes,
  rclone.conf, Terraform .tfvars, Ansible INI inventories, Android keystore.properties, MySQL ~/.my.cnf,
  GEDCOM family trees and ISO 20022 camt.053 statements;
- sensitive topics no earlier set named: ethnic origin disclosed in confidence, involuntary psychiatric
  admission, gender transition (with the former name), wage garnishment for a debt, a child's adoption
  history; plus invoices to private buyers with their ids, payroll sheets, a private bank statement, and
  cloud, inventory, signing and database passwords;
- a look-alike negative for every sensitive kind, in the same format: company-to-company invoices, per-town
  statistics, census tables, an awareness-week notice, an equal-opportunities policy, a debt-advice clinic,
  env_auth/key-file rclone, sizing-only tfvars, key-auth inventories with vault references, signing from the
  environment, socket-auth my.cnf, a published 18th/19th-century lineage, a camt.053 guide sample marked as
  test data.

MANIFEST.json is frozen and committed before the classifier first runs on it. Do not tune on set I.

    python -m tests.eval.heldout9 --set I            # figures, misses by id, kind, language and reasons
    python -m tests.eval.heldout9 --set I --write DIR  # the corpus as JSONL, for reading
"""
