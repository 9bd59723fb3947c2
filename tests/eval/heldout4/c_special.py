"""Set C, special categories about a named person (orientation, religion, union, immigration, criminal
record) and documents whose author marked them confidential."""

from __future__ import annotations

from .doc import Ctx, Out
from .shapes import fmt_date

# (subtopic, template); {name} is the person, {names} a short list of people
_SPECIAL: dict[str, list[tuple[str, str]]] = {
    "en": [
        (
            "sexual orientation",
            "HR case note – {date}\nEmployee: {name}\n\n{name} told me that he is gay and has been the "
            "target of remarks from two colleagues since he brought his husband to the summer party. He does not want his "
            "sexual orientation discussed in the team. Agreed: informal mediation; no names shared.",
        ),
        (
            "religion",
            "Accommodation request – {name}\n\n{name} is a practising Muslim and asked for a quiet room for "
            "Friday prayers and a later shift pattern during Ramadan. Line manager approved on {date}; noted on her file.",
        ),
        (
            "union membership",
            "Payroll change request\n\nPlease set up union dues deduction (Unite, £14.20/month) from "
            "next month for:\n{names}\nThey joined after the consultation meeting. Do not share this list with line "
            "managers.",
        ),
        (
            "immigration status",
            "Right-to-work check – {name}\n\nBiometric residence permit expired {date}. Application "
            "for leave to remain pending with the Home Office; employee relies on section 3C leave. Do not roster for "
            "client travel until status is confirmed.",
        ),
        (
            "criminal record",
            "Pre-employment screening result\nCandidate: {name}, DOB {dob}\n\nEnhanced DBS check "
            "returned a conviction for theft by employee ({year}, magistrates' court), community order. Hiring manager to "
            "decide; keep out of the interview notes.",
        ),
    ],
    "de": [
        (
            "union membership",
            "Mitgliederliste Betriebsgruppe IG Metall – Werk {city}\n\n{names}\n\nStand {date}. Bitte "
            "nicht an die Geschäftsleitung weitergeben.",
        ),
        (
            "criminal record",
            "Führungszeugnis – Ergebnis\nBewerber/in: {name}, geb. {dob}\n\nEintrag: Verurteilung wegen "
            "Betrugs (§ 263 StGB), Geldstrafe von 90 Tagessätzen, Amtsgericht {city}, {year}. Entscheidung über die "
            "Einstellung steht aus.",
        ),
    ],
    "fr": [
        (
            "religion",
            "Note RH – {date}\n\n{name} a demandé à ne pas travailler le samedi en raison de sa pratique "
            "religieuse (adventiste du septième jour). Accord du manager pour un planning adapté.",
        ),
        (
            "immigration status",
            "Dossier salarié : {name}\n\nTitre de séjour expiré le {date} ; récépissé de demande de "
            "renouvellement en cours à la préfecture de {city}. Ne pas programmer de déplacement hors Schengen.",
        ),
    ],
    "es": [
        (
            "sexual orientation",
            "Nota de RR. HH. – {date}\n\n{name} nos comunicó que es lesbiana y que ha sufrido "
            "comentarios homófobos de su responsable. Pide que no se hable de su orientación sexual en el equipo. Se abre "
            "el protocolo de acoso.",
        ),
        (
            "immigration status",
            "Expediente: {name}\n\nSu autorización de residencia y trabajo caducó el {date}; ha "
            "solicitado protección internacional (asilo) y está a la espera de resolución. No incluir en viajes al "
            "extranjero.",
        ),
    ],
    "sv": [
        (
            "union membership",
            "Löneavdrag fackavgift – Unionen\n\nNya medlemmar från och med {date}:\n{names}\n\nListan "
            "ska inte delas med cheferna.",
        ),
        (
            "sexual orientation",
            "Anteckning HR {date}\n\n{name} berättade att hon är bisexuell och har fått kränkande "
            "kommentarer i teamet. Hon vill inte att hennes sexuella läggning tas upp i gruppen.",
        ),
    ],
    "ja": [
        (
            "criminal record",
            "採用候補者：{name}（{dob}生）\n\n経歴確認の結果、{year}年に窃盗罪で有罪判決（執行猶予付き）を"
            "受けていることが判明。人事部長の判断待ち。",
        ),
        (
            "religion",
            "人事メモ（{date}）\n\n{name}さんはエホバの証人の信者であり、輸血を伴う処置を拒否する意向を示している。"
            "健康診断時に産業医へ共有済み。",
        ),
    ],
    "zh": [
        (
            "immigration status",
            "员工档案备注（{date}）\n\n{name}的工作签证已到期，续签申请被拒，目前处于逾期居留状态。"
            "法务部正在评估是否继续雇用。",
        ),
        (
            "sexual orientation",
            "人事备注\n\n{name}私下告诉我他是同性恋，最近在部门聚餐时受到同事的嘲讽。他不希望公开"
            "自己的性取向。",
        ),
    ],
    "id": [
        (
            "religion",
            "Catatan HRD ({date})\n\n{name} adalah penganut Kristen Protestan dan meminta tidak dijadwalkan "
            "pada hari Minggu pagi untuk ibadah. Disetujui oleh atasan.",
        ),
        (
            "criminal record",
            "Hasil pemeriksaan SKCK\n\nCalon karyawan {name} pernah dipidana karena penggelapan (Pasal "
            "372 KUHP) pada tahun {year}. Menunggu keputusan direksi.",
        ),
    ],
}


