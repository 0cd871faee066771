"""Vocabulary of the planted campaign narratives, per (narrative, language).

Each topic has sentence templates with ``{w}`` slots, slot words and hashtags. Narratives are told
apart by their words; openers/closers shared across narratives (see ``lexicon_common``) add overlap.
"""

from __future__ import annotations

from .lexicon_common import Topic

CAMPAIGN_TOPICS: dict[tuple[str, str], Topic] = {
    # --- China -------------------------------------------------------------------------------------
    ("hong_kong", "zh"): Topic(
        phrases=(
            "香港{w}又在街头打砸，警察依法止暴制乱",
            "支持香港警察严正执法，{w}必须受到法律制裁",
            "暴徒{w}破坏香港繁荣稳定，市民忍无可忍",
            "香港是中国的香港，{w}的图谋不会得逞",
            "黑衣暴徒堵路{w}，普通市民上班受阻",
            "外部势力插手香港事务，煽动{w}制造混乱",
            "守护香港法治，反对{w}和港独分子",
            "修例风波背后是{w}和乱港分子",
            "香港警队辛苦了，坚决支持{w}",
            "暴徒向警察投掷汽油弹，{w}令人发指",
        ),
        words=("暴徒", "示威者", "港独分子", "乱港分子", "黑衣人", "暴力", "纵火", "止暴制乱", "香港警察",
               "一国两制", "法治", "街头暴力", "黎智英", "反对派"),
        hashtags=("香港", "HongKong", "止暴制乱", "支持香港警察", "HongKongPolice"),
    ),
    ("hong_kong", "en"): Topic(
        phrases=(
            "The {w} in Hong Kong are destroying the city",
            "Hong Kong police are doing their duty against the {w}",
            "Violent {w} block roads and attack ordinary residents",
            "Stop the violence and support the Hong Kong police against {w}",
            "Foreign forces are behind the {w} in Hong Kong",
            "Rioters threw petrol bombs at police, the {w} must end",
            "Hong Kong needs law and order, not {w}",
            "Masked {w} vandalised the metro station again",
            "Hong Kong is part of China and the {w} will fail",
        ),
        words=("rioters", "protesters", "mobs", "separatists", "radicals", "violence", "vandalism",
               "black-clad rioters", "extradition bill chaos", "riots", "petrol bombs", "street violence"),
        hashtags=("HongKong", "HongKongPolice", "StandWithHKPolice", "HongKongRiots", "China"),
    ),
    ("covid", "zh"): Topic(
        phrases=(
            "中国抗击{w}取得重大成果，全世界有目共睹",
            "美国政府应对{w}一塌糊涂，还在甩锅中国",
            "中国援助各国抗疫物资，{w}面前彰显大国担当",
            "台湾当局借{w}搞政治操弄，令人不齿",
            "武汉医护人员日夜奋战，打赢{w}阻击战",
            "美国{w}确诊人数飙升，政府却在推卸责任",
            "口罩和呼吸机运往欧洲，中国{w}经验值得借鉴",
            "世卫组织肯定中国{w}防控措施",
            "{w}是全人类的敌人，不应污名化中国",
        ),
        words=("新冠肺炎", "疫情", "新冠病毒", "病毒", "抗疫", "防疫", "确诊病例", "核酸检测", "医疗物资",
               "隔离", "疫苗", "武汉"),
        hashtags=("新冠肺炎", "Covid19", "抗疫", "中国", "武汉加油", "coronavirus"),
    ),
    ("covid", "en"): Topic(
        phrases=(
            "China contained the {w} while the US government failed",
            "The US response to the {w} is a disaster, stop blaming China",
            "China sent masks and ventilators to fight the {w}",
            "Taiwan authorities use the {w} for political games",
            "Wuhan doctors and nurses defeated the {w} with courage",
            "WHO praised China's fight against the {w}",
            "American {w} cases keep rising while Washington blames others",
            "The {w} is a common enemy, do not stigmatise China",
            "China shared the {w} genome with the world early",
        ),
        words=("coronavirus", "pandemic", "virus", "outbreak", "epidemic", "Covid-19", "infections",
               "lockdown", "quarantine", "vaccine", "testing", "medical supplies"),
        hashtags=("Covid19", "coronavirus", "China", "WHO", "FightCovid19", "Wuhan"),
    ),
    ("guo_wengui", "zh"): Topic(
        phrases=(
            "郭文贵是个{w}，骗了无数海外华人",
            "郭文贵又在直播{w}，谎话连篇",
            "揭穿郭文贵的{w}真面目",
            "郭文贵涉嫌{w}，早该被绳之以法",
            "跟着郭文贵的人都被{w}坑了",
            "所谓爆料革命不过是{w}的骗局",
            "郭文贵和班农勾结搞{w}",
        ),
        words=("骗子", "逃犯", "诈骗", "爆料", "谣言", "洗钱", "流亡富豪", "强奸犯", "骗局", "GTV",
               "喜马拉雅", "班农"),
        hashtags=("郭文贵", "郭骗子", "GuoWengui", "MilesGuo"),
    ),
    ("guo_wengui", "en"): Topic(
        phrases=(
            "Guo Wengui is a {w} who cheated his followers",
            "Miles Guo keeps spreading {w} on his livestream",
            "The so called whistleblower Guo Wengui is just a {w}",
            "Guo Wengui and Bannon run a {w} together",
            "Do not trust Guo Wengui, his {w} hurts Chinese abroad",
            "Fugitive Guo Wengui faces charges of {w}",
        ),
        words=("fraud", "fugitive", "liar", "scam", "rumors", "money laundering", "con man",
               "fake news", "criminal", "GTV scam"),
        hashtags=("GuoWengui", "MilesGuo", "Fraud"),
    ),
    ("taiwan", "zh"): Topic(
        phrases=(
            "台湾是中国不可分割的一部分，{w}注定失败",
            "蔡英文当局搞{w}，损害台湾同胞利益",
            "民进党操弄{w}，两岸统一是大势所趋",
            "台独势力勾结外部势力，{w}没有出路",
            "两岸同胞血浓于水，反对{w}",
            "台湾选举闹剧，{w}欺骗选民",
        ),
        words=("台独", "蔡英文", "民进党", "分裂", "九二共识", "统一", "两岸关系", "台湾当局", "选举",
               "一个中国", "祖国"),
        hashtags=("台湾", "Taiwan", "一个中国", "两岸统一"),
    ),
    ("taiwan", "en"): Topic(
        phrases=(
            "Taiwan is an inseparable part of China and {w} will fail",
            "Tsai Ing-wen's {w} harms the people of Taiwan",
            "The DPP plays {w} games before the election",
            "Reunification is inevitable, {w} has no future",
            "Foreign arms sales to Taiwan fuel {w}",
            "Compatriots across the Strait oppose {w}",
        ),
        words=("separatism", "independence", "DPP", "Tsai Ing-wen", "secession", "one China principle",
               "cross-Strait ties", "reunification", "election", "1992 Consensus"),
        hashtags=("Taiwan", "OneChina", "China", "TaiwanElection"),
    ),
    # --- Russia --------------------------------------------------------------------------------------
    ("putin", "ru"): Topic(
        phrases=(
            "Владимир Путин снова показал, что {w} для него главное",
            "Президент Путин провёл совещание: {w} под личным контролем",
            "Путин поручил правительству обеспечить {w}",
            "Путин — лидер, которому доверяет народ, {w} тому доказательство",
            "Путин: {w} — наш главный приоритет",
            "Только Путин может обеспечить {w} и {w}",
            "На прямой линии Путин ответил на вопросы про {w}",
            "Путин встретился с губернаторами, обсудили {w}",
        ),
        words=("стабильность", "суверенитет", "национальные проекты", "поддержка семей", "сильная армия",
               "Крым", "Конституция", "мир и порядок", "экономический рост", "безопасность страны",
               "патриотизм", "материнский капитал"),
        hashtags=("Путин", "Президент", "ПрямаяЛиния", "ПутинНашПрезидент"),
    ),
    ("united_russia", "ru"): Topic(
        phrases=(
            "Единая Россия выполняет обещания: {w} для каждой семьи",
            "Фракция «Единая Россия» приняла закон, в центре внимания {w}",
            "Народная программа «Единая Россия»: {w} и развитие регионов",
            "Партия «Единая Россия» поддерживает {w}",
            "Голосуйте за партию «Единая Россия»: {w} и {w}",
            "Единая Россия провела приём граждан, обсудили {w}",
            "Единая Россия — партия дела, а не слов, {w} тому пример",
            "Единая Россия объявила праймериз, главная тема — {w}",
        ),
        words=("народная программа", "депутаты партии", "выборы", "Госдума", "праймериз", "партийный проект",
               "кандидаты партии", "избиратели", "приём граждан", "единороссы", "предвыборная программа",
               "партийная дисциплина"),
        hashtags=("ЕдинаяРоссия", "ЕР", "Выборы", "Госдума"),
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
            "Cumhurbaşkanımız Recep Tayyip Erdoğan ile {w} devam ediyor",
            "AK Parti iktidarında {w} tüm Türkiye'ye ulaştı",
            "Reis'in liderliğinde {w} için çalışmaya devam",
            "AK Gençlik olarak {w} için sahadayız",
            "Milletimizin iradesi ile {w} dünyaya örnek oldu",
            "Yeni havalimanı, köprüler ve {w}: hizmet siyaseti kazanacak",
            "Dava arkadaşlarımızla {w} yolunda omuz omuza",
            "Erdoğan dedi ki {w} asla durmayacak",
        ),
        words=("hizmet", "büyük Türkiye", "yatırımlar", "kalkınma", "yerli ve milli", "istikrar",
               "Reis", "dava", "yeni Türkiye", "güçlü Türkiye", "milli irade", "AK Gençlik"),
        hashtags=("AKParti", "Erdoğan", "AKGençlik", "YerliveMilli", "Türkiye"),
    ),
    ("attack_hdp", "tr"): Topic(
        phrases=(
            "HDP {w} ile arasına mesafe koymadıkça meclise yakışmıyor",
            "Terör örgütü PKK'nın {w} olan HDP hesap verecek",
            "Diyarbakır anneleri HDP önünde {w} karşı nöbette",
            "HDP'li vekillerin {w} açıklamaları kabul edilemez",
            "HDP kapatılsın, {w} bu topraklarda barınamaz",
            "Çocuklarımızı dağa kaçıran {w} HDP",
        ),
        words=("terör", "PKK", "kandil", "bölücülük", "terör örgütü", "siyasi uzantısı", "Demirtaş",
               "terörist", "Diyarbakır anneleri", "kayyum", "bölücü"),
        hashtags=("HDP", "HDPkapatılsın", "DiyarbakırAnneleri", "TerörüLanetliyoruz"),
    ),
    ("attack_chp", "tr"): Topic(
        phrases=(
            "CHP yine {w} ile gündemde, Kılıçdaroğlu istifa",
            "Kılıçdaroğlu'nun {w} siyaseti milletimizi yordu",
            "CHP'li belediyelerde {w} bitmiyor",
            "İmamoğlu İstanbul'da {w} dışında ne yaptı",
            "Kemal Bey {w} yerine milletin derdine baksın",
            "CHP zihniyeti {w} ile bu ülkeyi yönetemez",
        ),
        words=("Kılıçdaroğlu", "yalan", "İmamoğlu", "israf", "beceriksizlik", "iftira", "CHP zihniyeti",
               "tek parti", "Kemal", "muhalefet", "belediye skandalı"),
        hashtags=("CHP", "Kılıçdaroğlu", "İmamoğlu", "CHPZihniyeti"),
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
