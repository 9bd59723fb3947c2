"""Issue 19, row 2 (second review): special-category facts about a named person written in other languages
or other words (health, sexual orientation, immigration status), a private-key header split mid-word and
a key prefix spelled with Cyrillic look-alikes were tagged `public`. Each is now kept local; the look-alike
negatives (the same words about nobody in particular) stay public."""

from __future__ import annotations

import pytest

from worker.classifier import Classifier
from worker.schema import Sensitivity, Tags, TaskKind, TaskSpec

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)


def tags_for(classifier: Classifier, text: str) -> Tags:
    return classifier.classify(text, task=SUMMARIZE)


ABOUT_A_PERSON = [
    # French
    ("health_condition", "Jean Dupont est séropositif et suit une trithérapie depuis 2019."),
    ("health_condition", "Pierre Durand souffre d'une dépression sévère depuis l'hiver."),
    ("sexual_orientation", "Marie Martin est lesbienne, mais elle ne l'a dit à personne au bureau."),
    # Spanish
    ("health_condition", "La señora García padece depresión severa y toma sertralina."),
    ("sexual_orientation", "Carlos Ruiz es gay y no lo ha dicho al equipo."),
    # Italian
    ("health_condition", "Giulia Rossi è sieropositiva da due anni."),
    ("health_condition", "Marco Bianchi soffre di depressione e lavora da casa."),
    ("sexual_orientation", "Luca Ferri è gay, lo sanno solo i colleghi più stretti."),
    # Portuguese
    ("health_condition", "João Souza é soropositivo e faz tratamento."),
    ("health_condition", "Ana Costa sofre de depressão grave."),
    ("sexual_orientation", "Pedro Alves é gay e ainda não contou à família."),
    # Dutch
    ("health_condition", "Pieter Bakker lijdt aan een zware depressie."),
    ("sexual_orientation", "Jan de Vries is homoseksueel en wil dat niet op het werk vertellen."),
    # Polish
    ("health_condition", "Anna Kowalska choruje na depresję od roku."),
    ("health_condition", "Jan Kowalski jest nosicielem HIV."),
    ("sexual_orientation", "Piotr Nowak jest gejem, ale nikt w zespole o tym nie wie."),
    # German (diagnoses were caught before; orientation was not)
    ("sexual_orientation", "Klaus Weber ist schwul und möchte nicht, dass das bekannt wird."),
    # English, in indirect words
    ("health_condition", "Sarah Kim's chemo starts Monday; her oncologist says the tumour has spread."),
    # Immigration status
    ("special_category", "Jorge Silva is undocumented and has lived here since 2015."),
    ("special_category", "Jorge Silva overstayed his tourist visa last year."),
    ("special_category", "Jorge Silva is an asylum seeker from Venezuela."),
    ("special_category", "Jorge Silva received a deportation order last week."),
    ("special_category", "Jorge Silva's residence permit expired in May."),
    ("special_category", "Carlos Ruiz está indocumentado y trabaja sin papeles."),
    ("special_category", "Jean Dupont est demandeur d'asile depuis mars."),
]


@pytest.mark.parametrize(
    ("kind", "text"), ABOUT_A_PERSON, ids=[f"{k}-{i}" for i, (k, _) in enumerate(ABOUT_A_PERSON)]
)
def test_statement_about_a_named_person_stays_local(classifier: Classifier, kind: str, text: str) -> None:
    tags = tags_for(classifier, text)
    assert kind in tags.findings, tags.reasons
    assert tags.sensitivity.at_least(Sensitivity.CONFIDENTIAL)


ABOUT_NOBODY = [
    "La depresión es la principal causa de discapacidad en España, según el Ministerio de Sanidad; "
    "los centros de salud atienden cada año a miles de pacientes que padecen depresión.",
    "Les personnes séropositives ont accès à des traitements efficaces en France.",
    "The government announced a new immigration policy on asylum seekers and deportation orders this week; "
    "the number of undocumented migrants fell, officials said.",
    "Gay-Lussac's law relates the pressure and temperature of a gas at constant volume.",
    "The Gay-Lussac experiment is a classic in chemistry courses.",
    "Il cancro al seno è il tumore più frequente nelle donne italiane, secondo l'ISS.",
    "Depressie komt vaak voor in Nederland; huisartsen zien dagelijks patiënten die eraan lijden.",
    "Chemo sessions at the new oncology wing start at 8 a.m.; parking is free for visitors.",
    "The API returns an undocumented field; treat it as unstable.",
]


@pytest.mark.parametrize("text", ABOUT_NOBODY, ids=[f"negative-{i}" for i in range(len(ABOUT_NOBODY))])
def test_the_same_words_about_nobody_stay_public(classifier: Classifier, text: str) -> None:
    tags = tags_for(classifier, text)
    assert tags.sensitivity is Sensitivity.PUBLIC, tags.findings


def test_private_key_header_split_mid_word_is_found(classifier: Classifier) -> None:
    tags = tags_for(
        classifier, "-----BEGIN RSA PRIV\nATE KEY-----\nMIIEpAIBAAKCAQEAx3dk\n-----END RSA PRIVATE KEY-----"
    )
    assert "private_key" in tags.findings
    assert tags.sensitivity.at_least(Sensitivity.CONFIDENTIAL)


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("openai_api_key", "\u0455k-proj-Ab3dEf6hIj9kLmN2oPq5rSt8uVw1xYz4Ab7cD"),  # Cyrillic dze
        ("stripe_key", "\u0455\u043a_live_4eC39HqLyjWDarjtT1zdp7dc"),  # Cyrillic dze and ka
    ],
)
def test_key_prefix_with_cyrillic_look_alikes_is_found(classifier: Classifier, kind: str, key: str) -> None:
    tags = tags_for(classifier, f"config for the payment service: {key}")
    assert kind in tags.findings, tags.reasons
    assert any(reason.startswith("normalised:confusables") for reason in tags.reasons)


def test_cyrillic_words_are_not_folded(classifier: Classifier) -> None:
    """A Bulgarian marker is all Cyrillic: it must still read as itself, not as half-Latin."""
    tags = tags_for(classifier, "СТРОГО ПОВЕРИТЕЛНО\nОтчет за третото тримесечие.")
    assert tags.sensitivity.at_least(Sensitivity.CONFIDENTIAL)
    assert not any(reason.startswith("normalised:confusables") for reason in tags.reasons)
