"""Set D (sealed: never tune on it): meeting transcripts, genetic results, debt letters and quoted-printable
e-mails about named people."""

from __future__ import annotations

import quopri

from .d_people import CUR
from .doc import Ctx, Out
from .shapes import amount, fmt_date

_SRT = {
    "en": [
        "Next item: {name}.",
        "Her performance has dropped since the surgery in March.",
        "We're putting her on a performance improvement plan,",
        "and her bonus this year will be cut to {bonus}.",
    ],
    "de": [
        "Nächster Punkt: {name}.",
        "Seit der Krebsdiagnose im Frühjahr ist er oft krankgeschrieben.",
        "Wir müssen über eine Versetzung nachdenken,",
        "und sein Bonus wird auf {bonus} gekürzt.",
    ],
    "nl": [
        "Volgende punt: {name}.",
        "Hij zit sinds zijn burn-out nog steeds in de ziektewet.",
        "We bereiden een verbetertraject voor,",
        "en zijn bonus gaat dit jaar naar {bonus}.",
    ],
    "it": [
        "Prossimo punto: {name}.",
        "Da quando ha avuto la diagnosi di depressione è spesso in malattia.",
        "Avviamo un piano di miglioramento delle prestazioni",
        "e il suo bonus quest'anno sarà ridotto a {bonus}.",
    ],
    "pt": [
        "Próximo ponto: {name}.",
        "Desde o diagnóstico de cancro que está muitas vezes de baixa.",
        "Vamos iniciar um plano de melhoria de desempenho",
        "e o prémio dela este ano fica em {bonus}.",
    ],
    "ko": [
        "다음 안건은 {name} 씨입니다.",
        "우울증 진단을 받은 뒤로 병가가 잦습니다.",
        "성과 개선 계획을 시작하고,",
        "올해 성과급은 {bonus}으로 줄이겠습니다.",
    ],
    "vi": [
        "Mục tiếp theo: {name}.",
        "Từ khi được chẩn đoán ung thư, chị ấy thường xuyên nghỉ ốm.",
        "Chúng ta sẽ áp dụng kế hoạch cải thiện hiệu suất",
        "và tiền thưởng năm nay của chị ấy giảm còn {bonus}.",
    ],
    "hi": [
        "अगला विषय: {name}।",
        "कैंसर के निदान के बाद से वह अक्सर बीमारी की छुट्टी पर है।",
        "हम उसके लिए प्रदर्शन सुधार योजना शुरू करेंगे,",
        "और इस साल उसका बोनस घटाकर {bonus} किया जाएगा।",
    ],
}


def srt(cues: list[str], start_s: int) -> str:
    out = []
    t = start_s
    for i, cue in enumerate(cues, 1):
        a, b = t, t + 3
        out.append(f"{i}\n00:{a // 60:02d}:{a % 60:02d},000 --> 00:{b // 60:02d}:{b % 60:02d},500\n{cue}\n")
        t = b + 1
    return "\n".join(out)


def subtitle_meeting(ctx: Ctx) -> Out:
    bonus = amount(
        ctx.money(1000, 9000, 500) * (1000 if ctx.lang in ("ko", "vi") else 1),
        ctx.lang,
        CUR.get(ctx.lang, "€"),
    )
    cues = [c.format(name=ctx.name(), bonus=bonus) for c in _SRT[ctx.lang]]
    return Out(
        srt(cues, ctx.rng.randrange(60, 2400)),
        "meeting transcript: a named employee's health, bonus cut, PIP",
        "srt",
    )


_GENETIC = {
    "en": "Genetic test report\nPatient: {name}, born {dob}\n\nResult: pathogenic variant detected in {gene}. Increased "
    "lifetime risk; genetic counselling and cascade testing of relatives recommended.",
    "de": "Befund Humangenetik\nPatient/in: {name}, geb. {dob}\n\nErgebnis: pathogene Variante nachgewiesen ({gene}). "
    "Erhöhtes Lebenszeitrisiko; genetische Beratung empfohlen.",
    "nl": "Uitslag erfelijkheidsonderzoek\nPatiënt: {name}, geboren {dob}\n\nUitslag: pathogene variant aangetoond "
    "({gene}). Verwijzing naar klinisch geneticus.",
    "it": "Referto di genetica medica\nPaziente: {name}, nato/a il {dob}\n\nEsito: rilevata variante patogenetica ({gene}). "
    "Si consiglia consulenza genetica.",
    "ja": "遺伝学的検査報告書\n患者氏名：{name}（{dob}生）\n\n結果：病的バリアントを検出（{gene}）。遺伝カウンセリングを推奨。",
}


def genetic_report(ctx: Ctx) -> Out:
    gene = ctx.pick(["BRCA1 c.68_69delAG", "BRCA2 c.5946delT", "HTT CAG repeat 43", "MLH1 c.350C>T"])
    text = _GENETIC[ctx.lang].format(
        name=ctx.name(),
        gene=gene,
        dob=fmt_date(ctx.fake.date_of_birth(minimum_age=20, maximum_age=70), ctx.lang),
    )
    return Out(text + "\n", "a named person's genetic test result")


