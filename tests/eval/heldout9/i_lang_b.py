"""Set I's Kyrgyz, Somali and Yoruba: full names, towns, field labels and sentences (see i_lang_a.py for what
the ``s_*`` and ``n_*`` sentences say). The Somali documents are set among Somali speakers in northern Kenya,
whose identity cards are Kenyan."""

from __future__ import annotations

KY = {
    "names": "Айбек Асанов|Нургүл Жумабаева|Бакыт Токтогулов|Жылдыз Осмонова|Талант Мамытов|Айпери Сыдыкова|"
    "Эрлан Бекмуратов|Гүлзат Абдыкадырова|Азамат Жолдошбек уулу|Бермет Сагынбек кызы|Улан Исаков|Чолпон Кадырова",
    "cities": "Бишкек|Ош|Жалал-Абад|Каракол|Нарын|Талас|Токмок|Баткен",
    "street": "{n}-кичи район, {h}-үй",
    "co": "«{city} Соода» ЖЧК",
    "inv_note": "Сатып алганыңыз үчүн рахмат. Төлөмдү 14 күндүн ичинде жүргүзүңүз.",
    "item1": "Муздаткыч",
    "item2": "Жеткирүү жана орнотуу кызматы",
    "pay_sheet": "Айлык акы",
    "col_name": "Аты-жөнү",
    "col_id": "ПИН",
    "col_salary": "Айлык (сом)",
    "col_start": "Ишке кирген күнү",
    "stats_sheet": "Шаарлар боюнча статистика",
    "col_region": "Шаар",
    "col_year": "Жыл",
    "col_count": "Катталган ишканалар",
    "col_avg": "Орточо айлык (сом)",
    "minutes": "Жыйындын протоколу",
    "present": "Катышкандардын саны",
    "agenda": "Күн тартиби",
    "meeting": "Жыйын",
    "hello": "Саламатсызбы.",
    "s_eth": "{name} кадрлар бөлүмүнө өзүнүн улуту өзбек экенин жашыруун билдирди. Бул маалымат анын жеке делосунан "
    "тышкары эч кимге берилбеши керек.",
    "n_eth": "{year}-жылдагы эл каттоонун жыйынтыгы {city} шаарынын калкын улуттар боюнча көрсөтөт. Отчетто жеке "
    "маалымат жок; ал Улуттук статистика комитетинин сайтында жарыяланган.",
    "s_psy": "{name} {date} күнү өз макулдугусуз {city} шаардык ооруканасынын психиатриялык бөлүмүнө жаткырылды. "
    "Диагноз: курч психоз. Үй-бүлөсүнө кабарланды.",
    "n_psy": "Психикалык ден соолук жумалыгы {date} күндөн тартып {city} шаарында өтөт. Акысыз кеңеш баарына ачык, "
    "каттоонун кереги жок.",
    "s_gen": "{name} жынысын тастыктоочу гормоналдык дарылоону баштаганын билдирди жана {date} күндөн тартып "
    "кызматкерлердин тизмесинде жаңы атын колдонууну суранды. Мурдагы аты эч кимге ачыкталбашы керек.",
    "n_gen": "Компаниянын тең мүмкүнчүлүктөр саясаты жынысына карата басмырлоого тыюу салат. Бардык кызматкерлер үчүн "
    "окуу {date} күнү {city} шаарында өтөт.",
    "s_gar": "Соттун аныктамасы {ref}: {date} күндөн тартып {name} айлык акысынын ({amount} сом) үчтөн бири "
    "кармалып, банкка болгон {debt} сом карызды төлөөгө жиберилет.",
    "n_gar": "{date} күнү {city} шаарында карыз боюнча акысыз кеңеш: сот чечими менен айлык акыдан кармоо кантип "
    "иштээри тууралуу маалымат. Жеке документтерди алып келүүнүн кереги жок.",
}

