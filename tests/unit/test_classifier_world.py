"""Issue 18 (held-out set C): statements about a person in further languages (lexicon_world.py /
statements_world.py), confidentiality markers in further scripts, credentials in SQL and client dot-files,
and the lowering decisions (placeholders, published test cards, company phone numbers, machine mailboxes).
Every example here was written for this test, not taken from an evaluation corpus. Each mechanism has a
look-alike that must stay public."""

from __future__ import annotations

import pytest

from worker.classifier import Classifier
from worker.schema import Sensitivity, Tags, TaskKind, TaskSpec

SUMMARIZE = TaskSpec(kind=TaskKind.SUMMARIZE)
KEPT = (Sensitivity.CONFIDENTIAL, Sensitivity.RESTRICTED)


def tags_for(classifier: Classifier, text: str) -> Tags:
    return classifier.classify(text, task=SUMMARIZE)


ABOUT_A_PERSON = [
    # health: diagnosis / sick leave, about a named or addressed person
    ("health_condition", "Tomáš Novák je od pondělí na neschopence, diagnostikovali mu cukrovku."),
    ("health_condition", "Hej Lena,\n\nOla Nordmann är sjukskriven resten av månaden efter operationen."),
    ("health_condition", "Sayın Mehmet Yılmaz, doktorunuzun raporuna göre diyabet teşhisi konmuştur."),
    ("health_condition", "Budi Santoso didiagnosis menderita tuberkulosis dan sedang cuti sakit."),
    ("health_condition", "佐藤さんは先月うつ病と診断され、現在休職中です。"),
    ("health_condition", "김민수 님은 지난주 당뇨 진단을 받고 병가 중입니다."),
    # disciplinary: a written warning addressed to a person
    (
        "performance_record",
        "Pieter Janssen,\n\nHierbij ontvangt u een schriftelijke waarschuwing wegens herhaald te laat komen.",
    ),
    (
        "performance_record",
        "Kedves Kovács Anna,\n\nírásbeli figyelmeztetésben részesül a munkaidő megsértése miatt.",
    ),
    ("performance_record", "田中様\n\n無断欠勤が続いたため、就業規則に基づき懲戒処分とします。"),
    # special categories
    ("special_category", "Payroll: please start union dues for Karen Whitfield from May."),
    ("special_category", "Jari Virtanen on ammattiliiton jäsen ja jäsenmaksu peritään palkasta."),
    ("special_category", "Sayın Ayşe Demir, oturma izni süresi dolmuştur; yenileme başvurusu bekleniyor."),
    ("religious_belief", "Nguyễn Văn An theo đạo Công giáo và xin nghỉ sáng Chủ nhật."),
    ("sexual_orientation", "Zeynep Kaya bana eşcinsel olduğunu söyledi, ekipte bilinmesini istemiyor."),
    ("criminal_record", "Kandidaten Erik Berg är dömd för bedrägeri 2019 enligt belastningsregistret."),
    ("criminal_record", "鈴木さんは2015年に窃盗で逮捕され、前科があります。"),
]


@pytest.mark.parametrize(("kind", "text"), ABOUT_A_PERSON)
def test_statement_about_a_person_is_kept_local(classifier: Classifier, kind: str, text: str) -> None:
    tags = tags_for(classifier, text)
    assert tags.sensitivity in KEPT, tags.reasons
    assert kind in tags.findings, tags.reasons


ABOUT_A_SUBJECT = [
    "Diagnostika cukrovky se v posledních letech zlepšila.",  # cs: diagnosis in general
    "Sairausloma on työntekijän oikeus; sen pituudesta päättää lääkäri.",  # fi: sick leave as a rule
    "Ammattiliittojen jäsenmäärä laski viime vuonna kolme prosenttia.",  # fi: union statistics
    "外国籍の社員が在留期間を更新する場合の手続きを説明します。",  # ja: visa procedure, nobody named
    "公司的考勤制度：迟到三次给予书面警告。",  # zh: a policy about warnings
]


@pytest.mark.parametrize("text", ABOUT_A_SUBJECT)
def test_the_same_words_about_nobody_stay_public(classifier: Classifier, text: str) -> None:
    tags = tags_for(classifier, text)
    assert tags.sensitivity is Sensitivity.PUBLIC, tags.reasons


