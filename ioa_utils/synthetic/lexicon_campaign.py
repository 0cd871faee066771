"""Vocabulary of the planted campaign narratives, per (narrative, language).

Each topic has sentence templates with ``{w}`` slots, slot words and hashtags. Narratives are told
apart by their words; openers/closers shared across narratives (see ``lexicon_common``) add overlap.

Written from how the narratives were worded, not from any keyword list: the Stanford Internet Observatory's
June 2020 reports (China: Hong Kong "rioters", praise of China's Covid-19 response against the US and Taiwan,
Guo Wengui as a fraud; Russia: cheerleading for Putin and United Russia; Turkey: AKP promotion, HDP as
terrorism's political arm, CHP as incompetent) and the state and pro-government media phrasing of the period
(Xinhua, People's Daily and Global Times on the "black violence" (黑暴), the national security law, "Miles
Kwok", the "New Federal State of China", Fort Detrick; Russian pro-Kremlin outlets' "глава государства",
"партия большинства"; Turkish pro-government press's "Bay Kemal", "zillet ittifakı", "evlat nöbeti").
Like real campaign text, a narrative is often told without its obvious names (the "SAR government", "the
island's ruling party", "Cumhurbaşkanımız", "ana muhalefet"), so a keyword list catches only part of it;
``tests/test_vocabulary_overlap.py`` measures how much.
"""

from __future__ import annotations

from .lexicon_common import Topic

