"""Keyword narratives of any campaign, matched on whole tokens inside DuckDB (no tweet reaches pandas).

Text (``text_norm`` plus ``#`` and each of the tweet's hashtags) is lower-cased and split into tokens: runs
of letters, digits and combining marks, and runs of punctuation or symbols (so a phrase never spans a
full stop, and "#ер" matches the hashtag only). "virus" does not match "antivirus", nor "дума" "думаю".
Scripts written without spaces between words (Chinese, Japanese kana, Thai, Lao, Khmer, Burmese) have no
word boundaries to find, so each of their characters is a token and a keyword in them matches as a
phrase of characters. Keywords are tokenised by the same SQL, so a multi-word keyword ("hong kong",
"cross-strait") matches its tokens in a row. A keyword ending in ``*`` is a stem: its last token matches any
token it begins ("covid*" matches "covid19", "путин*" matches "путина") — how the campaign files
(``data/campaigns/*.yaml``, :mod:`.campaign`) cover inflected forms explicitly.

In SQL the tokens are one string, each token between two spaces (``" hong  kong "``), so a keyword is a
literal pattern bounded by spaces and counting its non-overlapping matches counts its occurrences. Tweets
without the first token of any keyword as a substring are not tokenised at all (a cheap prefilter).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

import pandas as pd

from .base import CAMPAIGN_ROLES, CaseData, Finding, not_applicable
from .campaign import DEFAULTS, Campaign
from .campaign import load as load_campaign
from .lexicon import NARRATIVES

# Scripts without spaces between words: every character is a token.
UNSPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
# A token: one character of those scripts, a run of letters/digits/marks, or a run of punctuation and
# symbols (its own token, which no keyword's word matches, so a phrase never spans punctuation).
TOKEN = rf"[{UNSPACED}]|[\p{{L}}\p{{N}}\p{{M}}]+|[^\p{{L}}\p{{N}}\p{{M}}\s]+"
STEM = "*"
_RE2_SPECIAL = re.compile(r"([\\.^$|?*+()\[\]{}])")


def text_sql(*texts: str) -> str:
    """SQL expression: the text expressions ``texts`` joined by spaces (NULL as empty), lower-cased."""
    return "lower(" + " || ' ' || ".join(f"coalesce({t}, '')" for t in texts) + ")"


def tokens_sql(*texts: str) -> str:
    """SQL expression: the tokens of the text expressions ``texts`` as one string, each between two spaces."""
    return f"(' ' || array_to_string(regexp_extract_all({text_sql(*texts)}, '{TOKEN}'), '  ') || ' ')"


def _tweet_texts(text: str, hashtags: str) -> tuple[str, str]:
    return text, f"array_to_string(list_transform({hashtags}, lambda h: '#' || h), ' ')"


def tweet_tokens_sql(text: str = "text_norm", hashtags: str = "hashtags") -> str:
    """SQL expression: the tokens of a tweet's ``text`` and of ``#`` + each of its ``hashtags`` (a list)."""
    return tokens_sql(*_tweet_texts(text, hashtags))


_TOKENS: dict[str, tuple[str, ...]] = {}  # keyword -> its tokens (memo: a DuckDB connection costs ~40 ms)
_TOKENS_LOCK = threading.Lock()


def tokenize_keywords(words: Iterable[str]) -> None:
    """Tokenise every keyword of ``words`` not yet in the memo, in one DuckDB query."""
    with _TOKENS_LOCK:
        todo = sorted({w for w in words if w not in _TOKENS})
        if not todo:
            return
        import duckdb

        with duckdb.connect() as con:
            rows = con.execute(f"SELECT regexp_extract_all(lower(rtrim(w, '{STEM}')), '{TOKEN}') "
                               "FROM unnest(?::VARCHAR[]) WITH ORDINALITY AS t(w, i) ORDER BY i", [todo]).fetchall()
        _TOKENS.update((w, tuple(r[0])) for w, r in zip(todo, rows, strict=True))