MARKED = [
    "【極秘】\n来期の組織変更案\n1. 営業部の統合",
    "绝密\n\n二季度采购计划草案",
    "대외비\n\n3분기 협력사 평가 일정",
    "ÇOK GİZLİ\n\nBütçe taslağı 2027",
    "SANGAT RAHASIA\n\nRencana anggaran 2027",
    "TUYỆT MẬT\n\nKế hoạch ngân sách 2027",
    "КОНФІДЕНЦІЙНО\n\nПлан закупівель на 2027 рік",
]


@pytest.mark.parametrize("text", MARKED)
def test_markers_in_further_scripts(classifier: Classifier, text: str) -> None:
    tags = tags_for(classifier, text)
    assert tags.sensitivity in KEPT, tags.reasons
    assert any(kind.startswith("marker:") for kind in tags.findings), tags.reasons


def test_a_marker_word_quoted_in_a_guide_is_not_a_banner(classifier: Classifier) -> None:
    text = "当社の文書区分は「公開」「社内限り」「極秘」の三つです。このページは公開情報です。"
    assert tags_for(classifier, text).sensitivity is Sensitivity.PUBLIC


def test_privilege_about_this_message_is_a_marker_but_an_explainer_is_not(classifier: Classifier) -> None:
    advice = "Hei Liisa,\n\nsuosittelemme sovintoa. Tämä viesti kuuluu asianajosalaisuuden piiriin."
    explainer = "Asianajosalaisuus suojaa asiakkaan ja asianajajan välistä luottamusta, kuten laki säätää."
    assert "marker:privileged" in tags_for(classifier, advice).findings
    assert "marker:privileged" not in tags_for(classifier, explainer).findings


CREDENTIALS = [
    "ALTER ROLE etl_loader WITH LOGIN PASSWORD 'q7!Rt9zWx2';",
    "CREATE USER 'app'@'%' IDENTIFIED BY 'Lq3#vPz81m';",
    "db.internal.example:5432:orders:svc_orders:Tz8!kQ2pLw",
    "machine ftp.example.net login deploy password Hn4$wq9Zr",
]


@pytest.mark.parametrize("text", CREDENTIALS)
def test_credentials_in_sql_and_dot_files(classifier: Classifier, text: str) -> None:
    tags = tags_for(classifier, text)
    assert tags.sensitivity is Sensitivity.RESTRICTED, tags.reasons
    assert "password_assignment" in tags.findings


def test_an_ipv6_address_is_not_a_pgpass_line(classifier: Classifier) -> None:
    assert "password_assignment" not in tags_for(classifier, "fe80:0:0:0:0:0:0:1").findings


LOWERED = [
    (
        "secret_reference",
        "services:\n  db:\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD:?missing, see README}\n",
    ),
    ("secret_reference", "SLACK_BOT_TOKEN=xoxb-replace-with-your-bot-token\n"),
    ("phone_number_organisation", "supplier,city,phone\nNordlicht GmbH,Kiel,+49 431 5550 1234\n"),
    ("email_address_role", "commit 9f2c1e7\nAuthor: Build Bot <ci@example-builds.io>\n"),
]


@pytest.mark.parametrize(("kind", "text"), LOWERED)
def test_lowered_with_the_reason(classifier: Classifier, kind: str, text: str) -> None:
    tags = tags_for(classifier, text)
    assert tags.sensitivity is Sensitivity.PUBLIC, tags.reasons
    assert kind in tags.findings, tags.reasons


def test_published_test_cards_in_a_table_under_a_test_heading(classifier: Classifier) -> None:
    text = "# Sandbox test cards\n\nUse these in the staging checkout.\n\n" + "".join(
        f"| brand {i} | {number} | approved |\n" + "| notes | nothing here | - |\n" * 4
        for i, number in enumerate(["4111 1111 1111 1111", "5555 5555 5555 4444", "3782 822463 10005"])
    )
    tags = tags_for(classifier, text)
    assert "credit_card" not in tags.findings, tags.reasons
    assert tags.findings.get("test_card_number") == 3
