"""Keyword narratives of any campaign, matched on whole tokens inside DuckDB (no tweet reaches pandas).

Text (``text_norm`` plus the tweet's hashtags) is lower-cased and split into tokens at every character that
is not a letter, digit or combining mark, so "virus" does not match "antivirus" and "дума" does not match
"думаю". Scripts written without spaces between words (Chinese, Japanese kana, Thai, Lao, Khmer, Burmese)
have no word boundaries to find, so each of their characters is a token and a keyword in them matches as a
phrase of characters. Keywords are tokenised by the same SQL, so a multi-word keyword ("hong kong",
"cross-strait") matches its tokens in a row. A keyword ending in ``*`` is a stem: its last token matches any
token it begins ("covid*" matches "covid19", "путин*" matches "путина") — how :mod:`.lexicon` covers
inflected forms explicitly.

In SQL the tokens are one string, each token between two spaces (``" hong  kong "``), so a keyword is a
literal pattern bounded by spaces and counting its non-overlapping matches counts its occurrences.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .base import CAMPAIGN_ROLES, CaseData, Finding, not_applicable
from .lexicon import NARRATIVES

# Scripts without spaces between words: every character is a token.
UNSPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
STEM = "*"
BREAK = "|"  # the token punctuation becomes


def tokens_sql(*texts: str) -> str:
    """SQL expression: the tokens of the concatenated text expressions ``texts`` (NULL counts as empty),
    lower-cased, each between two spaces; every run of punctuation or symbols becomes the token ``|``, which
    no keyword matches, so a phrase never spans a sentence or hashtag boundary."""
    text = " || ' ' || ".join(f"coalesce({t}, '')" for t in texts)
    spaced = f"regexp_replace(lower({text}), '([{UNSPACED}])', ' \\1 ', 'g')"
    broken = f"regexp_replace({spaced}, '[^\\p{{L}}\\p{{N}}\\p{{M}}\\s]+', ' {BREAK} ', 'g')"
    return f"(' ' || regexp_replace({broken}, '[^\\p{{L}}\\p{{N}}\\p{{M}}{BREAK}]+', '  ', 'g') || ' ')"


def tweet_tokens_sql(text: str = "text_norm", hashtags: str = "hashtags") -> str:
    """SQL expression: the tokens of a tweet's ``text`` and of ``#`` + each of its ``hashtags`` (a list)."""
    return tokens_sql(text, f"array_to_string(list_transform({hashtags}, lambda h: '#' || h), ' ')")


@lru_cache(maxsize=256)
def keyword_regex(words: tuple[str, ...]) -> str | None:
    """RE2 alternation matching any of ``words`` on the token string (longest first, so a phrase wins over
    its first word); ``None`` when no word has a token."""
    import duckdb

    con = duckdb.connect()
    pats = set()
    for w in words:
        stem = w.endswith(STEM)
        toks = con.execute(f"SELECT {tokens_sql('?')}", [w.rstrip(STEM)]).fetchone()[0].split()
        if set(toks) - {BREAK}:
            pats.add((" " + "  ".join(toks) + ("" if stem else " ")).replace(BREAK, "\\" + BREAK))
    con.close()
    if not pats:
        return None
    return "(?:" + "|".join(sorted(pats, key=lambda p: (-len(p), p))) + ")"


def hits_sql(tokens: str, words: tuple[str, ...]) -> str:
    """SQL expression: how many times ``words`` occur in ``tokens`` (a :func:`tokens_sql` expression)."""
    rx = keyword_regex(tuple(words))
    return "0" if rx is None else f"len(regexp_extract_all({tokens}, '{rx}'))"


def label_sql(lexicon: dict[str, tuple[str, ...]], text: str = "text_norm", hashtags: str = "hashtags") -> str:
    """SQL expression giving one narrative label per tweet: the lexicon entry with the most keyword hits
    (ties: the first in the lexicon's order), NULL when no keyword matches."""
    names = "[" + ", ".join("'" + k.replace("'", "''") + "'" for k in lexicon) + "]"
    hits = "[" + ", ".join(hits_sql("t", v) for v in lexicon.values()) + "]"
    best = f"CASE WHEN list_max(h) > 0 THEN {names}[list_position(h, list_max(h))] END"
    return (f"list_transform([{tweet_tokens_sql(text, hashtags)}], "
            f"lambda t: list_transform([{hits}], lambda h: {best})[1])[1]")