def keyword_tokens(word: str) -> tuple[str, ...]:
    """The tokens of a keyword (without its stem mark), by the same SQL as the text's."""
    tokenize_keywords((word,))
    return _TOKENS[word]


def _literal(tok: str) -> str:
    return _RE2_SPECIAL.sub(r"\\\1", tok).replace("'", "''")


def keyword_regex(words: tuple[str, ...]) -> str | None:
    """RE2 alternation (as SQL string content) matching any of ``words`` on the token string, longest first
    so a phrase wins over its first word; ``None`` when no word has a letter or digit."""
    tokenize_keywords(words)
    pats = set()
    for w in words:
        toks = keyword_tokens(w)
        if any(t[0].isalnum() for t in toks):
            pats.add(" " + "  ".join(_literal(t) for t in toks) + ("" if w.endswith(STEM) else " "))
    return "(?:" + "|".join(sorted(pats, key=lambda p: (-len(p), p))) + ")" if pats else None


def prefilter_regex(words) -> str | None:
    """RE2 alternation of the first token of every keyword: a tweet without any of them as a substring
    cannot match, so the tokenising is skipped for it."""
    words = list(words)
    tokenize_keywords(words)
    first = sorted({_literal(keyword_tokens(w)[0]) for w in words if keyword_tokens(w)})
    return "|".join(first) or None


def hits_sql(tokens: str, words: tuple[str, ...]) -> str:
    """SQL expression: how many times ``words`` occur in ``tokens`` (a :func:`tokens_sql` expression)."""
    rx = keyword_regex(tuple(words))
    return "0" if rx is None else f"len(regexp_extract_all({tokens}, '{rx}'))"


def tokens_label_sql(lexicon: dict[str, tuple[str, ...]], tokens: str) -> str:
    """SQL expression: the label of ``lexicon`` for a token string (``tokens``, a :func:`tokens_sql` value or the
    column holding one): the entry with the most keyword hits, ties to the first in the lexicon's order, NULL
    when none matches or ``tokens`` is NULL."""
    names = "[" + ", ".join("'" + k.replace("'", "''") + "'" for k in lexicon) + "]"
    hits = "[" + ", ".join(hits_sql(tokens, v) for v in lexicon.values()) + "]"
    best = f"CASE WHEN list_max(h) > 0 THEN {names}[list_position(h, list_max(h))] END"
    return f"list_transform([{hits}], lambda h: {best})[1]"


def label_sql(lexicon: dict[str, tuple[str, ...]], text: str = "text_norm", hashtags: str = "hashtags") -> str:
    """SQL expression giving one narrative label per tweet: the lexicon entry with the most keyword hits
    (ties: the first in the lexicon's order), NULL when no keyword matches. Detectors read the labels the
    labels stage computed once per release with it (:mod:`.labels`, view ``labels``), never this per query."""
    pre = prefilter_regex([w for ws in lexicon.values() for w in ws])
    if pre is None:
        return "NULL::VARCHAR"
    texts = _tweet_texts(text, hashtags)
    return (f"CASE WHEN regexp_matches({text_sql(*texts)}, '{pre}') THEN list_transform([{tokens_sql(*texts)}], "
            f"lambda t: {tokens_label_sql(lexicon, 't')})[1] END")