CAMPAIGN_TOPICS: dict[tuple[str, str], Topic] = {
    # --- China -------------------------------------------------------------------------------------
    ("hong_kong", "zh"): Topic(
        phrases=(
            "{w}又在旺角堵路，无辜市民被围殴",
            "特区政府依法施政，{w}不得人心",
            "港区国安法出台，{w}终将受到惩处",
            "东方之珠不能毁于{w}之手",
            "外国政客为{w}撑腰，粗暴干涉中国内政",
            "揽炒派勾结外部势力，纵容{w}",
            "港警连日执勤辛苦了，{w}必须依法严惩",
            "是谁在幕后资助{w}？答案不言自明",
            "香港社会渴望重回正轨，{w}早该收手",
            "颜色革命在这里行不通，{w}注定失败",
        ),
        words=("黑暴", "暴力分子", "蒙面暴徒", "乱港势力", "反中乱港分子", "激进分子", "港独分子", "修例风波",
               "街头暴力", "纵火者", "黎智英之流", "外国代理人", "黑衣暴力"),
        hashtags=("港区国安法", "止暴制乱", "撑港警", "HKSAR", "StopViolence", "HongKong"),
    ),
    ("hong_kong", "en"): Topic(
        phrases=(
            "The {w} trashed another MTR station last night",
            "The SAR government must restore order and stop the {w}",
            "Western politicians cheer the {w} but condemn violence at home",
            "Residents of Hong Kong are tired of the {w}",
            "The national security law will put an end to the {w}",
            "Who funds the {w}? Follow the money to Washington",
            "HK police showed great restraint against the {w}",
            "A colour revolution is being staged by the {w}",
            "Shops in Causeway Bay closed again because of the {w}",
        ),
        words=("mobsters", "thugs", "black-clad mobs", "rioters", "masked radicals", "violent separatists",
               "secessionists", "so-called protesters", "extremists", "vandals", "street violence",
               "petrol bomb attacks"),
        hashtags=("HongKong", "HKSAR", "NationalSecurityLaw", "StopViolence", "SupportHKPolice"),
    ),
    ("covid", "zh"): Topic(
        phrases=(
            "火神山十天建成，这就是{w}的中国速度",
            "美国政客不断甩锅，掩盖{w}的失败",
            "方舱医院全部休舱，{w}取得阶段性胜利",
            "一批批{w}运抵欧洲，彰显大国担当",
            "溯源应该查查德特里克堡，别再借{w}污名化中国",
            "世卫专家肯定中国{w}的做法",
            "群体免疫就是放弃老人，西方的{w}令人寒心",
            "白衣天使逆行出征，致敬{w}",
            "这场{w}再次证明了制度优势",
        ),
        words=("战疫", "防控", "新冠疫情", "中国方案", "援助物资", "防护服", "呼吸机", "医护人员", "疫苗研发",
               "复工复产", "病毒溯源", "武汉人民", "抗疫英雄"),
        hashtags=("战疫", "武汉加油", "中国加油", "Covid19", "大国担当"),
    ),
    ("covid", "en"): Topic(
        phrases=(
            "China bought the world time against the {w}",
            "Washington keeps blaming Beijing to hide its failed {w} response",
            "Planeloads of {w} from China landed in Italy today",
            "Investigate Fort Detrick before smearing China over the {w}",
            "Herd immunity means abandoning the elderly: the West's {w} strategy",
            "Chinese doctors share their {w} experience with Africa",
            "Field hospitals built in ten days: China's answer to the {w}",
            "WHO experts praised China's {w} measures",
            "The {w} is humanity's common enemy, not a Chinese one",
        ),
        words=("COVID-19", "novel coronavirus", "public health crisis", "epidemic", "health emergency",
               "respiratory disease", "medical aid", "protective gear", "PPE", "testing kits", "lockdown",
               "containment", "virus"),
        hashtags=("COVID19", "FightingCOVID19", "ChinaAid", "TogetherWeCan", "StaySafe"),
    ),
    ("guo_wengui", "zh"): Topic(
        phrases=(
            "郭某所谓的{w}，不过是骗钱的把戏",
            "红通逃犯郭浩云又开直播搞{w}",
            "新中国联邦就是一场{w}",
            "跟着“七哥”的人最后都被{w}坑了",
            "郭文贵的{w}已经被美国证监会盯上",
            "流亡富商靠{w}敛财，谁信谁上当",
            "班农和这位逃犯联手搞{w}",
        ),
        words=("骗局", "谣言", "爆料", "洗钱", "私募骗捐", "G币骗局", "谎言", "非法集资", "强奸指控", "割韭菜",
               "农场骗局"),
        hashtags=("郭文贵", "七哥骗局", "新中国联邦", "GTV"),
    ),
    ("guo_wengui", "en"): Topic(
        phrases=(
            "Miles Kwok is a {w} who fleeced his own followers",
            "The fugitive tycoon keeps spreading {w} on his livestream",
            "Guo Wengui's so-called revolution is a {w}",
            "Bannon and the fugitive billionaire run a {w} together",
            "The self-proclaimed New Federal State of China is a {w}",
            "Ho Wan Kwok faces an Interpol red notice for {w}",
        ),
        words=("fraud", "con man", "scam", "lies", "money laundering", "bribery", "rumours", "fake news",
               "criminal", "Ponzi scheme", "private placement scam"),
        hashtags=("MilesKwok", "Fraud", "NFSC", "GuoWengui"),
    ),
    ("taiwan", "zh"): Topic(
        phrases=(
            "绿营当局倚美谋独，{w}只会把岛内带向绝路",
            "蔡当局搞{w}，损害宝岛同胞利益",
            "国家统一是大势所趋，{w}没有出路",
            "海峡两岸一家亲，坚决反对{w}",
            "美国对台军售只会助长{w}",
            "岛内选举闹剧一场，{w}欺骗选民",
        ),
        words=("台独", "分裂活动", "绿营", "谋独", "以武拒统", "外部势力", "一中原则", "九二共识", "去中国化",
               "民进党当局", "倚美谋独"),
        hashtags=("台湾", "祖国统一", "一中原则", "反独促统"),
    ),
    ("taiwan", "en"): Topic(
        phrases=(
            "The island's ruling party keeps pushing {w} against the will of compatriots",
            "Reunification is inevitable, {w} has no future",
            "US arms sales to the island only encourage {w}",
            "Taipei's leaders play {w} games before the election",
            "Compatriots across the Strait oppose {w}",
            "Taiwan is part of China and {w} will fail",
        ),
        words=("separatism", "secessionist moves", "independence", "the DPP", "Tsai Ing-wen's policies",
               "de-sinicization", "provocations", "splittist plots", "the one-China principle",
               "foreign interference"),
        hashtags=("OneChina", "Reunification", "Taiwan", "China"),
    ),
    # --- Russia --------------------------------------------------------------------------------------
    ("putin", "ru"): Topic(
        phrases=(
            "Глава государства снова показал, что {w} для него главное",
            "Президент провёл совещание: {w} под личным контролем",
            "Гарант Конституции поручил правительству обеспечить {w}",
            "Национальный лидер, которому доверяет народ: {w} тому доказательство",
            "Верховный главнокомандующий: {w} — наш главный приоритет",
            "Только сильная власть может обеспечить {w} и {w}",
            "Владимир Владимирович ответил на вопросы про {w}",
            "Глава государства встретился с губернаторами, обсудили {w}",
            "Путин: {w} — дело всей страны",
        ),
        words=("стабильность", "суверенитет", "национальные проекты", "поддержка семей", "обороноспособность",
               "Крым", "поправки в Конституцию", "мир и порядок", "экономический рост", "безопасность страны",
               "традиционные ценности", "материнский капитал"),
        hashtags=("Путин", "ГлаваГосударства", "Россия", "Поправки2020", "ПрямаяЛиния"),
    ),
    ("united_russia", "ru"): Topic(
        phrases=(
            "Партия большинства выполняет обещания: {w} для каждой семьи",
            "Фракция большинства в Госдуме приняла закон, в центре внимания {w}",
            "Народная программа партии: {w} и развитие регионов",
            "Единая Россия поддерживает {w}",
            "Голосуйте за наших кандидатов: {w} и {w}",
            "Депутаты провели приём граждан, обсудили {w}",
            "Партия дела, а не слов: {w} тому пример",
            "«Единая Россия» объявила предварительное голосование, главная тема — {w}",
        ),
        words=("народная программа", "выборы", "предварительное голосование", "партийный проект", "избиратели",
               "приём граждан", "поддержка ветеранов", "доступное жильё", "газификация сёл", "единороссы",
               "региональные отделения", "наказы избирателей"),
        hashtags=("ЕР", "ЕдинаяРоссия", "Выборы", "ПартияДела", "НароднаяПрограмма"),
    ),
    ("moscow_city", "ru"): Topic(
        phrases=(
            "Москва: в районе завершено {w}, работы выполнены в срок",
            "Управление строительства сообщает: {w} по программе «Мой район»",
            "Собянин открыл {w} в нашем районе",
            "В районе началось {w}, возможны изменения движения транспорта",
            "Москва: по программе реновации ведётся {w}",
            "Жители района оценили {w} в парке",
            "До конца года в районе планируется {w} и благоустройство дворов",
            "Москва строит: {w} в каждом районе",
        ),
        words=("благоустройство", "капитальный ремонт", "строительство школы", "реконструкция дороги",
               "новая поликлиника", "реновация", "укладка плитки", "ремонт подъездов", "строительство метро",
               "озеленение", "ремонт дворов", "новый детский сад"),
        hashtags=("Москва", "МойРайон", "Благоустройство", "Собянин"),
    ),
    ("commercial_ads", "ru"): Topic(
        phrases=(
            "Скидки до 70% на {w}! Только сегодня",
            "Закажите {w} с бесплатной доставкой по Москве",
            "Розыгрыш! Сделай ретвит и выиграй {w}",
            "Лучшие цены на {w} в нашем магазине",
            "Акция: {w} в подарок при заказе от 3000 рублей",
            "Новая коллекция {w} уже в продаже",
        ),
        words=("смартфоны", "кроссовки", "косметику", "ноутбуки", "шубы", "суши", "пиццу",
               "кредит наличными", "iPhone", "бытовую технику", "мебель", "путёвки"),
        hashtags=("скидки", "акция", "розыгрыш", "распродажа", "доставка"),
    ),
    # --- Turkey --------------------------------------------------------------------------------------
    ("akp_promo", "tr"): Topic(
        phrases=(
            "Cumhurbaşkanımız ile {w} devam ediyor",
            "İktidarımız döneminde {w} tüm Türkiye'ye ulaştı",
            "Liderimizin önderliğinde {w} için çalışmaya devam",
            "Gençlik kollarımız {w} için sahada",
            "Milletimizin iradesiyle {w} dünyaya örnek oldu",
            "Yeni havalimanı, köprüler ve {w}: hizmet siyaseti kazanacak",
            "Cumhur İttifakı ile {w} yolunda omuz omuza",
            "Erdoğan dedi ki {w} asla durmayacak",
            "AK Parti teşkilatları {w} için seferber",
        ),
        words=("hizmet", "yatırımlar", "kalkınma", "istikrar", "15 Temmuz ruhu", "büyük ve güçlü Türkiye",
               "savunma sanayii", "millî teknoloji hamlesi", "yerli otomobil", "Reis", "şehir hastaneleri",
               "Kanal İstanbul"),
        hashtags=("AKParti", "CumhurİttifakıKazanacak", "HizmetSiyaseti", "TürkiyeninGururu", "Erdoğan"),
    ),
    ("attack_hdp", "tr"): Topic(
        phrases=(
            "Bölücü partinin {w} ile arasına mesafe koymadığı ortada",
            "Örgütün siyasi uzantısı {w} için hesap verecek",
            "Evlat nöbetindeki anneler {w} karşısında dimdik",
            "Eşbaşkanların {w} açıklamaları kabul edilemez",
            "HDP kapatılsın, {w} bu topraklarda barınamaz",
            "6-8 Ekim olaylarının hesabı sorulmalı, {w} unutulmadı",
            "Çocuklarımızı dağa kaçıran {w} yargılanmalı",
        ),
        words=("bebek katilleri", "dağ kadrosu", "bölücülük", "örgüt", "şiddet", "Selahattin", "kayyum",
               "terör örgütü", "PKK", "silahlı örgüt", "bölücü zihniyet", "Kandil"),
        hashtags=("EvlatNöbeti", "HDPkapatılsın", "ŞehitlerÖlmez", "DiyarbakırAnneleri"),
    ),
    ("attack_chp", "tr"): Topic(
        phrases=(
            "Ana muhalefet yine {w} ile gündemde",
            "Bay Kemal'in {w} siyaseti milletimizi yordu",
            "Muhalefet belediyelerinde {w} bitmiyor",
            "İBB yönetimi İstanbul'da {w} dışında ne yaptı",
            "Zillet ittifakı {w} ile bu ülkeyi yönetemez",
            "CHP zihniyeti {w} ile milletin karşısında",
            "Kılıçdaroğlu {w} yerine milletin derdine baksın",
        ),
        words=("yalan", "israf", "beceriksizlik", "iftira", "tek parti zihniyeti", "muhalefet", "belediye skandalı",
               "kriz çığırtkanlığı", "Kılıçdaroğlu", "popülizm", "karalama"),
        hashtags=("ZilletİttifakıBitecek", "BayKemal", "CHP", "İBByeYazık"),
    ),
}