SO = {
    "names": "Cabdiraxmaan Maxamed Cali|Faadumo Xasan Warsame|Axmed Cabdi Nuur|Hodan Yuusuf Jaamac|"
    "Mustafe Ismaaciil Faarax|Sahra Cumar Aadan|Cabdullaahi Xuseen Guuleed|Ayaan Maxamuud Axmed|"
    "Ilyaas Siciid Ducaale|Nimco Cali Samatar|Khadar Cabdi Aw-Cali|Luul Bashiir Xirsi",
    "cities": "Gaarisa|Wajeer|Mandheera|Nayroobi (Islii)|Mooyaale|Isiolo|Daadaab|Lamu",
    "street": "Xaafadda {n}, guriga {h}",
    "co": "Shirkadda Ganacsiga {city} Ltd",
    "inv_note": "Waad ku mahadsan tahay iibsashadaada. Fadlan lacagta bixi 14 maalmood gudahood.",
    "item1": "Qaboojiye (firij)",
    "item2": "Gaarsiin iyo rakibid",
    "pay_sheet": "Mushaharka",
    "col_name": "Magaca",
    "col_id": "Lambarka aqoonsiga",
    "col_salary": "Mushaharka bishii (KES)",
    "col_start": "Taariikhda shaqo-bilowga",
    "stats_sheet": "Tirakoobka magaalooyinka",
    "col_region": "Magaalada",
    "col_year": "Sannadka",
    "col_count": "Ganacsiyada diiwaangashan",
    "col_avg": "Celceliska mushaharka (KES)",
    "minutes": "Qoraalka shirka",
    "present": "Tirada ka soo qaybgalayaasha",
    "agenda": "Ajandaha",
    "meeting": "Shir",
    "hello": "Asalaamu calaykum.",
    "s_eth": "Qaybta shaqaalaha waxaa si qarsoodi ah loogu sheegay in {name} ka dhashay beesha laga tirada badan "
    "yahay ee Soomaali-Bantuu. Xogtan waa in lagu hayaa oo keliya faylka gaarka ah ee shaqaalahan, cidna lalama "
    "wadaagi karo.",
    "n_eth": "Warbixinta tirakoobka dadweynaha ee {year} waxay muujinaysaa tirada dadka {city} iyadoo loo qaybiyay "
    "koox-qowmiyadeed. Warbixintu kuma jirto xog shakhsi ah, waxaana laga heli karaa bogga hay'adda tirakoobka.",
    "s_psy": "{name} waxaa {date} iyada oo aan oggolaansho laga helin loo dhigay qaybta caafimaadka maskaxda ee "
    "isbitaalka {city}. Ogaanshaha: cudur maskaxeed degdeg ah (psychosis). Qoyska waa la ogeysiiyay.",
    "n_psy": "Toddobaadka wacyigelinta caafimaadka maskaxda wuxuu ka dhacayaa {city} laga bilaabo {date}. La-talin "
    "bilaash ah ayaa u furan qof walba; diiwaangelin looma baahna.",
    "s_gen": "Waxaa la bilaabay daaweynta hormoonka ee lagu xaqiijinayo jinsiga {name}; waxaa la codsaday in laga "
    "bilaabo {date} liiska shaqaalaha lagu qoro magaca cusub. Magacii hore cidna looma sheegi karo.",
    "n_gen": "Siyaasadda fursadaha sinnaanta ee shirkadda waxay mamnuucaysaa takoorka ku salaysan jinsiga. Tababar "
    "loogu talagalay dhammaan shaqaalaha ayaa lagu qabanayaa {city} {date}.",
    "s_gar": "Amarka maxkamadda {ref}: laga bilaabo {date}, saddex meelood meel mushaharka bishii ee {name} "
    "(Sh. {amount}) ayaa la hayn doonaa si loo bixiyo deynta Sh. {debt} ee bangiga.",
    "n_gar": "Kulan talo-bixin deyn oo bilaash ah ayaa ka dhacaya {city} {date}: macluumaad ku saabsan sida "
    "mushaharka loo jaro marka maxkamad amarto. Looma baahna in la keeno dukumentiyo shakhsi ah.",
}