def label_frame(tweets: pd.DataFrame, lexicon: dict[str, tuple[str, ...]]) -> pd.Series:
    """:func:`label_sql` on a small in-memory frame (``text_norm``, ``hashtags``): one label per row, in order."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # no progress widget in notebook outputs
    con.register("frame", tweets[["text_norm", "hashtags"]].reset_index(drop=True))
    out = con.execute(f"SELECT {label_sql(lexicon)} AS label FROM frame").df()["label"]
    con.close()
    return pd.Series([x if isinstance(x, str) else None for x in out], index=tweets.index, dtype=object)


def lexicon_of(campaign: str | Campaign) -> dict[str, tuple[str, ...]]:
    """The narratives of ``campaign``: a Campaign, or a lexicon name of the labels stage (``china``, ``all``...)."""
    if isinstance(campaign, Campaign):
        return campaign.narratives
    from .labels import lexicons

    found = lexicons()
    return found[campaign] if campaign in found else load_campaign(campaign).narratives


def name_of(campaign: str | Campaign) -> str:
    return campaign.name if isinstance(campaign, Campaign) else campaign


def narratives(data: CaseData, campaign: str | Campaign, min_share: float = DEFAULTS["narratives"]["min_share"],
               peak: str | None = None, name: str = "narratives") -> Finding:
    """Label tweets with the campaign's narratives (keyword lexicon), count them per month, and find the
    month where ``peak`` narrative peaks. Not applicable when fewer than ``min_share`` of tweets match.
    ``accounts``: every account with a labelled tweet (``n_tweets`` labelled, ``main_narrative``: the most
    frequent, ties to the one it used first); ``table``: tweets per month and narrative plus ``all tweets``.
    The labels stay in DuckDB (``tweets`` is ``None``): :func:`labelled_sql` gives them to other queries (view
    ``labels``, computed once per release by :mod:`.labels`)."""
    lex, label = lexicon_of(campaign), name_of(campaign)
    # one pass over the tweets: counts per (month, narrative) and per (account, narrative)
    counts = data.query(
        "SELECT per, month, userid, narrative, n, first_use.t AS t0, first_use.i AS i0 FROM (SELECT "
        "grouping(month, userid) AS per, month, userid, narrative, count(*) AS n, "
        "min(struct_pack(t := tweet_time, i := tweetid)) AS first_use FROM (SELECT "
        "date_trunc('month', timezone('UTC', tweet_time)) AS month, userid, tweetid, tweet_time, narrative "
        f"FROM ({labelled_sql(campaign, keep_unlabelled=True)})) GROUP BY GROUPING SETS ((month, narrative), "
        "(userid, narrative)))")
    monthly = counts.loc[counts["per"] == 1, ["month", "narrative", "n"]]
    total, matched = int(monthly["n"].sum()), int(monthly.loc[monthly["narrative"].notna(), "n"].sum())
    share = matched / max(total, 1)
    if share < min_share:
        return not_applicable(name, f"only {matched} of {total} tweets ({100 * share:.1f}%) use "
                                    f"the {label} narrative keywords")
    monthly["month"] = pd.to_datetime(monthly["month"])
    per = monthly.dropna(subset=["narrative"]).pivot_table(index="month", columns="narrative", values="n",
                                                           aggfunc="sum")
    table = (per.reindex(columns=list(lex)).join(monthly.groupby("month")["n"].sum().rename("all tweets"), how="outer")
             .fillna(0).astype(int).sort_index().rename_axis("month"))
    table.columns.name = None
    table.attrs["span"] = [str(t) for t in data.span()]  # figures mark partial first/last months (JSON-safe)
    parts = [f"{matched} tweets ({100 * share:.0f}%) match a {label} narrative: "
             + ", ".join(f"{k} {int(v)}" for k, v in table[list(lex)].sum().items())]
    if peak in table.columns and table[peak].sum() > 0:
        m = table[peak].idxmax()
        parts.append(f"{peak} peaks in {m:%Y-%m} ({int(table.at[m, peak])} tweets, "
                     f"{100 * table.at[m, peak] / table.at[m, 'all tweets']:.0f}% of that month)")
    acc = counts[(counts["per"] == 2) & counts["narrative"].notna()]
    acc = acc.sort_values(["userid", "n", "t0", "i0"], ascending=[True, False, True, True], kind="stable")
    by_acc = (acc.groupby("userid", sort=True).agg(n_tweets=("n", "sum"), main_narrative=("narrative", "first"))
              .reset_index())
    return Finding(name, True, "; ".join(parts), by_acc, None, table, roles=CAMPAIGN_ROLES)


def labelled_sql(campaign: str | Campaign, keep_unlabelled: bool = False) -> str:
    """SQL query: ``tweetid, userid, tweet_time, narrative`` (the label of ``campaign``'s narratives) of the tweets
    with a label (every tweet, unlabelled ones with NULL, when ``keep_unlabelled``). Labels come from the view
    ``labels`` (computed once per release, :mod:`.labels`) for a lexicon it holds: the bundled campaigns, by name,
    or a Campaign with the same narratives as the bundled one of its name. Any other Campaign (a user's file) is
    labelled by this query itself (:func:`label_sql`: one tokenising scan per query)."""
    from .labels import column, lexicons

    if isinstance(campaign, Campaign) and lexicons().get(campaign.name) != campaign.narratives:
        q = f"SELECT tweetid, userid, tweet_time, {label_sql(campaign.narratives)} AS narrative FROM tweets"
    else:
        q = f"SELECT tweetid, userid, tweet_time, {column(name_of(campaign))} AS narrative FROM labels"
    return q if keep_unlabelled else f"SELECT * FROM ({q}) WHERE narrative IS NOT NULL"


def campaign_of(finding: Finding) -> str | None:
    """The bundled campaign whose lexicon a narratives finding (:func:`narratives`) used, from its table's
    columns."""
    if finding.table is None:
        return None
    return next((c for c, lex in NARRATIVES.items() if set(lex) <= set(finding.table.columns)), None)


def score_narratives(finding: Finding, data: CaseData, campaign: str | Campaign | None = None) -> pd.DataFrame | None:
    """Per planted narrative: tweets planted, tweets labelled, precision and recall of the keyword labels
    (``finding`` from :func:`narratives` of ``campaign``; None: the bundled campaign its table shows)."""
    campaign = campaign or campaign_of(finding)
    if data.truth is None or not finding.applicable or campaign is None:
        return None
    with data.planted("truth_tweets"):
        got = data.query("SELECT l.narrative, count(*) AS labelled, count(*) FILTER (WHERE g.narrative = l.narrative) "
                         f"AS tp FROM ({labelled_sql(campaign)}) l "
                         "LEFT JOIN truth_tweets g USING (tweetid) GROUP BY l.narrative").set_index("narrative")
        planted = data.query("SELECT narrative, count(*) AS n FROM truth_tweets WHERE narrative IS NOT NULL "
                             "GROUP BY narrative").set_index("narrative")["n"]
    rows = []
    for k in [c for c in finding.table.columns if c in got.index]:
        n_planted, labelled, tp = int(planted.get(k, 0)), int(got.at[k, "labelled"]), int(got.at[k, "tp"])
        rows.append({"narrative": k, "planted": n_planted, "labelled": labelled,
                     "precision": round(tp / labelled, 3) if labelled else float("nan"),
                     "recall": round(tp / n_planted, 3) if n_planted else float("nan")})
    return pd.DataFrame(rows).set_index("narrative")


def topic_narratives(finding: Finding, data: CaseData, top: int = 12,
                     campaign: str | Campaign | None = None) -> pd.DataFrame | None:
    """The largest topics of the topics stage, each with its dominant keyword narrative ("(none)" when most
    of its tweets match no keyword) and that narrative's share of the topic's tweets (``None`` without topics;
    ``campaign``: as in :func:`score_narratives`)."""
    campaign = campaign or campaign_of(finding)
    if not data.has_topics or not finding.applicable or campaign is None:
        return None
    out = data.query(
        "SELECT topic_label, sum(n)::BIGINT AS tweets, first(narrative ORDER BY n DESC, narrative) AS narrative, "
        "max(n) AS n_top FROM (SELECT p.topic, p.topic_label, coalesce(l.narrative, '(none)') AS narrative, "
        f"count(*) AS n FROM topics p LEFT JOIN ({labelled_sql(campaign)}) l USING (tweetid) "
        f"WHERE p.topic >= 0 GROUP BY ALL) GROUP BY topic, topic_label "
        f"ORDER BY tweets DESC, topic, topic_label LIMIT {int(top)}")
    out["share"] = (out.pop("n_top") / out["tweets"]).round(2)
    return out.set_index("topic_label")
