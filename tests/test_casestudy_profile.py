"""The profile's posting hours, office share, months and span, computed once per distinct (timestamp, kind), equal
the same figures computed once per tweet: in zones with DST and with non-whole-hour offsets, at the
transitions, and at seconds precision (nothing assumes minute precision); and the top items counted from the clean
stage's exploded tables equal those of the unnested list columns."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from casestudy_frames import accounts as _accounts
from casestudy_frames import tweets as _tweets

from ioa_utils import casestudy as cs
from ioa_utils.casestudy.base import CaseData
from ioa_utils.casestudy.profile import OFFICE_HOURS, WEEKDAYS, local_sql, office_sql

# UTC instants at the edges: DST starts / ends (New York 2019, Istanbul 2015, Chatham +12:45/+13:45), office
# hours starting at 09:00 Kathmandu (+05:45), Friday 18:00 and the Sunday-Monday midnight
EDGES = ["2019-03-10 06:59", "2019-03-10 07:00", "2019-11-03 05:59", "2019-11-03 06:00", "2015-03-29 00:59",
         "2015-03-29 01:00", "2015-11-08 00:59", "2015-11-08 01:00", "2019-06-03 03:14", "2019-06-03 03:15",
         "2019-06-07 12:14", "2019-06-07 12:15", "2019-06-02 18:14", "2019-06-02 18:15", "2019-09-28 13:59",
         "2019-09-28 14:00", "2019-04-06 13:59", "2019-04-06 14:00"]
ZONES = ["America/New_York", "Asia/Kathmandu", "Europe/Istanbul", "Pacific/Chatham", "Australia/Eucla", "UTC"]
KINDS = ["original", "retweet", "reply", "quote"]


def _release(timezone: str, seconds: bool) -> CaseData:
    rng = np.random.default_rng(7)
    start = pd.Timestamp("2012-01-01", tz="UTC").value // 10**9
    t = rng.integers(start, start + 9 * 365 * 86400, 3000)
    t = t if seconds else t - t % 60
    times = list(pd.to_datetime(t, unit="s", utc=True)) + [pd.Timestamp(e, tz="UTC") for e in EDGES * 3]
    rows = [{"tweetid": str(i), "userid": f"u{i % 5}", "tweet_time": x, "tweet_kind": KINDS[int(i % 7) % 4],
             "like_count": i % 3} for i, x in enumerate(times)]
    return CaseData.from_frames("tiny", _tweets(rows), _accounts([f"u{i}" for i in range(5)]), timezone=timezone)


@pytest.mark.parametrize("seconds", [False, True])
@pytest.mark.parametrize("timezone", ZONES)
def test_hours_office_and_months_match_per_tweet(timezone, seconds):
    d = _release(timezone, seconds)
    p = cs.profile(d)
    local = local_sql(timezone)
    per_tweet = d.query(f"SELECT isodow({local}) - 1 AS weekday, hour({local}) AS hour, count(*) AS n "
                        "FROM tweets GROUP BY ALL")
    want = (per_tweet.pivot(index="weekday", columns="hour", values="n").reindex(index=range(7), columns=range(24))
            .fillna(0).astype("int64").rename(index=dict(enumerate(WEEKDAYS))).rename_axis(index="weekday",
                                                                                           columns="hour"))
    pd.testing.assert_frame_equal(p.hours, want)
    row = d.query(f"SELECT avg({office_sql(timezone)}::INT) AS office, min(tweet_time) AS first, "
                  "max(tweet_time) AS last FROM tweets").iloc[0]
    key = f"% tweets weekdays {OFFICE_HOURS[0]}-{OFFICE_HOURS[1]} h ({timezone})"
    assert p.summary[key] == round(100 * float(row["office"]), 1)
    assert (p.summary["first tweet"], p.summary["last tweet"]) == (row["first"].strftime("%Y-%m-%d"),
                                                                     row["last"].strftime("%Y-%m-%d"))
    months = d.query("SELECT date_trunc('month', timezone('UTC', tweet_time)) AS month, tweet_kind, "
                     "count(*) AS tweets FROM tweets GROUP BY ALL ORDER BY month, tweet_kind")
    months["month"] = months["month"].astype("datetime64[ns]")
    pd.testing.assert_frame_equal(p.volume.drop(columns="partial"), months)
    # and against Python's zoneinfo, tweet by tweet
    tw = d.tweets_frame(["tweet_time"])["tweet_time"].dt.tz_convert(timezone)
    zi = pd.crosstab(tw.dt.day_of_week, tw.dt.hour).reindex(index=range(7), columns=range(24), fill_value=0)
    assert (p.hours.to_numpy() == zi.to_numpy()).all()


def test_kathmandu_quarter_hour_edges():
    """09:00 Kathmandu is 03:15 UTC: the tweet at 03:14 is before office hours, the one at 03:15 inside."""
    rows = [{"tweetid": "1", "userid": "a", "tweet_time": "2019-06-03 03:14"},
            {"tweetid": "2", "userid": "a", "tweet_time": "2019-06-03 03:15"}]
    p = cs.profile(CaseData.from_frames("tiny", _tweets(rows), _accounts(["a"]), timezone="Asia/Kathmandu"))
    assert p.hours.loc["Mon", 8] == 1 and p.hours.loc["Mon", 9] == 1
    assert p.summary["% tweets weekdays 9-18 h (Asia/Kathmandu)"] == 50.0


def test_top_items_from_exploded_tables_equal_unnested_lists():
    """On disk, the top items are counted from the clean stage's exploded tables; unnesting the tweets' list
    columns gives the same table."""
    from ioa_utils.casestudy.profile import _top_items
    from ioa_utils.workspace import Workspace

    ws = Workspace()
    d = cs.load(ws.prepare()[0], ws, topics=False)
    assert set(d.item_files) == {"hashtags", "mentions", "urls"}
    pd.testing.assert_frame_equal(_top_items(d, 25), _top_items(dataclasses.replace(d, item_files={}), 25))


def test_months_per_kind_with_kinds_outside_the_schema():
    """The per-timestamp counts have one column per ``tweet_kind`` value of the release: a kind outside
    ``TWEET_KINDS``, one with a quote in its name and a null kind are counted per month as the per-tweet grouping
    counts them (the clean stage writes only the four kinds; in-memory releases may hold others)."""
    kinds = ["original", "retweet", "other", "it's", None]
    rows = [{"tweetid": str(i), "userid": "a", "tweet_time": f"2019-0{1 + i % 3}-0{1 + i % 2} 10:0{i % 4}",
             "tweet_kind": kinds[i % 5]} for i in range(40)]
    d = CaseData.from_frames("tiny", _tweets(rows), _accounts(["a"]), timezone="Europe/Istanbul")
    p = cs.profile(d)
    months = d.query("SELECT date_trunc('month', timezone('UTC', tweet_time)) AS month, tweet_kind, "
                     "count(*) AS tweets FROM tweets GROUP BY ALL ORDER BY month, tweet_kind")
    months["month"] = months["month"].astype("datetime64[ns]")
    assert months["tweet_kind"].isna().any()
    pd.testing.assert_frame_equal(p.volume.drop(columns="partial"), months)
    assert int(p.hours.to_numpy().sum()) == 40


def test_release_without_tweets():
    """No tweets, so no kinds: the per-timestamp table has only its total column and every table is empty."""
    t = _tweets([{"tweetid": "1", "userid": "a", "tweet_time": "2019-06-03 03:14"}]).iloc[:0]
    p = cs.profile(CaseData.from_frames("tiny", t, _accounts(["a"]), timezone="Asia/Kathmandu"))
    assert p.volume.empty and list(p.volume.columns) == ["month", "tweet_kind", "tweets"]
    assert int(p.hours.to_numpy().sum()) == 0 and p.summary["tweets"] == 0
