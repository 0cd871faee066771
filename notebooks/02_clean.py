# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=[]
# # 02 · Cleaning: analysis tables
#
# **Question.** How did each network tweet: original posts or amplification, in which languages, through
# which clients, with which hashtags and links?
#
# Raw rows mix several kinds of activity (a retweet carries someone else's text behind `RT @name:`), hide
# hashtags, links and mentions in Python-repr lists, and leave the retweeted account empty half of the time.
# This notebook derives the normalized tables every analysis uses, one Parquet partition per raw partition.
#
# | | |
# |---|---|
# | **Inputs** | `data/interim/<release>/` (built by notebook 01; rebuilt here if missing or stale) |
# | **Outputs** | `data/processed/<release>/`: `tweets/`, `hashtags/`, `urls/`, `mentions/` (partitions), `accounts.parquet` |
# | **Parameters** | `raw_dir`, `work_dir`, `releases`, `seed`, `scale` (as in 01) |

# %% tags=["parameters"]
raw_dir = "data/raw/synthetic"  # folder of releases, searched recursively (relative to the project root)
work_dir = "data"  # where interim/ and processed/ tables are written
releases = None  # None: every release found; or a list of release ids
seed = 2020  # synthetic archive only: generator seed
scale = 1.0  # synthetic archive only: multiplies the number of accounts

# %% tags=[]
import pandas as pd

from ioa_utils import plots, profile
from ioa_utils.workspace import Workspace

ws = Workspace(raw_dir, work_dir, seed, scale)
releases = ws.prepare(releases)

# %% [markdown] tags=[]
# ## 1. What cleaning does
#
# *Why:* each later method needs one well-defined field rather than raw text:
#
# - **tweet kind**: `retweet` if `is_retweet`, else `reply` if it answers a tweet or account, else `quote`
#   if it quotes one, else `original`;
# - **normalized text** (`text_norm`): without the `RT @name:` prefix (also nested ones), URLs and @mentions,
#   lower-cased, white space collapsed: the text that co-tweeting and topic models compare;
# - **retweeted account** (`rt_userid`): `retweet_userid` when given, else the account whose screen name
#   follows `RT @` (when it is in the release);
# - **timestamps** in UTC (the archive has minute precision), **client** names, **language** as Twitter
#   labelled it;
# - exploded tables, one row per tweet and item: **hashtags** (lower-cased), **urls** with their **domain**,
#   **mentions**; and **accounts**: the users file plus each account's activity.
#
# Rows per processed table:

# %% tags=[]
profile.processed_counts(releases, ws.work_dir)

# %% [markdown] tags=[]
# What normalization does to a few retweets (the lowest tweet ids with a link or mention, per release):

# %% tags=[]
pd.concat({rel: profile.normalization_examples(rel, 2, ws.work_dir) for rel in releases})

# %% [markdown] tags=[]
# ## 2. Activity profile of each release
#
# *Why:* the mix of original posts and retweets separates networks that *write* from networks that *amplify*;
# languages and clients show who the audience was and how the accounts were run.

# %% tags=[]
profile.clean_table(releases, ws.work_dir)

# %% tags=[]
plots.show(plots.stacked_shares(profile.kind_share_table(releases, ws.work_dir),
                                "What kind of tweets each release holds"))

# %% [markdown] tags=[]
# ## 3. Volume by week and kind
#
# *Why:* campaigns are bursty; a burst made only of retweets is a first hint of amplification.

# %% tags=[]
weekly = profile.weekly_volume_table(releases, ws.work_dir)
plots.show(plots.facet_lines(weekly, "week", "tweets", "tweet_kind", "release", "Tweets per week by kind"))

# %% [markdown] tags=[]
# ## 4. What they pushed: hashtags and linked domains
#
# *Why:* the most used hashtags and domains are the quickest view of a campaign's themes and of the sites it
# promoted (counted over all tweets, retweets included).

# %% tags=[]
profile.top_items_table(releases, "hashtags", "hashtag", 8, ws.work_dir)

# %% tags=[]
profile.top_items_table(releases, "urls", "domain", 8, ws.work_dir)

# %% [markdown] tags=[]
# **Next:** `03_topics.ipynb` models what each campaign talked about; `04_networks.ipynb` looks for accounts
# acting in concert.

# %% [markdown] tags=[]
# ## Limitations
#
# - Links are the archive's (often shortened) URLs: domains of `t.co` or other shorteners were not expanded,
#   which would need network access and would not be reproducible.
# - Tweet language is Twitter's own label; it is missing or wrong for very short or mixed-language tweets.
# - Retweet text is cut by the archive at the original length limit, so a retweet's text is not always the
#   full original.
# - Cleaning removes no tweet: duplicates are dropped at load time and counted there; everything else is
#   annotated, not filtered.

# %% [markdown] tags=[]
# ## References

# %% tags=[]
from ioa_utils import references

references.section([
    "twitter_archive", "sio_june_2020"
], heading="")