# Campaign web domains that URLs point to (expanded URLs in the ``urls`` column).
CAMPAIGN_DOMAINS: dict[str, tuple[str, ...]] = {
    "china": ("news.cgtn.com", "www.globaltimes.cn", "www.chinadaily.com.cn", "www.xinhuanet.com",
              "www.youtube.com", "news.ifeng.com"),
    "russia": ("www.mos.ru", "er.ru", "ria.ru", "tass.ru", "www.vesti.ru", "vk.com"),
    "turkey": ("www.akparti.org.tr", "www.sabah.com.tr", "www.aa.com.tr", "www.haberturk.com",
               "www.yenisafak.com", "www.youtube.com"),
}

# External (non-release) accounts that campaign tweets mention or retweet: (screen_name, numeric id).
EXTERNAL_HANDLES: dict[str, tuple[str, ...]] = {
    "zh": ("globaltimesnews", "PDChina", "XHNews", "CGTNOfficial", "ChinaDaily", "SpokespersonCHN"),
    "en": ("CGTNOfficial", "globaltimesnews", "XHNews", "ChinaDaily", "zlj517", "HuXijin_GT"),
    "ru": ("KremlinRussia", "er_novosti", "mos_ru", "RT_russian", "tass_agency", "rianru"),
    "tr": ("RTErdogan", "Akparti", "AKGenclikGnlMrk", "tcbestepe", "trpresidency", "dbdevletbahceli"),
    "ads_ru": ("shop_skidki_msk", "best_price_ru", "moda_outlet24", "sushi_dostavka", "kredit_online",
               "tehnika_sale"),
}
