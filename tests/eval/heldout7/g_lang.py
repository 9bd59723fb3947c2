"""Set G's eight languages: names, towns, field labels and the sentences its generators fill in.

Written for this set only, without reading the classifier. None of these languages is in sets A-F. Sensitive
templates (``s_*``) tie a named person to an identifier or to a special-category fact (biometric enrolment,
disability, party membership, addiction treatment); look-alike templates (``n_*``) say the same kind of thing
about nobody in particular: building access, accessibility statistics, election results, public-health figures.
Placeholders: {name} {id} {dob} {city} {year} {ref}.
"""

from __future__ import annotations

LANGS = ("ca", "eu", "cy", "ms", "ur", "lb", "mt", "uz")

# Full names people of each language commonly carry (first names x surnames, or whole names).
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ca": (
        ("Jordi", "Montserrat", "Núria", "Pau", "Laia", "Marc", "Arnau", "Mireia", "Oriol", "Gemma"),
        ("Puig i Vila", "Soler", "Ferrer Casals", "Roca", "Serra", "Pujol", "Font", "Vidal", "Bosch", "Riera"),
    ),
    "eu": (
        ("Aitor", "Itziar", "Ander", "Miren", "Unai", "Nerea", "Iker", "Amaia", "Jon", "Leire"),
        ("Etxeberria", "Agirre", "Zubiri", "Goikoetxea", "Arrieta", "Larrañaga", "Urkiola", "Mendizabal", "Iturbe", "Olano"),
    ),
    "cy": (
        ("Rhys", "Gwenllian", "Dafydd", "Cerys", "Iestyn", "Angharad", "Owain", "Siân", "Gethin", "Eleri"),
        ("Jones", "Evans", "Llewelyn", "Pritchard", "Vaughan", "Howells", "Parry", "Bowen", "Morgan", "Griffiths"),
    ),
    "ms": (
        ("Nur Aisyah binti", "Muhammad Faiz bin", "Siti Hajar binti", "Ahmad Zaki bin", "Nurul Izzah binti",
         "Mohd Hafiz bin", "Farah Nadia binti", "Amirul Hakim bin"),
        ("Ismail", "Rahman", "Abdullah", "Hassan", "Yusof", "Osman", "Kamaruddin", "Salleh"),
    ),
    "ur": (
        ("عائشہ", "عمران", "فاطمہ", "بلال", "زینب", "حسن", "صبا", "عثمان"),
        ("خان", "قریشی", "چوہدری", "ملک", "شیخ", "بٹ", "رضا", "اعوان"),
    ),
    "lb": (
        ("Jang", "Mady", "Pol", "Lily", "Tom", "Léa", "Gilles", "Nathalie", "Marc", "Sandy"),
        ("Schmit", "Weber", "Hoffmann", "Wagner", "Kremer", "Muller", "Thill", "Reuter", "Schroeder", "Hansen"),
    ),
    "mt": (
        ("Joseph", "Maria", "Matthew", "Rebecca", "Karl", "Daniela", "Luke", "Stephanie", "Ġorġ", "Marija"),
        ("Borg", "Camilleri", "Vella", "Farrugia", "Zammit", "Galea", "Grech", "Azzopardi", "Micallef", "Caruana"),
    ),
    "uz": (
        ("Dilnoza", "Jasur", "Malika", "Sardor", "Nodira", "Bekzod", "Gulnora", "Otabek", "Shahnoza", "Aziz"),
        ("Karimova", "Rahimov", "Yusupova", "Tursunov", "Alimova", "Ergashev", "Saidova", "Nazarov", "Qodirova", "Xolmatov"),
    ),
}  # fmt: skip