def label_frame(tweets: pd.DataFrame, lexicon: dict[str, tuple[str, ...]]) -> pd.Series:
    """:func:`label_sql` on a small in-memory frame (``text_norm``, ``hashtags``): one label per row, in order."""
    import duckdb

    con = duckdb.connect()
    con.register("frame", tweets[["text_norm", "hashtags"]].reset_index(drop=True))
    out = con.execute(f"SELECT {label_sql(lexicon)} AS label FROM frame").df()["label"]
    con.close()
    return pd.Series([x if isinstance(x, str) else None for x in out], index=tweets.index, dtype=object)


def narratives(data: CaseData, campaign: str, min_share: float = 0.05, peak: str | None = None,
               name: str = "narratives") -> Finding:
    """Label tweets with the campaign's narratives (keyword lexicon), count them per month, and find the
    month where ``peak`` narrative peaks. Not applicable when fewer than ``min_share`` of tweets match.
    ``accounts``: every account with a labelled tweet (``n_tweets`` labelled, ``main_narrative``: the most
    frequent, ties to the one it used first); ``table``: tweets per month and narrative plus ``all tweets``.
    The labels stay in DuckDB (``tweets`` is ``None``): :func:`labelled_sql` gives them to other queries."""
    lex = NARRATIVES[campaign]
    monthly = data.query(
        "SELECT date_trunc('month', timezone('UTC', tweet_time)) AS month, narrative, count(*) AS n "
        f"FROM ({labelled_sql(lex, keep_unlabelled=True)}) GROUP BY ALL")
    total, matched = int(monthly["n"].sum()), int(monthly.loc[monthly["narrative"].notna(), "n"].sum())
    share = matched / max(total, 1)
    if share < min_share:
        return not_applicable(name, f"only {matched} of {total} tweets ({100 * share:.1f}%) use "
                                    f"the {campaign} narrative keywords")
    monthly["month"] = pd.to_datetime(monthly["month"])
    per = monthly.dropna(subset=["narrative"]).pivot_table(index="month", columns="narrative", values="n",
                                                           aggfunc="sum")
    table = (per.reindex(columns=list(lex)).join(monthly.groupby("month")["n"].sum().rename("all tweets"), how="outer")
             .fillna(0).astype(int).sort_index().rename_axis("month"))
    table.columns.name = None
    parts = [f"{matched} tweets ({100 * share:.0f}%) match a {campaign} narrative: "
             + ", ".join(f"{k} {int(v)}" for k, v in table[list(lex)].sum().items())]
    if peak in table.columns and table[peak].sum() > 0:
        m = table[peak].idxmax()
        parts.append(f"{peak} peaks in {m:%Y-%m} ({int(table.at[m, peak])} tweets, "
                     f"{100 * table.at[m, peak] / table.at[m, 'all tweets']:.0f}% of that month)")
    by_acc = data.query(
        "SELECT userid, sum(n)::BIGINT AS n_tweets, first(narrative ORDER BY n DESC, first_use) AS main_narrative "
        "FROM (SELECT userid, narrative, count(*) AS n, min(struct_pack(t := tweet_time, i := tweetid)) AS first_use "
        f"FROM ({labelled_sql(lex)}) GROUP BY ALL) GROUP BY userid ORDER BY userid")
    return Finding(name, True, "; ".join(parts), by_acc, None, table, roles=CAMPAIGN_ROLES)


def labelled_sql(lexicon: dict[str, tuple[str, ...]], keep_unlabelled: bool = False) -> str:
    """SQL query: ``tweetid, userid, tweet_time, narrative`` of the tweets with a label (every tweet,
    unlabelled ones with NULL, when ``keep_unlabelled``)."""
    q = f"SELECT tweetid, userid, tweet_time, {label_sql(lexicon)} AS narrative FROM tweets"
    return q if keep_unlabelled else f"SELECT * FROM ({q}) WHERE narrative IS NOT NULL"


def campaign_of(finding: Finding) -> str | None:
    """The campaign whose lexicon a narratives finding (:func:`narratives`) used, from its table's columns."""
    if finding.table is None:
        return None
    return next((c for c, lex in NARRATIVES.items() if set(lex) <= set(finding.table.columns)), None)
