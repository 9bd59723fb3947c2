"""Held-out corpus H for the sensitivity classifier (issue 18), written without reading the classifier.

How it was written: from the manifests and generators of sets A-G only (tests/eval/heldout*_templates.py,
heldout4/5/6/7 MANIFEST.json and their generator code), never from worker/classifier/, docs/classifier.md,
configs/classifier* or any misses/first-run notes, and without running the classifier on H. It reuses set F's
build (heldout6/doc.py) and heldout4's ids helpers and LaterSet. Its kinds, formats and languages are in none
of sets A-G:

- six new languages (af gl sr kk fo mn), with names, towns and sentences written for this set (h_lang.py),
  each with an identifier no earlier set used (h_ids.py: Namibian identity number, Spanish bank account CCC
  validated by stdnum es.ccc, Serbian JMBG, Kazakh IIN, Faroese P-tal, Mongolian register number; with their
  published check digits where they have one);
- new containers: Hugo/Jekyll pages with YAML front matter, "SMS Backup & Restore" XML, AsciiDoc,
  reStructuredText and Jira wiki markup notes, WireGuard configs, .pypirc, ~/.git-credentials, Windows .reg
  exports, DICOM header dumps (dcmdump) and OFX bank files (statements and security lists);
- sensitive domains no earlier set named: sexual-harassment complaints, protection orders (a victim's shelter
  address), HIV status, whistleblower identity; plus biopsy results by SMS, imaging history in DICOM headers,
  personal bank statements in OFX, VPN private keys, package-index upload tokens, git tokens, auto-logon
  passwords;
- a look-alike negative for every sensitive kind, in the same format: a public event page, public service SMS
  alerts, harassment and whistleblowing policies, a helpline notice, HIV-testing statistics, a WireGuard config
  that reads its key from a file (peers' public keys only), a keyring-backed .pypirc, a gitconfig naming a
  credential helper, a .reg that removes the stored password, a de-identified phantom scan, OFX public prices.

MANIFEST.json is frozen and committed before the classifier first runs on it. Do not tune on set H.

    python -m tests.eval.heldout8 --set H            # figures, misses by id, kind, language and reasons
    python -m tests.eval.heldout8 --set H --write DIR  # the corpus as JSONL, for reading
"""
