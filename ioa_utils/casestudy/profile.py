"""The profile every case study opens with: who, how much, when, in what language, from which client,
how many followers, how much engagement, posting hours in the attributed country's time zone, and what
was shared. Data first (:func:`profile` returns DataFrames), figures from the data (``fig_*``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .. import profile as base_profile
from ..paths import DATA_DIR
from ..timebins import period_start
from .base import CaseData

OFFICE_HOURS = (9, 18)  # local time, weekdays; an hour h counts when start <= h < end
FOLLOWER_BINS = [-1, 0, 10, 100, 1000, 5000, 10**12]
FOLLOWER_LABELS = ["0", "1-10", "11-100", "101-1,000", "1,001-5,000", "> 5,000"]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@dataclass
class Profile:
    release: str
    timezone: str
    summary: pd.Series  # headline numbers (strings and numbers), one entry per statistic
    kinds: pd.Series  # share of original / retweet / reply / quote
    languages: pd.Series  # share of tweets per language (top 8 + other)
    clients: pd.Series  # share of tweets per client (top 8 + other)
    creation: pd.DataFrame  # accounts created per month
    volume: pd.DataFrame  # tweets per month and kind
    followers: pd.DataFrame  # accounts per follower bin
    hours: pd.DataFrame  # tweets per local weekday x hour
    engagement: pd.DataFrame  # mean likes / retweets / replies / quotes per tweet, by kind
    top: pd.DataFrame  # top hashtags, mentions, URLs, domains as "item (count)"


def _top_share(s: pd.Series, n: int = 8) -> pd.Series:
    counts = s.fillna("unknown").value_counts()
    counts = counts.rename_axis("value").reset_index().sort_values(["count", "value"], ascending=[False, True],
                                                                    kind="stable").set_index("value")["count"]
    top = counts.head(n)
    if len(counts) > n:
        top = pd.concat([top, pd.Series({"other": counts.iloc[n:].sum()})])
    return (top / top.sum()).rename("share")


def local_times(tweets: pd.DataFrame, timezone: str) -> pd.Series:
    return tweets["tweet_time"].dt.tz_convert(timezone)


def in_office_hours(local: pd.Series, hours: tuple[int, int] = OFFICE_HOURS) -> pd.Series:
    """Weekday and ``hours[0] <= hour < hours[1]`` (local time)."""
    return (local.dt.day_of_week < 5) & (local.dt.hour >= hours[0]) & (local.dt.hour < hours[1])


def _fmt_share(s: pd.Series, n: int = 3) -> str:
    return ", ".join(f"{k} {100 * v:.0f}%" for k, v in s.drop("other", errors="ignore").head(n).items())


def _top_items(data: CaseData, work_dir: str | Path, n: int) -> pd.DataFrame:
    out = {}
    for label, table, column in (("hashtags", "hashtags", "hashtag"), ("mentions", "mentions", "mention"),
                                 ("URLs", "urls", "url"), ("domains", "urls", "domain")):
        top = base_profile.top_items(data.release, table, column, n, work_dir)
        out[label] = pd.Series([f"{k} ({v})" for k, v in top.items()], dtype=object)
    return pd.DataFrame(out).rename_axis("rank").rename(index=lambda i: i + 1).fillna("")


def profile(data: CaseData, work_dir: str | Path = DATA_DIR, n_top: int = 10) -> Profile:
    """Summary statistics of one release (``data`` from :func:`ioa_utils.casestudy.load`); posting
    hours in ``data.timezone``."""
    tw, acc = data.tweets, data.accounts
    kinds = base_profile.kind_shares(data.release, work_dir)
    local = local_times(tw, data.timezone)
    month = period_start(tw["tweet_time"], "M")
    volume = tw.assign(month=month).groupby(["month", "tweet_kind"]).size().rename("tweets").reset_index()
    created = pd.to_datetime(acc["account_creation_date"]).dt.to_period("M").dt.start_time
    creation = created.value_counts().sort_index().rename("accounts").rename_axis("month").reset_index()
    fbin = pd.cut(acc["follower_count"], FOLLOWER_BINS, labels=FOLLOWER_LABELS)
    followers = fbin.value_counts().reindex(FOLLOWER_LABELS).rename("accounts").rename_axis("followers").to_frame()
    hours = (pd.crosstab(local.dt.day_of_week, local.dt.hour).reindex(index=range(7), columns=range(24), fill_value=0)
             .rename(index=dict(enumerate(WEEKDAYS))).rename_axis(index="weekday", columns="hour"))
    eng_cols = ["like_count", "retweet_count", "reply_count", "quote_count"]
    engagement = tw.groupby("tweet_kind")[eng_cols].mean().round(3).reindex(["original", "reply", "quote",
                                                                             "retweet"]).dropna(how="all")
    orig = tw[tw["tweet_kind"] != "retweet"]
    tweeting = acc[acc["n_tweets"] > 0]
    summary = pd.Series({
        "accounts (users file)": int(acc["in_users_file"].sum()),
        "tweeting accounts": int(tw["userid"].nunique()),
        "tweets": len(tw),
        "first tweet": tw["tweet_time"].min().strftime("%Y-%m-%d") if len(tw) else "",
        "last tweet": tw["tweet_time"].max().strftime("%Y-%m-%d") if len(tw) else "",
        "% retweets": round(100 * kinds["retweet"], 1),
        "% replies": round(100 * kinds["reply"], 1),
        "% quotes": round(100 * kinds["quote"], 1),
        "languages": _fmt_share(_top_share(tw["tweet_language"])),
        "clients": _fmt_share(_top_share(tw["client"]), 2),
        "accounts created (median)": str(pd.to_datetime(acc["account_creation_date"]).median().date()),
        "median followers": float(acc["follower_count"].median()),
        "% accounts with 0 followers": round(100 * (acc["follower_count"] == 0).mean(), 1),
        "% accounts without bio": round(100 * (~acc["has_bio"]).mean(), 1),
        "likes per own tweet": round(float(orig["like_count"].mean()), 2) if len(orig) else np.nan,
        "retweets per own tweet": round(float(orig["retweet_count"].mean()), 2) if len(orig) else np.nan,
        f"% tweets weekdays {OFFICE_HOURS[0]}-{OFFICE_HOURS[1]} h ({data.timezone})":
            round(100 * in_office_hours(local).mean(), 1),
        "tweets per tweeting account (median)": float(tweeting["n_tweets"].median()) if len(tweeting) else 0.0,
    }, dtype=object, name=data.release)
    return Profile(data.release, data.timezone, summary, kinds, _top_share(tw["tweet_language"]),
                   _top_share(tw["client"]), creation, volume, followers, hours, engagement,
                   _top_items(data, work_dir, n_top))


# --- figures --------------------------------------------------------------------------------------------

def fig_timelines(p: Profile):
    """Accounts created per month (top) and tweets per month by kind (bottom)."""
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(10, 5.5))
    a1.bar(p.creation["month"], p.creation["accounts"], width=25, color="tab:gray")
    a1.set(title=f"{p.release}: accounts created per month", ylabel="accounts")
    sns.lineplot(data=p.volume, x="month", y="tweets", hue="tweet_kind", marker="o", markersize=3, ax=a2,
                 hue_order=[k for k in ("original", "retweet", "reply", "quote") if k in set(p.volume["tweet_kind"])])
    a2.set(title="tweets per month", xlabel="", ylabel="tweets")
    fig.tight_layout()
    return fig


def fig_accounts(p: Profile):
    """Follower distribution (accounts per bin) and the activity mix (languages, clients)."""
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    sns.barplot(x=p.followers.index.astype(str), y=p.followers["accounts"].to_numpy(), color="tab:blue", ax=axes[0])
    axes[0].set(title="followers per account", xlabel="followers", ylabel="accounts")
    axes[0].tick_params(axis="x", labelrotation=30)
    for ax, s, t in ((axes[1], p.languages, "tweet language"), (axes[2], p.clients, "client")):
        sns.barplot(x=s.to_numpy(), y=[str(i)[:24] for i in s.index], color="tab:orange", ax=ax)
        ax.set(title=t, xlabel="share of tweets", ylabel="")
    fig.tight_layout()
    return fig


def fig_hours(p: Profile):
    """Tweets per local weekday and hour (heat map), with the office-hours box."""
    fig, ax = plt.subplots(figsize=(10, 3.2))
    sns.heatmap(p.hours, cmap="viridis", ax=ax, cbar_kws={"label": "tweets"})
    lo, hi = OFFICE_HOURS
    ax.add_patch(plt.Rectangle((lo, 0), hi - lo, 5, fill=False, edgecolor="white", lw=2))
    ax.set(title=f"{p.release}: posting hours in {p.timezone} (box: weekdays {lo}-{hi} h)", xlabel="local hour",
           ylabel="")
    fig.tight_layout()
    return fig