CITIES: dict[str, tuple[str, ...]] = {
    "ca": ("Barcelona", "Girona", "Lleida", "Tarragona", "Reus", "Vic", "Manresa", "Andorra la Vella"),
    "eu": ("Bilbo", "Donostia", "Gasteiz", "Iruñea", "Getxo", "Eibar", "Durango", "Tolosa"),
    "cy": ("Caerdydd", "Abertawe", "Casnewydd", "Wrecsam", "Aberystwyth", "Bangor", "Caerfyrddin", "Y Barri"),
    "ms": ("Kuala Lumpur", "Shah Alam", "Ipoh", "Johor Bahru", "Kuching", "Kota Kinabalu", "Melaka", "Seremban"),
    "ur": ("لاہور", "کراچی", "اسلام آباد", "راولپنڈی", "ملتان", "فیصل آباد", "پشاور", "کوئٹہ"),
    "lb": ("Lëtzebuerg", "Esch-Uelzecht", "Diddeleng", "Déifferdeng", "Ettelbréck", "Dikrech", "Wolz", "Réimech"),
    "mt": ("il-Belt Valletta", "Birkirkara", "Ħal Qormi", "is-Swieqi", "ir-Rabat", "Ħaż-Żabbar", "tas-Sliema", "il-Fgura"),
    "uz": ("Toshkent", "Samarqand", "Buxoro", "Namangan", "Andijon", "Farg'ona", "Qarshi", "Nukus"),
}  # fmt: skip