_DEBT = {
    "en": "Dear {name},\n\nFinal notice before legal action\n\nYour account {acct} shows arrears of {amt}. The payment plan "
    "agreed on {date} has been breached. Unless we receive payment within 14 days we will apply for a county court "
    "judgment, which will affect your credit rating.\n\n{org}",
    "de": "Sehr geehrte/r {name},\n\nletzte Mahnung vor dem gerichtlichen Mahnverfahren\n\nIhr Konto {acct} weist einen "
    "Rückstand von {amt} auf. Die Ratenvereinbarung vom {date} wurde nicht eingehalten. Ohne Zahlung binnen 14 Tagen "
    "beantragen wir einen Mahnbescheid und melden die Forderung an die SCHUFA.\n\n{org}",
    "hu": "Tisztelt {name}!\n\nFizetési felszólítás\n\nA(z) {acct} számú szerződésén {amt} tartozás áll fenn. A {date} "
    "napján kötött részletfizetési megállapodást nem teljesítette. Ha 14 napon belül nem fizet, fizetési meghagyásos "
    "eljárást indítunk, és adatait átadjuk a KHR-nek.\n\n{org}",
    "ro": "Stimate/Stimată {name},\n\nNotificare de plată\n\nContractul {acct} înregistrează o restanță de {amt}. Nu ați "
    "respectat eșalonarea din {date}. Dacă nu plătiți în 14 zile, vom începe executarea silită și vă vom raporta la "
    "Biroul de Credit.\n\n{org}",
    "pt": "Exmo.(a) Sr.(a) {name},\n\nÚltimo aviso antes de ação judicial\n\nO contrato {acct} apresenta um montante em "
    "dívida de {amt}. O plano de pagamentos de {date} não foi cumprido. Sem pagamento em 14 dias, avançaremos com "
    "injunção e comunicação ao Banco de Portugal.\n\n{org}",
    "it": "Gentile {name},\n\nultimo sollecito prima dell'azione legale\n\nIl contratto {acct} presenta un insoluto di {amt}. "
    "Il piano di rientro del {date} non è stato rispettato. In assenza di pagamento entro 14 giorni procederemo con "
    "decreto ingiuntivo e segnalazione alla Centrale Rischi.\n\n{org}",
}


def debt_collection(ctx: Ctx) -> Out:
    amt = ctx.money(400, 30000, 10) * (350 if ctx.lang == "hu" else 1)
    text = _DEBT[ctx.lang].format(
        name=ctx.name(),
        acct=f"{ctx.rng.randrange(10**7, 10**8)}/{ctx.rng.randrange(10, 99)}",
        amt=amount(amt, ctx.lang, CUR.get(ctx.lang, "€").replace("$", "£")),
        date=fmt_date(ctx.day(), ctx.lang),
        org=ctx.company(),
    )
    return Out(text + "\n", "a named debtor's arrears and enforcement threat")


_QP = {
    "hu": (
        "Fizetésemelés – {name}",
        "Szia {hr}!\n\n{name} bruttó havi fizetése {date} napjától {new} lesz (eddig {old}), "
        "emellett egyszeri {bonus} prémiumot kap. Kérlek, rögzítsd a bérszámfejtésben.\n\nÜdv,\n{mgr}",
        "Ft",
        (650000, 1900000),
    ),
    "ro": (
        "Majorare salarială – {name}",
        "Bună {hr},\n\nÎncepând cu {date}, salariul brut lunar al lui {name} crește de la "
        "{old} la {new}, plus un bonus unic de {bonus}. Te rog să actualizezi statul de plată.\n\nMulțumesc,\n{mgr}",
        "lei",
        (7000, 22000),
    ),
    "pt": (
        "Revisão salarial – {name}",
        "Olá {hr},\n\nA partir de {date}, o vencimento bruto mensal de {name} passa de {old} "
        "para {new}, com um prémio único de {bonus}. Por favor, atualiza o processamento salarial.\n\nObrigado,\n{mgr}",
        "€",
        (1400, 5200),
    ),
    "it": (
        "Adeguamento retributivo – {name}",
        "Ciao {hr},\n\ndal {date} la RAL di {name} passa da {old} a {new}, più un "
        "bonus una tantum di {bonus}. Per favore aggiorna il cedolino.\n\nGrazie,\n{mgr}",
        "€",
        (32000, 85000),
    ),
    "da": (
        "Lønregulering – {name}",
        "Hej {hr}\n\nFra {date} stiger månedslønnen for {name} fra {old} til {new}, og der "
        "udbetales en engangsbonus på {bonus}. Opdater venligst lønsystemet.\n\nVh\n{mgr}",
        "kr.",
        (38000, 85000),
    ),
    "de": (
        "Krankmeldung {name}",
        "Hallo {hr},\n\n{name} ist laut Attest wegen einer schweren depressiven Episode bis {date} "
        "arbeitsunfähig (Gehalt bisher {old}). Bitte im Zeitsystem eintragen, aber nicht im Team kommunizieren.\n\nGruß\n{mgr}",
        "€",
        (3000, 7000),
    ),
}


def email_qp(ctx: Ctx) -> Out:
    subject, body, cur, (lo, hi) = _QP[ctx.lang]
    name, hr, mgr = ctx.name(), ctx.name(), ctx.name()
    old = ctx.money(lo, hi, 100)
    vals = {
        "name": name,
        "hr": hr.split()[0],
        "mgr": mgr,
        "date": fmt_date(ctx.day(), ctx.lang),
        "old": amount(old, ctx.lang, cur),
        "new": amount(old * 108 // 100, ctx.lang, cur),
        "bonus": amount(old // 4, ctx.lang, cur),
    }
    encoded = quopri.encodestring(body.format(**vals).encode("utf-8")).decode("ascii")
    subj = (
        "=?utf-8?q?"
        + quopri.encodestring(subject.format(**vals).encode("utf-8"), header=True).decode("ascii")
        + "?="
    )
    head = (
        f"From: {ctx.email_of(mgr)}\nTo: {ctx.email_of(hr)}\nSubject: {subj}\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
    )
    return Out(
        head + encoded + "\n", "a quoted-printable e-mail: a named employee's pay or sick leave", "eml"
    )