YO = {
    "names": "Adébáyọ̀ Ògúnlékè|Olúwaṣeun Adéyẹmí|Fọláṣadé Àjàyí|Babátúndé Ọláòṣebìkan|Kẹ́hìndé Adébísí|"
    "Títílayọ̀ Ọládípọ̀|Olúmídé Akínwálé|Yétúndé Fálọlá|Ayọ̀dèjì Ọ̀ṣúnlànà|Mọ́síndé Oyèléyẹ|Tọ́pẹ́ Adégbọ́lá|"
    "Bọ́lájí Ìdòwú",
    "cities": "Ìbàdàn|Èkó|Abẹ́òkúta|Òṣogbo|Ilé-Ifẹ̀|Ọ̀yọ́|Àkúrẹ́|Ìlọrin",
    "street": "Nọ́mbà {h}, Òpópónà {n}",
    "co": "Ilé-iṣẹ́ Okòwò {city} Ltd",
    "inv_note": "A dúpẹ́ fún rírà yín. Ẹ jọ̀wọ́ ẹ san owó náà láàrin ọjọ́ mẹ́rìnlá.",
    "item1": "Fìríìjì",
    "item2": "Ìfijíṣẹ́ àti ìgbékalẹ̀",
    "pay_sheet": "Owó oṣù",
    "col_name": "Orúkọ",
    "col_id": "NIN",
    "col_salary": "Owó oṣù (₦)",
    "col_start": "Ọjọ́ tí ó bẹ̀rẹ̀ iṣẹ́",
    "stats_sheet": "Ìṣirò àwọn ìlú",
    "col_region": "Ìlú",
    "col_year": "Ọdún",
    "col_count": "Àwọn iléeṣẹ́ tí a forúkọ sílẹ̀",
    "col_avg": "Owó oṣù àròpín (₦)",
    "minutes": "Àkọsílẹ̀ ìpàdé",
    "present": "Iye àwọn tó wà níbẹ̀",
    "agenda": "Ètò ìpàdé",
    "meeting": "Ìpàdé",
    "hello": "Ẹ n lẹ́ o.",
    "s_eth": "{name} sọ fún ẹ̀ka òṣìṣẹ́ ní ìkọ̀kọ̀ pé ẹ̀yà Ìgbò ni òun, kì í ṣe Yorùbá. Ìròyìn yìí gbọ́dọ̀ wà nínú fáìlì "
    "ara ẹni rẹ̀ nìkan, a kò gbọdọ̀ pín in fún ẹnikẹ́ni.",
    "n_eth": "Ìjábọ̀ ìkànìyàn ọdún {year} fi iye àwọn ènìyàn {city} hàn ní ìbámu pẹ̀lú ẹ̀yà. Kò sí ìròyìn ẹnì kọ̀ọ̀kan "
    "nínú ìjábọ̀ náà; ó wà lórí ojú òpó wẹ́ẹ̀bù àjọ ìṣirò.",
    "s_psy": "Wọ́n gbé {name} lọ sí ẹ̀ka ìlera ọpọlọ ilé ìwòsàn {city} ní {date} láì gba àṣẹ rẹ̀. Àyẹ̀wò: àrùn ọpọlọ "
    "líle (psychosis). A ti sọ fún ẹbí rẹ̀.",
    "n_psy": "Ọ̀sẹ̀ ìmọ̀ nípa ìlera ọpọlọ yóò wáyé ní {city} láti {date}. Ìgbaninímọ̀ràn ọ̀fẹ́ wà fún gbogbo ènìyàn; kò sí "
    "ìforúkọsílẹ̀.",
    "s_gen": "{name} ti bẹ̀rẹ̀ ìtọ́jú họ́mọ́ọ̀nù fún ìyípadà akọ-abo, ó sì béèrè pé kí a lo orúkọ tuntun rẹ̀ nínú àkọsílẹ̀ "
    "òṣìṣẹ́ láti {date}. A kò gbọdọ̀ sọ orúkọ àtijọ́ rẹ̀ fún ẹnikẹ́ni.",
    "n_gen": "Ìlànà àǹfààní dọ́gba ilé-iṣẹ́ náà kò fàyè gba ìyàsọ́tọ̀ nítorí akọ-abo. Ìdálẹ́kọ̀ọ́ fún gbogbo òṣìṣẹ́ yóò "
    "wáyé ní {city} ní {date}.",
    "s_gar": "Àṣẹ ilé-ẹjọ́ {ref}: láti {date}, ìdá kan nínú mẹ́ta owó oṣù {name} (₦{amount}) ni a ó máa yọ láti san "
    "gbèsè ₦{debt} tí ó jẹ báǹkì.",
    "n_gar": "Ìgbaninímọ̀ràn ọ̀fẹ́ lórí gbèsè ní {city} ní {date}: ìròyìn nípa bí ilé-ẹjọ́ ṣe ń pàṣẹ kí a yọ owó kúrò "
    "nínú owó oṣù. Kò sí ìdí láti mú ìwé ara ẹni wá.",
}