T: dict[str, dict[str, str]] = {
    "ca": dict(
        name="Nom i cognoms", dob="Data de naixement", idl="NRT", dept="Departament", town="Municipi",
        year="Any", count="Nombre", subj="Dades del treballador", speaker="Recursos Humans",
        s_share="Per a l'acta: {name}, data de naixement {dob}, NRT {id}. Cal donar-ho d'alta a la nòmina aquest mes.",
        n_web="El Govern d'Andorra recorda que la campanya de l'IRPF s'obre l'1 d'abril i que la declaració es pot presentar en línia.",
        s_bio="S'ha registrat l'empremta dactilar de {name} al control d'accés de la planta 3; plantilla biomètrica núm. {ref}.",
        n_bio="El control d'accés de l'edifici funciona amb targeta; l'empresa no desa dades biomètriques de ningú.",
        s_dis="{name} té reconegut un grau de discapacitat del 65 % per esclerosi múltiple i necessita una taula regulable.",
        n_dis="L'edifici té rampes i ascensor adaptat; el {year} el 4,2 % de la població ocupada tenia alguna discapacitat reconeguda, segons l'Idescat.",
        s_pol="{name} és militant d'un partit polític i paga la quota cada mes; demana que la direcció no ho sàpiga.",
        n_pol="A les eleccions del {year} la participació va ser del 58 %; els resultats per partit són al web de la Junta Electoral.",
        s_add="{name} ha començat un tractament de desintoxicació alcohòlica al CAS de {city} i estarà de baixa quatre setmanes.",
        n_add="Els centres d'atenció i seguiment (CAS) van atendre 14.000 persones per alcohol el {year}, segons el Departament de Salut.",
    ),
    "eu": dict(
        name="Izen-abizenak", dob="Jaiotze-data", idl="GSko afiliazio-zenbakia", dept="Saila", town="Udalerria",
        year="Urtea", count="Kopurua", subj="Langilearen datuak", speaker="Giza Baliabideak",
        s_share="Aktarako: {name}, jaiotze-data {dob}, Gizarte Segurantzako afiliazio-zenbakia {id}. Hilabete honetan nominan alta eman behar zaio.",
        n_web="Lanbidek gogorarazten du laguntza-eskaerak apirilaren 1etik aurrera aurkez daitezkeela, sarean edo bulegoan.",
        s_bio="{name}(r)en hatz-marka erregistratu da 3. solairuko sarbide-kontrolean; txantiloi biometrikoa: {ref}.",
        n_bio="Eraikineko sarbide-kontrola txartelarekin egiten da; enpresak ez du inoren datu biometrikorik gordetzen.",
        s_dis="{name}(e)k % 65eko desgaitasun-maila aitortua du esklerosi anizkoitzagatik, eta mahai egokitua behar du.",
        n_dis="Eraikinak arrapalak eta igogailu egokitua ditu; {year}an langileen % 3,9k desgaitasun aitortua zuen, Eustaten arabera.",
        s_pol="{name} alderdi politiko bateko militantea da eta hilero kuota ordaintzen du; zuzendaritzak ez jakitea eskatu du.",
        n_pol="{year}ko hauteskundeetan parte-hartzea % 60koa izan zen; alderdien emaitzak Eusko Jaurlaritzaren webgunean daude.",
        s_add="{name} alkoholaren desintoxikazio-tratamendua hasi du {city}ko osasun-zentroan, eta lau astez bajan egongo da.",
        n_add="Osakidetzako mendekotasun-zentroek 9.000 pertsona artatu zituzten {year}an alkoholagatik.",
    ),
    "cy": dict(
        name="Enw", dob="Dyddiad geni", idl="UTR", dept="Adran", town="Tref", year="Blwyddyn", count="Nifer",
        subj="Manylion y gweithiwr", speaker="Adnoddau Dynol",
        s_share="Ar gyfer y cofnodion: {name}, dyddiad geni {dob}, Cyfeirnod Trethdalwr Unigryw {id}. Rhaid ei ychwanegu at y gyflogres y mis yma.",
        n_web="Mae CThEF yn atgoffa pawb fod y dyddiad cau ar gyfer ffurflenni treth ar-lein ar 31 Ionawr.",
        s_bio="Cafodd olion bysedd {name} eu cofrestru yn y system mynediad ar y trydydd llawr; templed biometrig rhif {ref}.",
        n_bio="Mae'r system mynediad yn defnyddio cardiau; nid yw'r cwmni'n cadw data biometrig am neb.",
        s_dis="Mae gan {name} sglerosis ymledol ac mae angen desg addasadwy a lle parcio wrth y drws.",
        n_dis="Mae rampiau a lifft hygyrch yn yr adeilad; yn {year} roedd 21% o oedolion Cymru yn anabl, yn ôl y Cyfrifiad.",
        s_pol="Mae {name} yn aelod sy'n talu o blaid wleidyddol ac yn mynd i gyfarfodydd y gangen; gofynnodd i'r rheolwyr beidio â chael gwybod.",
        n_pol="Yn etholiad {year} roedd y ganran a bleidleisiodd yn 46%; mae'r canlyniadau fesul plaid ar wefan y Comisiwn Etholiadol.",
        s_add="Mae {name} wedi dechrau triniaeth dadwenwyno alcohol mewn clinig yn {city} a bydd i ffwrdd o'r gwaith am bedair wythnos.",
        n_add="Cafodd 11,000 o bobl driniaeth am alcohol yng Nghymru yn {year}, yn ôl ffigurau Llywodraeth Cymru.",
    ),
    "ms": dict(
        name="Nama", dob="Tarikh lahir", idl="No. MyKad", dept="Jabatan", town="Bandar", year="Tahun",
        count="Bilangan", subj="Maklumat pekerja", speaker="Sumber Manusia",
        s_share="Untuk rekod: {name}, tarikh lahir {dob}, nombor kad pengenalan {id}. Sila daftarkan dalam sistem gaji bulan ini.",
        n_web="LHDN mengingatkan bahawa tarikh akhir penghantaran borang BE secara dalam talian ialah 30 April.",
        s_bio="Cap jari {name} telah didaftarkan dalam sistem akses tingkat 3; templat biometrik no. {ref}.",
        n_bio="Sistem akses bangunan menggunakan kad; syarikat tidak menyimpan data biometrik sesiapa.",
        s_dis="{name} menghidap sklerosis berbilang dan memegang kad OKU; beliau memerlukan meja boleh laras.",
        n_dis="Bangunan ini mempunyai tanjakan dan lif mesra OKU; pada {year} seramai 637,000 OKU berdaftar dengan JKM.",
        s_pol="{name} ialah ahli berdaftar sebuah parti politik dan membayar yuran setiap bulan; beliau minta pihak pengurusan tidak dimaklumkan.",
        n_pol="Dalam pilihan raya {year}, peratusan keluar mengundi ialah 74%; keputusan mengikut parti ada di laman SPR.",
        s_add="{name} telah memulakan rawatan pemulihan dadah di sebuah klinik di {city} dan akan bercuti sakit selama empat minggu.",
        n_add="AADK melaporkan 137,000 penagih dadah berdaftar pada {year}; talian bantuan dibuka 24 jam.",
    ),
    "ur": dict(
        name="نام", dob="تاریخ پیدائش", idl="شناختی کارڈ نمبر", dept="شعبہ", town="شہر", year="سال", count="تعداد",
        subj="ملازم کی تفصیلات", speaker="ایچ آر",
        s_share="ریکارڈ کے لیے: {name}، تاریخ پیدائش {dob}، شناختی کارڈ نمبر {id}۔ براہِ کرم اس ماہ تنخواہ کے نظام میں اندراج کر دیں۔",
        n_web="ایف بی آر نے یاد دلایا ہے کہ انکم ٹیکس گوشوارے آن لائن جمع کرانے کی آخری تاریخ 30 ستمبر ہے۔",
        s_bio="{name} کی انگلیوں کے نشانات تیسری منزل کے رسائی نظام میں درج کر لیے گئے ہیں؛ بایومیٹرک سانچہ نمبر {ref}۔",
        n_bio="عمارت میں داخلہ کارڈ کے ذریعے ہوتا ہے؛ کمپنی کسی کا بایومیٹرک ڈیٹا محفوظ نہیں کرتی۔",
        s_dis="{name} کو ملٹیپل اسکلیروسس ہے اور ان کی معذوری 65 فیصد تسلیم شدہ ہے؛ انہیں قابلِ تبدیل میز درکار ہے۔",
        n_dis="عمارت میں ریمپ اور معذور افراد کے لیے لفٹ موجود ہے؛ {year} کی مردم شماری کے مطابق آبادی کا 2 فیصد معذور ہے۔",
        s_pol="{name} ایک سیاسی جماعت کے باقاعدہ رکن ہیں اور ہر ماہ چندہ دیتے ہیں؛ انہوں نے کہا ہے کہ انتظامیہ کو نہ بتایا جائے۔",
        n_pol="{year} کے انتخابات میں ٹرن آؤٹ 47 فیصد رہا؛ جماعتوں کے نتائج الیکشن کمیشن کی ویب سائٹ پر ہیں۔",
        s_add="{name} نے {city} کے ایک مرکز میں منشیات کی بحالی کا علاج شروع کیا ہے اور چار ہفتے کی رخصت پر ہوں گے۔",
        n_add="انسدادِ منشیات فورس کے مطابق {year} میں ملک میں 76 لاکھ افراد منشیات استعمال کرتے تھے۔",
    ),
    "lb": dict(
        name="Numm", dob="Gebuertsdatum", idl="Matrikelnummer", dept="Departement", town="Uertschaft", year="Joer",
        count="Zuel", subj="Donnéeë vum Mataarbechter", speaker="Ressources humaines",
        s_share="Fir de Protokoll: {name}, gebuer den {dob}, Matrikelnummer {id}. Bitt nach dëse Mount an d'Pai androen.",
        n_web="D'ACD erënnert drun, datt d'Steiererklärung dëst Joer bis den 31. Dezember online agereecht ka ginn.",
        s_bio="De Fangerofdrock vum {name} gouf am Zougangssystem um 3. Stack registréiert; biometresch Schabloun Nr. {ref}.",
        n_bio="D'Zougangskontroll am Gebai leeft iwwer Badgen; d'Firma späichert keng biometresch Donnéeë vu kengem.",
        s_dis="{name} huet Multiple Sklerose a gouf als behënnerte Salarié unerkannt; op der Aarbecht brauch et e verstellbaren Dësch.",
        n_dis="D'Gebai huet Rampen an e Lift fir Rollstullfuerer; {year} waren 2,8 % vun de Salariéen als behënnert unerkannt, seet de STATEC.",
        s_pol="{name} ass zënter Joren Member vun enger Partei a bezuelt all Mount seng Cotisatioun; d'Direktioun soll dat net gewuer ginn.",
        n_pol="Bei de Chamberwalen {year} louch d'Participatioun bei 87 %; d'Resultater pro Partei stinn op elections.lu.",
        s_add="{name} huet an enger Klinik zu {city} eng Alkoholentwéinung ugefaang a bleift véier Wochen krankgeschriwwen.",
        n_add="D'Drogenhëllef huet {year} bal 1.200 Persoune beroden, dat geet aus dem Joresrapport ervir.",
    ),
    "mt": dict(
        name="Isem", dob="Data tat-twelid", idl="Nru tal-Karta tal-Identità", dept="Dipartiment", town="Lokalità",
        year="Sena", count="Numru", subj="Dettalji tal-impjegat", speaker="Riżorsi Umani",
        s_share="Għall-minuti: {name}, data tat-twelid {dob}, numru tal-karta tal-identità {id}. Jekk jogħġbok daħħlu fis-sistema tal-pagi dan ix-xahar.",
        n_web="Il-Kummissarju għat-Taxxa jfakkar li d-data tal-għeluq għar-ritorn tat-taxxa online hija t-30 ta' Ġunju.",
        s_bio="Il-marki tas-swaba' ta' {name} ġew irreġistrati fis-sistema tal-aċċess tat-tielet sular; mudell bijometriku nru {ref}.",
        n_bio="Is-sistema tal-aċċess tal-bini taħdem bil-kards; il-kumpanija ma żżommx data bijometrika ta' ħadd.",
        s_dis="Għal {name}: sklerożi multipla, karta tad-diżabilità maħruġa mill-CRPD; bżonn mejda aġġustabbli u parkeġġ ħdejn il-bieb.",
        n_dis="Il-bini għandu rampi u lift aċċessibbli; fl-{year}, 6 % tal-popolazzjoni kellha diżabilità, skont l-NSO.",
        s_pol="{name} huwa membru tal-partit u jħallas il-miżata kull xahar; talab li l-maniġment ma jsirx jaf.",
        n_pol="Fl-elezzjoni ġenerali tal-{year} il-parteċipazzjoni kienet ta' 85 %; ir-riżultati huma fuq is-sit tal-Kummissjoni Elettorali.",
        s_add="{name} beda trattament ta' detossifikazzjoni mill-alkoħol f'{city} u se jkun fuq leave tal-mard għal erba' ġimgħat.",
        n_add="Is-Sedqa għenet 2,300 persuna bi problemi tal-alkoħol fl-{year}, skont ir-rapport annwali.",
    ),
    "uz": dict(
        name="F.I.Sh.", dob="Tug'ilgan sana", idl="JSHSHIR", dept="Bo'lim", town="Shahar", year="Yil", count="Soni",
        subj="Xodim ma'lumotlari", speaker="Kadrlar bo'limi",
        s_share="Bayonnoma uchun: {name}, tug'ilgan sana {dob}, JSHSHIR {id}. Iltimos, shu oy ish haqi tizimiga kiriting.",
        n_web="Soliq qo'mitasi jismoniy shaxslar daromad deklaratsiyasini 1-apreldan onlayn topshirish mumkinligini eslatadi.",
        s_bio="{name}ning barmoq izlari 3-qavatdagi kirish tizimiga ro'yxatga olindi; biometrik shablon raqami {ref}.",
        n_bio="Binoga kirish karta orqali amalga oshiriladi; kompaniya hech kimning biometrik ma'lumotlarini saqlamaydi.",
        s_dis="{name} tarqoq sklerozdan aziyat chekadi va II guruh nogironligi bor; unga balandligi rostlanadigan stol kerak.",
        n_dis="Binoda pandus va nogironlar uchun lift bor; {year}-yilda 800 mingdan ortiq nogironligi bo'lgan shaxs ro'yxatda edi.",
        s_pol="{name} bir siyosiy partiyaning a'zosi va har oy badal to'laydi; rahbariyat bilmasligini so'radi.",
        n_pol="{year}-yilgi saylovlarda saylovchilar faolligi 74 foizni tashkil etdi; natijalar MSK saytida e'lon qilingan.",
        s_add="{name} {city}dagi narkologiya dispanserida alkogolizmdan davolanishni boshladi va to'rt hafta kasallik ta'tilida bo'ladi.",
        n_add="Respublika narkologiya markazi {year}-yilda 12 ming kishiga yordam ko'rsatdi.",
    ),
}  # fmt: skip