def special_category(ctx: Ctx) -> Out:
    topic, tmpl = ctx.variant(_SPECIAL[ctx.lang])
    names = "\n".join(
        f"{ctx.name()} – {ctx.rng.randrange(10000, 99999)}" for _ in range(ctx.rng.randrange(3, 7))
    )
    text = tmpl.format(
        name=ctx.name(),
        names=names,
        city=ctx.city(),
        date=fmt_date(ctx.day(), ctx.lang),
        dob=fmt_date(ctx.fake.date_of_birth(minimum_age=20, maximum_age=60), ctx.lang),
        year=ctx.rng.randrange(2008, 2022),
    )
    return Out(text, f"{topic} of a named person", "txt")


# --- a confidentiality marker on ordinary internal content --------------------------------------------

_MARKED = {
    "en": (
        "STRICTLY CONFIDENTIAL – DO NOT FORWARD",
        "Supplier review {date}\n1. Delivery times Q{q}\n2. Price list "
        "for next year\n3. Warehouse move to {city}\n4. Any other business",
    ),
    "de": (
        "STRENG VERTRAULICH",
        "Lieferantengespräch am {date}\n1. Liefertermine Q{q}\n2. Preisliste für das kommende "
        "Jahr\n3. Umzug des Lagers nach {city}\n4. Verschiedenes",
    ),
    "fr": (
        "STRICTEMENT CONFIDENTIEL",
        "Revue fournisseurs du {date}\n1. Délais de livraison T{q}\n2. Grille tarifaire "
        "de l'an prochain\n3. Déménagement de l'entrepôt à {city}\n4. Divers",
    ),
    "es": (
        "ESTRICTAMENTE CONFIDENCIAL",
        "Revisión de proveedores, {date}\n1. Plazos de entrega T{q}\n2. Tarifas del "
        "próximo año\n3. Traslado del almacén a {city}\n4. Ruegos y preguntas",
    ),
    "sv": (
        "KONFIDENTIELLT – FÅR EJ SPRIDAS",
        "Leverantörsgenomgång {date}\n1. Leveranstider Q{q}\n2. Prislista för "
        "nästa år\n3. Flytt av lagret till {city}\n4. Övriga frågor",
    ),
    "fi": (
        "LUOTTAMUKSELLINEN",
        "Toimittajakatsaus {date}\n1. Toimitusajat Q{q}\n2. Ensi vuoden hinnasto\n3. Varaston "
        "muutto: {city}\n4. Muut asiat",
    ),
    "cs": (
        "PŘÍSNĚ DŮVĚRNÉ",
        "Porada s dodavateli {date}\n1. Dodací lhůty Q{q}\n2. Ceník na příští rok\n3. Stěhování "
        "skladu do města {city}\n4. Různé",
    ),
    "pl": (
        "ŚCIŚLE POUFNE",
        "Przegląd dostawców {date}\n1. Terminy dostaw Q{q}\n2. Cennik na przyszły rok\n3. "
        "Przeniesienie magazynu: {city}\n4. Sprawy różne",
    ),
    "tr": (
        "GİZLİDİR – KİŞİYE ÖZEL",
        "Tedarikçi değerlendirmesi {date}\n1. Teslim süreleri Ç{q}\n2. Gelecek yılın fiyat "
        "listesi\n3. Deponun {city} şehrine taşınması\n4. Diğer",
    ),
    "ja": (
        "社外秘",
        "仕入先レビュー（{date}）\n1. 第{q}四半期の納期\n2. 来年度の価格表\n3. 倉庫の{city}への移転\n4. その他",
    ),
    "zh": (
        "机密 · 仅限内部",
        "供应商评审（{date}）\n1. 第{q}季度交货期\n2. 明年价格表\n3. 仓库迁至{city}\n4. 其他事项",
    ),
    "id": (
        "RAHASIA",
        "Tinjauan pemasok {date}\n1. Waktu pengiriman Q{q}\n2. Daftar harga tahun depan\n3. Pemindahan "
        "gudang ke {city}\n4. Lain-lain",
    ),
}


def marked_confidential(ctx: Ctx) -> Out:
    marker, body = _MARKED[ctx.lang]
    body = body.format(date=fmt_date(ctx.day(), ctx.lang), q=ctx.rng.randrange(1, 5), city=ctx.city())
    text = f"{marker}\n\n{body}\n" if ctx.rng.random() < 0.6 else f"{body}\n\n{marker}\n"
    return Out(text, "marked confidential by its author (marker in the document's language)", "txt")
