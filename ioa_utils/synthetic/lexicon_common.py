"""Shared vocabulary: the ``Topic`` type, filler openers/closers per language, organic topics of the
control accounts (and of compromised accounts before the takeover), bios and places."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    phrases: tuple[str, ...]  # sentence templates with one or two ``{w}`` slots
    words: tuple[str, ...]  # slot fillers
    hashtags: tuple[str, ...]  # without '#'


# Openers and closers shared by every narrative of a language (realistic overlap between topics).
FILLERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "zh": (("", "", "大家看看，", "真相是：", "再说一遍，", "转发扩散！", "今天的新闻：", "说实话，"),
           ("", "", "。", "！", "，大家怎么看？", "，请转发。", "，真相只有一个。", "，太可笑了。")),
    "en": (("", "", "Breaking: ", "Look at this. ", "Honestly, ", "Remember: ", "Just saw this. ", "Again, "),
           ("", "", ".", "!", ". Share if you agree.", ". Think about it.", ". Spread the word.", "!!")),
    "ru": (("", "", "Важно! ", "Друзья, ", "Новости: ", "Смотрите: ", "Напоминаем: ", "Сегодня "),
           ("", "", ".", "!", ". Поделитесь с друзьями.", ". Подробности по ссылке.", "!!", ". Согласны?")),
    "tr": (("", "", "Son dakika: ", "Arkadaşlar, ", "Bugün ", "Unutmayın: ", "Bakın ", "Evet, "),
           ("", "", ".", "!", ". Paylaşalım!", ". Allah razı olsun.", "!!", ". Ne dersiniz?")),
    "ar": (("", "", "صباح الخير ", "اليوم ", "والله "), ("", ".", "!", " 😍", " 👍")),
    "de": (("", "", "Heute ", "Endlich ", "Ehrlich gesagt "), ("", ".", "!", " 😊", " :)")),
}

# Joins between two phrases of one tweet.
JOINERS: dict[str, tuple[str, ...]] = {
    "zh": ("，", "。", "！", "。\n"),
    "en": (". ", "! ", ", ", ".\n", ".\n\n"),
    "ru": (". ", "! ", ", ", ".\n", ".\n\n"),
    "tr": (". ", "! ", ", ", ".\n", ".\n\n"),
    "ar": (" ", "، ", "\n"),
    "de": (". ", "! ", ", ", ".\n"),
}

ORGANIC_TOPICS: dict[tuple[str, str], Topic] = {
    ("organic_food", "en"): Topic(
        ("Made {w} for dinner tonight", "Trying a new {w} recipe this weekend", "Best {w} in town, no doubt",
         "Who else craves {w} on a rainy day", "My grandma's {w} is still the best"),
        ("pasta", "pancakes", "ramen", "tacos", "banana bread", "curry", "pizza", "lasagna", "sourdough"),
        ("foodie", "recipe", "homecooking"),
    ),
    ("organic_sport", "en"): Topic(
        ("What a match! {w} was unbelievable", "Can't wait for the {w} game tonight",
         "Morning run done, still thinking about {w}", "{w} finally won at home", "That {w} goal though"),
        ("Liverpool", "Lakers", "Chelsea", "Arsenal", "Celtics", "United", "City", "Messi"),
        ("football", "NBA", "PremierLeague"),
    ),
    ("organic_weather", "en"): Topic(
        ("So much {w} today, staying inside", "Finally some {w} after a long week",
         "The {w} this morning was beautiful", "Forecast says more {w} tomorrow", "Walked to work in the {w}"),
        ("rain", "sunshine", "snow", "fog", "wind", "heat", "thunderstorms", "clouds"),
        ("weather", "sunday"),
    ),
    ("organic_tech", "en"): Topic(
        ("My {w} keeps crashing after the update", "Just upgraded to a new {w}",
         "Anyone else having problems with {w}", "Learning {w} this month, wish me luck",
         "The new {w} looks amazing"),
        ("laptop", "phone", "Python", "wifi router", "smartwatch", "headphones", "graphics card", "app"),
        ("tech", "coding", "gadgets"),
    ),
    ("organic_food", "zh"): Topic(
        ("今天做了{w}，味道还不错", "周末和朋友去吃{w}", "好想吃妈妈做的{w}", "楼下新开的{w}店排长队",
         "第一次自己做{w}，有点失败"),
        ("火锅", "饺子", "红烧肉", "奶茶", "小笼包", "麻辣烫", "蛋糕", "烤鸭", "煎饼"),
        ("美食", "吃货"),
    ),
    ("organic_sport", "zh"): Topic(
        ("昨晚的{w}比赛太精彩了", "每天坚持{w}一小时", "{w}终于赢了，激动", "周末去看{w}比赛", "{w}又输了，心累"),
        ("篮球", "足球", "羽毛球", "乒乓球", "马拉松", "国足", "湖人", "跑步", "游泳"),
        ("体育", "NBA"),
    ),
    ("organic_weather", "zh"): Topic(
        ("今天{w}，出门记得带伞", "这几天{w}，好舒服", "北方又{w}了", "早上{w}，堵车严重", "终于{w}了，心情好"),
        ("下大雨", "晴天", "下雪", "大雾", "降温", "刮大风", "雾霾", "高温"),
        ("天气",),
    ),
    ("organic_tech", "zh"): Topic(
        ("新买的{w}用着挺顺手", "{w}又更新了，好多新功能", "求推荐一款{w}", "{w}电池不耐用", "在学{w}编程"),
        ("手机", "笔记本", "耳机", "平板", "路由器", "智能手表", "相机", "Python"),
        ("科技", "数码"),
    ),
    ("organic_food", "ru"): Topic(
        ("Приготовила {w} на ужин", "Лучший {w} в городе", "В выходные пекли {w} всей семьёй",
         "Кто знает хороший рецепт {w}", "Бабушкин {w} самый вкусный"),
        ("борщ", "пельмени", "блины", "плов", "оливье", "пирог", "шашлык", "сырники"),
        ("еда", "рецепт"),
    ),
    ("organic_sport", "ru"): Topic(
        ("Вчера {w} сыграли отлично", "Собираюсь на {w} в субботу", "Какой гол забил {w}",
         "Утренняя пробежка перед {w}", "{w} опять проиграли дома"),
        ("Спартак", "ЦСКА", "Зенит", "хоккей", "марафон", "сборная", "Локомотив", "футбол"),
        ("футбол", "хоккей", "КХЛ"),
    ),
    ("organic_weather", "ru"): Topic(
        ("На улице {w}, сижу дома", "Наконец-то {w}", "Обещают {w} на выходных", "С утра {w}, пробки",
         "Какой сегодня {w}"),
        ("снег", "мороз", "дождь", "солнце", "гололёд", "туман", "ветер", "жара"),
        ("погода",),
    ),
    ("organic_tech", "ru"): Topic(
        ("Купил новый {w}, доволен", "Опять глючит {w} после обновления", "Посоветуйте хороший {w}",
         "Учу {w} по вечерам", "Сломался {w}, что делать"),
        ("смартфон", "ноутбук", "роутер", "Python", "планшет", "наушники", "телевизор", "компьютер"),
        ("технологии", "гаджеты"),
    ),
    ("organic_food", "tr"): Topic(
        ("Akşam yemeğinde {w} yaptım", "Hafta sonu {w} yemeye gittik", "Annemin {w} tadı hiçbir yerde yok",
         "Bu şehirde en iyi {w} nerede", "Sabah kahvaltısında {w} şart"),
        ("mantı", "lahmacun", "kebap", "börek", "baklava", "menemen", "simit", "karnıyarık"),
        ("yemek", "lezzet"),
    ),
    ("organic_sport", "tr"): Topic(
        ("Dün akşam {w} harika oynadı", "{w} maçı için sabırsızlanıyorum", "Bu sezon {w} şampiyon olur",
         "{w} yine puan kaybetti", "Sabah koşusu tamam, hedef {w}"),
        ("Galatasaray", "Fenerbahçe", "Beşiktaş", "Trabzonspor", "milli takım", "derbi", "basketbol",
         "maraton"),
        ("futbol", "derbi"),
    ),
    ("organic_weather", "tr"): Topic(
        ("Bugün hava {w}, dışarı çıkmıyorum", "İstanbul'da yine {w}", "Yarın {w} bekleniyor",
         "Sabah {w} vardı, trafik kilit", "Sonunda {w} geldi"),
        ("çok yağmurlu", "karlı", "güneşli", "sisli", "fırtına", "sıcak", "soğuk", "rüzgarlı"),
        ("hava", "İstanbul"),
    ),
    ("organic_tech", "tr"): Topic(
        ("Yeni {w} aldım, çok memnunum", "{w} güncellemeden sonra yavaşladı", "Tavsiye edebileceğiniz bir {w}",
         "Akşamları {w} öğreniyorum", "{w} yine bozuldu"),
        ("telefon", "laptop", "modem", "kulaklık", "tablet", "Python", "oyun bilgisayarı", "akıllı saat"),
        ("teknoloji",),
    ),
    ("organic_food", "ar"): Topic(
        ("اليوم طبخت {w}", "أفضل {w} في المدينة", "اشتقت إلى {w} أمي", "فطور اليوم {w} وشاي"),
        ("كبسة", "منسف", "فلافل", "كنافة", "شاورما", "حمص", "مقلوبة"),
        ("اكل", "مطبخ"),
    ),
    ("organic_sport", "ar"): Topic(
        ("مباراة رائعة من {w} اليوم", "متى مباراة {w} القادمة", "{w} بطل هذا الموسم", "هدف {w} كان رائع"),
        ("الهلال", "النصر", "ريال مدريد", "برشلونة", "الأهلي", "محمد صلاح", "المنتخب"),
        ("كرة_القدم",),
    ),
    ("organic_weather", "ar"): Topic(
        ("الجو اليوم {w}", "{w} في الرياض اليوم", "اللهم {w} خير", "غدا {w} حسب الأرصاد"),
        ("حار جدا", "غبار", "مطر", "بارد", "جميل", "رطوبة عالية"),
        ("الطقس",),
    ),
    ("organic_food", "de"): Topic(
        ("Heute gab es {w} zum Abendessen", "Der beste {w} der Stadt", "Am Wochenende backen wir {w}",
         "Omas {w} ist unschlagbar"),
        ("Schnitzel", "Käsekuchen", "Currywurst", "Spätzle", "Apfelstrudel", "Brezeln", "Döner"),
        ("essen", "rezept"),
    ),
    ("organic_sport", "de"): Topic(
        ("Was für ein Spiel von {w}", "Samstag geht es zu {w}", "{w} hat schon wieder verloren",
         "Training für den {w} läuft gut"),
        ("Bayern", "Dortmund", "Schalke", "der Nationalmannschaft", "Halbmarathon", "Union Berlin"),
        ("bundesliga", "fussball"),
    ),
    ("organic_weather", "de"): Topic(
        ("Heute nur {w}, bleibe zu Hause", "Endlich {w} in Berlin", "Morgen soll es {w} geben",
         "Schon wieder {w}"),
        ("Regen", "Sonne", "Schnee", "Nebel", "Gewitter", "Sturm", "Hitze"),
        ("wetter",),
    ),
}

# Organic users who talk about the same targets as the campaigns with the opposite stance (hard negatives for
# stance-blind keyword labels): Hong Kong protesters' supporters and critics of the Covid-19 cover-up, critics of
# Putin and United Russia (the 2020 "обнуление" of presidential terms, "партия жуликов и воров"), Turkish voters
# of CHP and HDP and critics of the AKP government (Imamoğlu's 2019 "Her şey çok güzel olacak", Demirtaş's
# detention, the trustees (kayyum) replacing elected HDP mayors). Written from news coverage of the period.
OPPOSITION = "organic_opposition"
OPPOSITION_TOPICS: dict[tuple[str, str], Topic] = {
    (OPPOSITION, "zh"): Topic(
        ("支持香港人争取{w}，不要再打压了", "警察对示威者滥用暴力，{w}在哪里？", "李文亮医生说了真话却被训诫，{w}何在",
         "武汉封城前瞒报疫情，{w}呢", "台湾人有权选择自己的{w}", "一国两制早就名存实亡，{w}没了",
         "郭文贵爆料的事，{w}总该有人查一查"),
        ("自由", "民主", "言论自由", "真相", "新闻自由", "人权", "公道", "未来", "普选", "透明"),
        ("StandWithHongKong", "李文亮", "言论自由", "香港"),
    ),
    (OPPOSITION, "en"): Topic(
        ("I stand with the people of Hong Kong and their {w}",
         "Police brutality against protesters in Hong Kong has to stop, we need {w}",
         "Wuhan doctors were silenced about the virus, where is the {w}",
         "Taiwan handled the pandemic better than anyone, {w} matters",
         "Putin jailed his critics again, so much for {w}",
         "Erdogan is locking up journalists, {w} is dying in Turkey",
         "United Russia rigged another vote, no {w} there"),
        ("freedom", "democracy", "free press", "accountability", "transparency", "human rights", "rule of law",
         "free speech"),
        ("StandWithHongKong", "FreePress", "HumanRights", "Democracy"),
    ),
    (OPPOSITION, "ru"): Topic(
        ("Единая Россия — партия жуликов и воров, {w} не будет", "Не голосуйте за Единую Россию, пора требовать {w}",
         "Путин опять обнулился, про {w} можно забыть", "Единороссы снова подняли пенсионный возраст, где {w}",
         "Президент обещал {w}, а цены растут", "Навальный прав: без {w} страна не изменится",
         "Опять вбросы на участке, {w} у нас нет"),
        ("честные выборы", "свобода слова", "справедливость", "сменяемость власти", "независимый суд",
         "реальные перемены", "нормальные зарплаты", "прозрачность"),
        ("НетОбнулению", "Навальный", "ЧестныеВыборы", "ЕР"),
    ),
    (OPPOSITION, "tr"): Topic(
        ("CHP'ye oy verdim, {w} için değişim şart", "İmamoğlu İstanbul'u kazandı, her şey çok güzel olacak, {w}",
         "Demirtaş'a özgürlük, {w} istiyoruz", "HDP'li seçilmiş başkanların yerine kayyum atandı, {w} nerede",
         "AKP iktidarı ekonomiyi batırdı, {w} kalmadı", "Erdoğan gitsin, {w} gelsin",
         "Kılıçdaroğlu haklı: {w} için birlikte mücadele"),
        ("demokrasi", "adalet", "hukuk devleti", "ifade özgürlüğü", "basın özgürlüğü", "iş", "huzur", "barış"),
        ("HerŞeyÇokGüzelOlacak", "DemirtaşaÖzgürlük", "CHP", "HakHukukAdalet"),
    ),
    (OPPOSITION, "ar"): Topic(
        ("أردوغان يعتقل الصحفيين مرة أخرى، أين {w}", "الحرية لهونغ كونغ، {w} للجميع", "لا {w} بدون انتخابات حرة"),
        ("الحرية", "الديمقراطية", "العدالة", "حرية الصحافة"),
        ("حرية", "حقوق_الإنسان"),
    ),
    (OPPOSITION, "de"): Topic(
        ("Erdoğan sperrt wieder Journalisten ein, {w} gibt es dort nicht",
         "Putin lässt Kritiker verhaften, traurig für {w}", "Solidarität mit Hongkong, {w} für alle",
         "Die HDP wird wieder schikaniert, {w} sieht anders aus"),
        ("Pressefreiheit", "Demokratie", "Meinungsfreiheit", "Rechtsstaat", "Freiheit"),
        ("Pressefreiheit", "Demokratie"),
    ),
}
ORGANIC_TOPICS.update(OPPOSITION_TOPICS)

# Bios of organic accounts, per language (some with newlines, like real profiles).
BIOS: dict[str, tuple[str, ...]] = {
    "en": ("Coffee lover. Dog person.", "Engineer | runner | dad", "Living one day at a time",
           "Student.\nOpinions are my own.", "Photography, travel and good food", "Teacher 📚",
           "Football fan since forever", "Nurse. Mom of two.\nBe kind.", "", ""),
    "zh": ("热爱生活", "喜欢旅行和美食", "程序员一枚", "学生党\n努力学习", "摄影爱好者", "做个快乐的人", "", ""),
    "ru": ("Люблю жизнь", "Инженер, папа, рыбак", "Москва • спорт • кофе", "Студентка МГУ\nФотограф",
           "Просто живу", "", ""),
    "tr": ("Hayat güzel", "Öğretmen | kitap kurdu", "Galatasaray aşkı 💛❤️", "Mühendis\nİstanbul",
           "Kahve ve kitap", "", ""),
}

LOCATIONS: dict[str, tuple[str, ...]] = {
    "en": ("London", "New York", "Toronto", "Sydney", "California, USA", "Manchester", "", ""),
    "zh": ("北京", "上海", "广州", "深圳", "成都", "", "", ""),
    "ru": ("Москва", "Санкт-Петербург", "Россия", "Казань", "Новосибирск", "", ""),
    "tr": ("İstanbul", "Ankara", "İzmir", "Türkiye", "Bursa", "Konya", "", ""),
}

# Outlets whose headlines organic news aggregators repost (none is a campaign domain of ``lexicon_campaign``).
NEWS_DOMAINS: dict[str, tuple[str, ...]] = {
    "en": ("www.bbc.co.uk", "www.reuters.com", "apnews.com", "www.theguardian.com"),
    "zh": ("www.zaobao.com", "www.bbc.com", "www.thepaper.cn", "www.36kr.com"),
    "ru": ("www.rbc.ru", "www.kommersant.ru", "www.sports.ru", "www.gismeteo.ru"),
    "tr": ("www.ntv.com.tr", "www.hurriyet.com.tr", "www.sozcu.com.tr", "www.webtekno.com"),
}
CONTROL_HANDLES: dict[str, tuple[str, ...]] = {
    "en": ("BBCSport", "weatherchannel", "verge", "foodnetwork", "espn", "TechCrunch"),
    "zh": ("weibo_news", "dianping", "huxiu", "cctv5sports", "tianqi_cn", "ifanr"),
    "ru": ("sportsru", "meteoinfo", "habr_com", "povarenok", "championat", "gismeteo"),
    "tr": ("Sporx", "meteoroloji", "webtekno", "yemekcom", "fanatik", "shiftdeletenet"),
    "ar": ("AlHilal_FC", "arabweather", "matbakh"),
    "de": ("kicker", "wetteronline", "chefkoch_de"),
}
